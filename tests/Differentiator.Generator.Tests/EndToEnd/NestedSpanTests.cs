using System;
using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>
/// Nested calls of a callee that differentiates a span: <c>NGradient(x, a, g, out double ga)</c> writes ∇ₓN into the
/// local array g. Checked three ways (the tape's nodes take central differences of the callee's tape gradient along
/// each element), against the primal by hand, and in forward mode against the gradient.
/// </summary>
public class NestedSpanTests
{
    private const string Prelude = "using System;\nusing Differentiator;\nnamespace T;\n";

    private static GeneratorRun Compile(string body) =>
        GeneratorRun.Compile(Prelude + "public static partial class F\n{\n" + body + "\n}\n").AssertClean();

    private const string Bowl = "[Differentiable] public static double Bowl(ReadOnlySpan<double> x, double a) => a * (x[0] - 1) * (x[0] - 1) + Math.Exp(0.3 * x[1]) + x[0] * x[1];";

    private static (double G0, double G1, double Ga) BowlGradient(double x0, double x1, double a) =>
        (2 * a * (x0 - 1) + x1, 0.3 * Math.Exp(0.3 * x1) + x0, (x0 - 1) * (x0 - 1));

    /// <summary>The issue's example: the call reads x, which the loop overwrites, and writes g, which each iteration overwrites and reads.</summary>
    private static string Descend(string allocate) => @"
        [Differentiable] public static double Descend(double a, double eta)
        {
            " + allocate.Replace("NAME", "x") + @"
            x[0] = 0.5; x[1] = -0.25;
            " + allocate.Replace("NAME", "g") + @"
            for (int step = 0; step < 8; step++)
            {
                BowlGradient(x, a, g, out double ga);
                for (int i = 0; i < 2; i++) x[i] -= eta * g[i];
            }
            return x[0] * x[0] + x[1];
        }";

    private static double DescendByHand(double a, double eta)
    {
        double x0 = 0.5, x1 = -0.25;
        for (int step = 0; step < 8; step++)
        {
            var (g0, g1, _) = BowlGradient(x0, x1, a);
            x0 -= eta * g0;
            x1 -= eta * g1;
        }
        return x0 * x0 + x1;
    }

    [Theory]
    [InlineData("Span<double> NAME = stackalloc double[2];")]
    [InlineData("double[] NAME = new double[2];")]
    public void Descent_steps_through_the_gradient_of_a_span(string allocate)
    {
        var run = Compile(Bowl + Descend(allocate));
        var m = run.Method("T.F", "Descend");
        foreach (var (a, eta) in new[] { (1.5, 0.1), (0.7, 0.2), (3.0, 0.05) })
        {
            Assert.Equal(DescendByHand(a, eta), m.Value(a, eta), 12);
            ThreeWay.Check(m, new object[] { a, eta }, tapeTolerance: 1e-7);
        }
    }

    [Fact]
    public void Pushforward_of_the_descent_agrees_with_its_gradient()
    {
        // dg = H·(dx, da) by one BowlHessianVectorProduct along x's tangent array, written into g's tangent array.
        var run = Compile(Bowl + Descend("Span<double> NAME = stackalloc double[2];"));
        var m = run.Method("T.F", "Descend");
        Assert.True(m.HasPushforward);
        foreach (var (a, eta) in new[] { (1.5, 0.1), (0.7, 0.2) })
        {
            var g = ThreeWay.Check(m, new object[] { a, eta }, tapeTolerance: 1e-7);
            var (value, tangent) = m.Pushforward(new object[] { a, eta }, new[] { new[] { 0.6 }, new[] { -0.4 } });
            Assert.Equal(DescendByHand(a, eta), value, 12);
            Assert.Equal(0.6 * g[0][0] - 0.4 * g[1][0], tangent, 10);
            // and against the numerical directional derivative of the method itself
            double h = 1e-6;
            double numerical = (DescendByHand(a + 0.6 * h, eta - 0.4 * h) - DescendByHand(a - 0.6 * h, eta + 0.4 * h)) / (2 * h);
            Assert.Equal(numerical, tangent, 6);
        }
    }

