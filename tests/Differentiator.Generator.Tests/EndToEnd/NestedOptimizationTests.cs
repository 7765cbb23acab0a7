using System;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>
/// GradBench's two nested-differentiation evals, written from their descriptions (evals/particle, evals/saddle): an
/// objective that calls a generated gradient or pushforward inside a loop whose only return is inside
/// <c>while (true)</c>, differentiated three ways, then minimised by a plain C# gradient descent (GradBench's
/// <c>multivariate_argmin</c>, as described in its gd.hpp) to the value its eval expects.
/// </summary>
public class NestedOptimizationTests
{
    private const string Prelude = "using System;\nusing Differentiator;\nnamespace T;\n";

    /// <summary>
    /// Gradient descent as GradBench's: stop when |∇| ≤ 1e-5 or the step moves less than 1e-5; after 10 accepted steps
    /// double η, on a step that does not decrease f halve it. Plain C#, not differentiated.
    /// </summary>
    private const string Descent = @"
public delegate double Objective(ReadOnlySpan<double> x);
public delegate void GradientOf(ReadOnlySpan<double> x, Span<double> g);
public static class Descent
{
    public static double[] Argmin(Objective f, GradientOf gradient, ReadOnlySpan<double> start)
    {
        int n = start.Length;
        var x = start.ToArray();
        var g = new double[n];
        var next = new double[n];
        double fx = f(x);
        gradient(x, g);
        int accepted = 0;
        double eta = 1e-5;
        while (true)
        {
            if (Norm(g) <= 1e-5) return x;
            if (accepted == 10) { eta *= 2; accepted = 0; continue; }
            double moved = 0;
            for (int j = 0; j < n; j++) { next[j] = x[j] - eta * g[j]; moved += (next[j] - x[j]) * (next[j] - x[j]); }
            if (Math.Sqrt(moved) <= 1e-5) return x;
            double fNext = f(next);
            if (fNext < fx)
            {
                Array.Copy(next, x, n);
                fx = fNext;
                gradient(x, g);
                accepted++;
            }
            else
            {
                eta /= 2;
                accepted = 0;
            }
        }
    }

    /// <summary>The argmax as GradBench's: the argmin of −f with −∇f.</summary>
    public static double[] Argmax(Objective f, GradientOf gradient, ReadOnlySpan<double> start) =>
        Argmin(x => -f(x), (x, g) => { gradient(x, g); for (int j = 0; j < g.Length; j++) g[j] = -g[j]; }, start);

    private static double Norm(double[] v)
    {
        double s = 0;
        foreach (var e in v) s += e * e;
        return Math.Sqrt(s);
    }
}
";

    private static GeneratorRun Compile(string body) =>
        GeneratorRun.Compile(Prelude + Descent + "public static partial class F\n{\n" + body + "\n}\n").AssertClean();

