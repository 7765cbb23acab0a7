using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using D = Differentiator.Generator.Diagnostics.DiagnosticDescriptors;

namespace Differentiator.Generator.Parsing;

/// <summary>
/// Reads a custom derivative, <c>[DerivativeOf(nameof(F))] static void FVjp(&lt;F's parameters&gt;, double resultBar,
/// &lt;F's gradient outputs&gt;)</c>: finds F in the same type and checks that FVjp's signature fits it (DIFF501–503).
/// The one table of custom derivatives is the compilation itself: a caller of F finds FVjp here
/// (<see cref="VjpOf"/>), as Clad finds a user's pullback by name.
/// </summary>
internal static class CustomDerivativeParser
{
    public const string AttributeName = "Differentiator.DerivativeOfAttribute";

    /// <summary>What the check of one <c>[DerivativeOf]</c> method found: the model (null when it does not fit) and why not.</summary>
    public sealed class Result
    {
        public CustomDerivativeModel? Model { get; set; }

        public List<Diagnostic> Diagnostics { get; } = new();

        /// <summary>The method it is the derivative of, when one was found.</summary>
        public IMethodSymbol? Function { get; set; }
    }

    /// <summary>
    /// For a call of <paramref name="function"/>: whether some method of its type says it is its derivative, and the
    /// name of the one that fits (null when those that claim it have errors of their own, reported on them).
    /// </summary>
    public static (bool Claimed, string? Vjp) VjpOf(IMethodSymbol function)
    {
        bool claimed = false;
        foreach (var candidate in function.ContainingType.GetMembers().OfType<IMethodSymbol>())
        {
            if (TargetName(candidate) != function.Name) continue;
            var result = Check(candidate);
            if (!SymbolEqualityComparer.Default.Equals(result.Function?.OriginalDefinition, function.OriginalDefinition)) continue;
            claimed = true;
            if (result.Model is not null) return (true, candidate.Name);
        }
        return (claimed, null);
    }

