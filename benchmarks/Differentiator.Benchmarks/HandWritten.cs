using System;
using System.Numerics.Tensors;

namespace Differentiator.Benchmarks;

/// <summary>The references: a careful person's fused loop, and a vectorized version (the practical limit).</summary>
public static class HandWritten
{
    /// <summary>One pass: residual, loss and gradient together.</summary>
    public static double MseFused(double[,] X, double[] y, double[] w, double b, Span<double> dw, out double db)
    {
        int n = y.Length, d = w.Length;
        dw.Clear();
        double sum = 0, gb = 0, scale = 2.0 / n;
        for (int i = 0; i < n; i++)
        {
            double pred = b;
            for (int j = 0; j < d; j++) pred += X[i, j] * w[j];
            double r = pred - y[i];
            sum += r * r;
            double g = scale * r;
            for (int j = 0; j < d; j++) dw[j] += g * X[i, j];
            gb += g;
        }
        db = gb;
        return sum / n;
    }

    /// <summary>Rows as spans, dot products and axpy by TensorPrimitives (SIMD).</summary>
    public static double MseSimd(double[] Xflat, int d, double[] y, double[] w, double b, Span<double> dw, out double db)
    {
        int n = y.Length;
        dw.Clear();
        double sum = 0, gb = 0, scale = 2.0 / n;
        for (int i = 0; i < n; i++)
        {
            var row = new ReadOnlySpan<double>(Xflat, i * d, d);
            double r = TensorPrimitives.Dot(row, w) + b - y[i];
            sum += r * r;
            double g = scale * r;
            TensorPrimitives.MultiplyAdd(row, g, dw, dw);
            gb += g;
        }
        db = gb;
        return sum / n;
    }

    public static double LogisticFused(double[,] X, double[] y, double[] w, double b, Span<double> dw, out double db)
    {
        int n = y.Length, d = w.Length;
        dw.Clear();
        double loss = 0, gb = 0;
        for (int i = 0; i < n; i++)
        {
            double z = b;
            for (int j = 0; j < d; j++) z += X[i, j] * w[j];
            double e = Math.Exp(z);
            loss += Math.Log(1 + e) - y[i] * z;
            double g = (e / (1 + e) - y[i]) / n;
            for (int j = 0; j < d; j++) dw[j] += g * X[i, j];
            gb += g;
        }
        db = gb;
        return loss / n;
    }
}
