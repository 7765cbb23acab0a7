using System.Collections;
using System.Collections.Generic;

namespace Differentiator.Generator.Differentiation;

/// <summary>A set that nobody changes once built (netstandard2.0 has no frozen or immutable set of its own here).</summary>
internal sealed class ReadOnlySet<T> : IReadOnlyCollection<T>
{
    public static readonly ReadOnlySet<T> Empty = new(System.Array.Empty<T>());

    private readonly HashSet<T> _items;

    public ReadOnlySet(IEnumerable<T> items) => _items = new HashSet<T>(items);

    public int Count => _items.Count;

    public bool Contains(T item) => _items.Contains(item);

    public bool SetEquals(IEnumerable<T> other) => _items.SetEquals(other);

    public bool Overlaps(IEnumerable<T> other) => _items.Overlaps(other);

    public IEnumerator<T> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
