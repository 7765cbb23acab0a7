using System;

namespace Differentiator.Training;

/// <summary>
/// The Euclidean norm of a gradient split into blocks the way <c>MGradient</c> returns it (spans for arrays,
/// doubles for scalars), for <see cref="EpochResult.GradientNorm"/>. Scaled so that large components cannot overflow
/// the sum of squares.
/// </summary>
public static class GradientNorm
{
    /// <summary>‖g‖₂.</summary>
    public static double Of(ReadOnlySpan<double> g) => Combine(g, default, default, 0);

    /// <summary>‖(g, s)‖₂: an array block and a scalar, the shape of a linear model's (dw, db).</summary>
    public static double Of(ReadOnlySpan<double> g, double s) => Combine(g, default, default, s, 1);

    /// <summary>‖(g₁, g₂)‖₂.</summary>
    public static double Of(ReadOnlySpan<double> g1, ReadOnlySpan<double> g2) => Combine(g1, g2, default, 0);

    /// <summary>‖(g₁, g₂, g₃, s)‖₂: three array blocks and a scalar, the shape of a one-hidden-layer network's gradient.</summary>
    public static double Of(ReadOnlySpan<double> g1, ReadOnlySpan<double> g2, ReadOnlySpan<double> g3, double s) => Combine(g1, g2, g3, s, 1);

    private static double Combine(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> c, double s, int scalars = 0)
    {
        // Two passes, as LAPACK's dnrm2 guards it: find the largest magnitude, then sum squares of values divided by it.
        double scale = scalars > 0 ? Math.Abs(s) : 0;
        scale = Math.Max(scale, MaxAbs(a));
        scale = Math.Max(scale, MaxAbs(b));
        scale = Math.Max(scale, MaxAbs(c));
        if (double.IsNaN(scale) || HasNaN(a) || HasNaN(b) || HasNaN(c) || (scalars > 0 && double.IsNaN(s))) return double.NaN;
        if (scale == 0) return 0;
        if (double.IsInfinity(scale)) return double.PositiveInfinity;
        double sum = SumOfScaledSquares(a, scale) + SumOfScaledSquares(b, scale) + SumOfScaledSquares(c, scale);
        if (scalars > 0) sum += (s / scale) * (s / scale);
        return scale * Math.Sqrt(sum);
    }

    private static double MaxAbs(ReadOnlySpan<double> values)
    {
        double max = 0;
        foreach (double v in values) max = Math.Max(max, Math.Abs(v));
        return max;
    }

    private static bool HasNaN(ReadOnlySpan<double> values)
    {
        foreach (double v in values)
            if (double.IsNaN(v)) return true;
        return false;
    }

    private static double SumOfScaledSquares(ReadOnlySpan<double> values, double scale)
    {
        double sum = 0;
        foreach (double v in values) sum += (v / scale) * (v / scale);
        return sum;
    }
}
