using System;

namespace Differentiator;

/// <summary>
/// A gradient evaluated at a point: writes ∇N(point) into <paramref name="gradient"/> (one entry per entry of the point,
/// 0 where N does not differentiate). The generated tape code passes a lambda that calls the callee's <c>NTapeGradient</c>.
/// </summary>
/// <param name="point">N's arguments.</param>
/// <param name="gradient">Receives N's partial derivatives at the point.</param>
public delegate void GradientFunction(ReadOnlySpan<double> point, Span<double> gradient);

/// <summary>
/// A gradient of a callee that also takes arrays of data: writes ∇N(point, data) into <paramref name="gradient"/>, the
/// partials with respect to the scalar point only (N does not differentiate its data).
/// </summary>
/// <param name="point">N's scalar arguments.</param>
/// <param name="data">N's data arrays, in parameter order.</param>
/// <param name="gradient">Receives N's partial derivatives with respect to the point.</param>
public delegate void DataGradientFunction(ReadOnlySpan<double> point, double[][] data, Span<double> gradient);

public sealed partial class Tape
{
    /// <summary>
    /// <see cref="GradientComponent(ReadOnlySpan{Value}, int, GradientFunction)"/> for a callee that also reads arrays
    /// of data, held fixed while the point is differenced.
    /// </summary>
    /// <param name="point">N's scalar arguments on this tape.</param>
    /// <param name="component">Which partial, an index into <paramref name="point"/>.</param>
    /// <param name="data">N's data arrays (copies: the tape may outlive a span).</param>
    /// <param name="gradient">∇N with respect to the point, by the tape.</param>
    /// <returns>The partial derivative as a value on the tape.</returns>
    public static Value GradientComponent(ReadOnlySpan<Value> point, int component, double[][] data, DataGradientFunction gradient) =>
        GradientComponent(point, component, (x, g) => gradient(x, data, g));

    /// <summary>
    /// <see cref="Pushforward(ReadOnlySpan{Value}, ReadOnlySpan{Value}, GradientFunction)"/> for a callee that also
    /// reads arrays of data, held fixed while the point is differenced.
    /// </summary>
    /// <param name="point">N's scalar arguments on this tape.</param>
    /// <param name="direction">The tangent, one entry per entry of the point (0 where N does not differentiate).</param>
    /// <param name="data">N's data arrays (copies).</param>
    /// <param name="gradient">∇N with respect to the point, by the tape.</param>
    /// <returns>The directional derivative as a value on the tape.</returns>
    public static Value Pushforward(ReadOnlySpan<Value> point, ReadOnlySpan<Value> direction, double[][] data, DataGradientFunction gradient) =>
        Pushforward(point, direction, (x, g) => gradient(x, data, g));

    /// <summary>
    /// Records ∂N/∂x_k at <paramref name="point"/>, where a <c>[Differentiable]</c> method calls N's generated gradient
    /// (nested differentiation), for <c>MTapeGradient</c>. Its value comes from <paramref name="gradient"/>; its partials,
    /// row k of N's Hessian, from central differences of <paramref name="gradient"/> along e_k (the Hessian is symmetric):
    /// an independent check of the closed form, which calls N's Hessian-vector product. Being a central difference of
    /// an exact gradient, each partial is accurate to about ε^⅔ ≈ 4·10⁻¹¹ relative for well-scaled N (<see cref="NumericalStep"/>).
    /// </summary>
    /// <param name="point">N's arguments on this tape (constants where they carry no derivative).</param>
    /// <param name="component">Which partial, an index into <paramref name="point"/>.</param>
    /// <param name="gradient">∇N, by the tape.</param>
    /// <returns>The partial derivative as a value on the tape.</returns>
    public static Value GradientComponent(ReadOnlySpan<Value> point, int component, GradientFunction gradient)
    {
        if ((uint)component >= (uint)point.Length) throw new ArgumentOutOfRangeException(nameof(component));
        int n = point.Length;
        var x = Data(point);
        var g = new double[n];
        gradient(x, g);
        double value = g[component];
        var partials = Along(x, Unit(n, component), gradient);
        return Custom(value, point, partials);
    }

    /// <summary>
    /// Records ∇N(<paramref name="point"/>)·<paramref name="direction"/>, where a <c>[Differentiable]</c> method calls N's
    /// generated pushforward (nested differentiation), for <c>MTapeGradient</c>: partials H·u for the point (central
    /// differences of <paramref name="gradient"/> along the direction u) and ∇N for the direction.
    /// </summary>
    /// <param name="point">N's arguments on this tape.</param>
    /// <param name="direction">The tangent, one entry per entry of the point (0 where N does not differentiate).</param>
    /// <param name="gradient">∇N, by the tape.</param>
    /// <returns>The directional derivative as a value on the tape.</returns>
    public static Value Pushforward(ReadOnlySpan<Value> point, ReadOnlySpan<Value> direction, GradientFunction gradient)
    {
        if (direction.Length != point.Length) throw new ArgumentException("One direction entry per point entry is needed.", nameof(direction));
        int n = point.Length;
        var x = Data(point);
        var u = Data(direction);
        var g = new double[n];
        gradient(x, g);
        double value = 0;
        for (int j = 0; j < n; j++) value += g[j] * u[j];
        var hu = Along(x, u, gradient);
        var inputs = new Value[2 * n];
        var partials = new double[2 * n];
        for (int j = 0; j < n; j++)
        {
            inputs[j] = point[j];
            partials[j] = hu[j];
            inputs[n + j] = direction[j];
            partials[n + j] = g[j];
        }
        return Custom(value, inputs, partials);
    }

    private static double[] Data(ReadOnlySpan<Value> values)
    {
        var data = new double[values.Length];
        for (int j = 0; j < values.Length; j++) data[j] = values[j].Data;
        return data;
    }

    private static double[] Unit(int n, int k)
    {
        var e = new double[n];
        e[k] = 1;
        return e;
    }

    /// <summary>H·u by central differences of the gradient: (∇N(x + s·u) − ∇N(x − s·u)) / 2s, the step s scaled to x and u.</summary>
    private static double[] Along(double[] x, double[] u, GradientFunction gradient)
    {
        int n = x.Length;
        double largestU = 0, largestX = 0;
        for (int j = 0; j < n; j++)
        {
            largestU = Math.Max(largestU, Math.Abs(u[j]));
            largestX = Math.Max(largestX, Math.Abs(x[j]));
        }
        var result = new double[n];
        if (largestU == 0) return result;
        double step = NumericalStep.For(largestX) / largestU;
        var plus = new double[n];
        var minus = new double[n];
        for (int j = 0; j < n; j++)
        {
            plus[j] = x[j] + step * u[j];
            minus[j] = x[j] - step * u[j];
        }
        var gPlus = new double[n];
        var gMinus = new double[n];
        gradient(plus, gPlus);
        gradient(minus, gMinus);
        for (int j = 0; j < n; j++) result[j] = (gPlus[j] - gMinus[j]) / (2 * step);
        return result;
    }
}
