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

    /// <summary>
    /// A double source rewritten in float: <c>double</c> → <c>float</c>, <c>Math.</c> → <c>MathF.</c>, and <c>f</c> on every
    /// decimal literal (<c>0.5</c> → <c>0.5f</c>). For sources written for it: no <c>Math.PI</c>, no exponent literals.
    /// </summary>
    public static string ToFloat(string source) =>
        System.Text.RegularExpressions.Regex.Replace(source.Replace("double", "float").Replace("Math.", "MathF."), @"(?<![\w.])(\d+\.\d+)(?![\w.])", "$1f");
}
