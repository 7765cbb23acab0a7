using System.Collections.Immutable;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Diagnostics;
using Differentiator.Generator.Editing;
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
/// only its own internal errors (DIFF900). A keystroke parses again only the methods it touched: the findings of the
/// others are the last run's, moved (<see cref="FindingsCache"/>, under the conditions it states); and a parsed
/// method is differentiated and analysed again only when its model is new (<see cref="MethodAnalysisCache"/>),
/// the cached findings placed through this parse's positions.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DifferentiableAnalyzer : DiagnosticAnalyzer
{
    private readonly FindingsCache? _findings;

    public DifferentiableAnalyzer() : this(FindingsCache.Shared) { }

    /// <summary>With <paramref name="findings"/> null, every method of the file is analysed on every run (for tests and benchmarks).</summary>
    internal DifferentiableAnalyzer(FindingsCache? findings) => _findings = findings;

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

    private void Analyze(SemanticModelAnalysisContext context, INamedTypeSymbol attribute, INamedTypeSymbol? derivativeOf)
    {
        var tree = context.SemanticModel.SyntaxTree;
        var compilation = context.SemanticModel.Compilation;
        var root = tree.GetRoot(context.CancellationToken);
        var unchanged = _findings?.StillValid(compilation, tree, context.CancellationToken);
        var found = ImmutableArray.CreateBuilder<MethodFindings>();
        foreach (var syntax in root.DescendantNodes(n => n is not (MethodDeclarationSyntax or ExpressionSyntax)).OfType<MethodDeclarationSyntax>())
        {
            if (syntax.AttributeLists.Count == 0) continue; // cheap syntactic filter before binding
            var method = unchanged is not null && unchanged.TryGetValue(syntax.SpanStart, out var kept) && kept.Span == syntax.Span
                ? kept
                : Find(syntax, context.SemanticModel, attribute, derivativeOf, context.CancellationToken);
            foreach (var finding in method.Findings) context.ReportDiagnostic(finding.ToDiagnostic(tree));
            found.Add(method);
        }
        _findings?.Remember(compilation, tree, found.ToImmutable());
    }

    /// <summary>What one attributed method reports: its <c>[DerivativeOf]</c> checks and its <c>[Differentiable]</c> diagnostics.</summary>
    private static MethodFindings Find(MethodDeclarationSyntax syntax, SemanticModel semanticModel, INamedTypeSymbol attribute, INamedTypeSymbol? derivativeOf, System.Threading.CancellationToken cancellationToken)
    {
        if (semanticModel.GetDeclaredSymbol(syntax, cancellationToken) is not IMethodSymbol method)
            return new MethodFindings(syntax.Span, false, ImmutableArray<Finding>.Empty);
        var findings = ImmutableArray.CreateBuilder<Finding>();
        bool reusable = !syntax.ContainsDiagnostics;
        if (derivativeOf is not null && method.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, derivativeOf)))
        {
            // Whole Roslyn diagnostics (their arguments cannot be read back), so analysed again on every run.
            reusable = false;
            findings.AddRange(CustomDerivativeParser.Check(method).Diagnostics.Select(d => new Finding(d.Descriptor, null, d.Location, System.Array.Empty<object?>(), d)));
        }
        if (method.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute)))
        {
            findings.AddRange(Findings(method, syntax, semanticModel, cancellationToken, out bool readsOtherMethods));
            reusable &= !readsOtherMethods;
        }
        return new MethodFindings(syntax.Span, reusable, findings.ToImmutable());
    }

    /// <summary>Every diagnostic of one method, as the editor shows it. Also used by tests to compare with the generator.</summary>
    internal static ImmutableArray<Diagnostic> Check(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, System.Threading.CancellationToken cancellationToken) =>
        Findings(method, syntax, semanticModel, cancellationToken, out _).Select(f => f.ToDiagnostic(syntax.SyntaxTree)).ToImmutableArray();

    private static ImmutableArray<Finding> Findings(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, System.Threading.CancellationToken cancellationToken, out bool readsOtherMethods)
    {
        var tree = syntax.SyntaxTree;
        var model = MethodParser.Parse(method, syntax, semanticModel, cancellationToken, out var positions);
        readsOtherMethods = positions.ReadsOtherMethods;
        var findings = model.Diagnostics.Select(d => ToFinding(d, positions, tree)).ToList();
        if (model.Ir is null) return findings.ToImmutableArray();
        var analysis = MethodAnalysisCache.Shared.GetOrAdd(model, positions);
        findings.AddRange(analysis.Errors.Select(d => ToFinding(d, positions, tree)));
        foreach (var advisory in analysis.Advisories)
        {
            // In a helper inlined from another file: not this file's to report.
            if (positions[advisory.Location] is { } where && where.FilePath == tree.FilePath) findings.Add(ToFinding(advisory, positions, tree));
        }
        return findings.ToImmutableArray();
    }

    // Locations inside the tree (not file-path locations), so #pragma warning disable and editorconfig apply.
    private static Finding ToFinding(DiagnosticInfo info, SourcePositions positions, SyntaxTree tree)
    {
        var descriptor = DiagnosticDescriptors.ById(info.Id);
        object?[] arguments = info.Arguments.Cast<object?>().ToArray();
        return positions[info.Location] is not { } l ? new Finding(descriptor, null, Location.None, arguments)
            : l.FilePath == tree.FilePath ? new Finding(descriptor, new TextSpan(l.Start, l.Length), null, arguments)
            : new Finding(descriptor, null, DifferentiatorGenerator.ToLocation(l), arguments);
    }
}
