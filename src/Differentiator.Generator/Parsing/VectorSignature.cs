using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using D = Differentiator.Generator.Diagnostics.DiagnosticDescriptors;

namespace Differentiator.Generator.Parsing;

/// <summary>
/// The shape of a vector-valued method: it returns <c>void</c> and its last parameter, a <c>Span&lt;double&gt;</c> (or
/// <c>Span&lt;float&gt;</c>) passed by value, is its output <c>r</c>. Such a method gets <c>MVjp</c> and <c>MJacobian</c>
/// instead of <c>MGradient</c> (docs/jacobians-and-hessians.md). Anything void that misses this shape gets DIFF401.
/// </summary>
internal static class VectorSignature
{
    /// <summary>The output span of a vector-valued method; null when <paramref name="method"/> does not have that shape.</summary>
    public static IParameterSymbol? OutputSpan(IMethodSymbol method)
    {
        if (!method.ReturnsVoid || method.Parameters.Length == 0) return null;
        var last = method.Parameters[method.Parameters.Length - 1];
        return last.RefKind == RefKind.None && !last.IsParams && IsRealSpan(last.Type) ? last : null;
    }

    /// <summary>The element type of a <c>Span&lt;double&gt;</c> or <c>Span&lt;float&gt;</c>.</summary>
    public static SpecialType ElementType(ITypeSymbol span) => ((INamedTypeSymbol)span).TypeArguments[0].SpecialType;

    private static bool IsRealSpan(ITypeSymbol type) =>
        type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
        && named.ConstructedFrom.ToDisplayString() == "System.Span<T>"
        && named.TypeArguments[0].SpecialType is SpecialType.System_Double or SpecialType.System_Single;

    /// <summary>
    /// DIFF401 on a void method that is not vector-valued, saying what is missing: a span output elsewhere than last,
    /// one passed by <c>ref</c>/<c>out</c>, or none at all.
    /// </summary>
    public static void ReportNearMiss(IMethodSymbol method, MethodDeclarationSyntax syntax, ParseContext context)
    {
        var spans = method.Parameters.Where(p => IsRealSpan(p.Type)).ToList();
        var last = method.Parameters.LastOrDefault();
        string why = last is not null && IsRealSpan(last.Type) && last.RefKind != RefKind.None
                ? "its last parameter '" + last.Name + "' is passed by '" + last.RefKind.ToString().ToLowerInvariant() + "': pass the output span by value (a span already writes into the caller's memory)"
            : last is not null && IsRealSpan(last.Type) && last.IsParams ? "its last parameter '" + last.Name + "' is 'params': remove 'params'"
            : spans.Count > 0 ? "the span '" + spans[spans.Count - 1].Name + "' is not its last parameter: move the output span last"
            : "it has no Span<double> (or Span<float>) output: add one as the last parameter and write the values into it, or return a double";
        context.Report(D.VectorOutputMissing, syntax.ReturnType, method.Name, why);
    }
}
