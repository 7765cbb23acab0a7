using System;

namespace Differentiator.Samples.Support;

/// <summary>The data sets of the tutorial, shared by the samples that use them.</summary>
public static class Datasets
{
    /// <summary>Hours studied by five students.</summary>
    public static double[] Hours => new double[] { 2, 4, 6, 8, 10 };

    /// <summary>Their test scores.</summary>
    public static double[] Scores => new double[] { 75, 80, 90, 94, 98 };

    /// <summary>Hours they slept the night before.</summary>
    public static double[] Slept => new double[] { 6, 7, 8, 7.5, 8 };

    /// <summary>A data matrix with the given arrays as its columns.</summary>
    public static double[,] Columns(params double[][] columns)
    {
        var X = new double[columns[0].Length, columns.Length];
        for (int i = 0; i < X.GetLength(0); i++)
            for (int j = 0; j < columns.Length; j++) X[i, j] = columns[j][i];
        return X;
    }

    /// <summary>Column <paramref name="j"/> of <paramref name="X"/>.</summary>
    public static double[] Column(double[,] X, int j)
    {
        var column = new double[X.GetLength(0)];
        for (int i = 0; i < column.Length; i++) column[i] = X[i, j];
        return column;
    }

    /// <summary>
    /// <paramref name="n"/> samples with integer features drawn from [10, 100) and the exact target y = X·w + b (no
    /// noise, so the loss can reach 0 and the true parameters are the answer).
    /// </summary>
    public static (double[,] X, double[] y) Synthetic(int n, double[] w, double b, int seed)
    {
        var random = new Random(seed);
        var X = new double[n, w.Length];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = b;
            for (int j = 0; j < w.Length; j++)
            {
                X[i, j] = random.Next(10, 100);
                y[i] += w[j] * X[i, j];
            }
        }
        return (X, y);
    }

    /// <summary>Predictions of the linear model X·w + b.</summary>
    public static double[] PredictLinear(double[,] X, double[] w, double b)
    {
        var predictions = new double[X.GetLength(0)];
        for (int i = 0; i < predictions.Length; i++)
        {
            predictions[i] = b;
            for (int j = 0; j < w.Length; j++) predictions[i] += X[i, j] * w[j];
        }
        return predictions;
    }
}