    /// <summary>GradBench's check: |a − b| / max(1, |a| + |b|) ≤ 1e-4.</summary>
    private static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) / Math.Max(1, Math.Abs(expected) + Math.Abs(actual)) <= 1e-4, $"expected {expected:R}, got {actual:R}");

    private const string Particle = @"
    /// <summary>The potential of unit charges at (cx0, cy0) and (cx1, cy1) at the point (px, py).</summary>
    [Differentiable] public static double Accel(double cx0, double cy0, double cx1, double cy1, double px, double py) =>
        1 / Math.Sqrt((px - cx0) * (px - cx0) + (py - cy0) * (py - cy0)) + 1 / Math.Sqrt((px - cx1) * (px - cx1) + (py - cy1) * (py - cy1));

    /// <summary>Euler steps of a particle pushed by −∇ₓAccel until it crosses y = 0; the square of where it crosses. Inner gradient by AccelGradient.</summary>
    [Differentiable] public static double EulerReverse(double w)
    {
        double cy0 = 10 - w;
        double x = 0, y = 8, xdot = 0.75, ydot = 0;
        double dt = 0.1;
        while (true)
        {
            AccelGradient(10, cy0, 10, 0, x, y, out _, out _, out _, out _, out double gx, out double gy);
            double xddot = -gx, yddot = -gy;
            x += dt * xdot;
            y += dt * ydot;
            if (y <= 0)
            {
                double dtf = -y / ydot;
                double xf = x + dtf * xdot;
                return xf * xf;
            }
            xdot += dt * xddot;
            ydot += dt * yddot;
        }
    }

    /// <summary>The same, the inner gradient by two AccelPushforward calls with unit tangents.</summary>
    [Differentiable] public static double EulerForward(double w)
    {
        double cy0 = 10 - w;
        double x = 0, y = 8, xdot = 0.75, ydot = 0;
        double dt = 0.1;
        while (true)
        {
            AccelPushforward(10, cy0, 10, 0, x, y, 0, 0, 0, 0, 1, 0, out double gx);
            AccelPushforward(10, cy0, 10, 0, x, y, 0, 0, 0, 0, 0, 1, out double gy);
            double xddot = -gx, yddot = -gy;
            x += dt * xdot;
            y += dt * ydot;
            if (y <= 0)
            {
                double dtf = -y / ydot;
                double xf = x + dtf * xdot;
                return xf * xf;
            }
            xdot += dt * xddot;
            ydot += dt * yddot;
        }
    }

    public static double Argmin(bool outerReverse, bool innerReverse)
    {
        Objective f = x => innerReverse ? EulerReverse(x[0]) : EulerForward(x[0]);
        GradientOf gradient = (x, g) =>
        {
            if (outerReverse) { if (innerReverse) EulerReverseGradient(x[0], out g[0]); else EulerForwardGradient(x[0], out g[0]); }
            else if (innerReverse) EulerReversePushforward(x[0], 1, out g[0]);
            else EulerForwardPushforward(x[0], 1, out g[0]);
        };
        return Descent.Argmin(f, gradient, new[] { 0.0 })[0];
    }

    public static double ArgminRR() => Argmin(true, true);
    public static double ArgminRF() => Argmin(true, false);
    public static double ArgminFR() => Argmin(false, true);
    public static double ArgminFF() => Argmin(false, false);

    public static long Allocated()
    {
        double total = 0;
        for (int warm = 0; warm < 3; warm++) total += EulerReverseGradient(0.1, out double d) + d + EulerForwardGradient(0.1, out double e) + e;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 20; k++)
        {
            total += EulerReverseGradient(0.1 + 0.001 * k, out double d) + d;
            total += EulerForwardGradient(0.1 + 0.001 * k, out double e) + e;
            total += EulerReversePushforward(0.1 + 0.001 * k, 1, out double t) + t;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return double.IsNaN(total) ? -1 : allocated;
    }";

    [Fact]
    public void Particle_agrees_three_ways_with_either_inner_mode()
    {
        var run = Compile(Particle);
        var reverse = run.Method("T.F", "EulerReverse");
        var forward = run.Method("T.F", "EulerForward");
        foreach (double w in new[] { 0.0, 0.2, -0.1 })
        {
            var r = ThreeWay.Check(reverse, new object[] { w }, tapeTolerance: 1e-6, numericalTolerance: 1e-5);
            var f = ThreeWay.Check(forward, new object[] { w }, tapeTolerance: 1e-6, numericalTolerance: 1e-5);
            // The two inner modes compute the same partials up to rounding, so the outer gradients agree closely.
            Assert.Equal(r[0][0], f[0][0], 9);
        }
    }

    [Fact]
    public void Particle_descends_to_GradBenchs_answer_in_all_four_variants()
    {
        var run = Compile(Particle);
        foreach (bool outer in new[] { true, false })
            foreach (bool inner in new[] { true, false })
                Close(0.2071918746486116, (double)run.InvokeStatic("T.F", outer ? (inner ? "ArgminRR" : "ArgminRF") : (inner ? "ArgminFR" : "ArgminFF"))!);
    }

    [Fact]
    public void Particle_gradients_allocate_nothing_in_steady_state()
    {
        var run = Compile(Particle);
        Assert.Equal(0L, (long)run.InvokeStatic("T.F", "Allocated")!);
    }

    private const string Saddle = @"
    [Differentiable] public static double Objective(double x1, double y1, double x2, double y2) => (x1 * x1 + y1 * y1) - (x2 * x2 + y2 * y2);

    /// <summary>max over p2 of Objective(p1, p2), by gradient ascent from the start (GradBench's argmax), the inner gradient by ObjectiveGradient.</summary>
    [Differentiable(nameof(p1x), nameof(p1y))]
    public static double MaxReverse(double p1x, double p1y, double startX, double startY)
    {
        double x = startX, y = startY;
        double fx = -Objective(p1x, p1y, x, y);
        ObjectiveGradient(p1x, p1y, x, y, out _, out _, out double g0x, out double g0y);
        double gx = -g0x, gy = -g0y;
        int i = 0;
        double eta = 1e-5;
        while (true)
        {
            if (Math.Sqrt(gx * gx + gy * gy) <= 1e-5) return Objective(p1x, p1y, x, y);
            else if (i == 10) { eta *= 2; i = 0; }
            else
            {
                double nx = x - eta * gx, ny = y - eta * gy;
                if (Math.Sqrt((x - nx) * (x - nx) + (y - ny) * (y - ny)) <= 1e-5) return Objective(p1x, p1y, x, y);
                else
                {
                    double fNext = -Objective(p1x, p1y, nx, ny);
                    if (fNext < fx)
                    {
                        x = nx; y = ny; fx = fNext;
                        ObjectiveGradient(p1x, p1y, x, y, out _, out _, out double g2x, out double g2y);
                        gx = -g2x; gy = -g2y;
                        i++;
                    }
                    else { eta /= 2; i = 0; }
                }
            }
        }
    }

    /// <summary>The same, the inner gradient by ObjectivePushforward with unit tangents.</summary>
    [Differentiable(nameof(p1x), nameof(p1y))]
    public static double MaxForward(double p1x, double p1y, double startX, double startY)
    {
        double x = startX, y = startY;
        double fx = -Objective(p1x, p1y, x, y);
        ObjectivePushforward(p1x, p1y, x, y, 0, 0, 1, 0, out double g0x);
        ObjectivePushforward(p1x, p1y, x, y, 0, 0, 0, 1, out double g0y);
        double gx = -g0x, gy = -g0y;
        int i = 0;
        double eta = 1e-5;
        while (true)
        {
            if (Math.Sqrt(gx * gx + gy * gy) <= 1e-5) return Objective(p1x, p1y, x, y);
            else if (i == 10) { eta *= 2; i = 0; }
            else
            {
                double nx = x - eta * gx, ny = y - eta * gy;
                if (Math.Sqrt((x - nx) * (x - nx) + (y - ny) * (y - ny)) <= 1e-5) return Objective(p1x, p1y, x, y);
                else
                {
                    double fNext = -Objective(p1x, p1y, nx, ny);
                    if (fNext < fx)
                    {
                        x = nx; y = ny; fx = fNext;
                        ObjectivePushforward(p1x, p1y, x, y, 0, 0, 1, 0, out double g2x);
                        ObjectivePushforward(p1x, p1y, x, y, 0, 0, 0, 1, out double g2y);
                        gx = -g2x; gy = -g2y;
                        i++;
                    }
                    else { eta /= 2; i = 0; }
                }
            }
        }
    }

    /// <summary>GradBench's saddle: p1 = argmin over p1 of the max, then p2 = argmax of Objective(p1, ·), both from the start.</summary>
    public static double[] Solve(bool outerReverse, bool innerReverse)
    {
        double[] start = { 1.0, 1.0 };
        Objective f = p => innerReverse ? MaxReverse(p[0], p[1], start[0], start[1]) : MaxForward(p[0], p[1], start[0], start[1]);
        GradientOf gradient = (p, g) =>
        {
            if (outerReverse)
            {
                if (innerReverse) MaxReverseGradient(p[0], p[1], start[0], start[1], out g[0], out g[1]);
                else MaxForwardGradient(p[0], p[1], start[0], start[1], out g[0], out g[1]);
                return;
            }
            for (int k = 0; k < 2; k++)
            {
                double t;
                if (innerReverse) MaxReversePushforward(p[0], p[1], start[0], start[1], k == 0 ? 1 : 0, k == 1 ? 1 : 0, out t);
                else MaxForwardPushforward(p[0], p[1], start[0], start[1], k == 0 ? 1 : 0, k == 1 ? 1 : 0, out t);
                g[k] = t;
            }
        };
        var p1 = Descent.Argmin(f, gradient, start);
        // Step 2 is not nested: the argmax of Objective(p1, ·), its gradient by the same inner mode.
        var p2 = Descent.Argmax(q => Objective(p1[0], p1[1], q[0], q[1]), (q, g) =>
        {
            if (innerReverse) { ObjectiveGradient(p1[0], p1[1], q[0], q[1], out _, out _, out g[0], out g[1]); return; }
            ObjectivePushforward(p1[0], p1[1], q[0], q[1], 0, 0, 1, 0, out g[0]);
            ObjectivePushforward(p1[0], p1[1], q[0], q[1], 0, 0, 0, 1, out g[1]);
        }, start);
        return new[] { p1[0], p1[1], p2[0], p2[1] };
    }

    public static double[] SolveRR() => Solve(true, true);
    public static double[] SolveRF() => Solve(true, false);
    public static double[] SolveFR() => Solve(false, true);
    public static double[] SolveFF() => Solve(false, false);

    public static long Allocated()
    {
        double total = 0;
        for (int warm = 0; warm < 3; warm++) total += MaxReverseGradient(0.5, -0.25, 1, 1, out double a, out double b) + a + b;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 20; k++)
        {
            total += MaxReverseGradient(0.5, -0.25 + 0.01 * k, 1, 1, out double a, out double b) + a + b;
            total += MaxForwardGradient(0.5, -0.25 + 0.01 * k, 1, 1, out double c, out double d) + c + d;
            total += MaxReversePushforward(0.5, -0.25 + 0.01 * k, 1, 1, 1, 0, out double t) + t;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return double.IsNaN(total) ? -1 : allocated;
    }";

    [Fact]
    public void Saddle_agrees_three_ways_and_with_the_closed_form()
    {
        var run = Compile(Saddle);
        foreach (var name in new[] { "MaxReverse", "MaxForward" })
        {
            var m = run.Method("T.F", name);
            foreach (var (p1x, p1y) in new[] { (0.5, -0.25), (1.0, 1.0), (-2.0, 0.3) })
            {
                // The inner maximum over p2 does not depend on p1 (∂²f/∂p1∂p2 = 0), so ∂max/∂p1 = 2·p1 up to how far the ascent got.
                var g = ThreeWay.Check(m, new object[] { p1x, p1y, 1.0, 1.0 }, tapeTolerance: 1e-8);
                Assert.Equal(2 * p1x, g[0][0], 12);
                Assert.Equal(2 * p1y, g[1][0], 12);
            }
        }
    }

    [Fact]
    public void Saddle_descends_to_GradBenchs_answer_in_all_four_variants()
    {
        var run = Compile(Saddle);
        foreach (var variant in new[] { "SolveRR", "SolveRF", "SolveFR", "SolveFF" })
        {
            var output = (double[])run.InvokeStatic("T.F", variant)!;
            Assert.Equal(4, output.Length);
            foreach (var v in output) Close(8.246324826140356e-06, v);
        }
    }

    [Fact]
    public void Saddle_gradients_allocate_nothing_in_steady_state()
    {
        var run = Compile(Saddle);
        Assert.Equal(0L, (long)run.InvokeStatic("T.F", "Allocated")!);
    }
}
