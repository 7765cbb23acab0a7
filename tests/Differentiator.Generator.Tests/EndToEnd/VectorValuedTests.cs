using System;
using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>
/// Vector-valued methods (<c>void M(…, Span&lt;double&gt; r)</c>): MJacobian against the tape's and central differences'
/// Jacobians, MVjp against rBarᵀ·J, and each against closed forms where there is one — straight-line code, loops,
/// branches, early returns, local arrays, reads of r after writing it, scalar and array parameters, float.
/// </summary>
public class VectorValuedTests
{
    private const string Prelude = "using System;\nusing Differentiator;\nnamespace T;\n";

    private static GeneratorRun Compile(string body) =>
        GeneratorRun.Compile(Prelude + "public static partial class F\n{\n" + body + "\n}\n").AssertClean();

    [Fact]
    public void Straight_line_map_has_its_closed_form_jacobian()
    {
        var m = Compile(@"[Differentiable] public static void Polar(double radius, double angle, Span<double> r)
        {
            r[0] = radius * Math.Cos(angle);
            r[1] = radius * Math.Sin(angle);
        }").VectorMethod("T.F", "Polar");
        var j = VectorThreeWay.Check(m, new object[] { 2.0, 0.3, new double[2] });
        // ∂(x, y)/∂radius = (cos, sin); ∂(x, y)/∂angle = (−r sin, r cos).
        Assert.Equal(Math.Cos(0.3), j[0][0, 0], 14);
        Assert.Equal(Math.Sin(0.3), j[0][1, 0], 14);
        Assert.Equal(-2 * Math.Sin(0.3), j[1][0, 0], 14);
        Assert.Equal(2 * Math.Cos(0.3), j[1][1, 0], 14);
    }

    [Fact]
    public void Exponential_decay_residuals_of_a_curve_fit()
    {
        // The Gauss–Newton residual of y = a·exp(−b·t) + c: held back from the implementation, written as a user would.
        var m = Compile(@"[Differentiable(nameof(p))] public static void Residuals(ReadOnlySpan<double> p, double[] t, double[] y, Span<double> r)
        {
            for (int i = 0; i < t.Length; i++)
                r[i] = p[0] * Math.Exp(-p[1] * t[i]) + p[2] - y[i];
        }").VectorMethod("T.F", "Residuals");
        var t = Enumerable.Range(0, 7).Select(i => 0.5 * i).ToArray();
        var y = t.Select(v => 2 * Math.Exp(-0.7 * v) + 0.1).ToArray();
        var p = new[] { 1.5, 0.4, 0.3 };
        var j = VectorThreeWay.Check(m, new object[] { p, t, y, new double[t.Length] })[0];
        for (int i = 0; i < t.Length; i++)
        {
            double e = Math.Exp(-p[1] * t[i]);
            Assert.Equal(e, j[i, 0], 14);
            Assert.Equal(-p[0] * t[i] * e, j[i, 1], 14);
            Assert.Equal(1, j[i, 2], 14);
        }
    }

    [Fact]
    public void Output_layer_of_a_small_network()
    {
        var m = Compile(@"[Differentiable(nameof(w), nameof(b))] public static void Layer(double[] x, double[] w, double[] b, Span<double> r)
        {
            int n = x.Length;
            for (int o = 0; o < r.Length; o++)
            {
                double s = b[o];
                for (int k = 0; k < n; k++) s += w[o * n + k] * x[k];
                r[o] = Math.Tanh(s);
            }
        }").VectorMethod("T.F", "Layer");
        var inputs = new Inputs(3);
        for (int trial = 0; trial < 5; trial++)
            VectorThreeWay.Check(m, new object[] { inputs.Vector(4, -1, 1), inputs.Vector(12, -1, 1), inputs.Vector(3, -1, 1), new double[3] });
    }

    [Fact]
    public void Branches_early_return_and_reads_of_r_after_writing()
    {
        var m = Compile(@"[Differentiable] public static void Steps(double[] x, double s, Span<double> r)
        {
            r[0] = x[0] * s;
            for (int i = 1; i < r.Length; i++)
            {
                if (r[i - 1] > 1) r[i] = r[i - 1] * x[i] - s;
                else r[i] = Math.Sin(r[i - 1]) + x[i] * x[i];
                if (i == 3 && x[0] < -0.5) return;
            }
            r[0] += r[r.Length - 1] * s;
        }").VectorMethod("T.F", "Steps");
        var inputs = new Inputs(5);
        for (int trial = 0; trial < 8; trial++)
            VectorThreeWay.Check(m, new object[] { inputs.Vector(5, -1.5, 1.5), inputs.Scalar(-1, 2), new double[5] });
    }

    [Fact]
    public void Local_arrays_and_running_values_overwritten_in_a_loop()
    {
        var m = Compile(@"[Differentiable(nameof(x))] public static void Cumulative(double[] x, Span<double> r)
        {
            double[] t = new double[x.Length];
            double p = 1;
            for (int i = 0; i < x.Length; i++) { p = p * Math.Cos(x[i]) + x[i]; t[i] = p * p; }
            for (int i = 0; i < r.Length; i++) r[i] = t[i] - t[x.Length - 1 - i];
        }").VectorMethod("T.F", "Cumulative");
        var inputs = new Inputs(9);
        for (int trial = 0; trial < 5; trial++)
            VectorThreeWay.Check(m, new object[] { inputs.Vector(6, -1, 1), new double[4] });
    }

    [Fact]
    public void Elements_the_method_does_not_write_keep_the_callers_values()
    {
        var m = Compile(@"[Differentiable] public static void Half(double[] x, Span<double> r)
        {
            for (int i = 0; i < x.Length; i++) r[2 * i] = x[i] * x[i];
        }").VectorMethod("T.F", "Half");
        var r = new[] { 9.0, 8, 7, 6, 5, 4 };
        var j = VectorThreeWay.Check(m, new object[] { new[] { 1.0, 2, 3 }, r })[0];
        Assert.Equal(new[] { 1.0, 8, 4, 6, 9, 4 }, m.Value(new[] { 1.0, 2, 3 }, r));
        Assert.Equal(4, j[2, 1], 14);
        Assert.Equal(0, j[3, 1], 14);
    }

    [Fact]
    public void Float_method_computes_in_float()
    {
        var m = Compile(@"[Differentiable] public static void Map(float[] x, float a, Span<float> r)
        {
            for (int i = 0; i < r.Length; i++) r[i] = MathF.Exp(a * x[i]) - x[(i + 1) % x.Length];
        }").VectorMethod("T.F", "Map");
        Assert.True(m.IsSingle);
        var x = new[] { 0.1f, -0.4f, 0.7f };
        VectorThreeWay.Check(m, new object[] { x, 0.8f, new float[3] }, tapeTolerance: 1e-5, numericalTolerance: 2e-2);
    }

    [Fact]
    public void Mvjp_writes_r_and_checks_the_weights_length()
    {
        var m = Compile(@"[Differentiable] public static void Square(double[] x, Span<double> r)
        {
            for (int i = 0; i < x.Length; i++) r[i] = x[i] * x[i];
        }").VectorMethod("T.F", "Square");
        var (r, vjp) = m.Vjp(new object[] { new[] { 1.0, 2, 3 }, new double[3] }, new[] { 1.0, 10, 100 });
        Assert.Equal(new[] { 1.0, 4, 9 }, r);
        Assert.Equal(new[] { 2.0, 40, 600 }, vjp[0]);
        var e = Assert.Throws<ArgumentException>(() => m.CallWithOutputs("Vjp", new object[] { new[] { 1.0, 2, 3 }, new double[3] }, new object[] { new double[2], new object[] { new double[3] } }));
        Assert.Contains("rBar", e.Message);
        var shape = Assert.Throws<ArgumentException>(() => m.CallWithOutputs("Jacobian", new object[] { new[] { 1.0, 2, 3 }, new double[3] }, new object[] { new object[] { new double[3, 2] } }));
        Assert.Contains("(3, 3)", shape.Message);
    }

    [Fact]
    public void Mjacobian_and_mvjp_allocate_nothing_in_steady_state()
    {
        // The measuring loop is user code, so no reflection or boxing sits between the calls and the count.
        var run = Compile(@"[Differentiable(nameof(p))] public static void Residuals(double[] p, double[] t, double[] y, Span<double> r)
        {
            Span<double> z = stackalloc double[t.Length]; // new double[n] would allocate in the method itself, and so in its derivatives
            for (int i = 0; i < t.Length; i++) z[i] = p[0] * Math.Exp(-p[1] * t[i]);
            for (int i = 0; i < t.Length; i++) r[i] = z[i] + p[2] * z[(i + 1) % t.Length] - y[i];
        }
        public static long AllocatedBytes(int calls)
        {
            var t = new double[20]; var y = new double[20];
            for (int i = 0; i < 20; i++) { t[i] = 0.1 * i; y[i] = Math.Cos(i); }
            var p = new[] { 1.0, 0.5, 0.2 };
            var r = new double[20]; var weights = new double[20]; var dp = new double[3];
            var jacobian = new double[20, 3];
            weights[3] = 1;
            for (int k = 0; k < 3; k++) { ResidualsJacobian(p, t, y, r, jacobian); ResidualsVjp(p, t, y, r, weights, dp); }
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int k = 0; k < calls; k++) { ResidualsJacobian(p, t, y, r, jacobian); ResidualsVjp(p, t, y, r, weights, dp); }
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }");
        long allocated = (long)run.UserType("T.F").GetMethod("AllocatedBytes")!.Invoke(null, new object[] { 200 })!;
        Assert.Equal(0, allocated);
        VectorThreeWay.Check(run.VectorMethod("T.F", "Residuals"), new object[] { new[] { 1.0, 0.5, 0.2 }, new Inputs(2).Vector(6, 0, 1), new Inputs(3).Vector(6), new double[6] });
    }

    /// <summary>
    /// Found by the vector fuzz (ProgramSpec(415781, 27)): a method that adds into r (r[3] += …) reads the caller's
    /// values, and MJacobian, calling MVjp once per row, added into them again on every row.
    /// </summary>
    [Fact]
    public void Jacobian_rows_each_start_from_the_callers_r()
    {
        var m = Compile(@"[Differentiable] public static void Accumulate(double[] x, Span<double> r)
        {
            for (int i = 0; i < r.Length; i++) r[i] += x[i] * x[i];
        }").VectorMethod("T.F", "Accumulate");
        var r = new[] { 1.0, 2, 3 };
        var j = VectorThreeWay.Check(m, new object[] { new[] { 0.5, -1.0, 2 }, r })[0];
        Assert.Equal(new[] { 1.25, 3, 7 }, m.Jacobian("Jacobian", new[] { 0.5, -1.0, 2 }, r).R);
        Assert.Equal(-2, j[1, 1], 14);
    }

    /// <summary>
    /// Found by the vector fuzz (ProgramSpec(257136, 13)): when the reverse sweep restores r, MVjp writes it again by
    /// calling the method, which must get the arguments as passed, not the parameters the method itself overwrote.
    /// </summary>
    [Fact]
    public void Rewriting_r_uses_the_arguments_as_passed()
    {
        var m = Compile(@"[Differentiable] public static void Overwrites(double[] x, double a, Span<double> r)
        {
            r[0] = a * x[0];
            a += a * x[1];
            r[1] = Math.Sin(r[0]) * a;
        }").VectorMethod("T.F", "Overwrites");
        var j = VectorThreeWay.Check(m, new object[] { new[] { 0.5, -1.5 }, 0.7, new double[2] });
        Assert.Equal(0.7 * Math.Cos(0.35) * (1 - 1.5) * 0.7, j[0][1, 0], 14);
    }
}
