using System;

namespace Differentiator;

/// <summary>
/// The step rule of the generated <c>MNumericalGradient</c>. The central difference (f(x+h) − f(x−h)) / 2h has
/// truncation error O(h²) (about h²·|f‴|/6) and rounding error O(ε/h) (about ε·|f|/h, from subtracting two nearly
/// equal values of f); the sum is smallest at h ≈ ∛ε, where both are O(ε^⅔) ≈ 4·10⁻¹¹ relative for a well-scaled f.
/// Scaling by max(|x|, 1) keeps the step relative for large components and absolute near zero.
/// </summary>
public static class NumericalStep
{
    /// <summary>∛ε with ε = 2⁻⁵², the spacing of doubles at 1: ≈ 6.055·10⁻⁶.</summary>
    public static readonly double CubeRootEpsilon = Math.Cbrt(Math.Pow(2, -52));

    /// <summary>The step for a component whose value is <paramref name="x"/>: h = ∛ε · max(|x|, 1).</summary>
    /// <param name="x">The value of the input being perturbed.</param>
    /// <returns>A positive step, about 6.06·10⁻⁶ · max(|x|, 1).</returns>
    public static double For(double x) => CubeRootEpsilon * Math.Max(Math.Abs(x), 1);

    /// <summary>∛ε with ε = 2⁻²³, the spacing of floats at 1: ≈ 4.92·10⁻³.</summary>
    public static readonly float CubeRootEpsilonSingle = (float)Math.Cbrt(Math.Pow(2, -23));

    /// <summary>
    /// The step for a float component: h = ∛ε · max(|x|, 1) with float's ε, so truncation and rounding errors are both
    /// about ε^⅔ ≈ 2.4·10⁻⁵ relative. A float method's central differences agree with its gradient to about 10⁻⁴ at best.
    /// A separate name, not an overload of <see cref="For(double)"/>: an int argument would otherwise pick the float one.
    /// </summary>
    /// <param name="x">The value of the float input being perturbed.</param>
    /// <returns>A positive step, about 4.92·10⁻³ · max(|x|, 1).</returns>
    public static float ForSingle(float x) => CubeRootEpsilonSingle * Math.Max(Math.Abs(x), 1f);

    /// <summary>
    /// (f(x⁺) − f(x⁻)) / (x⁺ − x⁻). Divides by the difference of the points actually evaluated rather than by 2h:
    /// x ± h rounds to a representable double, and using the rounded points removes that error from the quotient.
    /// </summary>
    /// <param name="fPlus">f at <paramref name="xPlus"/>.</param>
    /// <param name="fMinus">f at <paramref name="xMinus"/>.</param>
    /// <param name="xPlus">The point above, as stored: x + h after rounding.</param>
    /// <param name="xMinus">The point below, as stored: x − h after rounding.</param>
    /// <returns>The central-difference estimate of f′(x).</returns>
    public static double CentralDifference(double fPlus, double fMinus, double xPlus, double xMinus) => (fPlus - fMinus) / (xPlus - xMinus);
}
