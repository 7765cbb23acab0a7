using System;

namespace DataParallel;

/// <summary>
/// A large synthetic regression y = X·w* + b* + noise whose row i is a function of (seed, i) alone: each rank makes
/// only the rows of its own shard — as each machine of a cluster would read only its part of the data — and the
/// rows are the same whichever rank makes them, so any number of ranks trains on the same data.
/// </summary>
public static class SyntheticRegression
{
    /// <summary>The weights the data are made from (the first <c>features</c> of them).</summary>
    public static readonly double[] TrueWeights = { 2, -3, 0.5, 1.5, -1, 4, -2.5, 0.75 };

    /// <summary>The bias the data are made from.</summary>
    public const double TrueBias = 0.5;

    /// <summary>Rows [start, start + count) of the data set: features uniform in [−1, 1), noise uniform in [−0.05, 0.05).</summary>
    public static (double[,] X, double[] y) Rows(int start, int count, int features, ulong seed = 24)
    {
        if (features < 1 || features > TrueWeights.Length)
            throw new ArgumentOutOfRangeException(nameof(features), features, $"Between 1 and {TrueWeights.Length} features.");
        var X = new double[count, features];
        var y = new double[count];
        for (int i = 0; i < count; i++)
        {
            ulong state = seed * 0x9E3779B97F4A7C15UL + (ulong)(start + i) * 0xD1B54A32D192ED03UL;
            double target = TrueBias;
            for (int j = 0; j < features; j++)
            {
                X[i, j] = 2 * Uniform(ref state) - 1;
                target += X[i, j] * TrueWeights[j];
            }
            y[i] = target + 0.1 * (Uniform(ref state) - 0.5);
        }
        return (X, y);
    }

    // SplitMix64 (Steele, Lea and Flood 2014): a counter-based generator, so row i needs no rows before it.
    private static double Uniform(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
