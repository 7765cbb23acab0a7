using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Differentiator.Generator.Model;

/// <summary>Identity comparison (netstandard2.0 has no System.Collections.Generic.ReferenceEqualityComparer).</summary>
internal sealed class ReferenceEqualityComparer : IEqualityComparer<object>
{
    public static readonly ReferenceEqualityComparer Instance = new();

    public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);

    public int GetHashCode(object obj) => RuntimeHelpers.GetHashCode(obj);
}
