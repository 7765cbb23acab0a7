using System.Collections.Immutable;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Diagnostics;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Model;
using Differentiator.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Differentiator.Generator;

/// <summary>
/// Reports, live in the editor, every diagnostic of a <c>[Differentiable]</c> method: the errors that stop
/// generation and the advisories (zero gradients, kinks, NaN hazards, scratch storage). It runs the same parser and
/// analyses as the generator — one source of truth — so the two cannot disagree; the generator itself reports
/// only its own internal errors (DIFF900). Each keystroke re-parses the file's methods, but the differentiation and
/// analyses are cached by the model's value (<see cref="MethodAnalysisCache"/>): only a method that changed is
/// analysed again, and the cached findings are placed through this parse's positions.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DifferentiableAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        DiagnosticDescriptors.All.Where(d => d.Id != DiagnosticDescriptors.InternalError.Id).ToImmutableArray();

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var attribute = start.Compilation.GetTypeByMetadataName(DifferentiatorGenerator.AttributeName);
            if (attribute is null) return;
            var derivativeOf = start.Compilation.GetTypeByMetadataName(CustomDerivativeParser.AttributeName);
            // Per file rather than per method: a method's diagnostics may sit outside it (DIFF001 on its type).
            start.RegisterSemanticModelAction(model => Analyze(model, attribute, derivativeOf));
        });
    }

    private static void Analyze(SemanticModelAnalysisContext context, INamedTypeSymbol attribute, INamedTypeSymbol? derivativeOf)
    {
        var root = context.SemanticModel.SyntaxTree.GetRoot(context.CancellationToken);
        foreach (var syntax in root.DescendantNodes(n => n is not (MethodDeclarationSyntax or ExpressionSyntax)).OfType<MethodDeclarationSyntax>())
        {
            if (syntax.AttributeLists.Count == 0) continue; // cheap syntactic filter before binding
            if (context.SemanticModel.GetDeclaredSymbol(syntax, context.CancellationToken) is not IMethodSymbol method) continue;
            if (derivativeOf is not null && method.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, derivativeOf)))
            {
                foreach (var diagnostic in CustomDerivativeParser.Check(method).Diagnostics) context.ReportDiagnostic(diagnostic);
            }
            if (!method.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute))) continue;
            foreach (var diagnostic in Check(method, syntax, context.SemanticModel, context.CancellationToken))
                context.ReportDiagnostic(diagnostic);
        }
    }

    /// <summary>Every diagnostic of one method, as the editor shows it. Also used by tests to compare with the generator.</summary>
    internal static ImmutableArray<Diagnostic> Check(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, System.Threading.CancellationToken cancellationToken)
    {
        var tree = syntax.SyntaxTree;
        var model = MethodParser.Parse(method, syntax, semanticModel, cancellationToken, out var positions);
        var diagnostics = model.Diagnostics.Select(d => ToDiagnostic(d, positions, tree)).ToList();
        if (model.Ir is null) return diagnostics.ToImmutableArray();
        var analysis = MethodAnalysisCache.Shared.GetOrAdd(model, positions);
        diagnostics.AddRange(analysis.Errors.Select(d => ToDiagnostic(d, positions, tree)));
        foreach (var advisory in analysis.Advisories)
        {
            // In a helper inlined from another file: not this file's to report.
            if (positions[advisory.Location] is { } where && where.FilePath == tree.FilePath) diagnostics.Add(ToDiagnostic(advisory, positions, tree));
        }
        return diagnostics.ToImmutableArray();
    }

    // Locations inside the tree (not file-path locations), so #pragma warning disable and editorconfig apply.
    private static Diagnostic ToDiagnostic(DiagnosticInfo info, SourcePositions positions, SyntaxTree tree)
    {
        var location = positions[info.Location] is not { } l ? Location.None
            : l.FilePath == tree.FilePath ? Location.Create(tree, new TextSpan(l.Start, l.Length))
            : DifferentiatorGenerator.ToLocation(l);
        return Diagnostic.Create(DiagnosticDescriptors.ById(info.Id), location, info.Arguments.Cast<object>().ToArray());
    }
}
