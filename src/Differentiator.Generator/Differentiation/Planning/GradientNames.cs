using System.Collections.Generic;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Differentiation;

/// <summary>
/// The names the gradient introduces (adjoint copies, branch flags, trip counts, slot and snapshot buffers…), each
/// given once per purpose and statement id, the first time a sweep asks for it, and the locals they declare in that
/// order. It is the one thing the sweeps share that grows: a memo, so asking again answers the same, and the
/// planner's sweeps and the final ones name alike. Names are given in the order sweeps first ask for them, which
/// is what makes the generated code's names (<c>branch</c>, <c>branch_2</c>) and its declarations' order.
/// </summary>
internal sealed class GradientNames
{
    private readonly NameAllocator _allocator;
    private readonly Dictionary<NameRequest, object> _given = new();
    private readonly List<NameRequest> _order = new();
    private readonly List<LocalVariable> _locals = new();
    private readonly HashSet<string> _bookkeeping = new(System.StringComparer.Ordinal);
    private readonly Dictionary<string, Expr> _bufferBounds = new(System.StringComparer.Ordinal);

    public GradientNames(NameAllocator allocator) => _allocator = allocator;

    /// <summary>Locals the gradient declares beyond the primal's, in the order they were named.</summary>
    public IReadOnlyList<LocalVariable> Locals => _locals;

    /// <summary>Names that only record how the forward sweep ran (flags, counts, buffers): no reverse sweep reads of the primal.</summary>
    public bool IsBookkeeping(string name) => _bookkeeping.Contains(name);

    public IEnumerable<string> Bookkeeping => _bookkeeping;

    /// <summary>Per buffer of snapshots or slots, the bound of the loop it serves: it is rented with room for that many iterations.</summary>
    public Expr BoundOf(string buffer) => _bufferBounds[buffer];

    /// <summary>What <paramref name="give"/> names for <paramref name="key"/> (a purpose and a statement id), named once.</summary>
    public T Once<T>(NameRequest key, System.Func<T> give) where T : notnull
    {
        if (_given.TryGetValue(key, out var known)) return (T)known;
        var value = give();
        _given[key] = value;
        _order.Add(key);
        return value;
    }

    /// <summary>The requests named so far, in the order they were first made.</summary>
    public IReadOnlyList<NameRequest> Given => _order;

    public string Allocate(string preferred) => _allocator.Allocate(preferred);

    /// <summary>An adjoint local the gradient declares (not bookkeeping: the reverse sweep reads it as a value).</summary>
    public string AddAdjointLocal(string preferred)
    {
        string name = _allocator.Allocate(preferred);
        _locals.Add(new LocalVariable(name, ScalarType.Double));
        return name;
    }

    public string AddLocal(string preferred, ScalarType type)
    {
        string name = _allocator.Allocate(preferred);
        _locals.Add(new LocalVariable(name, type));
        _bookkeeping.Add(name);
        return name;
    }

    public string NewBuffer(string saved, Expr bound)
    {
        string name = _allocator.Allocate(saved + "_saved");
        _bookkeeping.Add(name);
        _bufferBounds[name] = bound;
        return name;
    }
}
