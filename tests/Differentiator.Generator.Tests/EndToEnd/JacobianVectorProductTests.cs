using System;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>
/// MJvp (forward mode of a vector-valued method) against J·v from MJacobian and from central differences, and
/// MJacobian's two paths: columns by MJvp when the parameters have fewer components than r has elements (a curve
/// fit's residuals), rows by MVjp otherwise (a wide map).
/// </summary>
public class JacobianVectorProductTests
{
    private const string Source = @"using System;
using Differentiator;
namespace T;
public static partial class F
{
    [Differentiable(nameof(a), nameof(b), nameof(c))]
    public static void Residuals(double a, double b, double c, double[] t, double[] y, Span<double> r)
    {
        for (int i = 0; i < t.Length; i++) r[i] = a * Math.Exp(-b * t[i]) + c - y[i];
    }

    [Differentiable(nameof(p))]
    public static void Wide(ReadOnlySpan<double> p, Span<double> r)
    {
        r[0] = 0;
        r[1] = 0;
        for (int j = 0; j < p.Length; j++)
        {
            r[0] += p[j] * p[j];
            if (p[j] > 0) r[1] += Math.Sin(p[j]) * (j + 1);
            else r[1] -= p[j];
        }
    }

    /// <summary>The largest disagreement of the three answers, and of the closed form, over both methods.</summary>
    public static double Check()
    {
        double worst = 0;
        void Compare(double expected, double actual) => worst = Math.Max(worst, Math.Abs(expected - actual) / (1 + Math.Abs(expected)));

        double[] t = { 0, 0.5, 1, 1.5, 2, 3 };
        double[] y = { 3.1, 2.2, 1.7, 1.4, 1.2, 1.05 };
        double a = 2.1, b = 0.8, c = 0.9;
        var r = new double[t.Length];
        var ja = new double[t.Length]; var jb = new double[t.Length]; var jc = new double[t.Length];
        ResidualsJacobian(a, b, c, t, y, r, ja, jb, jc);
        var na = new double[t.Length]; var nb = new double[t.Length]; var nc = new double[t.Length];
        ResidualsNumericalJacobian(a, b, c, t, y, new double[t.Length], na, nb, nc);
        var rDot = new double[t.Length];
        ResidualsJvp(a, b, c, t, y, new double[t.Length], 0.3, -0.2, 0.5, rDot);
        for (int i = 0; i < t.Length; i++)
        {
            double e = Math.Exp(-b * t[i]);
            Compare(e, ja[i]);
            Compare(-a * t[i] * e, jb[i]);
            Compare(1, jc[i]);
            Compare(na[i], ja[i]);
            Compare(nb[i], jb[i]);
            Compare(nc[i], jc[i]);
            Compare(0.3 * ja[i] - 0.2 * jb[i] + 0.5 * jc[i], rDot[i]);
            Compare(a * e + c - y[i], r[i]);
        }

        double[] p = { 0.4, -1.2, 0.9, 2.0, -0.3 };
        double[] v = { 1.0, 0.5, -2.0, 0.25, 3.0 };
        var wide = new double[2];
        var jp = new double[2, p.Length];
        WideJacobian(p, wide, jp);
        var wideDot = new double[2];
        WideJvp(p, new double[2], v, wideDot);
        var tapeJp = new double[2, p.Length];
        WideTapeJacobian(p, new double[2], tapeJp);
        for (int i = 0; i < 2; i++)
        {
            double jv = 0;
            for (int j = 0; j < p.Length; j++)
            {
                jv += jp[i, j] * v[j];
                Compare(tapeJp[i, j], jp[i, j]);
            }
            Compare(jv, wideDot[i]);
        }
        return worst;
    }

    /// <summary>Bytes allocated by 100 MJacobian calls (column path) and 100 MJvp calls after a warm-up.</summary>
    public static long Allocated()
    {
        double[] t = { 0, 0.5, 1, 1.5, 2, 3 };
        double[] y = { 3.1, 2.2, 1.7, 1.4, 1.2, 1.05 };
        var r = new double[t.Length];
        var ja = new double[t.Length]; var jb = new double[t.Length]; var jc = new double[t.Length];
        var rDot = new double[t.Length];
        for (int k = 0; k < 3; k++) { ResidualsJacobian(2, 0.8, 0.9, t, y, r, ja, jb, jc); ResidualsJvp(2, 0.8, 0.9, t, y, r, 1, 0, 0, rDot); }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 100; k++) { ResidualsJacobian(2, 0.8, 0.9, t, y, r, ja, jb, jc); ResidualsJvp(2, 0.8, 0.9, t, y, r, 1, 0, 0, rDot); }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }
}";

    [Fact]
    public void Jvp_agrees_with_the_jacobian_the_closed_form_and_central_differences()
    {
        var run = GeneratorRun.Compile(Source).AssertClean();
        Assert.True((double)run.InvokeStatic("T.F", "Check")! < 1e-6);
        // Three parameters, six residuals: the Jacobian takes its columns by MJvp; the wide map its rows by MVjp.
        Assert.Contains("ResidualsJvp(", run.Sources["T.F.Residuals.g.cs"].Substring(run.Sources["T.F.Residuals.g.cs"].IndexOf("void ResidualsJacobian(", StringComparison.Ordinal)));
        Assert.Equal(0L, (long)run.InvokeStatic("T.F", "Allocated")!);
    }
}
