using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace Differentiator;

/// <summary>
/// A gradient as named components, for comparing gradients from different sources with <see cref="GradientCheck"/>.
/// Values are copied in, so later changes to the caller's arrays (say, the next training step) do not alter it, and
/// components keep their insertion order, which is the order reports list them in. A component keeps its shape, so
/// reports name an element as the parameter is indexed: <c>b</c>, <c>w[3]</c>, <c>W[2,3]</c>, <c>W[2][3]</c>.
/// </summary>
/// <example>
/// <code>
/// var g = new Gradient { { "W", dW }, { "w", dw }, { "b", db } };   // dW a double[,] (or double[][]), dw a double[]
/// </code>
/// </example>
public sealed class Gradient : IEnumerable<KeyValuePair<string, ReadOnlyMemory<double>>>
{
    private readonly List<KeyValuePair<string, double[]>> _parts = new();
    private readonly Dictionary<string, ComponentShape> _shapes = new();

    /// <summary>Adds an array-valued component (copied).</summary>
    /// <param name="name">The component's name, unique within this gradient (usually the parameter's name).</param>
    /// <param name="values">The partial derivatives, one per element of the parameter.</param>
    /// <exception cref="ArgumentException">A component with this name was already added.</exception>
    public void Add(string name, ReadOnlySpan<double> values) => AddPart(name, values.ToArray(), ComponentShape.Vector);

    /// <summary>Adds an array-valued component (copied).</summary>
    /// <param name="name">The component's name, unique within this gradient (usually the parameter's name).</param>
    /// <param name="values">The partial derivatives, one per element of the parameter.</param>
    /// <exception cref="ArgumentException">A component with this name was already added.</exception>
    public void Add(string name, double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        AddPart(name, (double[])values.Clone(), ComponentShape.Vector);
    }

    /// <summary>Adds a matrix-valued component (copied, row by row); reports name its elements <c>W[2,3]</c>.</summary>
    /// <param name="name">The component's name, unique within this gradient (usually the parameter's name).</param>
    /// <param name="values">The partial derivatives, one per element of the parameter.</param>
    /// <exception cref="ArgumentException">A component with this name was already added.</exception>
    public void Add(string name, double[,] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int rows = values.GetLength(0), columns = values.GetLength(1);
        var flat = new double[rows * columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) flat[i * columns + j] = values[i, j];
        AddPart(name, flat, ComponentShape.Rectangular(rows, columns));
    }

    /// <summary>Adds a component with one row per array (copied, row by row); reports name its elements <c>W[2][3]</c>.</summary>
    /// <param name="name">The component's name, unique within this gradient (usually the parameter's name).</param>
    /// <param name="values">The partial derivatives, one per element of the parameter; rows may differ in length.</param>
    /// <exception cref="ArgumentException">A component with this name was already added, or a row is null.</exception>
    public void Add(string name, double[][] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var lengths = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
            lengths[i] = (values[i] ?? throw new ArgumentException($"Row {i} of '{name}' is null.", nameof(values))).Length;
        var flat = new double[lengths.Sum()];
        int at = 0;
        foreach (var row in values)
        {
            row.CopyTo(flat, at);
            at += row.Length;
        }
        AddPart(name, flat, ComponentShape.Jagged(lengths));
    }

    /// <summary>Adds a scalar component; reports name it without an index (<c>b</c>, not <c>b[0]</c>).</summary>
    /// <param name="name">The component's name, unique within this gradient (usually the parameter's name).</param>
    /// <param name="value">The partial derivative.</param>
    /// <exception cref="ArgumentException">A component with this name was already added.</exception>
    public void Add(string name, double value)
    {
        AddPart(name, new[] { value }, ComponentShape.Scalar);
    }

    /// <summary>The values of the component named <paramref name="name"/> (read-only: the gradient keeps its copy); a matrix row after row.</summary>
    /// <exception cref="KeyNotFoundException">No component has this name.</exception>
    public ReadOnlySpan<double> this[string name] => Values(name);

    /// <summary>Component names, in insertion order.</summary>
    public IEnumerable<string> Names
    {
        get
        {
            foreach (var p in _parts) yield return p.Key;
        }
    }

    /// <summary>The number of components.</summary>
    public int Count => _parts.Count;

    /// <summary>Whether a component named <paramref name="name"/> was added.</summary>
    public bool Contains(string name) => _parts.Exists(p => p.Key == name);

    /// <summary>The components, in insertion order, as read-only views of the stored copies.</summary>
    public IEnumerator<KeyValuePair<string, ReadOnlyMemory<double>>> GetEnumerator()
    {
        foreach (var p in _parts) yield return new KeyValuePair<string, ReadOnlyMemory<double>>(p.Key, p.Value);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal ComponentShape ShapeOf(string name) => _shapes[name];

    internal double[] Values(string name)
    {
        // A linear search: gradients have a handful of components, and a list keeps insertion order without a second index.
        foreach (var p in _parts)
            if (p.Key == name) return p.Value;
        throw new KeyNotFoundException($"No gradient component named '{name}'.");
    }

    private void AddPart(string name, double[] values, ComponentShape shape)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Contains(name)) throw new ArgumentException($"A component named '{name}' was already added.", nameof(name));
        _parts.Add(new KeyValuePair<string, double[]>(name, values));
        _shapes.Add(name, shape);
    }
}
