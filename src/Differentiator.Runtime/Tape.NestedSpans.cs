using System;

namespace Differentiator;

/// <summary>
/// A gradient of a callee that differentiates arrays: writes ∇N(arguments) into <paramref name="gradient"/>, one array
/// per parameter of N, as long as its argument (a scalar is an array of one), zero where N does not differentiate.
/// The generated tape code passes a lambda that calls the callee's <c>NTapeGradient</c>.
/// </summary>
/// <param name="arguments">N's arguments, one array per parameter.</param>
/// <param name="gradient">Receives N's partial derivatives, shaped like <paramref name="arguments"/>, zeroed before the call.</param>
public delegate void ArgumentsGradientFunction(double[][] arguments, double[][] gradient);

public sealed partial class Tape
{
    /// <summary>
    /// Records ∂N/∂p at <paramref name="arguments"/> for a scalar parameter p of a callee that differentiates arrays
    /// (nested differentiation, for <c>MTapeGradient</c>): the arguments flattened into one point, then as
    /// <see cref="GradientComponent(ReadOnlySpan{Value}, int, GradientFunction)"/> — its value from
    /// <paramref name="gradient"/>, its partials central differences of <paramref name="gradient"/>.
    /// </summary>
    /// <param name="arguments">N's arguments on this tape, one array per parameter (a scalar as one value, data as constants).</param>
    /// <param name="parameter">The scalar parameter, an index into <paramref name="arguments"/>.</param>
    /// <param name="gradient">∇N, by the tape.</param>
    /// <returns>The partial derivative as a value on the tape.</returns>
    public static Value GradientComponent(Value[][] arguments, int parameter, ArgumentsGradientFunction gradient)
    {
        if ((uint)parameter >= (uint)arguments.Length || arguments[parameter].Length != 1)
            throw new ArgumentOutOfRangeException(nameof(parameter), "A scalar parameter (one value) is needed.");
        return GradientComponent(Flatten(arguments), Offset(arguments, parameter), Flat(arguments, gradient));
    }

    /// <summary>
    /// Records ∇_p N at <paramref name="arguments"/> into <paramref name="output"/>, for an array parameter p: one node per
    /// element, each as <see cref="GradientComponent(ReadOnlySpan{Value}, int, GradientFunction)"/> (row of N's Hessian
    /// by central differences of <paramref name="gradient"/> along that element). Three gradients per element, n² work
    /// per call: for checks, not speed.
    /// </summary>
    /// <param name="arguments">N's arguments on this tape, one array per parameter.</param>
    /// <param name="parameter">The array parameter, an index into <paramref name="arguments"/>.</param>
    /// <param name="output">Receives the gradient's values on the tape, as long as the parameter's argument.</param>
    /// <param name="gradient">∇N, by the tape.</param>
    public static void GradientComponents(Value[][] arguments, int parameter, Span<Value> output, ArgumentsGradientFunction gradient)
    {
        if ((uint)parameter >= (uint)arguments.Length) throw new ArgumentOutOfRangeException(nameof(parameter));
        if (output.Length != arguments[parameter].Length)
            throw new ArgumentException("The output must be as long as the argument (" + arguments[parameter].Length + ").", nameof(output));
        var point = Flatten(arguments);
        int offset = Offset(arguments, parameter);
        var flat = Flat(arguments, gradient);
        for (int j = 0; j < output.Length; j++) output[j] = GradientComponent(point, offset + j, flat);
    }

    /// <summary>
    /// Records ∇N(<paramref name="arguments"/>)·<paramref name="direction"/> for a callee that differentiates arrays,
    /// both flattened into one point, then as <see cref="Pushforward(ReadOnlySpan{Value}, ReadOnlySpan{Value}, GradientFunction)"/>:
    /// partials H·u for the point (central differences of <paramref name="gradient"/> along u) and ∇N for the direction.
    /// </summary>
    /// <param name="arguments">N's arguments on this tape, one array per parameter.</param>
    /// <param name="direction">The tangent, shaped like <paramref name="arguments"/>; null for a parameter N does not differentiate (zero there).</param>
    /// <param name="gradient">∇N, by the tape.</param>
    /// <returns>The directional derivative as a value on the tape.</returns>
    public static Value Pushforward(Value[][] arguments, Value[]?[] direction, ArgumentsGradientFunction gradient)
    {
        if (direction.Length != arguments.Length) throw new ArgumentException("One direction entry per argument is needed.", nameof(direction));
        var shaped = new Value[arguments.Length][];
        for (int k = 0; k < arguments.Length; k++)
        {
            shaped[k] = direction[k] ?? new Value[arguments[k].Length];
            if (shaped[k].Length != arguments[k].Length)
                throw new ArgumentException("The direction for argument " + k + " must be as long as the argument (" + arguments[k].Length + ").", nameof(direction));
        }
        return Pushforward(Flatten(arguments), Flatten(shaped), Flat(arguments, gradient));
    }

    private static Value[] Flatten(Value[][] arguments)
    {
        int total = 0;
        foreach (var a in arguments) total += a.Length;
        var point = new Value[total];
        int at = 0;
        foreach (var a in arguments)
        {
            a.CopyTo(point, at);
            at += a.Length;
        }
        return point;
    }

    private static int Offset(Value[][] arguments, int parameter)
    {
        int offset = 0;
        for (int k = 0; k < parameter; k++) offset += arguments[k].Length;
        return offset;
    }

    /// <summary>The gradient over the flattened point: the point cut back into one array per parameter, fresh zeroed outputs, the result flattened.</summary>
    private static GradientFunction Flat(Value[][] shape, ArgumentsGradientFunction gradient) => (x, g) =>
    {
        var arguments = new double[shape.Length][];
        var partials = new double[shape.Length][];
        int at = 0;
        for (int k = 0; k < shape.Length; k++)
        {
            arguments[k] = x.Slice(at, shape[k].Length).ToArray();
            partials[k] = new double[shape[k].Length];
            at += shape[k].Length;
        }
        gradient(arguments, partials);
        at = 0;
        for (int k = 0; k < shape.Length; k++)
        {
            partials[k].CopyTo(g.Slice(at));
            at += shape[k].Length;
        }
    };
}
