using System;
using System.Collections.Generic;

namespace Differentiator.Training;

/// <summary>
/// Z-scores each feature (column) of a data matrix: x' = (x − μ)/σ, with the mean μ and the population standard
/// deviation σ of the data it was fitted on (what scikit-learn's <c>StandardScaler</c> does). Features of very
/// different scales make gradient descent crawl: the learning rate must suit the largest scale, so the others barely
/// move. On standardized features one learning rate suits all. A linear model trained on standardized features
/// maps back exactly with <see cref="ToOriginalUnits"/>, so the weights can be read in the data's own units.
/// </summary>
/// <example>
/// <code>
/// var standardizer = Standardizer.Fit(X);
/// double[,] Xs = standardizer.Transform(X);
/// // … train w, b on Xs …
/// double b0 = standardizer.ToOriginalUnits(w, b, w0);  // w0, b0 predict from raw X
/// </code>
/// </example>
public sealed class Standardizer
{
    private readonly double[] _means;
    private readonly double[] _deviations;

    private Standardizer(double[] means, double[] deviations)
    {
        _means = means;
        _deviations = deviations;
    }

    /// <summary>Each feature's mean.</summary>
    public IReadOnlyList<double> Means => _means;

    /// <summary>
    /// Each feature's population standard deviation, except that a constant feature (σ = 0) gets 1, so that it maps
    /// to 0 instead of dividing by zero (scikit-learn does the same).
    /// </summary>
    public IReadOnlyList<double> StandardDeviations => _deviations;

    /// <summary>The number of features.</summary>
    public int FeatureCount => _means.Length;

    /// <summary>Learns each column's mean and standard deviation.</summary>
    /// <param name="X">Samples in rows, features in columns; at least one row.</param>
    /// <exception cref="ArgumentException">X has no rows or no columns.</exception>
    public static Standardizer Fit(double[,] X)
    {
        ArgumentNullException.ThrowIfNull(X);
        int n = X.GetLength(0), d = X.GetLength(1);
        if (n == 0 || d == 0) throw new ArgumentException("Standardizing needs at least one row and one column.", nameof(X));
        var means = new double[d];
        var deviations = new double[d];
        for (int j = 0; j < d; j++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += X[i, j];
            double mean = sum / n;
            // Two passes: subtracting the mean first avoids the cancellation of E[x²] − E[x]².
            double squares = 0;
            for (int i = 0; i < n; i++) squares += (X[i, j] - mean) * (X[i, j] - mean);
            double deviation = Math.Sqrt(squares / n);
            means[j] = mean;
            deviations[j] = deviation > 0 ? deviation : 1;
        }
        return new Standardizer(means, deviations);
    }

    /// <summary>A standardized copy of <paramref name="X"/>.</summary>
    /// <exception cref="ArgumentException">X has a different number of columns than the data fitted.</exception>
    public double[,] Transform(double[,] X)
    {
        ArgumentNullException.ThrowIfNull(X);
        CheckColumns(X.GetLength(1), nameof(X));
        int n = X.GetLength(0);
        var result = new double[n, _means.Length];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < _means.Length; j++)
                result[i, j] = (X[i, j] - _means[j]) / _deviations[j];
        return result;
    }

    /// <summary>Standardizes one sample into <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">A span's length is not the number of features.</exception>
    public void TransformRow(ReadOnlySpan<double> row, Span<double> destination)
    {
        CheckColumns(row.Length, nameof(row));
        CheckColumns(destination.Length, nameof(destination));
        for (int j = 0; j < row.Length; j++) destination[j] = (row[j] - _means[j]) / _deviations[j];
    }

    /// <summary>
    /// Maps a linear model trained on standardized features, ŷ = Σⱼ w′ⱼ·(xⱼ − μⱼ)/σⱼ + b′, to the same predictions
    /// from raw features: wⱼ = w′ⱼ/σⱼ and b = b′ − Σⱼ w′ⱼ·μⱼ/σⱼ.
    /// </summary>
    /// <param name="standardizedWeights">w′, learned on standardized features.</param>
    /// <param name="standardizedBias">b′.</param>
    /// <param name="weights">Receives w, in the features' original units.</param>
    /// <returns>b, in original units.</returns>
    /// <exception cref="ArgumentException">A span's length is not the number of features.</exception>
    public double ToOriginalUnits(ReadOnlySpan<double> standardizedWeights, double standardizedBias, Span<double> weights)
    {
        CheckColumns(standardizedWeights.Length, nameof(standardizedWeights));
        CheckColumns(weights.Length, nameof(weights));
        double bias = standardizedBias;
        for (int j = 0; j < _means.Length; j++)
        {
            double w = standardizedWeights[j] / _deviations[j];
            bias -= w * _means[j];
            weights[j] = w;
        }
        return bias;
    }

    private void CheckColumns(int count, string parameter)
    {
        if (count != _means.Length) throw new ArgumentException($"Expected {_means.Length} features, got {count}.", parameter);
    }
}
