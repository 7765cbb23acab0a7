using System;
using Differentiator;

/// <summary>
/// Methods with data parameters (not differentiated), matrices and jagged rows: the generated members document every
/// parameter, so a project with GenerateDocumentationFile and TreatWarningsAsErrors builds clean.
/// </summary>
public static partial class Strict
{
    /// <summary>Mean squared error of a linear model.</summary>
    /// <param name="X">Inputs, one row per sample.</param>
    /// <param name="y">Targets.</param>
    /// <param name="w">Weights.</param>
    /// <param name="b">Bias.</param>
    [Differentiable(nameof(w), nameof(b))]
    public static double Mse(double[,] X, double[] y, double[] w, double b)
    {
        int n = y.Length;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double pred = b;
            for (int j = 0; j < w.Length; j++) pred += X[i, j] * w[j];
            double r = pred - y[i];
            sum += r * r;
        }
        return sum / n;
    }

    /// <summary>A weight matrix applied to one input.</summary>
    /// <param name="W">Weights, one row per output.</param>
    /// <param name="x">The input.</param>
    [Differentiable(nameof(W))]
    public static double Layer(double[][] W, double[] x)
    {
        double s = 0;
        for (int i = 0; i < W.Length; i++)
            for (int j = 0; j < x.Length; j++) s += Math.Tanh(W[i][j] * x[j]);
        return s;
    }

    /// <summary>Checks both with the tape and central differences; true when all three agree.</summary>
    public static bool Check()
    {
        double[,] X = { { 1, 2 }, { 3, 4 } };
        double[] y = { 1, 2 }, w = { 0.5, -0.25 };
        var dw = new double[2];
        var dwTape = new double[2];
        Mse(X, y, w, 0.1);
        MseGradient(X, y, w, 0.1, dw, out double db);
        MseTapeGradient(X, y, w, 0.1, dwTape, out double dbTape);
        double[][] W = { new[] { 0.1, 0.2 }, new[] { -0.3, 0.4 } };
        double[][] dW = { new double[2], new double[2] };
        Layer(W, y);
        LayerGradient(W, y, dW);
        return Math.Abs(dw[0] - dwTape[0]) < 1e-12 && Math.Abs(db - dbTape) < 1e-12 && dW[1][1] != 0;
    }
}
