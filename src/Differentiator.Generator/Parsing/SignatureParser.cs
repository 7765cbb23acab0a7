using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using D = Differentiator.Generator.Diagnostics.DiagnosticDescriptors;

namespace Differentiator.Generator.Parsing;

/// <summary>The method's signature: parameter kinds, which ones the attribute differentiates, and what is wrong with them.</summary>
internal static class SignatureParser
{
    /// <summary>
    /// The kind of a parameter of type <paramref name="type"/> in a method whose real type is <paramref name="real"/>
    /// (<c>double</c> or <c>float</c>): the kinds name shapes (scalar, array, span), and the method's precision the element type.
    /// </summary>
    public static ParameterKind? KindOf(ITypeSymbol type, SpecialType real)
    {
        switch (type)
        {
            case { SpecialType: var scalar } when scalar == real: return ParameterKind.Double;
            case { SpecialType: SpecialType.System_Int32 }: return ParameterKind.Int;
            case IArrayTypeSymbol { Rank: 1, ElementType: IArrayTypeSymbol { Rank: 1 } row } when row.ElementType.SpecialType == real:
                return ParameterKind.DoubleJagged;
            case IArrayTypeSymbol array when array.ElementType.SpecialType == real:
                return array.Rank switch { 1 => ParameterKind.DoubleArray, 2 => ParameterKind.DoubleArray2D, _ => null };
            case IArrayTypeSymbol array when array.ElementType.SpecialType == SpecialType.System_Int32:
                return array.Rank switch { 1 => ParameterKind.IntArray, 2 => ParameterKind.IntArray2D, _ => null };
            case INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named when named.TypeArguments[0].SpecialType == real:
                return named.ConstructedFrom.ToDisplayString() switch
                {
                    "System.Span<T>" => ParameterKind.DoubleSpan,
                    "System.ReadOnlySpan<T>" => ParameterKind.ReadOnlyDoubleSpan,
                    _ => null,
                };
            case INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named when named.TypeArguments[0].SpecialType == SpecialType.System_Int32:
                return named.ConstructedFrom.ToDisplayString() switch
                {
                    "System.Span<T>" => ParameterKind.IntSpan,
                    "System.ReadOnlySpan<T>" => ParameterKind.ReadOnlyIntSpan,
                    _ => null,
                };
            default: return null;
        }
    }

    /// <summary>What a parameter named in the attribute may be: any floating-point kind (a matrix too), not an int.</summary>
    public static bool CanDifferentiate(ParameterKind kind) => kind is not (ParameterKind.Int or ParameterKind.Output) && !Parameter.IsIntArrayKind(kind);

    /// <summary>
    /// What <c>[Differentiable]</c> without names differentiates: scalars, arrays and spans. Matrices (<c>double[,]</c>,
    /// <c>double[][]</c>) are usually data (the X of y = Xw + b), so they are differentiated only when named.
    /// </summary>
    public static bool DifferentiatedByDefault(ParameterKind kind) => kind is ParameterKind.Double or ParameterKind.DoubleArray or ParameterKind.DoubleSpan or ParameterKind.ReadOnlyDoubleSpan;

