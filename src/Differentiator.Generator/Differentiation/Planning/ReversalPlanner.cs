using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Differentiation;

/// <summary>
/// Decides the reversal plan before the final sweeps are built. Which values to save: those the reverse sweep reads
/// and the forward sweep overwrites. Restoring a value can itself make the reverse sweep read more (a branch that
/// now holds a restore recomputes its condition), and recomputing a local instead of saving it (Recompute.cs) holds
/// only if nothing else reads it; so the facts grow and shrink to a fixed point. The fixed point is computed on the
/// facts: each round asks the reversal analysis (<see cref="ReverseReadAnalysis"/>) what the reverse sweep made from
/// the facts so far would read, and makes new facts; no sweep is built for it. The analysis names nothing, so the
/// planner gives the names that sweep would have given, in its order, where it used to build it (GradientNames).
/// Then, on the final facts: which loop fuses (Fusion.cs, on the analysis too), and — on the reverse sweep of those
/// facts, built once — what the fused iterations need not save, and which restores are dead (DeadRestores.cs).
/// </summary>
internal static class ReversalPlanner
{
    /// <summary>
    /// Set by the tests only (ReversalOracle): told every plan with the facts the planner asked the reverse sweep's reads
    /// about, to check the analysis against sweeps built from them. Null in the generator, which builds no sweep for it.
    /// </summary>
    internal static System.Action<GradientContext, IReadOnlyList<SweepFacts>, ReversalPlan>? Observer;

    public static ReversalPlan Plan(GradientContext context)
    {
        var asked = Observer is null ? null : new List<SweepFacts>();
        var plan = Plan(context, asked);
        Observer?.Invoke(context, asked!, plan);
        return plan;
    }

    private static ReversalPlan Plan(GradientContext context, List<SweepFacts>? asked)
    {
        var method = context.Primal.Method;
        var body = method.Body;
        var multiply = StatementWalker.MultiplyAssigned(body);
        // A parameter holds the argument before any assignment, so one assignment already makes two values.
        multiply.UnionWith(StatementWalker.AssignedIn(body).Where(v => method.Parameters.Any(p => p.Name == v)));
        var facts = SweepFacts.Initial(new ReadOnlySet<string>(multiply), FirstDefinitions(context));

        // Locals recomputed in the reverse sweep instead of saved (Recompute.cs): start from every candidate and
        // drop those the reverse sweep turns out to read where nothing recomputes them; each drop starts over.
        var candidates = new ReverseModeBuilder(context, facts).IterationLocalCandidates(body);
        var recomputed = new HashSet<string>(candidates.Values.SelectMany(c => c), System.StringComparer.Ordinal);
        while (true)
        {
            facts = SweepFacts.Initial(facts.Changing, facts.FirstDefinitions) with { Recomputed = new ReadOnlySet<string>(recomputed) };
            while (true)
            {
                var (next, planChanged) = PlanRecomputation(context, facts, candidates, asked);
                facts = next;
                asked?.Add(facts);
                var reverse = new ReverseReadAnalysis(context, facts).OfBlock(body, inLoop: false);
                GiveNames(context, facts, reverse.Names);
                var reads = reverse.WithLengths;
                var restore = new HashSet<string>(reads.Where(v => multiply.Contains(v) && !recomputed.Contains(v)), System.StringComparer.Ordinal);
                restore.UnionWith(facts.Restore);
                if (facts.Restore.SetEquals(restore) && !planChanged) break;
                facts = facts with { Restore = new ReadOnlySet<string>(restore) };
            }
            if (recomputed.Count == 0) break;
            var uncovered = new ReverseReadAnalysis(context, facts).OfBlock(body, inLoop: false).Uncovered;
            uncovered.IntersectWith(recomputed);
            if (uncovered.Count == 0) break;
            recomputed.ExceptWith(uncovered);
        }

        var recordedBranches = new ReadOnlySet<StmtId>(StatementWalker.Flatten(body).OfType<If>().Where(b => !ReverseModeBuilder.BranchIsRecomputable(b)).Select(context.Ids.Of));
        var recordedLoops = new ReadOnlySet<StmtId>(StatementWalker.Flatten(body).OfType<For>().Where(l => !ReverseModeBuilder.LoopIsRecomputable(l)).Select(context.Ids.Of));
        var unfused = new ReverseModeBuilder(context, facts);
        var fusion = unfused.ChooseFusion(new ReverseReadAnalysis(context, facts));
        if (fusion is null)
        {
            // Judged on the final reverse sweep, when it runs after the whole forward sweep.
            var dead = facts.Restore.Count > 0 ? unfused.DeadRestores(unfused.ReverseBlock(body, inLoop: false)) : ReadOnlySet<StmtId>.Empty;
            return WithSlots(context, new ReversalPlan(facts, null, dead, recordedBranches, recordedLoops, ReadOnlySet<StmtId>.Empty));
        }
        var fusedFacts = facts with { FusedLoop = fusion.Loop };
        asked?.Add(fusedFacts);
        // What the reverse of each statement of the fused body reads: the sweep asked it (and named) once per
        // iteration-local value, the first time reversing every statement in order.
        var fusedAnalysis = new ReverseReadAnalysis(context, fusedFacts);
        var bodyReads = ((For)context.Ids[fusion.Loop]).Body.Statements.Select(s => fusedAnalysis.OfStatement(s, inLoop: true)).ToList();
        if (fusion.IterationLocals.Count > 0) GiveNames(context, fusedFacts, bodyReads.SelectMany(r => r.Names));
        var fused = new ReverseModeBuilder(context, fusedFacts);
        var (unsaved, deadBefore) = fused.FusedSavings(fusion, bodyReads.Select(r => r.WithLengths).ToList());
        return WithSlots(context, new ReversalPlan(facts, fusion with { Unsaved = unsaved }, deadBefore, recordedBranches, recordedLoops, ReadOnlySet<StmtId>.Empty));
    }

