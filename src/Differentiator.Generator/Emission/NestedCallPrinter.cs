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
    /// <param name="onTape">Whether an array, by name, holds tape values in the tape's dialect (a local array, a differentiated parameter).</param>
    public static string Print(CallAssign c, NestedDerivative nested, ExpressionPrinter e, bool tape, string declaration, System.Func<string, bool> onTape)
    {
        var parameters = c.Callee.Parameters;
        int n = parameters.Count;
        var values = c.Arguments.Take(n).Select(e.Print).ToList();
        var differentiated = Enumerable.Range(0, n).Where(k => parameters[k].Differentiated).ToList();
        if (tape && differentiated.Any(k => parameters[k].IsArray)) return SpanTapeNode(c, nested, e, declaration, onTape);
        if (tape) return declaration + c.Target + " = " + TapeNode(c, nested, e, values, differentiated) + ";";
        if (nested.Kind == NestedKind.Pushforward)
            return StatementPrinter.Callee(c.Callee, "Pushforward") + "(" + string.Join(", ", values.Concat(c.Arguments.Skip(n).Select(e.Print)))
                + ", out " + declaration + c.Target + ");";
        return GradientCall(c, values, k => k == nested.Parameter ? c : null, _ => declaration);
    }

    /// <summary>Components of one call (<see cref="Analysis.NestedCalls"/>): <c>NGradient(a…, out double gx, out _, out double gy)</c>.</summary>
    public static string PrintComponents(System.Collections.Generic.IReadOnlyList<CallAssign> run, ExpressionPrinter e, System.Func<CallAssign, string> declaration)
    {
        var first = run[0];
        var values = first.Arguments.Take(first.Callee.Parameters.Count).Select(e.Print).ToList();
        return GradientCall(first, values, k => run.FirstOrDefault(c => c.Nested!.Parameter == k), declaration);
    }

    private const string Discarded = "__discarded";

    /// <summary>
    /// <c>NGradient(a…, g…)</c> with the outputs of the parameters whose component is computed (<paramref name="component"/>,
    /// by parameter number): <c>out double gx</c> for a scalar, the local array for a span; the others discarded —
    /// <c>out _</c>, or, for a span, a rented buffer given back after the call (the whole line then a block).
    /// </summary>
    private static string GradientCall(CallAssign first, System.Collections.Generic.List<string> values, System.Func<int, CallAssign?> component, System.Func<CallAssign, string> declaration)
    {
        var parameters = first.Callee.Parameters;
        var discarded = new System.Collections.Generic.List<(string Name, string Length)>();
        var outputs = Enumerable.Range(0, parameters.Count).Where(k => parameters[k].Differentiated).Select(k =>
        {
            if (component(k) is { } c) return parameters[k].IsArray ? c.Target : "out " + declaration(c) + c.Target;
            if (!parameters[k].IsArray) return "out _";
            string name = Discarded + "_" + parameters[k].Name;
            discarded.Add((name, values[k]));
            return "global::System.MemoryExtensions.AsSpan(" + name + ", 0, " + values[k] + ".Length)";
        }).ToList();
        string call = StatementPrinter.Callee(first.Callee, "Gradient") + "(" + string.Join(", ", values.Concat(outputs)) + ");";
        if (discarded.Count == 0) return call;
        const string pool = "global::System.Buffers.ArrayPool<double>.Shared";
        return "{ " + string.Concat(discarded.Select(d => "double[] " + d.Name + " = " + pool + ".Rent(" + d.Length + ".Length); ")) + call
            + string.Concat(discarded.Select(d => " " + pool + ".Return(" + d.Name + ");")) + " }";
    }

    private const string Arguments = "__arguments";

    /// <summary>
    /// The tape node of a call whose callee differentiates a span (<c>Tape.GradientComponents</c> into the whole local
    /// array, <c>Tape.GradientComponent</c> for a scalar component): N's arguments go to the runtime one array of
    /// values per parameter (a scalar as one value, data as constants), and back to N's tape gradient as doubles.
    /// </summary>
    private static string SpanTapeNode(CallAssign c, NestedDerivative nested, ExpressionPrinter e, string declaration, System.Func<string, bool> onTape)
    {
        const string value = "global::Differentiator.Value";
        var parameters = c.Callee.Parameters;
        int n = parameters.Count;
        string Segment(Expr argument) => argument is ArrayRef array
            ? onTape(array.Array) ? "((global::System.ReadOnlySpan<" + value + ">)" + array.Array + ").ToArray()" : "global::Differentiator.Tape.Constants(" + array.Array + ")"
            : "new " + value + "[] { " + e.Print(argument) + " }";
        var segments = Enumerable.Range(0, n).Select(k => Segment(c.Arguments[k]));
        var arguments = Enumerable.Range(0, n).Select(k => Arguments + "[" + k + "]" + (parameters[k].IsArray ? "" : "[0]"))
            .Concat(Enumerable.Range(0, n).Where(k => parameters[k].Differentiated).Select(k => parameters[k].IsArray ? GradientOut + "[" + k + "]" : "out " + GradientOut + "[" + k + "][0]"));
        string gradient = "(" + Arguments + ", " + GradientOut + ") => " + StatementPrinter.Callee(c.Callee, "TapeGradient") + "(" + string.Join(", ", arguments) + ")";
        string point = "new " + value + "[][] { " + string.Join(", ", segments) + " }";
        if (nested.Kind == NestedKind.Pushforward)
        {
            // The tangent shaped like the arguments: null for the parameters N does not differentiate.
            var differentiated = Enumerable.Range(0, n).Where(k => parameters[k].Differentiated).ToList();
            var direction = Enumerable.Range(0, n).Select(k => differentiated.IndexOf(k) is var j and >= 0 ? Segment(c.Arguments[n + j]) : "null");
            return declaration + c.Target + " = global::Differentiator.Tape.Pushforward(" + point + ", new " + value + "[]?[] { " + string.Join(", ", direction) + " }, " + gradient + ");";
        }
        return c.WritesArray
            ? "global::Differentiator.Tape.GradientComponents(" + point + ", " + nested.Parameter + ", " + c.Target + ", " + gradient + ");"
            : declaration + c.Target + " = global::Differentiator.Tape.GradientComponent(" + point + ", " + nested.Parameter + ", " + gradient + ");";
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
