using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Differentiator.CodeFixes;

/// <summary>DIFF001: adds <c>partial</c> to the type the diagnostic names.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakeTypePartialFix)), Shared]
public sealed class MakeTypePartialFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(Generator.Diagnostics.DiagnosticIds.TypeNotPartial);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            var type = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().FirstOrDefault();
            if (type is null || type.Modifiers.Any(SyntaxKind.PartialKeyword)) continue;
            context.RegisterCodeFix(
                CodeAction.Create("Make '" + type.Identifier.Text + "' partial", ct =>
                {
                    // 'partial' goes right before the type keyword, after the other modifiers, as C# requires.
                    var partial = SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space);
                    var updated = type.Modifiers.Count == 0
                        ? type.WithModifiers(SyntaxFactory.TokenList(partial.WithLeadingTrivia(type.Keyword.LeadingTrivia))).WithKeyword(type.Keyword.WithLeadingTrivia())
                        : type.WithModifiers(type.Modifiers.Add(partial));
                    return Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(type, updated)));
                }, equivalenceKey: nameof(MakeTypePartialFix)),
                diagnostic);
        }
    }
}
