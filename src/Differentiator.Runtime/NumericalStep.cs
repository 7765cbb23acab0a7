using System;

namespace Differentiator;

/// <summary>
/// The step rule of the generated <c>MNumericalGradient</c>: central differences (f(x+h) − f(x−h)) / 2h have
/// truncation error O(h²) and rounding error O(ε/h), balanced at h ≈ ∛ε. Scaling by max(|x|, 1) keeps the step
/// relative for large components and absolute near zero.
/// </summary>
public static class NumericalStep
{
    /// <summary>∛(2⁻⁵²) ≈ 6.055·10⁻⁶.</summary>
    public static readonly double CubeRootEpsilon = Math.Cbrt(Math.Pow(2, -52));

    /// <summary>The step for component value <paramref name="x"/>: ∛ε · max(|x|, 1).</summary>
    public static double For(double x) => CubeRootEpsilon * Math.Max(Math.Abs(x), 1);

    /// <summary>
    /// (f(x⁺) − f(x⁻)) / (x⁺ − x⁻), dividing by the difference of the points actually evaluated (x ± h rounds), not by 2h.
    /// </summary>
    public static double CentralDifference(double fPlus, double fMinus, double xPlus, double xMinus) => (fPlus - fMinus) / (xPlus - xMinus);
}