    [Fact]
    public void Only_the_scalar_component_active_takes_the_product_along_rented_zeros_for_the_span()
    {
        // g is never read, so only ga carries a derivative: the span's direction is zeros of x's length, rented
        // (_zero_x), and the one product BowlHessianVectorProduct(x, a, 0, gaBar) gives both x's and a's adjoints.
        var run = Compile(Bowl + @"
        [Differentiable] public static double M(double a)
        {
            double[] x = new double[2];
            x[0] = a; x[1] = 0.3 * a;
            Span<double> g = stackalloc double[2];
            BowlGradient(x, a, g, out double ga);
            return ga * a + x[0];
        }");
        Assert.Contains("_zero_x", run.Sources.Single(kv => kv.Key.EndsWith("T.F.M.g.cs")).Value);
        var m = run.Method("T.F", "M");
        foreach (var a in new[] { 1.7, -0.4, 0.9 })
        {
            // ga = ∂Bowl/∂a = (x0 - 1)², x0 = a: f = (a - 1)²·a + a.
            Assert.Equal((a - 1) * (a - 1) * a + a, m.Value(a), 12);
            var g = ThreeWay.Check(m, new object[] { a }, tapeTolerance: 1e-7);
            Assert.Equal(2 * (a - 1) * a + (a - 1) * (a - 1) + 1, g[0][0], 10);
        }
    }

    [Fact]
    public void A_scalar_component_saved_between_the_two_outputs_of_one_call()
    {
        // ga is read by a product in the loop, so the forward sweep saves it between the call's two statements: each is
        // printed as a call of its own, the span it does not keep written into a rented buffer (given back at once).
        var run = Compile(Bowl + @"
        [Differentiable] public static double M(double a, double eta)
        {
            Span<double> x = stackalloc double[2];
            x[0] = 0.5; x[1] = -0.25;
            Span<double> g = stackalloc double[2];
            double s = 0;
            for (int step = 0; step < 5; step++)
            {
                BowlGradient(x, a, g, out double ga);
                s += 0.1 * ga * ga;
                for (int i = 0; i < 2; i++) x[i] -= eta * g[i] * (1 + ga);
            }
            return x[0] * x[1] + s;
        }
        public static long Allocated()
        {
            double total = 0;
            for (int warm = 0; warm < 3; warm++) total += MGradient(1.5, 0.1, out double da, out double deta) + da + deta;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int k = 0; k < 20; k++)
            {
                total += MGradient(1.5 + 0.01 * k, 0.1, out double da, out double deta) + da + deta;
                total += MPushforward(1.5 + 0.01 * k, 0.1, 1, 0.5, out double t) + t;
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            return double.IsNaN(total) ? -1 : allocated;
        }");
        Assert.Contains("__discarded_x", run.Sources.Single(kv => kv.Key.EndsWith("T.F.M.g.cs")).Value);
        // The closed form and forward mode allocate nothing in steady state: spans on the stack, scratch rented from the pool.
        Assert.Equal(0L, (long)run.InvokeStatic("T.F", "Allocated")!);
        var m = run.Method("T.F", "M");
        foreach (var (a, eta) in new[] { (1.5, 0.1), (0.6, 0.15) })
        {
            double x0 = 0.5, x1 = -0.25, s = 0;
            for (int step = 0; step < 5; step++)
            {
                var (g0, g1, ga) = BowlGradient(x0, x1, a);
                s += 0.1 * ga * ga;
                x0 -= eta * g0 * (1 + ga);
                x1 -= eta * g1 * (1 + ga);
            }
            Assert.Equal(x0 * x1 + s, m.Value(a, eta), 12);
            var g = ThreeWay.Check(m, new object[] { a, eta }, tapeTolerance: 1e-7);
            var (_, tangent) = m.Pushforward(new object[] { a, eta }, new[] { new[] { 1.0 }, new[] { 0.5 } });
            Assert.Equal(g[0][0] + 0.5 * g[1][0], tangent, 10);
        }
    }

    [Fact]
    public void Held_back_descent_steps_on_Rosenbrock_in_an_objective_of_its_curvature_scale()
    {
        // Five steps of gradient descent on Rosenbrock from data, the step scaled by 1/(1 + b): the objective is the
        // distance left to the minimum plus the last gradient's size, differentiated in b and eta. The descent's
        // arrays are on the heap (double[] x, g sized by the data), so the adjoints are rented.
        var run = Compile(@"[Differentiable(nameof(x), nameof(b))] public static double Rosen(ReadOnlySpan<double> x, double b)
        {
            double s = 0;
            for (int i = 0; i + 1 < x.Length; i++)
            {
                double t = x[i + 1] - x[i] * x[i];
                double u = 1 - x[i];
                s += b * t * t + u * u;
            }
            return s;
        }
        [Differentiable(nameof(b), nameof(eta))] public static double Steps(double b, double eta, double[] start)
        {
            int n = start.Length;
            double[] x = new double[n];
            for (int i = 0; i < n; i++) x[i] = start[i];
            double[] g = new double[n];
            for (int k = 0; k < 5; k++)
            {
                RosenGradient(x, b, g, out _);
                for (int i = 0; i < n; i++) x[i] -= eta * g[i] / (1 + b);
            }
            double s = 0;
            for (int i = 0; i < n; i++) s += (x[i] - 1) * (x[i] - 1) + 0.01 * g[i] * g[i];
            return s;
        }");
        var m = run.Method("T.F", "Steps");
        static double[] Gradient(double[] x, double b)
        {
            var g = new double[x.Length];
            for (int i = 0; i + 1 < x.Length; i++)
            {
                double t = x[i + 1] - x[i] * x[i];
                g[i] += -4 * b * t * x[i] - 2 * (1 - x[i]);
                g[i + 1] += 2 * b * t;
            }
            return g;
        }
        foreach (var start in new[] { new[] { 0.3, 0.8, -0.2 }, new[] { -0.5, 0.4, 0.9, 1.1 } })
            foreach (var (b, eta) in new[] { (2.0, 0.05), (5.0, 0.08) })
            {
                var x = (double[])start.Clone();
                var g = new double[x.Length];
                for (int k = 0; k < 5; k++)
                {
                    g = Gradient(x, b);
                    for (int i = 0; i < x.Length; i++) x[i] -= eta * g[i] / (1 + b);
                }
                Assert.Equal(x.Zip(g, (xi, gi) => (xi - 1) * (xi - 1) + 0.01 * gi * gi).Sum(), m.Value(b, eta, start), 12);
                ThreeWay.Check(m, new object[] { b, eta, start }, tapeTolerance: 1e-7);
            }
    }

    [Fact]
    public void Held_back_the_callers_own_span_into_the_callee_and_a_dot_of_its_gradient_with_data()
    {
        // gw = ∇_w Q(w, c): the caller's own differentiated span is the argument, so the reverse sweep accumulates
        // H·(y, 2·gc) into dw, the output, and into dc; forward mode along (dw, dc).
        var run = Compile(@"[Differentiable] public static double Q(ReadOnlySpan<double> w, double c)
        {
            double s = 0;
            for (int i = 0; i < w.Length; i++) s += Math.Exp(c * w[i]) + w[i] * w[i] * w[i];
            return s;
        }
        [Differentiable(nameof(w), nameof(c))] public static double Probe(ReadOnlySpan<double> w, double c, double[] y)
        {
            double[] gw = new double[w.Length];
            QGradient(w, c, gw, out double gc);
            double s = gc * gc;
            for (int i = 0; i < y.Length; i++) s += gw[i] * y[i];
            return s;
        }");
        var m = run.Method("T.F", "Probe");
        Assert.True(m.HasPushforward);
        foreach (var (w, c, y) in new[] { (new[] { 0.3, -0.6, 1.1 }, 0.7, new[] { 1.0, -2.0, 0.5 }), (new[] { -0.2, 0.4 }, -1.3, new[] { 0.3, 0.9 }) })
        {
            double gc = w.Sum(wi => wi * Math.Exp(c * wi));
            double expected = gc * gc + w.Select((wi, i) => (c * Math.Exp(c * wi) + 3 * wi * wi) * y[i]).Sum();
            Assert.Equal(expected, m.Value(w, c, y), 12);
            var g = ThreeWay.Check(m, new object[] { w, c, y }, tapeTolerance: 1e-7);
            // By hand: ∂/∂w_i = y_i (c² e^{c w_i} + 6 w_i) + 2 gc (e^{c w_i} + c w_i e^{c w_i}).
            for (int i = 0; i < w.Length; i++)
                Assert.Equal(y[i] * (c * c * Math.Exp(c * w[i]) + 6 * w[i]) + 2 * gc * (Math.Exp(c * w[i]) * (1 + c * w[i])), g[0][i], 10);
            var dw = w.Select((_, i) => 0.3 - 0.2 * i).ToArray();
            var (_, tangent) = m.Pushforward(new object[] { w, c, y }, new[] { dw, new[] { -0.5 } });
            Assert.Equal(dw.Select((d, i) => d * g[0][i]).Sum() - 0.5 * g[1][0], tangent, 10);
        }
    }

    [Fact]
    public void Pushforwards_along_a_local_span_and_a_data_array()
    {
        // t = ∇Bowl(x, a)·(u, 0.5) with u a local array the loop overwrites (as it does x), then along the data d: the
        // reverse sweep sends tBar·H·u to (x, a) and tBar·∇ₓBowl to u, each through a rented span.
        var run = Compile(Bowl + @"
        [Differentiable(nameof(a), nameof(s))] public static double M(double a, double s, double[] d)
        {
            Span<double> x = stackalloc double[2];
            x[0] = a; x[1] = s * a;
            Span<double> u = stackalloc double[2];
            u[0] = s; u[1] = 1 - s * s;
            double total = 0;
            for (int k = 0; k < 3; k++)
            {
                double v = BowlPushforward(x, a, u, 0.5, out double t);
                total += v * t;
                for (int i = 0; i < 2; i++)
                {
                    x[i] -= 0.1 * t * u[i];
                    u[i] = u[i] * 0.9 + d[i] * t;
                }
            }
            double w = BowlPushforward(x, a, d, 0, out double t2);
            return total + t2 * t2 + w;
        }");
        var m = run.Method("T.F", "M");
        Assert.True(m.HasPushforward);
        static double B(double x0, double x1, double a) => a * (x0 - 1) * (x0 - 1) + Math.Exp(0.3 * x1) + x0 * x1;
        var d = new[] { 0.4, -0.7 };
        foreach (var (a, s) in new[] { (1.2, 0.3), (0.5, -0.8) })
        {
            double x0 = a, x1 = s * a, u0 = s, u1 = 1 - s * s, total = 0;
            for (int k = 0; k < 3; k++)
            {
                var (g0, g1, ga) = BowlGradient(x0, x1, a);
                double t = g0 * u0 + g1 * u1 + 0.5 * ga;
                total += B(x0, x1, a) * t;
                x0 -= 0.1 * t * u0;
                x1 -= 0.1 * t * u1;
                u0 = u0 * 0.9 + d[0] * t;
                u1 = u1 * 0.9 + d[1] * t;
            }
            var (h0, h1, _) = BowlGradient(x0, x1, a);
            double t2 = h0 * d[0] + h1 * d[1];
            Assert.Equal(total + t2 * t2 + B(x0, x1, a), m.Value(a, s, d), 12);
            var g = ThreeWay.Check(m, new object[] { a, s, d }, tapeTolerance: 1e-7);
            var (_, tangent) = m.Pushforward(new object[] { a, s, d }, new[] { new[] { 0.7 }, new[] { -0.3 } });
            Assert.Equal(0.7 * g[0][0] - 0.3 * g[1][0], tangent, 10);
        }
    }

    [Fact]
    public void Two_spans_of_one_call_into_two_local_arrays()
    {
        // PairGradient(w, y, gx, gy): both outputs whole local arrays of one call, one product along (gxBar, gyBar);
        // y a local array filled from the caller's span w, which the call also reads.
        var run = Compile(@"[Differentiable] public static double Pair(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
        {
            double s = 0;
            for (int i = 0; i < x.Length; i++) s += Math.Sin(x[i] * y[i]) + x[i] * x[i] * y[i];
            return s;
        }
        [Differentiable(nameof(w))] public static double M(ReadOnlySpan<double> w, double[] c)
        {
            int n = w.Length;
            double[] y = new double[n];
            for (int i = 0; i < n; i++) y[i] = c[i] * w[i] + 0.5;
            double[] gx = new double[n];
            double[] gy = new double[n];
            PairGradient(w, y, gx, gy);
            double s = 0;
            for (int i = 0; i < n; i++) s += gx[i] * gy[i];
            return s;
        }");
        var m = run.Method("T.F", "M");
        var c = new[] { 0.8, -1.2, 0.3 };
        foreach (var w in new[] { new[] { 0.4, 0.9, -0.6 }, new[] { -1.1, 0.2, 0.7 } })
        {
            double expected = 0;
            for (int i = 0; i < w.Length; i++)
            {
                double y = c[i] * w[i] + 0.5, cos = Math.Cos(w[i] * y);
                expected += (y * cos + 2 * w[i] * y) * (w[i] * cos + w[i] * w[i]);
            }
            Assert.Equal(expected, m.Value(w, c), 12);
            ThreeWay.Check(m, new object[] { w, c }, tapeTolerance: 1e-7);
        }
    }

    [Fact]
    public void A_span_gradient_in_one_branch_of_a_while_true_loop()
    {
        // g is written whole by the call in one branch and element by element in the other, each iteration; the loop
        // ends on a count or on the data: the saves follow the branch taken, iteration by iteration.
        var run = Compile(Bowl + @"
        [Differentiable] public static double M(double a, double b)
        {
            Span<double> x = stackalloc double[2];
            x[0] = a; x[1] = b;
            Span<double> g = stackalloc double[2];
            double s = 0;
            int k = 0;
            while (true)
            {
                k++;
                if (x[0] > 0.2) BowlGradient(x, a, g, out _);
                else { g[0] = x[1]; g[1] = -x[0]; }
                s += g[0] * g[1];
                x[0] -= 0.1 * g[0]; x[1] -= 0.1 * g[1];
                if (k >= 5 || s > 100) return s + x[0];
            }
        }");
        var m = run.Method("T.F", "M");
        foreach (var (a, b) in new[] { (0.9, 0.3), (0.25, -0.4), (1.4, 0.8) })
        {
            double x0 = a, x1 = b, s = 0, result = double.NaN;
            for (int k = 1; ; k++)
            {
                double g0, g1;
                if (x0 > 0.2) (g0, g1, _) = BowlGradient(x0, x1, a);
                else (g0, g1) = (x1, -x0);
                s += g0 * g1;
                x0 -= 0.1 * g0;
                x1 -= 0.1 * g1;
                if (k >= 5 || s > 100) { result = s + x0; break; }
            }
            Assert.Equal(result, m.Value(a, b), 12);
            ThreeWay.Check(m, new object[] { a, b }, tapeTolerance: 1e-7);
        }
    }
}
