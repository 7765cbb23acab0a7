using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Differentiator.Generator;
using Differentiator.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Differentiator.CodeFixes;

/// <summary>
/// DIFF006: when the called helper is a static method of this compilation that is in the subset as a
/// <c>[Differentiable]</c> method (checked with the generator's own parser) but cannot be inlined — it returns from
/// more than one place — adds <c>[Differentiable]</c> to it, so the chain rule goes through its generated gradient.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MarkHelperDifferentiableFix)), Shared]
public sealed class MarkHelperDifferentiableFix : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create(Generator.Diagnostics.DiagnosticIds.UnsupportedCall);

    public override FixAllProvider? GetFixAllProvider() => null;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null) return;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan).AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault() is not { } invocation) continue;
            if (model.GetSymbolInfo(invocation, context.CancellationToken).Symbol is not IMethodSymbol helper || !helper.IsStatic) continue;
            if (helper.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(context.CancellationToken) is not MethodDeclarationSyntax declaration) continue;
            var helperDocument = context.Document.Project.Solution.GetDocument(declaration.SyntaxTree);
            if (helperDocument is null || !await InSubsetAsync(helperDocument, helper, declaration, context.CancellationToken).ConfigureAwait(false)) continue;

            context.RegisterCodeFix(
                CodeAction.Create("Mark '" + helper.Name + "' [Differentiable]", async ct =>
                {
                    var helperRoot = (CompilationUnitSyntax)(await helperDocument.GetSyntaxRootAsync(ct).ConfigureAwait(false))!;
                    // Keep the file's own line endings.
                    var newline = helperRoot.DescendantTrivia().FirstOrDefault(t => t.IsKind(SyntaxKind.EndOfLineTrivia));
                    var endOfLine = newline == default ? SyntaxFactory.CarriageReturnLineFeed : newline;
                    var attribute = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Attribute(SyntaxFactory.IdentifierName("Differentiable"))))
                        .WithLeadingTrivia(declaration.GetLeadingTrivia())
                        .WithTrailingTrivia(endOfLine);
                    var updated = declaration.WithLeadingTrivia(declaration.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia)))
                        .WithAttributeLists(declaration.AttributeLists.Insert(0, attribute));
                    var newRoot = helperRoot.ReplaceNode(declaration, updated);
                    if (!newRoot.Usings.Any(u => u.Name?.ToString() == "Differentiator"))
                        newRoot = newRoot.AddUsings(SyntaxFactory.UsingDirective(SyntaxFactory.IdentifierName("Differentiator")).WithTrailingTrivia(endOfLine));
                    return helperDocument.Project.Solution.WithDocumentSyntaxRoot(helperDocument.Id, newRoot);
                }, equivalenceKey: nameof(MarkHelperDifferentiableFix)),
                diagnostic);
        }
    }

    private static async Task<bool> InSubsetAsync(Document document, IMethodSymbol helper, MethodDeclarationSyntax declaration, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null) return false;
        var parsed = MethodParser.Parse(helper, declaration, model, cancellationToken);
        return parsed.Ir is not null && parsed.Ir.Parameters.Any(p => p.Differentiated);
    }
}
