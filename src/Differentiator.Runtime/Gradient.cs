using System;
using System.Collections;
using System.Collections.Generic;

namespace Differentiator;

/// <summary>
/// A gradient as named components, for comparing gradients from different sources with <see cref="GradientCheck"/>.
/// Values are copied in, so later changes to the caller's arrays (say, the next training step) do not alter it, and
/// components keep their insertion order, which is the order reports list them in.
/// </summary>
/// <example>
/// <code>
/// var g = new Gradient { { "w", dw }, { "b", db } };
/// </code>
/// </example>
public sealed class Gradient : IEnumerable<KeyValuePair<string, ReadOnlyMemory<double>>>
{
    private readonly List<KeyValuePair<string, double[]>> _parts = new();
    private readonly HashSet<string> _scalars = new();

    /// <summary>Adds an array-valued component (copied).</summary>
    /// <param name="name">The component's name, unique within this gradient (usually the parameter's name).</param>
    /// <param name="values">The partial derivatives, one per element of the parameter.</param>
    /// <exception cref="ArgumentException">A component with this name was already added.</exception>
    public void Add(string name, ReadOnlySpan<double> values) => AddPart(name, values.ToArray());

    /// <summary>Adds an array-valued component (copied).</summary>
    /// <param name="name">The component's name, unique within this gradient (usually the parameter's name).</param>
    /// <param name="values">The partial derivatives, one per element of the parameter.</param>
    /// <exception cref="ArgumentException">A component with this name was already added.</exception>
    public void Add(string name, double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        AddPart(name, (double[])values.Clone());
    }

    /// <summary>Adds a scalar component; reports name it without an index (<c>b</c>, not <c>b[0]</c>).</summary>
    /// <param name="name">The component's name, unique within this gradient (usually the parameter's name).</param>
    /// <param name="value">The partial derivative.</param>
    /// <exception cref="ArgumentException">A component with this name was already added.</exception>
    public void Add(string name, double value)
    {
        AddPart(name, new[] { value });
        _scalars.Add(name);
    }

    /// <summary>The values of the component named <paramref name="name"/> (read-only: the gradient keeps its copy).</summary>
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

    internal bool IsScalar(string name) => _scalars.Contains(name);

    internal double[] Values(string name)
    {
        // A linear search: gradients have a handful of components, and a list keeps insertion order without a second index.
        foreach (var p in _parts)
            if (p.Key == name) return p.Value;
        throw new KeyNotFoundException($"No gradient component named '{name}'.");
    }

    private void AddPart(string name, double[] values)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Contains(name)) throw new ArgumentException($"A component named '{name}' was already added.", nameof(name));
        _parts.Add(new KeyValuePair<string, double[]>(name, values));
    }
}
