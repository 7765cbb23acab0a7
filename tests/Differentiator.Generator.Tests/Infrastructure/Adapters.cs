using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Differentiator.Generator.Tests.Infrastructure;

/// <summary>
/// Writes, for each [Differentiable] method, a static class with array-taking wrappers of M, MGradient,
/// MTapeGradient and MNumericalGradient (reflection cannot pass spans). Outputs are passed in as objects: arrays
/// (a scalar output is an array of length 1), or matrices of the parameter's shape.
/// </summary>
internal static class Adapters
{
    /// <summary>A void method whose last parameter is a span of reals: it gets MVjp and MJacobian instead of MGradient.</summary>
    public static bool IsVectorValued(IMethodSymbol method) =>
        method.ReturnsVoid && method.Parameters.Length > 0 && method.Parameters[^1].Type.ToDisplayString() is "System.Span<double>" or "System.Span<float>";

    public static string AdapterName(string typeName, string methodName) => typeName.Replace('.', '_').Replace('+', '_') + "__" + methodName;

    public static string For(Compilation compilation)
    {
        var text = new StringBuilder("namespace TestAdapters {\n");
        foreach (var tree in compilation.SyntaxTrees.Where(t => !t.FilePath.EndsWith(".g.cs")))
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>())
            {
                if (model.GetDeclaredSymbol(declaration) is not IMethodSymbol method) continue;
                var attribute = method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == "Differentiator.DifferentiableAttribute");
                if (attribute is null || !method.IsStatic) continue;
                text.Append(Adapter(method, attribute));
            }
        }
        return text.Append("}\n").ToString();
    }

    private static string Adapter(IMethodSymbol method, AttributeData attribute)
    {
        if (IsVectorValued(method)) return VectorAdapters.Adapter(method, attribute);
        var named = attribute.ConstructorArguments.SelectMany(a => a.Kind == TypedConstantKind.Array ? (IEnumerable<TypedConstant>)a.Values : new[] { a }).Select(v => v.Value as string).Where(v => v is not null).ToHashSet();
        // A method that returns float computes in float: its real parameters and outputs are floats.
        string real = method.ReturnType.SpecialType == SpecialType.System_Single ? "float" : "double";
        bool IsFloating(IParameterSymbol p) => p.Type.ToDisplayString() == real || p.Type.ToDisplayString() == real + "[]"
            || p.Type.ToDisplayString() == "System.Span<" + real + ">" || p.Type.ToDisplayString() == "System.ReadOnlySpan<" + real + ">";
        var differentiated = method.Parameters.Where(p => named.Count == 0 ? IsFloating(p) : named.Contains(p.Name)).ToList();
        string type = method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        string ArrayType(IParameterSymbol p) => p.Type.ToDisplayString() switch
        {
            "System.Span<double>" or "System.ReadOnlySpan<double>" => "double[]",
            "System.Span<float>" or "System.ReadOnlySpan<float>" => "float[]",
            "System.Span<int>" or "System.ReadOnlySpan<int>" => "int[]",
            _ when p.Type is IArrayTypeSymbol { Rank: 2, ElementType.SpecialType: SpecialType.System_Int32 } => "int[,]",
            _ when p.Type is IArrayTypeSymbol { Rank: 2 } => real + "[,]",
            var other => other,
        };
        string parameters = string.Join(", ", method.Parameters.Select(p => ArrayType(p) + " " + p.Name));
        string args = string.Join(", ", method.Parameters.Select(p => p.Name));
        // Outputs travel as objects: a scalar as a one-element array, arrays and matrices as themselves (spans from arrays).
        string Output(IParameterSymbol p, int k) =>
            p.Type.ToDisplayString() == real ? "out ((" + real + "[])g[" + k + "])[0]"
            : p.Type is IArrayTypeSymbol { Rank: 2 } ? "(" + real + "[,])g[" + k + "]"
            : p.Type is IArrayTypeSymbol { ElementType: IArrayTypeSymbol } ? "(" + real + "[][])g[" + k + "]"
            : "(" + real + "[])g[" + k + "]";
        string outputs = string.Join("", differentiated.Select((p, k) => ", " + Output(p, k)));

        var sb = new StringBuilder();
        sb.Append("public static class ").Append(AdapterName(method.ContainingType.ToDisplayString(), method.Name)).Append(" {\n");
        sb.Append("  public static bool Single => ").Append(real == "float" ? "true" : "false").Append(";\n");
        sb.Append("  public static string[] Differentiated => new[] {").Append(string.Join(", ", differentiated.Select(p => "\"" + p.Name + "\""))).Append("};\n");
        sb.Append("  public static double Value(").Append(parameters).Append(") => ").Append(type).Append('.').Append(method.Name).Append('(').Append(args).Append(");\n");
        foreach (var kind in new[] { "Gradient", "TapeGradient", "NumericalGradient" })
        {
            sb.Append("  public static double ").Append(kind).Append('(').Append(parameters).Append(parameters.Length > 0 ? ", " : "").Append("object[] g) => ")
              .Append(type).Append('.').Append(method.Name).Append(kind).Append('(').Append(args).Append(outputs).Append(");\n");
        }
        ShortRuns(sb, method, type, parameters, args + outputs);
        ForwardMembers(sb, method, type, parameters, args, outputs, differentiated, real);
        return sb.Append("}\n").ToString();
    }

    /// <summary>
    /// <c>ShortRunsGradient</c>: the private <c>MGradient__ShortRuns</c>, when the generator wrote one, called
    /// through a delegate of its exact signature (reflection's Invoke cannot pass spans). It computes the gradient
    /// at any length, so tests check it beside <c>MGradient</c> at lengths <c>MGradient</c> keeps to itself.
    /// </summary>
    private static void ShortRuns(StringBuilder sb, IMethodSymbol method, string type, string wrapperParameters, string arguments)
    {
        var version = method.ContainingType.GetMembers(method.Name + "Gradient__ShortRuns").OfType<IMethodSymbol>().SingleOrDefault();
        sb.Append("  public static bool HasShortRuns => ").Append(version is null ? "false" : "true").Append(";\n");
        if (version is null) return;
        string Type(ITypeSymbol t) => t.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        string parameters = string.Join(", ", version.Parameters.Select(p => (p.RefKind == RefKind.Out ? "out " : "") + Type(p.Type) + " " + p.Name));
        sb.Append("  private delegate ").Append(Type(version.ReturnType)).Append(" ShortRunsDelegate(").Append(parameters).Append(");\n");
        sb.Append("  private static readonly ShortRunsDelegate ShortRunsVersion = typeof(").Append(type).Append(").GetMethod(\"").Append(version.Name)
          .Append("\", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.CreateDelegate<ShortRunsDelegate>();\n");
        sb.Append("  public static double ShortRunsGradient(").Append(wrapperParameters).Append(wrapperParameters.Length > 0 ? ", " : "").Append("object[] g")
          .Append(") => ShortRunsVersion(").Append(arguments).Append(");\n");
    }

    /// <summary>
    /// Wrappers of <c>MPushforward</c>, <c>MHessianVectorProduct</c>, <c>MHessian</c> and <c>MNumericalHessian</c>, for the
    /// members the generator wrote: tangents travel as objects like outputs (a scalar's as a one-element array), the
    /// pushforward's tangent comes back in <c>r[0]</c>, Hessian blocks as matrices.
    /// </summary>
    private static void ForwardMembers(StringBuilder sb, IMethodSymbol method, string type, string parameters, string args, string outputs, List<IParameterSymbol> differentiated, string real)
    {
        bool Has(string suffix) => !method.ContainingType.GetMembers(method.Name + suffix).IsEmpty;
        string Tangent(IParameterSymbol p, int k) =>
            p.Type.ToDisplayString() == real ? "((" + real + "[])t__[" + k + "])[0]"
            : p.Type is IArrayTypeSymbol { Rank: 2 } ? "(" + real + "[,])t__[" + k + "]"
            : p.Type is IArrayTypeSymbol { ElementType: IArrayTypeSymbol } ? "(" + real + "[][])t__[" + k + "]"
            : "(" + real + "[])t__[" + k + "]";
        string tangents = string.Join("", differentiated.Select((p, k) => ", " + Tangent(p, k)));
        string separator = parameters.Length > 0 ? ", " : "";
        sb.Append("  public static bool HasPushforward => ").Append(Has("Pushforward") ? "true" : "false").Append(";\n");
        sb.Append("  public static bool HasHessianVectorProduct => ").Append(Has("HessianVectorProduct") ? "true" : "false").Append(";\n");
        sb.Append("  public static bool HasHessian => ").Append(Has("Hessian") ? "true" : "false").Append(";\n");
        if (Has("Pushforward"))
            sb.Append("  public static double Pushforward(").Append(parameters).Append(separator).Append("object[] t__, double[] r__) { double value__ = ")
              .Append(type).Append('.').Append(method.Name).Append("Pushforward(").Append(args).Append(tangents).Append(", out ").Append(real).Append(" tangent__); r__[0] = tangent__; return value__; }\n");
        if (Has("HessianVectorProduct"))
            sb.Append("  public static double HessianVectorProduct(").Append(parameters).Append(separator).Append("object[] t__, object[] g) => ")
              .Append(type).Append('.').Append(method.Name).Append("HessianVectorProduct(").Append(args).Append(tangents).Append(outputs).Append(");\n");
        int pairs = differentiated.Count * differentiated.Count;
        string blocks = string.Join("", Enumerable.Range(0, pairs).Select(k => ", (" + real + "[,])h__[" + k + "]"));
        foreach (var kind in new[] { "Hessian", "NumericalHessian" })
        {
            if (!Has(kind)) continue;
            sb.Append("  public static double ").Append(kind).Append('(').Append(parameters).Append(separator).Append("object[] h__) => ")
              .Append(type).Append('.').Append(method.Name).Append(kind).Append('(').Append(args).Append(blocks).Append(");\n");
        }
    }
}
