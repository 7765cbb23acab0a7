using System;
using System.Linq;

namespace Differentiator.Generator.Tests.Infrastructure;

/// <summary>
/// Three-way checks of the forward-mode and second-order members at one input and a random direction v:
/// <c>MPushforward</c>'s tangent against <c>MGradient</c>·v and <c>MNumericalGradient</c>·v;
/// <c>MHessianVectorProduct</c> against <c>MHessian</c>·v, <c>MNumericalHessian</c>·v and central differences of
/// <c>MTapeGradient</c> along v (made here, in test code); the Hessian is symmetric.
/// </summary>
public static class SecondOrderChecks
{
    /// <summary>A direction with one flat vector per differentiated parameter, shaped like the gradient.</summary>
    public static double[][] Direction(DifferentiableMethod m, object[] args, Inputs inputs) =>
        m.Gradient(args).Gradient.Select(g => inputs.Vector(g.Length)).ToArray();

    public static double Dot(double[][] a, double[][] b) => a.Zip(b, (x, y) => x.Zip(y, (p, q) => p * q).Sum()).Sum();

    public static void Pushforward(DifferentiableMethod m, object[] args, Inputs inputs, double tolerance = 1e-10, double numericalTolerance = 1e-6)
    {
        Assert.True(m.HasPushforward, "no MPushforward was generated");
        var v = Direction(m, args, inputs);
        var (value, gradient) = m.Gradient(args);
        var numerical = m.Numerical(args).Gradient;
        var (pushedValue, tangent) = m.Pushforward(args, v);
        Assert.Equal(value, pushedValue, 12);
        Close("MGradient·v", Dot(gradient, v), tangent, tolerance);
        Close("MNumericalGradient·v", Dot(numerical, v), tangent, numericalTolerance);
    }

    public static void HessianVectorProduct(DifferentiableMethod m, object[] args, Inputs inputs, double tolerance = 1e-9, double numericalTolerance = 1e-5, bool tapeDifferences = true)
    {
        Assert.True(m.HasHessianVectorProduct, "no MHessianVectorProduct was generated");
        var v = Direction(m, args, inputs);
        double value = m.Value(args);
        var (hvValue, hv) = m.HessianVectorProduct(args, v);
        Assert.Equal(value, hvValue, 12);
        var flat = hv.SelectMany(x => x).ToArray();
        var direction = v.SelectMany(x => x).ToArray();
        if (m.HasHessian)
        {
            var (hValue, h) = m.Hessian(args);
            var (nValue, hn) = m.Hessian(args, numerical: true);
            Assert.Equal(value, hValue, 12);
            Assert.Equal(value, nValue, 12);
            int n = direction.Length;
            for (int i = 0; i < n; i++)
            {
                double hvi = 0, hnvi = 0;
                for (int j = 0; j < n; j++)
                {
                    hvi += h[i, j] * direction[j];
                    hnvi += hn[i, j] * direction[j];
                    Close($"H[{j},{i}] (symmetry)", h[i, j], h[j, i], tolerance);
                }
                Close($"(MHessian·v)[{i}]", hvi, flat[i], tolerance);
                Close($"(MNumericalHessian·v)[{i}]", hnvi, flat[i], numericalTolerance);
            }
        }
        if (!tapeDifferences) return;
        // The tape's gradient differenced along v: independent of both generated programs.
        double step = 1e-5;
        var up = m.Tape(m.Moved(args, v, step)).Gradient.SelectMany(x => x).ToArray();
        var down = m.Tape(m.Moved(args, v, -step)).Gradient.SelectMany(x => x).ToArray();
        for (int i = 0; i < flat.Length; i++) Close($"(tape-gradient differences)[{i}]", (up[i] - down[i]) / (2 * step), flat[i], numericalTolerance);
    }

    public static void Close(string what, double expected, double actual, double tolerance)
    {
        double scale = Math.Max(1, Math.Max(Math.Abs(expected), Math.Abs(actual)));
        if (!(Math.Abs(expected - actual) <= tolerance * scale))
            throw new Xunit.Sdk.XunitException($"{what}: expected {expected:R}, got {actual:R} (tolerance {tolerance})");
    }
}
