using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Differentiator.Generator.Tests.Infrastructure;

/// <summary>
/// The adapter of a vector-valued method (<see cref="Adapters"/>): array-taking wrappers of M, MVjp, MJacobian,
/// MTapeJacobian and MNumericalJacobian. Outputs travel as objects: for MVjp as for MGradient (a scalar's in a
/// one-element array); for the Jacobians a matrix per array parameter and an array (one per row of r) per scalar.
/// </summary>
internal static class VectorAdapters
{
    public static string Adapter(IMethodSymbol method, AttributeData attribute)
    {
        var named = attribute.ConstructorArguments.SelectMany(a => a.Kind == TypedConstantKind.Array ? (IEnumerable<TypedConstant>)a.Values : new[] { a }).Select(v => v.Value as string).Where(v => v is not null).ToHashSet();
        var output = method.Parameters[^1];
        string real = output.Type.ToDisplayString() == "System.Span<float>" ? "float" : "double";
        bool IsFloating(IParameterSymbol p) => !SymbolEqualityComparer.Default.Equals(p, output) && (p.Type.ToDisplayString() == real || p.Type.ToDisplayString() == real + "[]"
            || p.Type.ToDisplayString() == "System.Span<" + real + ">" || p.Type.ToDisplayString() == "System.ReadOnlySpan<" + real + ">");
        var differentiated = method.Parameters.Where(p => named.Count == 0 ? IsFloating(p) : named.Contains(p.Name)).ToList();
        string type = method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        string ArrayType(IParameterSymbol p) => p.Type.ToDisplayString() switch
        {
            "System.Span<double>" or "System.ReadOnlySpan<double>" => "double[]",
            "System.Span<float>" or "System.ReadOnlySpan<float>" => "float[]",
            var other => other,
        };
        string parameters = string.Join(", ", method.Parameters.Select(p => ArrayType(p) + " " + p.Name));
        string args = string.Join(", ", method.Parameters.Select(p => p.Name));
        bool Scalar(IParameterSymbol p) => p.Type.ToDisplayString() == real;
        string VjpOutput(IParameterSymbol p, int k) => Scalar(p) ? "out ((" + real + "[])g[" + k + "])[0]" : "(" + real + "[])g[" + k + "]";
        string JacobianOutput(IParameterSymbol p, int k) => Scalar(p) ? "(" + real + "[])g[" + k + "]" : "(" + real + "[,])g[" + k + "]";

        var sb = new StringBuilder();
        sb.Append("public static class ").Append(Adapters.AdapterName(method.ContainingType.ToDisplayString(), method.Name)).Append(" {\n");
        sb.Append("  public static bool Single => ").Append(real == "float" ? "true" : "false").Append(";\n");
        sb.Append("  public static string[] Differentiated => new[] {").Append(string.Join(", ", differentiated.Select(p => "\"" + p.Name + "\""))).Append("};\n");
        sb.Append("  public static void Value(").Append(parameters).Append(") => ").Append(type).Append('.').Append(method.Name).Append('(').Append(args).Append(");\n");
        sb.Append("  public static void Vjp(").Append(parameters).Append(", ").Append(real).Append("[] rBar__, object[] g) => ").Append(type).Append('.').Append(method.Name)
          .Append("Vjp(").Append(args).Append(", rBar__").Append(string.Concat(differentiated.Select((p, k) => ", " + VjpOutput(p, k)))).Append(");\n");
        foreach (var kind in new[] { "Jacobian", "TapeJacobian", "NumericalJacobian" })
        {
            sb.Append("  public static void ").Append(kind).Append('(').Append(parameters).Append(", object[] g) => ").Append(type).Append('.').Append(method.Name).Append(kind)
              .Append('(').Append(args).Append(string.Concat(differentiated.Select((p, k) => ", " + JacobianOutput(p, k)))).Append(");\n");
        }
        return sb.Append("}\n").ToString();
    }
}
