using System;
using System.Globalization;
using System.Linq;

namespace Differentiator;

/// <summary>
/// How a gradient component is indexed, so a report names an element as the user's code does: <c>b</c> (scalar),
/// <c>w[3]</c> (vector), <c>W[2,3]</c> (<c>double[,]</c>, stored row after row) or <c>W[2][3]</c> (<c>double[][]</c>).
/// </summary>
internal sealed class ComponentShape : IEquatable<ComponentShape>
{
    private enum Kind { Scalar, Vector, Rectangular, Jagged }

    private readonly Kind _kind;
    /// <summary>Rectangular: the number of columns; jagged: the length of every row.</summary>
    private readonly int[] _sizes;

    private ComponentShape(Kind kind, int[] sizes)
    {
        _kind = kind;
        _sizes = sizes;
    }

    public static readonly ComponentShape Scalar = new(Kind.Scalar, Array.Empty<int>());
    public static readonly ComponentShape Vector = new(Kind.Vector, Array.Empty<int>());

    public static ComponentShape Rectangular(int rows, int columns) => new(Kind.Rectangular, new[] { rows, columns });

    public static ComponentShape Jagged(int[] rowLengths) => new(Kind.Jagged, rowLengths);

    /// <summary>The element at flat position <paramref name="k"/>, named: <c>W[2,3]</c>.</summary>
    public string Name(string component, int k)
    {
        string Index(int i) => i.ToString(CultureInfo.InvariantCulture);
        switch (_kind)
        {
            case Kind.Scalar:
                return component;
            case Kind.Rectangular:
                return component + "[" + Index(k / _sizes[1]) + "," + Index(k % _sizes[1]) + "]";
            case Kind.Jagged:
                int row = 0;
                while (k >= _sizes[row])
                {
                    k -= _sizes[row];
                    row++;
                }
                return component + "[" + Index(row) + "][" + Index(k) + "]";
            default:
                return component + "[" + Index(k) + "]";
        }
    }

    /// <summary>Said when two gradients' components differ in shape: <c>2×3</c>, <c>rows of 2, 3</c>.</summary>
    public override string ToString() => _kind switch
    {
        Kind.Scalar => "a scalar",
        Kind.Vector => "a vector",
        Kind.Rectangular => "a " + _sizes[0] + "×" + _sizes[1] + " matrix",
        _ => "rows of " + string.Join(", ", _sizes),
    };

    public bool Equals(ComponentShape? other) => other is not null && _kind == other._kind && _sizes.SequenceEqual(other._sizes);

    public override bool Equals(object? obj) => Equals(obj as ComponentShape);

    public override int GetHashCode() => (int)_kind;
}
