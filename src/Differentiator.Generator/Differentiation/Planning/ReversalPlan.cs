using System.Collections.Generic;
using System.Linq;

namespace Differentiator.Generator.Differentiation;

/// <summary>
/// What one sweep is built from: the facts that decide, statement by statement, what it saves, restores and
/// recomputes. Immutable; a sweep reads them and never changes them (the planner makes a new one to ask "what if").
/// </summary>
internal sealed record SweepFacts(
    // Variables that may hold more than one value during a call (only these can need saving).
    ReadOnlySet<string> Changing,
    // Assignments outside loops that overwrite only a local's default: no save.
    ReadOnlySet<StmtId> FirstDefinitions,
    // Variables whose overwritten values the forward sweep saves and the reverse sweep restores.
    ReadOnlySet<string> Restore,
    // Locals neither saved nor restored: the reverse sweep recomputes them where it reads them (Recompute.cs).
    ReadOnlySet<string> Recomputed,
    // Per loop, the locals its reversed body recomputes (or restores from snapshots, Snapshots.cs).
    IReadOnlyDictionary<StmtId, ReadOnlySet<string>> RecomputedIn,
    // Per loop, the body statements its reversed body runs again first, in order.
    IReadOnlyDictionary<StmtId, IReadOnlyList<StmtId>> Recomputation,
    // Assignments whose restore nobody reads: neither saved nor restored (DeadRestores.cs).
    ReadOnlySet<StmtId> DeadRestores,
    // The loop whose forward and reverse iterations are interleaved, if any (Fusion.cs).
    StmtId? FusedLoop)
{
    public static SweepFacts Initial(ReadOnlySet<string> changing, ReadOnlySet<StmtId> firstDefinitions) =>
        new(changing, firstDefinitions, ReadOnlySet<string>.Empty, ReadOnlySet<string>.Empty,
            new Dictionary<StmtId, ReadOnlySet<string>>(), new Dictionary<StmtId, IReadOnlyList<StmtId>>(), ReadOnlySet<StmtId>.Empty, null);

    /// <summary>
    /// Whether the forward sweep saves the value the assignment <paramref name="id"/> (to <paramref name="target"/>)
    /// overwrites, and the reverse sweep restores it.
    /// </summary>
    public bool Saves(StmtId id, string target) => Restore.Contains(target) && !FirstDefinitions.Contains(id) && !DeadRestores.Contains(id);

    /// <summary>These facts, with the loop's recomputation decided.</summary>
    public SweepFacts WithRecomputation(StmtId loop, ReadOnlySet<string> locals, IReadOnlyList<StmtId> statements)
    {
        var recomputedIn = RecomputedIn.ToDictionary(kv => kv.Key, kv => kv.Value);
        var recomputation = Recomputation.ToDictionary(kv => kv.Key, kv => kv.Value);
        recomputedIn[loop] = locals;
        recomputation[loop] = statements;
        return this with { RecomputedIn = recomputedIn, Recomputation = recomputation };
    }
}

/// <summary>
/// The fused loop's decision: which top-level loop, the statements after it that move ahead of it, those that stay
/// after it (their adjoints run before the fused loop), the values each iteration writes before reading them, and
/// those of them the fused iterations need not save (every read of them in an iteration's reverse comes after the iteration's last assignment to them).
/// </summary>
internal sealed record FusionDecision(int Index, StmtId Loop, IReadOnlyList<StmtId> Moved, IReadOnlyList<StmtId> After, ReadOnlySet<string> IterationLocals, ReadOnlySet<string> Unsaved);

/// <summary>
/// The reversal plan: everything the sweeps need decided before any of them is built (ReversalPlanner.cs). It answers
/// for any primal statement, by id, what the sweeps will do with it: whether the value it overwrites is saved
/// (and where), recomputed, or not needed; whether a branch's direction or a loop's trip count is recorded; which
/// loop is fused. The final sweeps are made from it (<see cref="Sequential"/>, or the fused facts), and a mode
/// built on top of reverse mode asks it the same questions instead of re-running a builder.
/// </summary>
internal sealed record ReversalPlan(
    // The facts the planner's fixed point ended with: saves, restores and recomputations, with no loop fused.
    SweepFacts Analysis,
    // The fused loop, or null when the sweeps run one after the other.
    FusionDecision? Fusion,
    // Restores nobody reads, judged on the final reverse sweep (of the code before the fused loop, when one is fused).
    ReadOnlySet<StmtId> DeadRestores,
    // Branches whose direction the forward sweep records, because the branch may change what its condition reads.
    ReadOnlySet<StmtId> RecordedBranches,
    // Loops whose start and trip count the forward sweep records, because their bounds cannot be recomputed.
    ReadOnlySet<StmtId> RecordedLoops,
    // Assignments whose overwritten values are saved in a slot of a buffer (one per iteration), not on the scratch stack.
    ReadOnlySet<StmtId> SavedInSlots)
{
    /// <summary>The facts of the sweeps when no loop is fused, and of the code around the fused loop when one is.</summary>
    public SweepFacts Sequential => Analysis with { DeadRestores = DeadRestores, FusedLoop = Fusion?.Loop };

    /// <summary>The facts of the fused loop's interleaved iterations: what each iteration keeps in place is not saved.</summary>
    public SweepFacts FusedBody => Fusion is null
        ? Sequential
        : Sequential with { Restore = new ReadOnlySet<string>(Analysis.Restore.Where(v => !Fusion.Unsaved.Contains(v))) };

    /// <summary>Whether the forward sweep saves the value the assignment <paramref name="id"/> (to <paramref name="target"/>) overwrites.</summary>
    public bool SavesBefore(StmtId id, string target, bool inFusedLoop)
    {
        return (inFusedLoop ? FusedBody : Sequential).Saves(id, target);
    }

    /// <summary>Whether the reverse sweep recomputes <paramref name="local"/> rather than restoring it.</summary>
    public bool IsRecomputed(string local) => Analysis.Recomputed.Contains(local);
}
