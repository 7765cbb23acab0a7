namespace Differentiator.Generator.Tests.Infrastructure;

/// <summary>User code shared by several tests.</summary>
public static class Sources
{
    public const string Mse = @"using System;
using Differentiator;

namespace Demo;

public static partial class Losses
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
}
";
}
