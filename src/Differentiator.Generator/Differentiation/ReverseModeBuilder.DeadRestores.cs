using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Differentiation;

/// <summary>
/// Restores nobody reads. A variable is saved before an assignment when the reverse sweep reads it somewhere, but a
/// particular restore can be dead: <c>sum += e</c> in a loop restores each earlier partial sum, yet the reverse of
/// the loop never reads <c>sum</c>, and right after it the restore for <c>sum = 0</c> overwrites it again. Such an
/// assignment needs neither its save in the forward sweep nor its restore, so both go (pairs stay matched: one
/// decision per source assignment). Scalars only; the reverse sweep has no jumps, so "the next statement that
/// touches it" is exact at one level, and anything unclear counts as a read.
/// </summary>
internal sealed partial class ReverseModeBuilder
{
    /// <summary>
    /// The restores this sweep built → the assignment whose overwritten value each puts back. It annotates this sweep's
    /// own output (keyed by the restore's identity, as two restores of one variable are equal records), for
    /// <see cref="DeadRestores"/> on a reverse sweep this sweep built; never read for another sweep's statements.
    /// </summary>
    private readonly Dictionary<object, StmtId> _restoreOrigins = new(Model.ReferenceEqualityComparer.Instance);

    /// <summary>The assignments whose restores in <paramref name="reverse"/> (built by this sweep) are overwritten or left behind before any read.</summary>
    internal ReadOnlySet<StmtId> DeadRestores(Block reverse)
    {
        var dead = new HashSet<StmtId>();
        var live = new HashSet<StmtId>();
        var path = new List<(Block Block, int Index, For? Loop)>();
        void Walk(Block block, For? loop)
        {
            for (int k = 0; k < block.Statements.Count; k++)
            {
                path.Add((block, k, loop));
                switch (block.Statements[k])
                {
                    case Pop pop when _restoreOrigins.TryGetValue(pop, out var origin):
                        (IsReadAfter(pop.Target, path) ? live : dead).Add(origin);
                        break;
                    case If i:
                        Walk(i.Then, null);
                        Walk(i.Else, null);
                        break;
                    case For f:
                        Walk(f.Body, f);
                        break;
                }
                path.RemoveAt(path.Count - 1);
            }
        }
        Walk(reverse, null);
        // The same assignment may be restored at more than one place (a statement reversed twice): all must be dead.
        dead.ExceptWith(live);
        return new ReadOnlySet<StmtId>(dead);
    }

    /// <summary>
    /// Whether the value a restore at the end of <paramref name="path"/> puts in <paramref name="v"/> may be read: by
    /// a later statement of its block before one that overwrites v, by a later iteration of an enclosing loop (any
    /// read in the loop counts), or, level by level outwards, by what follows. Reaching the end of the sweep: no.
    /// </summary>
    private static bool IsReadAfter(string v, List<(Block Block, int Index, For? Loop)> path)
    {
        for (int level = path.Count - 1; level >= 0; level--)
        {
            var (block, index, loop) = path[level];
            for (int k = index + 1; k < block.Statements.Count; k++)
            {
                var s = block.Statements[k];
                if (Reads(s).Contains(v)) return true;
                if (s is Pop p && p.Target == v || s is Assign a && a.Target == v) return false;
            }
            // The next iteration runs the whole body again, and tests the loop's bounds.
            if (loop is not null && Reads(loop).Contains(v)) return true;
        }
        return false;
    }
}
