using System;
using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>
/// <c>while</c>, <c>do</c>, <c>break</c>, <c>continue</c> and data-dependent loop exits: loops whose trip count the
/// data decide, so the reverse sweep must replay exactly the iterations that ran. Checked three ways on random inputs
/// and against gradients worked out by hand.
/// </summary>
public class ControlFlowTests
{
    private const string Prelude = "using System;\nusing Differentiator;\nnamespace T;\n";

    private static GeneratorRun Compile(string body) =>
        GeneratorRun.Compile(Prelude + "public static partial class F\n{\n" + body + "\n}\n").AssertClean();

    [Fact]
    public void While_loop_with_a_data_dependent_trip_count()
    {
        var m = Compile(@"[Differentiable] public static double Halve(double x, double a)
        {
            double s = x * x;
            int k = 0;
            while (s > 1) { s = s / 2 + a * 0.001; k++; }
            return s * a + k;
        }").Method("T.F", "Halve");
        var inputs = new Inputs(5);
        for (int trial = 0; trial < 20; trial++) ThreeWay.Check(m, new object[] { inputs.Scalar(-6, 6), inputs.Scalar(-1, 1) });
        // x = 3, a = 0.5: s = 9 → 4.5005 → 2.25075 → 1.125875 → 0.5634375 (4 halvings, k = 4), so s = x²/16 + 0.0005·(1/8 + 1/4 + 1/2 + 1):
        // ∂/∂x = a·2x/16 = 0.1875, ∂/∂a = s + a·0.001·1.875 = 0.5634375 + 0.0009375.
        var (value, g) = m.Gradient(3.0, 0.5);
        Assert.Equal(0.5634375 * 0.5 + 4, value, 12);
        Assert.Equal(0.1875, g[0][0], 12);
        Assert.Equal(0.5634375 + 0.0009375, g[1][0], 12);
    }

    [Fact]
    public void Break_and_continue_in_a_for_loop()
    {
        var m = Compile(@"[Differentiable] public static double G(double[] x, double a, double limit)
        {
            double s = 0;
            for (int i = 0; i < x.Length; i++)
            {
                if (x[i] < 0) continue;
                s += Math.Exp(a * x[i]);
                if (s > limit) break;
                s *= 1.0 + 0.1 * a;
            }
            return s;
        }").Method("T.F", "G");
        var inputs = new Inputs(6);
        for (int trial = 0; trial < 20; trial++)
            ThreeWay.Check(m, new object[] { inputs.Vector(8, -1, 1), inputs.Scalar(-1, 1), inputs.Scalar(2, 6) });
        // x = (2, -1, 3), a = 1, limit = 100: s = e²·1.1, skip, s = e²·1.1 + e³ > 100? 8.13 + 20.09 = 28.2: no, ·1.1.
        var (value, g) = m.Gradient(new[] { 2.0, -1.0, 3.0 }, 1.0, 100.0);
        double e2 = Math.Exp(2), e3 = Math.Exp(3);
        Assert.Equal((e2 * 1.1 + e3) * 1.1, value, 12);
        Assert.Equal(new[] { 1.1 * 1.1 * e2, 0, 1.1 * e3 }, g[0].Select(v => Math.Round(v, 10)), new Tolerance(1e-9));
    }

    [Fact]
    public void Do_while_with_continue_tests_its_condition_after_every_iteration()
    {
        var m = Compile(@"[Differentiable] public static double G(double x)
        {
            double y = x;
            int n = 0;
            do
            {
                n++;
                if (n % 2 == 0) continue;
                y = Math.Sin(y) + 0.5 * x;
            } while (n < 5);
            return y;
        }").Method("T.F", "G");
        var inputs = new Inputs(7);
        for (int trial = 0; trial < 10; trial++) ThreeWay.Check(m, new object[] { inputs.Scalar(-2, 2) });
        // n = 1, 3, 5 update y (three updates); n = 2, 4 skip to the test. Check the value against plain C#.
        double x0 = 0.7, y0 = x0;
        for (int k = 0; k < 3; k++) y0 = Math.Sin(y0) + 0.5 * x0;
        Assert.Equal(y0, m.Value(x0), 14);
    }

    [Fact]
    public void For_condition_with_an_early_exit_on_the_data()
    {
        var m = Compile(@"[Differentiable] public static double G(double[] w, double tolerance)
        {
            double change = 1, v = 0;
            for (int i = 0; i < w.Length && change > tolerance; i++)
            {
                double next = v + w[i] * w[i];
                change = next - v;
                v = next;
            }
            return v;
        }").Method("T.F", "G");
        var inputs = new Inputs(8);
        for (int trial = 0; trial < 20; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(6, -1, 1), 0.05 });
        // Stops after w[1] (change 0.01 ≤ 0.05): v = w0² + w1², w2 never read.
        var (value, g) = m.Gradient(new[] { 0.5, 0.1, 2.0 }, 0.05);
        Assert.Equal(0.26, value, 14);
        Assert.Equal(new[] { 1.0, 0.2, 0.0 }, g[0], new Tolerance(1e-14));
    }

    [Fact]
    public void Nested_loops_with_break_inside_and_return_from_the_inner_loop()
    {
        var m = Compile(@"[Differentiable] public static double G(double[] x, double a)
        {
            double s = 0;
            for (int i = 0; i < x.Length; i++)
            {
                int j = 0;
                while (true)
                {
                    if (j >= 3) break;
                    s += a * x[i] * (j + 1);
                    if (s > 50) return s * s;
                    j++;
                }
                if (x[i] > 0.9) break;
            }
            return s;
        }").Method("T.F", "G");
        var inputs = new Inputs(9);
        for (int trial = 0; trial < 30; trial++)
            ThreeWay.Check(m, new object[] { inputs.Vector(10, -1, 1), inputs.Scalar(0.5, 8) });
    }
}