    /// <summary>The names given to the attribute (empty: differentiate every floating-point parameter).</summary>
    public static HashSet<string> DifferentiatedNames(IMethodSymbol method)
    {
        var attribute = method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == DifferentiatorGenerator.AttributeName);
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        if (attribute is null) return names;
        foreach (var v in attribute.ConstructorArguments.SelectMany(Flatten))
        {
            if (v.Value is string s) names.Add(s);
        }
        return names;
    }

    /// <summary>
    /// The elements of the params array, or the one argument. <c>[Differentiable(null)]</c> passes a null array, whose
    /// <see cref="TypedConstant.Values"/> is a default ImmutableArray: it means no names, as the attribute's constructor reads it.
    /// </summary>
    private static IEnumerable<TypedConstant> Flatten(TypedConstant argument) =>
        argument.Kind != TypedConstantKind.Array ? new[] { argument }
        : argument.IsNull ? Enumerable.Empty<TypedConstant>()
        : argument.Values;

    /// <summary>Parameters with their kinds and differentiated flags; reports bad types, modifiers and attribute names.</summary>
    public static List<Parameter> Parameters(IMethodSymbol method, MethodDeclarationSyntax syntax, ParseContextSink diagnostics)
    {
        var result = new List<Parameter>();
        var named = DifferentiatedNames(method);
        var output = VectorSignature.OutputSpan(method);
        for (int k = 0; k < method.Parameters.Length; k++)
        {
            var p = method.Parameters[k];
            var parameterSyntax = k < syntax.ParameterList.Parameters.Count ? syntax.ParameterList.Parameters[k] : null;
            if (p.RefKind != RefKind.None || p.IsParams)
            {
                string modifier = p.IsParams ? "params" : p.RefKind.ToString().ToLowerInvariant().Replace("refreadonlyparameter", "ref readonly");
                if (parameterSyntax is not null) diagnostics.Report(D.UnsupportedParameterModifier, parameterSyntax, p.Name, modifier);
            }
            var kind = KindOf(p.Type, diagnostics.RealType);
            if (kind is null)
            {
                if (p.Type.TypeKind == TypeKind.Error) diagnostics.Broken();
                else if (parameterSyntax?.Type is { } mixed && KindOf(p.Type, OtherReal(diagnostics.RealType)) is not null)
                    diagnostics.ReportMixedPrecision(mixed, "Parameter '" + p.Name + "' of type '" + p.Type.ToDisplayString() + "'");
                else if (parameterSyntax?.Type is { } typeSyntax) diagnostics.Report(D.UnsupportedParameterType, typeSyntax, p.Name, p.Type.ToDisplayString());
                diagnostics.Reported(p); // its uses in the body would only repeat this
                continue;
            }
            if (SymbolEqualityComparer.Default.Equals(p, output)) kind = ParameterKind.Output; // written, neither data nor differentiated
            bool differentiated = named.Count == 0 ? DifferentiatedByDefault(kind.Value) : named.Contains(p.Name);
            if (output is not null && differentiated && kind is ParameterKind.DoubleArray2D or ParameterKind.DoubleJagged)
            {
                // The Jacobian has one column per element of a differentiated parameter: a matrix would need a 3-D output.
                if (parameterSyntax is not null)
                    diagnostics.Report(D.ParameterNotDifferentiable, parameterSyntax, p.Name, p.Type.ToDisplayString(),
                        "a vector-valued method's Jacobian has one column per element of a differentiated parameter, so it takes flat ones: pass the matrix as a flat double[] or span, or as data");
                differentiated = false;
            }
            var parameter = new Parameter(p.Name, kind.Value, differentiated && CanDifferentiate(kind.Value));
            if (parameterSyntax is not null) diagnostics.Remember(parameter, parameterSyntax.Identifier);
            result.Add(parameter);
        }
        CheckAttributeNames(method, named, result, diagnostics);
        return result;
    }

    private static void CheckAttributeNames(IMethodSymbol method, HashSet<string> named, List<Parameter> parameters, ParseContextSink diagnostics)
    {
        if (named.Count == 0) return;
        var attribute = method.GetAttributes().First(a => a.AttributeClass?.ToDisplayString() == DifferentiatorGenerator.AttributeName);
        var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax() as AttributeSyntax;
        var arguments = attributeSyntax?.ArgumentList?.Arguments;
        var names = DifferentiatedNamesInOrder(attribute);
        for (int k = 0; k < names.Count; k++)
        {
            SyntaxNode where = arguments is { } list && list.Count == names.Count ? list[k] : (SyntaxNode?)attributeSyntax ?? method.DeclaringSyntaxReferences[0].GetSyntax();
            var parameter = method.Parameters.FirstOrDefault(p => p.Name == names[k]);
            if (parameter is null)
            {
                diagnostics.Report(D.UnknownParameter, where, names[k], method.Name);
                continue;
            }
            if (SymbolEqualityComparer.Default.Equals(parameter, VectorSignature.OutputSpan(method)))
            {
                diagnostics.Report(D.ParameterNotDifferentiable, where, parameter.Name, parameter.Type.ToDisplayString(),
                    "it is the output of the vector-valued method '" + method.Name + "': its Jacobian is taken of it, not with respect to it");
                continue;
            }
            var kind = KindOf(parameter.Type, diagnostics.RealType);
            if (kind is { } known && !CanDifferentiate(known))
            {
                diagnostics.Report(D.ParameterNotDifferentiable, where, parameter.Name, parameter.Type.ToDisplayString(), "int values carry no derivative");
            }
        }
    }

    public static SpecialType OtherReal(SpecialType real) => real == SpecialType.System_Single ? SpecialType.System_Double : SpecialType.System_Single;

    private static List<string> DifferentiatedNamesInOrder(AttributeData attribute) =>
        attribute.ConstructorArguments
            .SelectMany(Flatten)
            .Select(v => v.Value as string ?? "")
            .ToList();
}

/// <summary>Where signature checks report to (the parse context, before any body is read).</summary>
internal interface ParseContextSink
{
    void Report(DiagnosticDescriptor descriptor, SyntaxNode node, params string[] args);

    void Broken();

    /// <summary>A declaration whose diagnostic is given: none on the code that uses it.</summary>
    void Reported(ISymbol symbol);

    void Remember(object item, SyntaxToken token);

    /// <summary>The method's real type: <c>double</c>, or <c>float</c> when it returns float.</summary>
    SpecialType RealType { get; }

    void ReportMixedPrecision(SyntaxNode node, string what);
}
