using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;

namespace Differentiator.Generator.Formulas;

/// <summary>The readable formulas of a method and of its partial derivatives, or null when it has no closed form.</summary>
internal sealed record Formulas(string Function, IReadOnlyList<(string Parameter, string Derivative)> Partials);

internal static class FormulaBuilder
{
    public static Formulas? Build(LoweredMethod method)
    {
        var term = SymbolicEvaluator.Evaluate(method);
        if (term is null) return null;
        string name = method.Method.Name;
        var partials = new List<(string, string)>();
        foreach (var p in method.Method.Parameters.Where(p => p.Differentiated))
        {
            string? index = p.IsArray ? IndexName(method.Method.Body, p.Name) : null;
            var derivative = new SymbolicDerivative(p.Name, index).Differentiate(term);
            string wrt = p.IsArray ? p.Name + "[" + index + "]" : p.Name;
            partials.Add((p.Name, "∂" + name + "/∂" + wrt + " = " + FormulaPrinter.Print(derivative)));
        }
        return new Formulas(name + " = " + FormulaPrinter.Print(new SymbolicDerivative("", null).Function(term)), partials);
    }

    /// <summary>The counter that indexes the array in the source (<c>j</c> for <c>w[j]</c>), so the formula reads like the code.</summary>
    private static string IndexName(Block body, string array)
    {
        foreach (var s in StatementWalker.Flatten(body))
        {
            foreach (var e in Differentiation.ReverseModeBuilder.StatementExpressions(s))
            {
                var found = FindIndex(e, array);
                if (found is not null) return found;
            }
        }
        return "k";
    }

    private static string? FindIndex(Expr e, string array)
    {
        if (e is ElementRef el && el.Array == array && el.Indices.Count == 1 && el.Indices[0] is VarRef v) return v.Name;
        return ExprWalker.Children(e).Select(c => FindIndex(c, array)).FirstOrDefault(x => x is not null);
    }
}