    /// <summary>The plan with the saves that go to slots: those of assignments that may use one, which the plan saves.</summary>
    private static ReversalPlan WithSlots(GradientContext context, ReversalPlan plan)
    {
        var fusedLoop = plan.Fusion?.Loop;
        bool InFusedLoop(For loop) => fusedLoop is not null && context.EnclosingLoops[context.Ids.Of(loop)].Contains(fusedLoop);
        var slotted = context.SlotLoops.Keys.Where(id => context.SlotLoop(id, fusedLoop) is { } loop
            && plan.SavesBefore(id, StatementWalker.Target(context.Ids[id])!, InFusedLoop(loop)));
        return plan with { SavedInSlots = new ReadOnlySet<StmtId>(slotted) };
    }

    /// <summary>
    /// Decides, innermost loops first, which statements each reversed loop body recomputes; an outer body is judged
    /// by a sweep that already recomputes in its inner loops. Returns the new facts and whether any loop's choice
    /// changed (the choice depends on the reverse sweep, which depends on what is restored).
    /// </summary>
    private static (SweepFacts Facts, bool Changed) PlanRecomputation(GradientContext context, SweepFacts facts, Dictionary<StmtId, HashSet<string>> candidates, List<SweepFacts>? asked)
    {
        bool changed = false;
        // Flatten is pre-order: reversed, inner loops come first.
        foreach (var loop in StatementWalker.Flatten(context.Primal.Method.Body).OfType<For>().Reverse())
        {
            var id = context.Ids.Of(loop);
            if (!candidates.TryGetValue(id, out var loopCandidates)) continue;
            asked?.Add(facts);
            // What the reverse of each of the loop's statements reads, and the names a sweep would give reversing them.
            var analysis = new ReverseReadAnalysis(context, facts);
            var reverse = loop.Body.Statements.Select(s => analysis.OfStatement(s, inLoop: true)).ToList();
            GiveNames(context, facts, reverse.SelectMany(r => r.Names));
            var valid = new ReverseModeBuilder(context, facts).ValidRecomputations(loop, loopCandidates, reverse.Select(r => r.Contents).ToList(), out var statements);
            if (!(facts.RecomputedIn.TryGetValue(id, out var old) ? old.SetEquals(valid) : valid.Count == 0)) changed = true;
            facts = facts.WithRecomputation(id, new ReadOnlySet<string>(valid), statements.Select(context.Ids.Of).ToList());
        }
        return (facts, changed);
    }

    /// <summary>
    /// Gives the names the reverse sweep the analysis stands for would have given, in its order: a sweep names what it
    /// needs when it first needs it, and the generated code's names (<c>branch</c>, <c>branch_2</c>) and declarations
    /// follow that order, which is the order of the analyses here, as it was of the sweeps built here before.
    /// </summary>
    private static void GiveNames(GradientContext context, SweepFacts facts, IEnumerable<NameRequest> requests)
    {
        var namer = new ReverseModeBuilder(context, facts);
        foreach (var request in requests) namer.Give(request);
    }

    /// <summary>
    /// Assignments outside loops that no earlier assignment of the same local precedes: the value they overwrite
    /// is the default, which nothing reads, so they need no save. A parameter's first assignment overwrites the
    /// argument, which the reverse sweep may well read, so parameters never count.
    /// </summary>
    private static ReadOnlySet<StmtId> FirstDefinitions(GradientContext context)
    {
        var seen = new HashSet<string>(context.Primal.Method.Parameters.Select(p => p.Name), System.StringComparer.Ordinal);
        var first = new List<StmtId>();
        foreach (var site in IrWalker.Walk(context.Primal.Method.Body))
            // A whole-array write (a nested gradient into a local array) may follow element writes, which are no targets.
            if (StatementWalker.Target(site.Statement) is { } target && seen.Add(target) && site.LoopDepth == 0 && site.Statement is not CallAssign { WritesArray: true })
                first.Add(context.Ids.Of(site.Statement));
        return new ReadOnlySet<StmtId>(first);
    }
}
