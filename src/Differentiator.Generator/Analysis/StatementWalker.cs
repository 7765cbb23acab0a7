using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Analysis;

/// <summary>Which variables a statement or block assigns, and how often, for activity and recording decisions.</summary>
internal static class StatementWalker
{
    public static IEnumerable<Stmt> Flatten(Block block)
    {
        foreach (var s in block.Statements)
        {
            yield return s;
            switch (s)
            {
                case If i:
                    foreach (var t in Flatten(i.Then)) yield return t;
                    foreach (var t in Flatten(i.Else)) yield return t;
                    break;
                case For f:
                    foreach (var t in Flatten(f.Body)) yield return t;
                    break;
            }
        }
    }

    public static string? Target(Stmt s) => s switch
    {
        Assign a => a.Target,
        CallAssign c => c.Target,
        Pop p => p.Target,
        Let l => l.Name,
        DotAccumulate { Destination: VarRef v } => v.Name,
        _ => null,
    };

    /// <summary>Variables assigned, and arrays whose elements are written or restored, anywhere in the block.</summary>
    public static HashSet<string> AssignedIn(Block block)
    {
        var assigned = new HashSet<string>(Flatten(block).Select(Target).OfType<string>(), System.StringComparer.Ordinal);
        foreach (var s in Flatten(block))
        {
            // A branch whose condition reads t[k] cannot be recomputed in the reverse sweep if the branch writes t.
            if (s is AssignElement write) assigned.Add(write.Array);
            if (s is DotAccumulate { Destination: ElementRef element }) assigned.Add(element.Array);
            if (s is PopElement restore) assigned.Add(restore.Array);
            if (s is PopArray restoreAll) assigned.Add(restoreAll.Array);
            if (s is ViewSnapshot view) assigned.Add(view.Array);
            if (s is Push { Slot: { } slot }) assigned.Add(slot.Buffer);
        }
        return assigned;
    }

    /// <summary>
    /// Variables that may hold more than one value during a call: assigned at more than one place, or at a place
    /// inside a loop; and local arrays whose elements are written. Only these need their overwritten values saved for the reverse sweep.
    /// </summary>
    public static HashSet<string> MultiplyAssigned(Block body)
    {
        var counts = new Dictionary<string, int>(System.StringComparer.Ordinal);
        Count(body, inLoop: false, counts);
        return new HashSet<string>(counts.Where(kv => kv.Value > 1).Select(kv => kv.Key), System.StringComparer.Ordinal);
    }

    private static void Count(Block block, bool inLoop, Dictionary<string, int> counts)
    {
        foreach (var s in block.Statements)
        {
            var target = Target(s);
            if (target is not null)
            {
                counts.TryGetValue(target, out int c);
                counts[target] = c + (inLoop ? 2 : 1);
            }
            // An element write overwrites what the allocation (or an earlier write) put there: two values already.
            if (s is AssignElement write) counts[write.Array] = 2;
            switch (s)
            {
                case If i:
                    Count(i.Then, inLoop, counts);
                    Count(i.Else, inLoop, counts);
                    break;
                case For f:
                    Count(f.Body, inLoop: true, counts);
                    break;
            }
        }
    }
}
