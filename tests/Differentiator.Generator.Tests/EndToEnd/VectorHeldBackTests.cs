using System;
using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>
/// Vector-valued functions written as a user would, from outside the implementation: a bundle-adjustment-like
/// reprojection residual (GradBench's ba, simplified: small-angle rotation) whose helper writes each observation's two
/// residuals through a slice of r, and a softmax over a linear layer. Checked three ways and against closed forms.
/// </summary>
public class VectorHeldBackTests
{
    private const string Prelude = "using System;\nusing Differentiator;\nnamespace T;\n";

    private static GeneratorRun Compile(string body) =>
        GeneratorRun.Compile(Prelude + "public static partial class F\n{\n" + body + "\n}\n").AssertClean();

    [Fact]
    public void Reprojection_residuals_written_through_a_helper_into_slices_of_r()
    {
        var m = Compile(@"static void Residual(ReadOnlySpan<double> cam, ReadOnlySpan<double> X, double u, double v, Span<double> e)
        {
            double px = X[0] + cam[1] * X[2] - cam[2] * X[1] + cam[3];
            double py = X[1] + cam[2] * X[0] - cam[0] * X[2] + cam[4];
            double pz = X[2] + cam[0] * X[1] - cam[1] * X[0] + cam[5];
            e[0] = px / pz - u;
            e[1] = py / pz - v;
        }
        [Differentiable(nameof(cams), nameof(points))]
        public static void Reprojection(double[] cams, double[] points, double[] obs, Span<double> r)
        {
            int nc = cams.Length / 6, np = points.Length / 3;
            for (int i = 0; i < obs.Length / 2; i++)
            {
                int c = i % nc, p = i % np;
                Residual(cams.AsSpan(c * 6, 6), points.AsSpan(p * 3, 3), obs[2 * i], obs[2 * i + 1], r.Slice(2 * i, 2));
            }
        }").VectorMethod("T.F", "Reprojection");
        var inputs = new Inputs(21);
        var cams = inputs.Vector(12, -0.1, 0.1);
        for (int k = 0; k < 2; k++) cams[6 * k + 5] = 4; // in front of the camera
        var points = inputs.Vector(9, -1, 1);
        var obs = inputs.Vector(10, -0.3, 0.3);
        var j = VectorThreeWay.Check(m, new object[] { cams, points, obs, new double[10] });
        // Observation 0 sees camera 0 and point 0 only: its residuals do not move with camera 1 or point 1.
        for (int col = 6; col < 12; col++) Assert.Equal(0, j[0][0, col]);
        for (int col = 3; col < 6; col++) Assert.Equal(0, j[1][1, col]);
        // ∂e₀/∂t_x = 1/p_z for observation 0 (camera 0's translation is cams[3]).
        var X = points.Take(3).ToArray();
        double pz = X[2] + cams[0] * X[1] - cams[1] * X[0] + cams[5];
        Assert.Equal(1 / pz, j[0][0, 3], 12);
    }

    [Fact]
    public void Softmax_of_a_linear_layer()
    {
        var m = Compile(@"[Differentiable(nameof(W))] public static void Softmax(double[] W, double[] x, Span<double> r)
        {
            int d = x.Length;
            double max = double.NegativeInfinity;
            for (int k = 0; k < r.Length; k++)
            {
                double z = 0;
                for (int j = 0; j < d; j++) z += W[k * d + j] * x[j];
                r[k] = z;
                if (z > max) max = z;
            }
            double sum = 0;
            for (int k = 0; k < r.Length; k++) { r[k] = Math.Exp(r[k] - max); sum += r[k]; }
            for (int k = 0; k < r.Length; k++) r[k] /= sum;
        }").VectorMethod("T.F", "Softmax");
        var inputs = new Inputs(4);
        var W = inputs.Vector(12, -1, 1);
        var x = inputs.Vector(3, -1, 1);
        var j = VectorThreeWay.Check(m, new object[] { W, x, new double[4] })[0];
        // ∂s_k/∂W[l·d + j] = s_k·(δ_kl − s_l)·x_j.
        var s = m.Value(W, x, new double[4]);
        for (int k = 0; k < 4; k++)
            for (int l = 0; l < 4; l++)
                for (int col = 0; col < 3; col++)
                    Assert.Equal(s[k] * ((k == l ? 1 : 0) - s[l]) * x[col], j[k, l * 3 + col], 12);
    }
}
