using System;
using Differentiator;

namespace Differentiator.Benchmarks;

/// <summary>The functions benchmarked, written as users write them; the generator derives their gradients.</summary>
public static partial class Objectives
{
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

    /// <summary><see cref="Mse"/> over a flat row-major X: row i is <c>X[i * d .. i * d + d)</c>.</summary>
    [Differentiable(nameof(w), nameof(b))]
    public static double MseFlat(double[] X, double[] y, double[] w, double b)
    {
        int n = y.Length;
        int d = w.Length;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double pred = b;
            for (int j = 0; j < d; j++) pred += X[i * d + j] * w[j];
            double r = pred - y[i];
            sum += r * r;
        }
        return sum / n;
    }

    [Differentiable(nameof(w), nameof(b))]
    public static double LogisticLoss(double[,] X, double[] y, double[] w, double b)
    {
        double loss = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double z = b;
            for (int j = 0; j < w.Length; j++) z += X[i, j] * w[j];
            // log(1 + e^z) − y·z, the numerically plain form of the cross-entropy of σ(z)
            loss += Math.Log(1 + Math.Exp(z)) - y[i] * z;
        }
        return loss / y.Length;
    }

    [Differentiable(nameof(W1), nameof(b1), nameof(v), nameof(c))]
    public static double TanhNetwork(double[] xs, double[] ys, double[] W1, double[] b1, double[] v, double c)
    {
        double loss = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            double output = c;
            for (int h = 0; h < v.Length; h++) output += v[h] * Math.Tanh(W1[h] * xs[i] + b1[h]);
            double error = output - ys[i];
            loss += 0.5 * error * error;
        }
        return loss;
    }
}
