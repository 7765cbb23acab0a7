using System;
using System.Globalization;

namespace Differentiator;

/// <summary>
/// A number that remembers how it was computed, like micrograd's <c>Value</c>: <see cref="Data"/> is the value,
/// and operations on values recorded on a <see cref="Tape"/> append to it, so <see cref="Tape.Backward"/> can
/// compute <see cref="Grad"/>. A <c>double</c> converts implicitly to a constant that is not recorded.
/// </summary>
/// <example>
/// <code>
/// var tape = new Tape();
/// Value w = tape.Variable(2.0);
/// Value loss = (w * 3 - 1) * (w * 3 - 1);
/// tape.Backward(loss);   // w.Grad == 2·(3w − 1)·3 == 30
/// </code>
/// </example>
public readonly struct Value : IEquatable<Value>
{
    internal Value(Tape? tape, int index, double data)
    {
        Tape = tape;
        Index = index;
        Data = data;
    }

    /// <summary>The number itself.</summary>
    public double Data { get; }

    /// <summary>The gradient of the tape's last <see cref="Tape.Backward"/> output with respect to this value (0 for constants).</summary>
    public double Grad => Tape?.GradientOf(this) ?? 0;

    internal Tape? Tape { get; }

    internal int Index { get; }

    /// <summary>A constant: takes part in arithmetic, is not recorded.</summary>
    public static implicit operator Value(double x) => new(null, -1, x);

    /// <summary>Records <paramref name="data"/> as the result of an operation on <paramref name="a"/> (and <paramref name="b"/>) with the given local partial derivatives.</summary>
    /// <remarks><paramref name="operation"/> and the constant operand's value are kept only by a tape that records its graph.</remarks>
    internal static Value Node(TapeOperation operation, double data, in Value a, double da, in Value b, double db)
    {
        var tape = a.Tape ?? b.Tape;
        if (tape is null) return data;
        if (a.Tape is not null && b.Tape is not null && !ReferenceEquals(a.Tape, b.Tape))
            throw new InvalidOperationException("These values belong to two different tapes.");
        int index = a.Tape is null
            ? tape.Record(b.Index, db, -1, 0, operation, data, ConstantOperand.Left, a.Data)
            : b.Tape is null
                ? tape.Record(a.Index, da, -1, 0, operation, data, ConstantOperand.Right, b.Data)
                : tape.Record(a.Index, da, b.Index, db, operation, data, ConstantOperand.None, 0);
        return new Value(tape, index, data);
    }

    internal static Value Node(TapeOperation operation, double data, in Value a, double da) =>
        a.Tape is null ? data : new Value(a.Tape, a.Tape.Record(a.Index, da, -1, 0, operation, data, ConstantOperand.None, 0), data);

    /// <summary>a + b: ∂a = 1, ∂b = 1.</summary>
    public static Value operator +(Value a, Value b) => Node(TapeOperation.Add, a.Data + b.Data, a, 1, b, 1);

    /// <summary>a − b: ∂a = 1, ∂b = −1.</summary>
    public static Value operator -(Value a, Value b) => Node(TapeOperation.Subtract, a.Data - b.Data, a, 1, b, -1);

    /// <summary>a · b: ∂a = b, ∂b = a.</summary>
    public static Value operator *(Value a, Value b) => Node(TapeOperation.Multiply, a.Data * b.Data, a, b.Data, b, a.Data);

    /// <summary>a / b: ∂a = 1/b, ∂b = −a/b².</summary>
    public static Value operator /(Value a, Value b) => Node(TapeOperation.Divide, a.Data / b.Data, a, 1 / b.Data, b, -a.Data / (b.Data * b.Data));

    /// <summary>−a: ∂a = −1.</summary>
    public static Value operator -(Value a) => Node(TapeOperation.Negate, -a.Data, a, -1);

    /// <summary>+a: a itself.</summary>
    public static Value operator +(Value a) => a;

    // Comparisons compare Data, exactly as the primal code compares its doubles, so that a branch taken on the tape
    // is the branch the original method takes (NaN compares false, as with double).

    /// <summary>a.Data &lt; b.Data.</summary>
    public static bool operator <(Value a, Value b) => a.Data < b.Data;

    /// <summary>a.Data ≤ b.Data.</summary>
    public static bool operator <=(Value a, Value b) => a.Data <= b.Data;

    /// <summary>a.Data &gt; b.Data.</summary>
    public static bool operator >(Value a, Value b) => a.Data > b.Data;

    /// <summary>a.Data ≥ b.Data.</summary>
    public static bool operator >=(Value a, Value b) => a.Data >= b.Data;

    /// <summary>a.Data == b.Data (false for NaN, like double's ==).</summary>
    public static bool operator ==(Value a, Value b) => a.Data == b.Data;

    /// <summary>a.Data != b.Data (true for NaN, like double's !=).</summary>
    public static bool operator !=(Value a, Value b) => a.Data != b.Data;

    /// <summary>
    /// Equal when the numbers are equal by <see cref="double.Equals(double)"/> (so NaN equals NaN, as a dictionary key
    /// needs), whichever tape they are on; consistent with <see cref="GetHashCode"/>.
    /// </summary>
    public bool Equals(Value other) => Data.Equals(other.Data);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Value v && Equals(v);

    /// <inheritdoc/>
    public override int GetHashCode() => Data.GetHashCode();

    /// <summary>The number, in the invariant culture.</summary>
    public override string ToString() => Data.ToString("R", CultureInfo.InvariantCulture);
}