    /// <summary>The name the method's <c>[DerivativeOf]</c> gives; null without the attribute.</summary>
    private static string? TargetName(IMethodSymbol method) =>
        method.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == AttributeName) is { } attribute
            ? attribute.ConstructorArguments.FirstOrDefault().Value as string ?? ""
            : null;

    public static Result Check(IMethodSymbol vjp)
    {
        var result = new Result();
        string? name = TargetName(vjp);
        if (name is null) return result;
        var attributeSyntax = vjp.GetAttributes().First(a => a.AttributeClass?.ToDisplayString() == AttributeName).ApplicationSyntaxReference?.GetSyntax() as AttributeSyntax;
        var syntax = vjp.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<MethodDeclarationSyntax>().FirstOrDefault();
        if (syntax is null) return result;
        Location AtAttribute() => (attributeSyntax?.ArgumentList?.Arguments.FirstOrDefault() as SyntaxNode ?? attributeSyntax ?? (SyntaxNode)syntax).GetLocation();

        var candidates = vjp.ContainingType.GetMembers(name).OfType<IMethodSymbol>()
            .Where(f => f.IsStatic && !f.IsGenericMethod && f.MethodKind == MethodKind.Ordinary
                && f.ReturnType.SpecialType is SpecialType.System_Double or SpecialType.System_Single)
            .ToList();
        if (candidates.Count == 0)
        {
            result.Diagnostics.Add(Diagnostic.Create(D.CustomDerivativeTargetNotFound, AtAttribute(), name, vjp.ContainingType.Name, vjp.Name));
            return result;
        }
        // Among overloads, the one whose parameters FVjp repeats.
        var function = candidates.FirstOrDefault(f => f.Parameters.Length <= vjp.Parameters.Length
            && f.Parameters.Select((p, k) => SymbolEqualityComparer.Default.Equals(p.Type, vjp.Parameters[k].Type)).All(same => same)) ?? candidates[0];
        result.Function = function;
        if (CallParser.IsDifferentiable(function))
        {
            result.Diagnostics.Add(Diagnostic.Create(D.CustomDerivativeOfDifferentiable, AtAttribute(), function.Name, vjp.Name));
            return result;
        }

        var real = function.ReturnType.SpecialType;
        var parameters = new List<Parameter>();
        string? why = null;
        Location where = syntax.ParameterList.GetLocation();
        foreach (var p in function.Parameters)
        {
            var kind = SignatureParser.KindOf(p.Type, real);
            if (kind is null || p.RefKind != RefKind.None || p.IsParams)
            {
                why = "the parameter '" + p.Name + "' of '" + function.Name + "' is a '" + p.Type.ToDisplayString() + "'" + (p.RefKind != RefKind.None || p.IsParams ? " with a modifier" : "") + ", which a [Differentiable] caller cannot pass";
                break;
            }
            parameters.Add(new Parameter(p.Name, kind.Value, SignatureParser.DifferentiatedByDefault(kind.Value)));
        }
        string realName = real == SpecialType.System_Single ? "float" : "double";
        var expected = function.Parameters.Select(p => p.Type.ToDisplayString() + " " + p.Name)
            .Append(realName + " resultBar")
            .Concat(parameters.Where(p => p.Differentiated).Select(p => (p.IsArray ? "Span<" + realName + ">" : "out " + realName) + " d" + p.Name));
        why ??= SignatureMismatch(vjp, syntax, function, parameters, real, ref where);
        if (why is not null)
        {
            result.Diagnostics.Add(Diagnostic.Create(D.CustomDerivativeSignature, where, vjp.Name, function.Name, why, string.Join(", ", expected)));
            return result;
        }

        var containingTypes = new List<ContainingType>();
        foreach (var declaration in syntax.Ancestors().OfType<TypeDeclarationSyntax>())
        {
            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                result.Diagnostics.Add(Diagnostic.Create(D.TypeNotPartial, declaration.Identifier.GetLocation(), declaration.Identifier.Text, vjp.Name));
            string keyword = declaration is RecordDeclarationSyntax r ? (r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record") : declaration.Keyword.Text;
            string typeParameters = declaration.TypeParameterList is { } list ? "<" + string.Join(", ", list.Parameters.Select(t => (t.VarianceKeyword.IsKind(SyntaxKind.None) ? "" : t.VarianceKeyword.Text + " ") + t.Identifier.Text)) + ">" : "";
            containingTypes.Insert(0, new ContainingType(keyword, declaration.Identifier.Text + typeParameters, declaration.Modifiers.Any(SyntaxKind.StaticKeyword)));
        }
        if (result.Diagnostics.Count > 0) return result;
        result.Model = new CustomDerivativeModel(
            vjp.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
            containingTypes.ToEquatableArray(),
            MethodParser.HintName(vjp, ".DerivativeOf"),
            function.Name,
            vjp.Name,
            parameters.ToEquatableArray(),
            real == SpecialType.System_Single ? Precision.Single : Precision.Double);
        return result;
    }

    /// <summary>Why FVjp's own shape does not fit F (null when it does), and where to say so.</summary>
    private static string? SignatureMismatch(IMethodSymbol vjp, MethodDeclarationSyntax syntax, IMethodSymbol function, List<Parameter> parameters, SpecialType real, ref Location where)
    {
        if (!vjp.IsStatic) { where = syntax.Identifier.GetLocation(); return "it is not static"; }
        if (!vjp.ReturnsVoid) { where = syntax.ReturnType.GetLocation(); return "it returns '" + vjp.ReturnType.ToDisplayString() + "', not void"; }
        if (vjp.IsGenericMethod) { where = syntax.Identifier.GetLocation(); return "it is generic"; }
        // Callers' generated gradients call FVjp wherever they may call F.
        if (function.DeclaredAccessibility != Accessibility.Private && vjp.DeclaredAccessibility < function.DeclaredAccessibility)
        {
            where = syntax.Identifier.GetLocation();
            return "it is less accessible than '" + function.Name + "', whose callers' gradients call it; make it " + SyntaxFacts.GetText(function.DeclaredAccessibility);
        }
        var outputs = parameters.Where(p => p.Differentiated).ToList();
        int expected = function.Parameters.Length + 1 + outputs.Count;
        if (vjp.Parameters.Length != expected)
            return "it has " + vjp.Parameters.Length + " parameters, and " + expected + " are needed: the " + function.Parameters.Length + " of '" + function.Name + "', resultBar, and one output per differentiated parameter";
        for (int k = 0; k < vjp.Parameters.Length; k++)
        {
            var p = vjp.Parameters[k];
            var pSyntax = k < syntax.ParameterList.Parameters.Count ? syntax.ParameterList.Parameters[k] : null;
            string? problem;
            if (k < function.Parameters.Length)
                problem = SymbolEqualityComparer.Default.Equals(p.Type, function.Parameters[k].Type) && p.RefKind == RefKind.None ? null
                    : "its parameter '" + p.Name + "' must be '" + function.Parameters[k].Type.ToDisplayString() + "', as the parameter '" + function.Parameters[k].Name + "' of '" + function.Name + "'";
            else if (k == function.Parameters.Length)
                problem = p.Type.SpecialType == real && p.RefKind == RefKind.None ? null
                    : "its parameter '" + p.Name + "' must be the seed, '" + (real == SpecialType.System_Single ? "float" : "double") + " resultBar'";
            else
            {
                var output = outputs[k - function.Parameters.Length - 1];
                bool fits = output.IsArray
                    ? p.RefKind == RefKind.None && SignatureParser.KindOf(p.Type, real) == ParameterKind.DoubleSpan
                    : p.RefKind == RefKind.Out && p.Type.SpecialType == real;
                problem = fits ? null : "its parameter '" + p.Name + "' must receive the derivative with respect to '" + output.Name + "', as " + (output.IsArray ? "a Span" : "an out parameter");
            }
            if (problem is null) continue;
            if (pSyntax is not null) where = pSyntax.GetLocation();
            return problem;
        }
        return null;
    }
}
