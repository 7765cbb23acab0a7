using System;
using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>
/// Local scratch arrays (<c>new double[n]</c>, <c>stackalloc double[n]</c>): written, read, overwritten in loops. Each
/// element write saves the element it overwrites when the reverse sweep needs it, and its adjoint lives in pooled or
/// stack scratch. Checked three ways and against closed forms.
/// </summary>
public class LocalArrayTests
{
    private const string Prelude = "using System;\nusing Differentiator;\nnamespace T;\n";

    private static GeneratorRun Compile(string body) =>
        GeneratorRun.Compile(Prelude + "public static partial class F\n{\n" + body + "\n}\n").AssertClean();

    [Fact]
    public void Softmax_cross_entropy_through_a_scratch_array()
    {
        var m = Compile(@"[Differentiable(nameof(z))] public static double CrossEntropy(double[] z, int label)
        {
            double[] p = new double[z.Length];
            double max = z[0];
            for (int k = 1; k < z.Length; k++) if (z[k] > max) max = z[k];
            double sum = 0;
            for (int k = 0; k < z.Length; k++) { p[k] = Math.Exp(z[k] - max); sum += p[k]; }
            for (int k = 0; k < z.Length; k++) p[k] /= sum;
            return -Math.Log(p[label]);
        }").Method("T.F", "CrossEntropy");
        var inputs = new Inputs(11);
        for (int trial = 0; trial < 10; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(5, -2, 2), trial % 5 });
        // ∂/∂z[k] = softmax(z)[k] − [k = label]: the max's contribution cancels exactly.
        var z = new[] { 0.5, -1.0, 2.0, 0.0 };
        var (_, g) = m.Gradient(z, 2);
        double total = z.Sum(Math.Exp);
        for (int k = 0; k < z.Length; k++) Assert.Equal(Math.Exp(z[k]) / total - (k == 2 ? 1 : 0), g[0][k], 14);
    }

    [Fact]
    public void Hidden_layer_activations_in_a_stackalloc_span()
    {
        var m = Compile(@"[Differentiable(nameof(w1), nameof(w2))] public static double Net(double[] x, double[] y, double[] w1, double[] w2)
        {
            int h = w2.Length;
            Span<double> a = stackalloc double[h];
            double loss = 0;
            for (int i = 0; i < x.Length; i++)
            {
                for (int j = 0; j < h; j++) a[j] = Math.Tanh(w1[2 * j] * x[i] + w1[2 * j + 1]);
                double pred = 0;
                for (int j = 0; j < h; j++) pred += w2[j] * a[j];
                double r = pred - y[i];
                loss += r * r;
            }
            return loss / x.Length;
        }").Method("T.F", "Net");
        var inputs = new Inputs(12);
        for (int trial = 0; trial < 5; trial++)
            ThreeWay.Check(m, new object[] { inputs.Vector(7, -2, 2), inputs.Vector(7, -1, 1), inputs.Vector(6, -1, 1), inputs.Vector(3, -1, 1) });
    }

    [Fact]
    public void Elements_overwritten_again_and_again_are_saved_and_restored()
    {
        var m = Compile(@"[Differentiable] public static double Smooth(double[] x, double a)
        {
            var t = new double[3];
            for (int i = 0; i < x.Length; i++)
            {
                int k = i % 3;
                t[k] = t[k] * Math.Sin(a * t[k] + x[i]) + x[i] * a;
                t[(k + 1) % 3] += 0.5 * t[k] * t[k];
                t[k]++;
                t[k] -= 0.25 * x[i];
            }
            return t[0] * t[1] + t[2];
        }").Method("T.F", "Smooth");
        var inputs = new Inputs(13);
        for (int trial = 0; trial < 10; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(8, -1, 1), inputs.Scalar(-1, 1) });
    }

    [Fact]
    public void The_gradient_allocates_only_what_the_source_allocates()
    {
        var run = Compile(@"[Differentiable] public static double S(double[] x)
        {
            double[] t = new double[x.Length];
            for (int i = 0; i < x.Length; i++) t[i] = x[i] * x[i];
            double s = 0;
            for (int i = 0; i < x.Length; i++) s += Math.Sin(t[i]);
            return s;
        }");
        string code = run.Sources["T.F.S.g.cs"];
        string gradient = code.Substring(0, code.IndexOf("STapeGradient", StringComparison.Ordinal));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(gradient, "new double\\["));
        Assert.Contains("ArrayPool<double>.Shared.Rent(t.Length)", gradient);
        Assert.Contains("ArrayPool<double>.Shared.Return(_d_t)", gradient);
        var m = run.Method("T.F", "S");
        var inputs = new Inputs(14);
        for (int trial = 0; trial < 5; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(6, -2, 2) });
        var x = new[] { 0.3, -1.2 };
        var (_, g) = m.Gradient(x);
        Assert.Equal(new[] { Math.Cos(0.09) * 0.6, Math.Cos(1.44) * -2.4 }, g[0].Select(v => Math.Round(v, 12)), new Tolerance(1e-11));
    }

    [Fact]
    public void Jagged_data_rows_read_directly_and_as_row_views()
    {
        var m = Compile(@"static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
        {
            double s = 0;
            for (int j = 0; j < a.Length; j++) s += a[j] * b[j];
            return s;
        }

        [Differentiable(nameof(w), nameof(b))]
        public static double Loss(double[][] X, double[] y, double[] w, double b)
        {
            double loss = 0;
            for (int i = 0; i < X.Length; i++)
            {
                double z = b;
                for (int j = 0; j < X[i].Length; j++) z += X[i][j] * w[j];
                var row = X[i];
                double r = Math.Tanh(z) + 0.1 * Dot(row, w) - y[i];
                loss += r * r;
            }
            return loss / X.Length;
        }").Method("T.F", "Loss");
        var inputs = new Inputs(15);
        for (int trial = 0; trial < 5; trial++)
        {
            var X = Enumerable.Range(0, 6).Select(_ => inputs.Vector(3)).ToArray();
            ThreeWay.Check(m, new object[] { X, inputs.Vector(6), inputs.Vector(3), inputs.Scalar() });
        }
    }
}
