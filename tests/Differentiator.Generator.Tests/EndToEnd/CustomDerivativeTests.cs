using System;
using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>
/// Custom derivatives: <c>[DerivativeOf(nameof(F))] static void FVjp(…)</c> supplies F's vector-Jacobian product, and
/// a <c>[Differentiable]</c> caller of F is differentiated through it — in closed form and on the tape — while F's own
/// body is outside the subset (LINQ here, standing for a library). The numerical gradient calls F itself, so it checks
/// FVjp: a wrong FVjp makes the closed form and the tape agree with each other and not with the differences.
/// </summary>
public class CustomDerivativeTests
{
    private const string Prelude = "using System;\nusing System.Linq;\nusing Differentiator;\nnamespace T;\n";

    // F(x, k, n) = k · Σ_{i<n} x_i², by LINQ (not differentiable by the generator); its VJP by hand.
    private const string Energy = @"
    public static double Energy(double[] x, double k, int n) => k * x.Take(n).Sum(v => v * v);

    [DerivativeOf(nameof(Energy))]
    public static void EnergyVjp(double[] x, double k, int n, double resultBar, Span<double> dx, out double dk)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            dx[i] = i < n ? resultBar * k * FACTOR * x[i] : 0;
            if (i < n) sum += x[i] * x[i];
        }
        dk = resultBar * sum;
    }
