using System;
using System.Collections;
using System.Collections.Generic;

namespace Differentiator;

/// <summary>
/// A gradient as named components, for comparing gradients from different sources with <see cref="GradientCheck"/>.
/// Values are copied in, in insertion order.
/// </summary>
/// <example>
/// <code>
/// var g = new Gradient { { "w", dw }, { "b", db } };
/// </code>
/// </example>
public sealed class Gradient : IEnumerable<KeyValuePair<string, double[]>>
{
    private readonly List<KeyValuePair<string, double[]>> _parts = new();
    private readonly HashSet<string> _scalars = new();

    /// <summary>Adds an array-valued component (copied).</summary>
    public void Add(string name, ReadOnlySpan<double> values) => AddPart(name, values.ToArray());

    /// <summary>Adds an array-valued component (copied).</summary>
    public void Add(string name, double[] values) => AddPart(name, (double[])values.Clone());

    /// <summary>Adds a scalar component.</summary>
    public void Add(string name, double value)
    {
        AddPart(name, new[] { value });
        _scalars.Add(name);
    }

    internal bool IsScalar(string name) => _scalars.Contains(name);

    /// <summary>The component named <paramref name="name"/>.</summary>
    public double[] this[string name] => _parts.Find(p => p.Key == name).Value ?? throw new KeyNotFoundException($"No gradient component named '{name}'.");

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

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, double[]>> GetEnumerator() => _parts.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private void AddPart(string name, double[] values)
    {
        if (_parts.Exists(p => p.Key == name)) throw new ArgumentException($"A component named '{name}' was already added.", nameof(name));
        _parts.Add(new KeyValuePair<string, double[]>(name, values));
    }
}
