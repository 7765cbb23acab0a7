using System;
using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>
/// Differentiating with respect to a matrix: a <c>double[,]</c> or a jagged <c>double[][]</c> named in the attribute
/// gets an output of its own shape (<c>double[,] dW</c>, <c>double[][] dW</c>), written element by element. Unnamed
/// matrices stay data, as before. Checked three ways and against closed forms.
/// </summary>
public class MatrixTests
{
    private const string Prelude = "using System;\nusing Differentiator;\nnamespace T;\n";

    private static GeneratorRun Compile(string body) =>
        GeneratorRun.Compile(Prelude + "public static partial class F\n{\n" + body + "\n}\n").AssertClean();

    private static double[,] Matrix(Inputs inputs, int rows, int columns)
    {
        var values = inputs.Vector(rows * columns, -1, 1);
        var m = new double[rows, columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) m[i, j] = values[i * columns + j];
        return m;
    }

    private static double[][] Jagged(Inputs inputs, params int[] rowLengths) => rowLengths.Select(n => inputs.Vector(n, -1, 1)).ToArray();

    [Fact]
    public void A_two_layer_network_with_double_2D_weight_matrices()
    {
        var m = Compile(@"[Differentiable(nameof(W1), nameof(b1), nameof(W2))] public static double Loss(double[,] X, double[] y, double[,] W1, double[] b1, double[,] W2)
        {
            int n = X.GetLength(0), d = X.GetLength(1), h = W1.GetLength(0);
            Span<double> a = stackalloc double[h];
            double loss = 0;
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < h; k++)
                {
                    double z = b1[k];
                    for (int j = 0; j < d; j++) z += W1[k, j] * X[i, j];
                    a[k] = Math.Tanh(z);
                }
                double pred = 0;
                for (int k = 0; k < h; k++) pred += W2[0, k] * a[k];
                double r = pred - y[i];
                loss += r * r;
            }
            return loss / n;
        }").Method("T.F", "Loss");
        var inputs = new Inputs(31);
        for (int trial = 0; trial < 4; trial++)
            ThreeWay.Check(m, new object[] { Matrix(inputs, 6, 3), inputs.Vector(6, -1, 1), Matrix(inputs, 4, 3), inputs.Vector(4, -1, 1), Matrix(inputs, 1, 4) });
    }

    [Fact]
    public void Jagged_rows_of_different_lengths_and_row_views()
    {
        var m = Compile(@"static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
        {
            double s = 0;
            for (int j = 0; j < a.Length; j++) s += a[j] * b[j];
            return s;
        }

        [Differentiable(nameof(W))] public static double G(double[][] W, double[] x)
        {
            double total = 0;
            for (int i = 0; i < W.Length; i++)
            {
                var row = W[i];
                double s = Dot(row, x.AsSpan(0, row.Length));
                for (int j = 0; j < W[i].Length; j++) s += Math.Sin(W[i][j]) * j;
                total += s * s;
            }
            return total;
        }").Method("T.F", "G");
        var inputs = new Inputs(32);
        for (int trial = 0; trial < 4; trial++)
            ThreeWay.Check(m, new object[] { Jagged(inputs, 3, 1, 4, 2), inputs.Vector(4, -1, 1) });
        // G = Σᵢ sᵢ² with sᵢ = Σⱼ W[i][j]·x[j] + Σⱼ j·sin W[i][j], so ∂G/∂W[i][j] = 2sᵢ(x[j] + j·cos W[i][j]).
        var W = new[] { new[] { 0.5, -0.25 } };
        var x = new[] { 2.0, 3.0 };
        var (_, g) = m.Gradient(W, x);
        double s = 0.5 * 2 + -0.25 * 3 + Math.Sin(-0.25) * 1;
        Assert.Equal(2 * s * (2 + 0 * Math.Cos(0.5)), g[0][0], 14);
        Assert.Equal(2 * s * (3 + 1 * Math.Cos(-0.25)), g[0][1], 14);
    }

    [Fact]
    public void Unnamed_matrices_stay_data_and_the_output_shape_is_checked()
    {
        var run = Compile(@"[Differentiable] public static double H(double[,] X, double[] w) { double s = 0; for (int j = 0; j < w.Length; j++) s += X[0, j] * w[j]; return s; }
        [Differentiable(nameof(W))] public static double K(double[,] W) => W[0, 0] * W[1, 1];
        [Differentiable(nameof(W))] public static double L(double[][] W) => W[0][0] * W[1][0];");
        Assert.Equal(new[] { "w" }, run.Method("T.F", "H").Differentiated);
        var k = run.Method("T.F", "K");
        var (_, gk) = k.Gradient(new double[,] { { 2, 3 }, { 5, 7 } });
        Assert.Equal(new double[] { 7, 0, 0, 2 }, gk[0]);
        var wrongShape = Assert.Throws<ArgumentException>(() => k.CallWithOutputs("Gradient", new object[] { new double[2, 2] }, new object[] { new double[2, 3] }));
        Assert.Equal("dW", wrongShape.ParamName);
        var l = run.Method("T.F", "L");
        var raggedOutput = Assert.Throws<ArgumentException>(() => l.CallWithOutputs("Gradient", new object[] { new[] { new[] { 1.0 }, new[] { 2.0 } } }, new object[] { new[] { new double[1], new double[2] } }));
        Assert.Equal("dW", raggedOutput.ParamName);
        var (_, gl) = l.Gradient(new object[] { new[] { new[] { 2.0 }, new[] { 5.0 } } }); // (a double[][] alone would be taken for the params array)
        Assert.Equal(new double[] { 5, 2 }, gl[0]);
    }

    [Fact]
    public void A_float_matrix_is_differentiated_in_float()
    {
        var m = Compile(@"[Differentiable(nameof(W))] public static float G(float[,] W, float[] x)
        {
            float s = 0;
            for (int i = 0; i < W.GetLength(0); i++)
                for (int j = 0; j < W.GetLength(1); j++) s += MathF.Exp(0.5f * W[i, j]) * x[j];
            return s;
        }").Method("T.F", "G");
        var W = new float[,] { { 0.5f, -1f }, { 0.25f, 2f } };
        var x = new[] { 1.5f, -0.5f };
        ThreeWay.CheckSingle(m, new object[] { W, x }, 1e-5, 2e-3);
        var (_, g) = m.Gradient(W, x);
        Assert.Equal(0.5 * Math.Exp(0.25) * 1.5, g[0][0], 5);
    }
}
