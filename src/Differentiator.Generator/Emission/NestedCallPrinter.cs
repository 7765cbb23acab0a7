using System.Linq;
using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Emission;

/// <summary>
/// Prints a nested derivative call (<see cref="NestedDerivative"/>): as written in the closed form
/// (<c>NGradient(a…, out _, out double gy)</c>, <c>NPushforward(a…, u…, out t)</c>), and on the tape as a node whose
/// partials the runtime takes by central differences of the callee's <c>NTapeGradient</c>
/// (<c>Tape.GradientComponent</c>, <c>Tape.Pushforward</c>), so that <c>MTapeGradient</c> shares nothing with the
/// Hessian-vector products <c>MGradient</c> calls.
/// </summary>
internal static class NestedCallPrinter
{
    private const string Point = "__point";
    private const string GradientOut = "__gradient";

    /// <param name="declaration">The target's type and a space when this statement declares it, else empty.</param>
    public static string Print(CallAssign c, NestedDerivative nested, ExpressionPrinter e, bool tape, string declaration)
    {
        var parameters = c.Callee.Parameters;
        int n = parameters.Count;
        var values = c.Arguments.Take(n).Select(e.Print).ToList();
        var differentiated = Enumerable.Range(0, n).Where(k => parameters[k].Differentiated).ToList();
        if (tape) return declaration + c.Target + " = " + TapeNode(c, nested, e, values, differentiated) + ";";
        if (nested.Kind == NestedKind.Pushforward)
            return StatementPrinter.Callee(c.Callee, "Pushforward") + "(" + string.Join(", ", values.Concat(c.Arguments.Skip(n).Select(e.Print)))
                + ", out " + declaration + c.Target + ");";
        var outputs = differentiated.Select(k => k == nested.Parameter ? "out " + declaration + c.Target : "out _");
        return StatementPrinter.Callee(c.Callee, "Gradient") + "(" + string.Join(", ", values.Concat(outputs)) + ");";
    }

    /// <summary>Components of one call (<see cref="Analysis.NestedCalls"/>): <c>NGradient(a…, out double gx, out _, out double gy)</c>.</summary>
    public static string PrintComponents(System.Collections.Generic.IReadOnlyList<CallAssign> run, ExpressionPrinter e, System.Func<CallAssign, string> declaration)
    {
        var first = run[0];
        var parameters = first.Callee.Parameters;
        var values = first.Arguments.Take(parameters.Count).Select(e.Print);
        var outputs = Enumerable.Range(0, parameters.Count).Where(k => parameters[k].Differentiated)
            .Select(k => run.FirstOrDefault(c => c.Nested!.Parameter == k) is { } c ? "out " + declaration(c) + c.Target : "out _");
        return StatementPrinter.Callee(first.Callee, "Gradient") + "(" + string.Join(", ", values.Concat(outputs.ToList())) + ");";
    }

    private const string Data = "__data";

    /// <summary>
    /// The tape node. Its point is N's scalar arguments; N's data arrays (never differentiated, Parsing/NestedCallParser.cs)
    /// go to the runtime as copies (<c>double[][]</c>, since a lambda cannot capture a span) and back to N's tape gradient.
    /// </summary>
    private static string TapeNode(CallAssign c, NestedDerivative nested, ExpressionPrinter e, System.Collections.Generic.List<string> values, System.Collections.Generic.List<int> differentiated)
    {
        var parameters = c.Callee.Parameters;
        var scalars = Enumerable.Range(0, values.Count).Where(k => !parameters[k].IsArray).ToList();
        var arrays = Enumerable.Range(0, values.Count).Where(k => parameters[k].IsArray).ToList();
        string point = "new global::Differentiator.Value[] { " + string.Join(", ", scalars.Select(k => values[k])) + " }";
        // ∇N by the tape, into the runtime's span: the callee's differentiated parameters' partials, 0 for the others.
        var arguments = Enumerable.Range(0, values.Count).Select(k => parameters[k].IsArray ? Data + "[" + arrays.IndexOf(k) + "]" : Point + "[" + scalars.IndexOf(k) + "]")
            .Concat(differentiated.Select(k => "out " + GradientOut + "[" + scalars.IndexOf(k) + "]"));
        string gradient = "(" + Point + (arrays.Count > 0 ? ", " + Data : "") + ", " + GradientOut + ") => { " + GradientOut + ".Clear(); "
            + StatementPrinter.Callee(c.Callee, "TapeGradient") + "(" + string.Join(", ", arguments) + "); }";
        string data = arrays.Count == 0 ? ""
            : "new double[][] { " + string.Join(", ", arrays.Select(k => "((global::System.ReadOnlySpan<double>)" + values[k] + ").ToArray()")) + " }, ";
        if (nested.Kind == NestedKind.GradientComponent)
            return "global::Differentiator.Tape.GradientComponent(" + point + ", " + scalars.IndexOf(nested.Parameter) + ", " + data + gradient + ")";
        var tangents = c.Arguments.Skip(values.Count).Select(e.Print).ToList();
        var direction = scalars.Select(k => differentiated.IndexOf(k) is var j and >= 0 ? tangents[j] : "0");
        return "global::Differentiator.Tape.Pushforward(" + point + ", new global::Differentiator.Value[] { " + string.Join(", ", direction) + " }, " + data + gradient + ")";
    }
}
