using System;
using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>
/// Calls to static helpers that are not <c>[Differentiable]</c>: inlined where they are called — expression bodies,
/// loops, locals, helpers calling helpers, helpers in other files, and void helpers that write into a caller's
/// scratch array through a <c>Span&lt;double&gt;</c> parameter.
/// </summary>
public class HelperTests
{
    private const string Prelude = "using System;\nusing Differentiator;\nnamespace T;\n";

    [Fact]
    public void Expression_bodied_helper_in_a_logistic_loss()
    {
        var m = GeneratorRun.Compile(Prelude + @"public static partial class F
{
    static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    [Differentiable(nameof(w), nameof(b))]
    public static double Logistic(double[,] X, double[] y, double[] w, double b)
    {
        double loss = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double z = b;
            for (int j = 0; j < w.Length; j++) z += X[i, j] * w[j];
            double p = Sigmoid(z);
            loss -= y[i] * Math.Log(p) + (1 - y[i]) * Math.Log(1 - p);
        }
        return loss / y.Length;
    }
}").AssertClean().Method("T.F", "Logistic");
        var inputs = new Inputs(21);
        for (int trial = 0; trial < 5; trial++)
        {
            var y = inputs.Vector(9, 0, 1).Select(v => v > 0.5 ? 1.0 : 0.0).ToArray();
            ThreeWay.Check(m, new object[] { inputs.Matrix(9, 3), y, inputs.Vector(3), inputs.Scalar() });
        }
        // ∂/∂b = mean(σ(z) − y): at w = 0, b = 0 every σ is ½.
        var (_, g) = m.Gradient(new double[2, 1] { { 1 }, { 2 } }, new[] { 1.0, 0.0 }, new[] { 0.0 }, 0.0);
        Assert.Equal(0.0, g[1][0], 15);
        Assert.Equal(((0.5 - 1) * 1 + 0.5 * 2) / 2, g[0][0], 15);
    }

    [Fact]
    public void Helpers_with_loops_calling_helpers_with_clashing_names_from_another_file()
    {
        const string helpers = @"using System;
namespace T;
internal static class MathHelpers
{
    // Parameter and local names the caller also uses: each inlined copy gets its own.
    public static double LogSumExp(ReadOnlySpan<double> x, double scale)
    {
        double largest = x[0] * scale;
        for (int i = 1; i < x.Length; i++) largest = Math.Max(largest, x[i] * scale);
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += Math.Exp(x[i] * scale - largest);
        return Math.Log(s) + largest;
    }

    public static double Softplus(double x) => LogSumExp2(0, x);

    static double LogSumExp2(double a, double b) { double m = Math.Max(a, b); return m + Math.Log(Math.Exp(a - m) + Math.Exp(b - m)); }
}";
        var m = GeneratorRun.Compile(Prelude + @"public static partial class F
{
    [Differentiable]
    public static double G(double[] x, double scale)
    {
        double s = MathHelpers.LogSumExp(x, scale);
        double largest = 0;
        for (int i = 0; i < x.Length; i++) largest += MathHelpers.Softplus(x[i] * s);
        return largest + MathHelpers.LogSumExp(x, 0.5 * scale);
    }
}", helpers).AssertClean().Method("T.F", "G");
        var inputs = new Inputs(22);
        for (int trial = 0; trial < 10; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(5, -2, 2), inputs.Scalar(0.2, 2) });
    }

    [Fact]
    public void Void_helper_writes_into_the_callers_scratch_array()
    {
        var m = GeneratorRun.Compile(Prelude + @"public static partial class F
{
    static void Layer(ReadOnlySpan<double> w, double x, Span<double> output)
    {
        for (int j = 0; j < output.Length; j++) output[j] = Math.Tanh(w[2 * j] * x + w[2 * j + 1]);
    }

    static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++) s += a[j] * b[j];
        return s;
    }

    [Differentiable(nameof(w1), nameof(w2))]
    public static double Net(double[] x, double[] y, double[] w1, double[] w2)
    {
        double[] hidden = new double[w2.Length];
        double loss = 0;
        for (int i = 0; i < x.Length; i++)
        {
            Layer(w1, x[i], hidden);
            double r = Dot(w2, hidden) - y[i];
            loss += r * r;
        }
        return loss;
    }
}").AssertClean().Method("T.F", "Net");
        var inputs = new Inputs(23);
        for (int trial = 0; trial < 5; trial++)
            ThreeWay.Check(m, new object[] { inputs.Vector(6), inputs.Vector(6), inputs.Vector(8), inputs.Vector(4) });
    }

    [Fact]
    public void Slices_of_arrays_as_helper_arguments_and_as_local_views()
    {
        var m = GeneratorRun.Compile(Prelude + @"public static partial class F
{
    static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++) s += a[j] * b[j];
        return s;
    }

    static void Scale(ReadOnlySpan<double> source, double k, Span<double> target)
    {
        for (int j = 0; j < target.Length; j++) target[j] = k * Math.Sin(source[j]);
    }

    [Differentiable(nameof(w), nameof(b))]
    public static double G(double[] x, int d, double[] w, double[] b)
    {
        double[] scratch = new double[2 * d];
        double total = 0;
        for (int i = 0; i < x.Length / d; i++)
        {
            ReadOnlySpan<double> row = x.AsSpan(i * d, d);
            Scale(w, b[0], scratch.AsSpan(d));           // the second half of the scratch array
            var firstHalf = scratch.AsSpan(0, d);
            Scale(row, b[1], firstHalf);
            total += Dot(firstHalf, scratch.AsSpan().Slice(d, d)) + Dot(row.Slice(1), w.AsSpan(1, d - 1));
        }
        return total;
    }
}").AssertClean().Method("T.F", "G");
        var inputs = new Inputs(24);
        for (int trial = 0; trial < 5; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(12), 3, inputs.Vector(3), inputs.Vector(2) });
    }

    [Fact]
    public void Helpers_the_generator_cannot_inline_get_a_diagnostic_on_the_call()
    {
        var run = Markup.AssertDiagnostics(Prelude + @"public static partial class F
{
    static double Early(double x) { if (x > 1) return x; return x * x; }
    static double Outside(double x) { foreach (var v in new double[1]) x += v; return x; }
    static double Ping(double x) => Pong(x) + 1;
    static double Pong(double x) => Ping(x) * 2;
    static void Scale(Span<double> v) { for (int i = 0; i < v.Length; i++) v[i] *= 2; }

    [Differentiable]
    public static double G(double[] w, double x)
    {
        double a = {|DIFF006:Early(x)|} + {|DIFF006:Outside(x)|} + {|DIFF006:Ping(x)|};
        {|DIFF006:Scale(w)|};
        return a;
    }
}");
        var messages = run.AnalyzerDiagnostics.Where(d => d.Id == "DIFF006").OrderBy(d => d.Location.SourceSpan.Start).Select(d => d.GetMessage()).ToArray();
        Assert.Contains("returns from more than one place; mark it [Differentiable] instead", messages[0]);
        Assert.Contains("outside the differentiable subset: DIFF007 at", messages[1]);
        Assert.True(messages[2].Contains("DIFF017"), messages[2]);
    }
}
