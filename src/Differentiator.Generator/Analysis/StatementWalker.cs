using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Analysis;

/// <summary>Which variables a statement or block assigns, and how often, for activity and recording decisions.</summary>
internal static class StatementWalker
{
    /// <summary>Every statement of the block at any depth (<see cref="IrWalker.Flatten"/>).</summary>
    public static IEnumerable<Stmt> Flatten(Block block) => IrWalker.Flatten(block);

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
        foreach (var site in IrWalker.Walk(body))
        {
            var s = site.Statement;
            var target = Target(s);
            if (target is not null)
            {
                counts.TryGetValue(target, out int c);
                counts[target] = c + (site.LoopDepth > 0 ? 2 : 1);
            }
            // An element write overwrites what the allocation (or an earlier write) put there: two values already.
            if (s is AssignElement write) counts[write.Array] = 2;
        }
        return new HashSet<string>(counts.Where(kv => kv.Value > 1).Select(kv => kv.Key), System.StringComparer.Ordinal);
    }

    /// <summary>Every name a statement (not the statements nested in it) assigns, reads, tests or receives.</summary>
    public static void CollectMentions(Stmt s, ISet<string> names)
    {
        if (Target(s) is { } target) names.Add(target);
        switch (s)
        {
            case For { ExitFlag: { } flag }:
                names.Add(flag);
                break;
            case GradientCall g:
                names.UnionWith(g.Outputs.Select(o => o.Name));
                break;
            case PopArray restore:
                names.Add(restore.Array);
                break;
            case ViewSnapshot view:
                names.UnionWith(new[] { view.Array, view.Snapshots });
                break;
            case RentSnapshots rent:
                names.UnionWith(new[] { rent.Name, rent.Array });
                break;
            case RentScalarSlots slots:
                names.Add(slots.Name);
                break;
            case RunView view:
                names.Add(view.Name);
                break;
        }
        foreach (var e in IrWalker.Expressions(s)) ExprWalker.CollectReads(e, names);
    }
}
