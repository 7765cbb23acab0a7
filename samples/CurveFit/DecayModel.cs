using System;
using Differentiator;

namespace CurveFit;

/// <summary>The model y = a·exp(−b·t) + c, and its residuals at the data as a vector-valued method.</summary>
public static partial class DecayModel
{
    /// <summary>The model's value at <paramref name="t"/> for the parameters p = (a, b, c).</summary>
    public static double Predict(ReadOnlySpan<double> p, double t) => p[0] * Math.Exp(-p[1] * t) + p[2];

    /// <summary>
    /// r[i] = a·exp(−b·t[i]) + c − y[i]: one residual per data point. Vector-valued (void, the last parameter a
    /// <c>Span&lt;double&gt;</c>), so the generator writes <c>ResidualsJacobian</c>, ∂r[i]/∂p[j], which Levenberg–Marquardt needs.
    /// </summary>
    [Differentiable(nameof(p))]
    public static void Residuals(ReadOnlySpan<double> p, double[] t, double[] y, Span<double> r)
    {
        for (int i = 0; i < t.Length; i++)
            r[i] = p[0] * Math.Exp(-p[1] * t[i]) + p[2] - y[i];
    }
}
