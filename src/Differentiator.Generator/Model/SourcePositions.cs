using System.Collections.Generic;

namespace Differentiator.Generator.Model;

/// <summary>
/// A place in the method's source, by number: the <see cref="Id"/>-th place the parser recorded, in parse order.
/// Statements and diagnostics carry this instead of an absolute position, so typing above the method or in another
/// method leaves the model equal and the cached output reused. Two parses that yield equal models number their
/// places alike: the numbering follows the syntax the parser walks, and the model holds each statement's text.
/// </summary>
internal sealed record SourceRef(int Id);

/// <summary>
/// Where each <see cref="SourceRef"/> of one parse stands in the files (the side map kept outside the cached model),
/// and which place each IR expression and parameter came from (by identity, for the analyzer's advisories).
/// </summary>
internal sealed class SourcePositions
{
    private readonly List<LocationInfo> _places = new();
    private readonly Dictionary<object, SourceRef> _nodes = new(ReferenceEqualityComparer.Instance);

    /// <summary>Records a place and returns its number; null when the location is in no file.</summary>
    public SourceRef? Add(LocationInfo? location)
    {
        if (location is null) return null;
        _places.Add(location);
        return new SourceRef(_places.Count - 1);
    }

    /// <summary>Records where an IR node (expression, parameter, the method itself) came from; the last call wins.</summary>
    public void Remember(object node, LocationInfo? location)
    {
        if (Add(location) is { } place) _nodes[node] = place;
    }

    /// <summary>The place an IR node of this parse came from, if recorded.</summary>
    public SourceRef? Of(object node) => _nodes.TryGetValue(node, out var place) ? place : null;

    public LocationInfo? this[SourceRef? place] => place is { } p && p.Id >= 0 && p.Id < _places.Count ? _places[p.Id] : null;

    /// <summary>
    /// Whether the parse read another method's body (a helper it inlines): its result then depends on that code too,
    /// so the analyzer may not reuse it after an edit elsewhere (Editing/FindingsCache.cs).
    /// </summary>
    public bool ReadsOtherMethods { get; set; }

    /// <summary>The places as values, for a pipeline step's output (the generator needs them only to report its own failures).</summary>
    public EquatableArray<LocationInfo> ToEquatableArray() => _places.ToEquatableArray();
}
