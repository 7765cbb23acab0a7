using System;
using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>
/// Nested calls of a callee that also reads arrays of data (<c>ReadOnlySpan&lt;double&gt;</c> or <c>double[]</c> it does
/// not differentiate), passed through from a data array parameter of the caller: checked three ways (the tape takes
/// central differences of the callee's tape gradient with the data held fixed) and against the primal by hand.
/// </summary>
public class NestedDataArrayTests
{
    private const string Prelude = "using System;\nusing Differentiator;\nnamespace T;\n";

    private static GeneratorRun Compile(string body) =>
        GeneratorRun.Compile(Prelude + "public static partial class F\n{\n" + body + "\n}\n").AssertClean();

    // Q(A, x, y, l) = ½ [x y] A [x y]ᵀ + l·(x⁴ + y⁴) + A[4]·sin(x·y): a 2×2 matrix (row-major) and a fifth coefficient, all data.
    private const string Quad = @"[Differentiable(nameof(x), nameof(y), nameof(l))]
        public static double Q(ReadOnlySpan<double> A, double x, double y, double l) =>
            0.5 * (A[0] * x * x + (A[1] + A[2]) * x * y + A[3] * y * y) + l * (x * x * x * x + y * y * y * y) + A[4] * Math.Sin(x * y);";

    private static double Q(double[] A, double x, double y, double l) =>
        0.5 * (A[0] * x * x + (A[1] + A[2]) * x * y + A[3] * y * y) + l * (x * x * x * x + y * y * y * y) + A[4] * Math.Sin(x * y);

    private static (double, double, double) QGradient(double[] A, double x, double y, double l) => (
        A[0] * x + 0.5 * (A[1] + A[2]) * y + 4 * l * x * x * x + A[4] * y * Math.Cos(x * y),
        A[3] * y + 0.5 * (A[1] + A[2]) * x + 4 * l * y * y * y + A[4] * x * Math.Cos(x * y),
        x * x * x * x + y * y * y * y);

    private static readonly double[][] Matrices = { new[] { 2.0, 0.3, 0.1, 1.5, 0.2 }, new[] { 1.0, -0.4, 0.2, 3.0, -0.5 } };

    [Fact]
    public void Gradient_descent_through_a_callee_with_a_data_matrix()
    {
        // Four steps of gradient descent on (x, y) from (s, 1 − s) with the regularization 0.1·s, inside the objective:
        // its gradient needs the callee's Hessian (with the cross terms in l) along the adjoints of gx and gy.
        var run = Compile(Quad + @"
        [Differentiable(nameof(s))] public static double M(double s, double[] A)
        {
            double x = s, y = 1 - s;
            for (int k = 0; k < 4; k++)
            {
                QGradient(A, x, y, 0.1 * s, out double gx, out double gy, out _);
                x -= 0.1 * gx;
                y -= 0.1 * gy;
            }
            return x * x + Math.Exp(y) * x;
        }
        public static long Allocated()
        {
            var A = new[] { 2.0, 0.3, 0.1, 1.5, 0.2 };
            double total = 0;
            for (int warm = 0; warm < 3; warm++) total += MGradient(0.4, A, out double d) + d;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int k = 0; k < 20; k++)
            {
                total += MGradient(0.4 + 0.01 * k, A, out double d) + d;
                total += MPushforward(0.4 + 0.01 * k, A, 1, out double t) + t;
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            return double.IsNaN(total) ? -1 : allocated;
        }");
        // The closed form and forward mode allocate nothing in steady state: the data passes through as it is.
        Assert.Equal(0L, (long)run.InvokeStatic("T.F", "Allocated")!);
        var m = run.Method("T.F", "M");
        foreach (var A in Matrices)
            foreach (double s in new[] { 0.4, -0.7, 1.2 })
            {
                double x = s, y = 1 - s;
                for (int k = 0; k < 4; k++)
                {
                    var (gx, gy, _) = QGradient(A, x, y, 0.1 * s);
                    x -= 0.1 * gx;
                    y -= 0.1 * gy;
                }
                Assert.Equal(x * x + Math.Exp(y) * x, m.Value(s, A), 12);
                ThreeWay.Check(m, new object[] { s, A }, tapeTolerance: 1e-8);
            }
    }

    [Fact]
    public void Pushforward_of_the_gradient_descent_agrees_with_its_gradient()
    {
        // MPushforward takes the tangents of gx and gy from one QHessianVectorProduct along (dx, dy, dl), the data passed through.
        var run = Compile(Quad + @"
        [Differentiable(nameof(s), nameof(t))] public static double M(double s, double t, double[] A)
        {
            double x = s, y = t;
            for (int k = 0; k < 3; k++)
            {
                QGradient(A, x, y, s * t, out double gx, out double gy, out double gl);
                x -= 0.1 * gx;
                y -= 0.1 * gy + 0.01 * gl;
            }
            return x * y;
        }");
        var m = run.Method("T.F", "M");
        Assert.True(m.HasPushforward);
        foreach (var A in Matrices)
        {
            var g = ThreeWay.Check(m, new object[] { 0.3, 0.8, A }, tapeTolerance: 1e-8);
            var (_, tangent) = m.Pushforward(new object[] { 0.3, 0.8, A }, new[] { new[] { 0.6 }, new[] { -0.4 } });
            Assert.Equal(0.6 * g[0][0] - 0.4 * g[1][0], tangent, 10);
        }
    }

    [Fact]
    public void A_pushforward_with_a_data_array_and_differentiated_tangents()
    {
        // t = ∇Q(A, a, b, l)·(b, a², 1): the reverse sweep sends tBar·H·u to the point and tBar·∇Q to the tangents.
        // The data is a span here: the tape's node gets a copy, since its lambda cannot capture a span.
        var run = Compile(Quad + @"
        [Differentiable(nameof(a), nameof(b))] public static double M(double a, double b, ReadOnlySpan<double> A)
        {
            double v = QPushforward(A, a, b, 0.2, b, a * a, 1, out double t);
            return v * t + t * t;
        }");
        var m = run.Method("T.F", "M");
        foreach (var A in Matrices)
            foreach (var (a, b) in new[] { (0.3, 1.2), (-1.1, 0.4) })
            {
                var (gx, gy, gl) = QGradient(A, a, b, 0.2);
                double t = gx * b + gy * a * a + gl;
                Assert.Equal(Q(A, a, b, 0.2) * t + t * t, m.Value(a, b, A), 12);
                ThreeWay.Check(m, new object[] { a, b, A }, tapeTolerance: 1e-8);
            }
    }

    [Fact]
    public void A_data_array_through_a_plain_helper()
    {
        // The helper is inlined: its array parameter is bound to the caller's data parameter, which the call then reads.
        var run = Compile(@"[Differentiable(nameof(x))] public static double P(double[] c, double x) => c[0] * x * x * x + c[1] * Math.Cos(x);
        static double Step(double[] c, double x) { PGradient(c, x, out double g); return x - 0.05 * g; }
        [Differentiable(nameof(s))] public static double M(double s, double[] c)
        {
            double x = s;
            for (int k = 0; k < 3; k++) x = Step(c, x);
            return x * x;
        }");
        var m = run.Method("T.F", "M");
        var c = new[] { 0.7, -1.3 };
        foreach (double s in new[] { 0.5, -0.9 })
        {
            double x = s;
            for (int k = 0; k < 3; k++) x -= 0.05 * (3 * c[0] * x * x - c[1] * Math.Sin(x));
            Assert.Equal(x * x, m.Value(s, c), 12);
            ThreeWay.Check(m, new object[] { s, c }, tapeTolerance: 1e-8);
        }
    }
}
