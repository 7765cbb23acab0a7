using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Differentiator;

/// <summary>
/// The exceptions generated gradients throw when an output does not fit its parameter. Thrown from here rather than
/// built inline, so the message's string concatenation is not part of every gradient: in a copy of the MSE's
/// plain-loop gradient at n = 5, d = 1 that took a call from 34.7 to 29.7 ns (docs/performance.md).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ShapeErrors
{
    /// <summary>Throws: the output span <paramref name="output"/> has <paramref name="actual"/> elements where <paramref name="parameter"/> has <paramref name="expected"/>.</summary>
    /// <param name="output">The output's name, also the exception's parameter name.</param>
    /// <param name="parameter">The differentiated parameter's name.</param>
    /// <param name="expected">The parameter's length.</param>
    /// <param name="actual">The output's length.</param>
    /// <exception cref="ArgumentException">Always.</exception>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void LengthMismatch(string output, string parameter, int expected, int actual) =>
        throw new ArgumentException("The gradient output '" + output + "' must have the same length as '" + parameter + "' (" + expected + "), but has length " + actual + ".", output);

    /// <summary>Throws: the matrix output <paramref name="output"/> does not have the shape of <paramref name="parameter"/>.</summary>
    /// <param name="output">The output's name, also the exception's parameter name.</param>
    /// <param name="parameter">The differentiated parameter's name.</param>
    /// <exception cref="ArgumentException">Always.</exception>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void ShapeMismatch(string output, string parameter) =>
        throw new ArgumentException("The gradient output '" + output + "' must have the shape of '" + parameter + "'.", output);

    /// <summary>
    /// Throws: <paramref name="argument"/> of a vector-valued method's derivative (its weights <c>rBar</c>, a Jacobian
    /// column of a scalar parameter) has <paramref name="actual"/> elements where the output <paramref name="output"/> has <paramref name="expected"/>.
    /// </summary>
    /// <param name="argument">The argument's name, also the exception's parameter name.</param>
    /// <param name="output">The method's output span's name.</param>
    /// <param name="expected">The output's length.</param>
    /// <param name="actual">The argument's length.</param>
    /// <exception cref="ArgumentException">Always.</exception>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void OutputLengthMismatch(string argument, string output, int expected, int actual) =>
        throw new ArgumentException("'" + argument + "' must have the length of the output '" + output + "' (" + expected + "), but has length " + actual + ".", argument);

    /// <summary>Throws: the Jacobian output <paramref name="jacobian"/> is not (<paramref name="output"/>.Length, <paramref name="parameter"/>.Length).</summary>
    /// <param name="jacobian">The Jacobian output's name, also the exception's parameter name.</param>
    /// <param name="output">The method's output span's name (the rows).</param>
    /// <param name="parameter">The differentiated parameter's name (the columns).</param>
    /// <param name="rows">The output's length.</param>
    /// <param name="columns">The parameter's length.</param>
    /// <param name="actualRows">The Jacobian output's first dimension.</param>
    /// <param name="actualColumns">The Jacobian output's second dimension.</param>
    /// <exception cref="ArgumentException">Always.</exception>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void JacobianShapeMismatch(string jacobian, string output, string parameter, int rows, int columns, int actualRows, int actualColumns) =>
        throw new ArgumentException("The Jacobian output '" + jacobian + "' must have the shape (" + output + ".Length, " + parameter + ".Length) = (" + rows + ", " + columns
            + "), but has the shape (" + actualRows + ", " + actualColumns + ").", jacobian);

    /// <summary>Throws: the Hessian block <paramref name="output"/> (∂²/∂<paramref name="row"/>∂<paramref name="column"/>) does not have the shape (size of row, size of column).</summary>
    /// <param name="output">The block's name, also the exception's parameter name.</param>
    /// <param name="row">The parameter whose components index the block's rows.</param>
    /// <param name="column">The parameter whose components index the block's columns.</param>
    /// <param name="rows">The expected number of rows.</param>
    /// <param name="columns">The expected number of columns.</param>
    /// <param name="actualRows">The block's number of rows.</param>
    /// <param name="actualColumns">The block's number of columns.</param>
    /// <exception cref="ArgumentException">Always.</exception>
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void HessianBlockMismatch(string output, string row, string column, int rows, int columns, int actualRows, int actualColumns) =>
        throw new ArgumentException("The Hessian block '" + output + "' (rows for '" + row + "', columns for '" + column + "') must have shape (" + rows + ", " + columns + "), but has shape (" + actualRows + ", " + actualColumns + ").", output);
}
