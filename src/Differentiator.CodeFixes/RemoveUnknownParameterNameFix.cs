using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Differentiator.CodeFixes;

/// <summary>DIFF003: removes from <c>[Differentiable(...)]</c> a name that is not a parameter.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RemoveUnknownParameterNameFix)), Shared]
public sealed class RemoveUnknownParameterNameFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(Generator.Diagnostics.DiagnosticIds.UnknownParameter);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            var argument = root.FindNode(diagnostic.Location.SourceSpan).AncestorsAndSelf().OfType<AttributeArgumentSyntax>().FirstOrDefault();
            if (argument?.Parent is not AttributeArgumentListSyntax list) continue;
            context.RegisterCodeFix(
                CodeAction.Create("Remove '" + argument + "' from [Differentiable]", ct =>
                {
                    var remaining = list.Arguments.Remove(argument);
                    SyntaxNode newRoot = remaining.Count == 0 && list.Parent is AttributeSyntax attribute
                        ? root.ReplaceNode(attribute, attribute.WithArgumentList(null))
                        : root.ReplaceNode(list, list.WithArguments(remaining));
                    return Task.FromResult(context.Document.WithSyntaxRoot(newRoot));
                }, equivalenceKey: nameof(RemoveUnknownParameterNameFix)),
                diagnostic);
        }
    }
}