";

    private static GeneratorRun Compile(string body, int factor = 2) =>
        GeneratorRun.Compile(Prelude + "public static partial class F\n{\n" + Energy.Replace("FACTOR", factor.ToString()) + body + "\n}\n");

    private const string Loss = @"
    [Differentiable(nameof(w), nameof(c))] public static double Loss(double[] w, double c)
    {
        double e = Energy(w, c * c, w.Length - 1);
        double total = Math.Log(1 + e);
        for (int i = 0; i < 3; i++) total += Energy(w, 0.5 + i, w.Length) * c;
        return total;
    }";

    [Fact]
    public void A_callers_pushforward_goes_through_the_custom_derivative_too()
    {
        // Forward mode takes the call's tangent from FVjp with resultBar 1 (F's gradient) dotted with the argument tangents.
        var m = Compile(Loss).AssertClean().Method("T.F", "Loss");
        Assert.True(m.HasPushforward);
        var w = new[] { 0.3, -0.7, 1.1 };
        double c = 0.8;
        var v = new[] { new[] { 0.5, -1.0, 2.0 }, new[] { 0.25 } };
        var (value, g) = m.Gradient(w, c);
        var (pushedValue, tangent) = m.Pushforward(new object[] { w, c }, v);
        Assert.Equal(value, pushedValue, 13);
        double expected = g[0].Zip(v[0], (a, b) => a * b).Sum() + g[1][0] * v[1][0];
        Assert.Equal(expected, tangent, 12);
    }

    [Fact]
    public void A_caller_is_differentiated_through_the_custom_derivative_three_ways()
    {
        var m = Compile(Loss).AssertClean().Method("T.F", "Loss");
        var inputs = new Inputs(41);
        for (int trial = 0; trial < 5; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(4), inputs.Scalar() });

        // Closed form: e = c²·Σ_{i<n-1} w_i², total = log(1 + e) + c·(0.5 + 1.5 + 2.5)·Σ w_i².
        var w = new[] { 0.3, -0.7, 1.1 };
        double c = 0.8;
        double head = w.Take(2).Sum(v => v * v), all = w.Sum(v => v * v), e = c * c * head;
        var (value, g) = m.Gradient(w, c);
        Assert.Equal(Math.Log(1 + e) + c * 4.5 * all, value, 13);
        for (int i = 0; i < 3; i++)
            Assert.Equal((i < 2 ? c * c * 2 * w[i] / (1 + e) : 0) + c * 4.5 * 2 * w[i], g[0][i], 13);
        Assert.Equal(2 * c * head / (1 + e) + 4.5 * all, g[1][0], 13);
    }

    [Fact]
    public void The_closed_form_calls_the_vjp_and_the_tape_records_one_custom_node()
    {
        var run = Compile(Loss).AssertClean();
        string loss = run.Sources.Single(s => s.Key.EndsWith("F.Loss.g.cs")).Value;
        Assert.Contains("EnergyVjp(w, c * c, w.Length - 1, 1, ", loss);
        Assert.Contains("Energy__Tape(", loss);
        string tape = run.Sources.Single(s => s.Key.EndsWith("F.EnergyVjp.DerivativeOf.g.cs")).Value;
        Assert.Contains("internal static global::Differentiator.Value Energy__Tape(global::System.ReadOnlySpan<global::Differentiator.Value> x, global::Differentiator.Value k, int n)", tape);
        Assert.Contains("global::Differentiator.Tape.Custom(", tape);
    }

    [Fact]
    public void A_wrong_vjp_is_caught_by_the_numerical_gradient_alone()
    {
        var m = Compile(Loss, factor: 3).AssertClean().Method("T.F", "Loss");
        var args = new object[] { new[] { 0.3, -0.7, 1.1 }, 0.8 };
        var generated = m.Gradient(args).Gradient;
        var tape = m.Tape(args).Gradient;
        for (int p = 0; p < generated.Length; p++)
            for (int k = 0; k < generated[p].Length; k++) Assert.Equal(generated[p][k], tape[p][k], 12);
        var failure = Assert.ThrowsAny<Exception>(() => ThreeWay.Check(m, args));
        Assert.Contains("numerical", failure.Message);
    }

    [Fact]
    public void A_float_function_with_a_custom_derivative()
    {
        var m = GeneratorRun.Compile(Prelude + @"public static partial class F
{
    public static float Mean(float[] x) => x.Average();

    [DerivativeOf(nameof(Mean))]
    public static void MeanVjp(float[] x, float resultBar, Span<float> dx)
    {
        for (int i = 0; i < x.Length; i++) dx[i] = resultBar / x.Length;
    }

    [Differentiable] public static float Spread(float[] x, float s)
    {
        float m = Mean(x);
        float sum = 0;
        for (int i = 0; i < x.Length; i++) sum += (x[i] - m) * (x[i] - m) * s;
        return sum + m * m;
    }
}").AssertClean().Method("T.F", "Spread");
        var inputs = new Inputs(43);
        for (int trial = 0; trial < 5; trial++)
            ThreeWay.CheckSingle(m, new object[] { inputs.Vector(5).Select(v => (float)v).ToArray(), (float)inputs.Scalar() }, 1e-5, 2e-3);
    }

    [Fact]
    public void A_scalar_function_in_a_loop_and_a_span_argument()
    {
        var m = GeneratorRun.Compile(Prelude + @"public static partial class F
{
    // softplus through a 'library' call the subset does not know (Enumerable.Max).
    public static double Softplus(double z) => Math.Log(1 + Math.Exp(-Math.Abs(z))) + new[] { z, 0.0 }.Max();

    [DerivativeOf(nameof(Softplus))]
    public static void SoftplusVjp(double z, double resultBar, out double dz) => dz = resultBar / (1 + Math.Exp(-z));

    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Enumerable.Range(0, a.Length).Select(i => 0.0).Sum() + Kernel(a, b);

    private static double Kernel(ReadOnlySpan<double> a, ReadOnlySpan<double> b) { double s = 0; for (int i = 0; i < a.Length; i++) s += a[i] * b[i]; return s; }

    [DerivativeOf(nameof(Dot))]
    public static void DotVjp(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double resultBar, Span<double> da, Span<double> db)
    {
        for (int i = 0; i < a.Length; i++) { da[i] = resultBar * b[i]; db[i] = resultBar * a[i]; }
    }

    [Differentiable(nameof(w), nameof(b))] public static double Logistic(double[,] X, double[] y, double[] w, double b)
    {
        double loss = 0;
        int d = w.Length;
        for (int i = 0; i < y.Length; i++)
        {
            double z = b;
            for (int j = 0; j < d; j++) z += X[i, j] * w[j];
            loss += Softplus(z) - y[i] * z;
        }
        return loss / y.Length + 0.01 * Dot(w, w);
    }
}").AssertClean().Method("T.F", "Logistic");
        var inputs = new Inputs(42);
        for (int trial = 0; trial < 5; trial++)
            ThreeWay.Check(m, new object[] { inputs.Matrix(6, 3), inputs.Vector(6, 0, 1), inputs.Vector(3), inputs.Scalar() });
    }
}
