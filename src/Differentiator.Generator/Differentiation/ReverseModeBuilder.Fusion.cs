using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Differentiation;

/// <summary>
/// Forward/reverse fusion of one top-level loop. The reverse loop may run its iterations in forward order,
/// interleaved with the forward loop, when (1) every variable or local array the body assigns is either
/// iteration-local (written before it is read in each iteration; an array by a loop that fills it) or a sum
/// (<c>s = s ± e</c>, read nowhere else in the body), so no iteration depends on another except through sums, whose
/// adjoints stay constant over the reverse loop; and (2) the adjoints of those sums are known before the loop: the
/// statements after the loop, apart from those that have nothing to do with it and can run before it, are plain
/// assignments whose derivatives read nothing the loop or they themselves compute (<c>return sum / n</c>, not
/// <c>return Math.Log(sum)</c>), and that read none of its iteration-local values (those are the last iteration's).
/// Then each iteration computes its values and, right away, its adjoints: one pass, in which whatever an iteration
/// saves it restores before the next, so the scratch stack stays within one iteration's values, in cache. This is
/// what makes a generated MSE gradient one loop, like the hand-written one, and the GMM gradient one pass per point.
/// </summary>
internal sealed partial class ReverseModeBuilder
{
    /// <summary>A loop that can be fused, the statements after it that move ahead of it, those that stay after it, and its iteration-local values.</summary>
    private sealed record FusionCandidate(int Index, For Loop, List<Stmt> Moved, List<Stmt> After, HashSet<string> Locals);

    /// <summary>
    /// The loop to fuse, judged with this (unfused) sweep's facts and what its reverse reads (<paramref name="reverse"/>,
    /// the reversal analysis with the same facts); its <see cref="FusionDecision.Unsaved"/> is left to <see cref="FusedSavings"/>.
    /// </summary>
    internal FusionDecision? ChooseFusion(ReverseReadAnalysis reverse)
    {
        var body = _primal.Method.Body;
        var effects = Enumerable.Range(0, body.Statements.Count).Select(Effects).ToArray();
        // Of the loops that qualify, the largest: interleaving its sweeps spares the most saving. (Fusing more than
        // one would need each one's sums' adjoints before it, which the code between them may compute.)
        FusionCandidate? best = null;
        int bestSize = 0;
        for (int index = body.Statements.Count - 1; index >= 0; index--)
        {
            if (body.Statements[index] is not For loop) continue;
            int size = StatementWalker.Flatten(loop.Body).Count();
            if (best is not null && size <= bestSize) continue;
            var candidate = PlanFusion(body.Statements, index, loop, effects, reverse);
            if (candidate is null) continue;
            best = candidate;
            bestSize = size;
        }
        if (best is null) return null;
        return new FusionDecision(best.Index, IdOf(best.Loop), best.Moved.Select(IdOf).ToList(), best.After.Select(IdOf).ToList(),
            new ReadOnlySet<string>(best.Locals), ReadOnlySet<string>.Empty);
    }

    private FusionCandidate? PlanFusion(EquatableArray<Stmt> top, int index, For loop, StatementEffects[] effectsOf, ReverseReadAnalysis reverse)
    {
        if (loop.ExitFlag is not null || !LoopIsRecomputable(loop)) return null;
        // A nested gradient into a local array overwrites it whole: saved as a block, which fusion's savings do not model.
        if (StatementWalker.Flatten(loop.Body).Any(s => s is CallAssign { WritesArray: true })) return null;
        // A loop with nothing to differentiate has no reverse to interleave.
        var assigned = StatementWalker.AssignedIn(loop.Body);
        if (!assigned.Any(_activity.IsActive)) return null;

        // (1) iterations are independent apart from sums.
        if (IterationLocals(loop, assigned) is not var (locals, sums)) return null;

        // The statements after the loop that neither touch what it computes nor feed it move ahead of it (in order);
        // so do those after them that touch none of the statements that stay.
        var moved = new List<Stmt>();
        var after = new List<Stmt>();
        var loopEffects = effectsOf[index];
        // What the statements staying after the loop read and write, together: commuting with each is commuting with all.
        var staying = new StatementEffects(new HashSet<string>(System.StringComparer.Ordinal), new HashSet<string>(System.StringComparer.Ordinal));
        for (int k = index + 1; k < top.Count; k++)
        {
            var s = top[k];
            var effects = effectsOf[k];
            if (effects.Commutes(loopEffects) && effects.Commutes(staying))
            {
                moved.Add(s);
                continue;
            }
            after.Add(s);
            if (s is not Assign) return null; // only plain assignments may stay after a fused loop
            staying.Reads.UnionWith(effects.Reads);
            staying.Writes.UnionWith(effects.Writes);
        }
        // A value the loop leaves for the statements after it is the last iteration's: its adjoint, known before the
        // loop, belongs to that iteration alone, and a fused loop would hand it to the first (and restore the value).
        var readAfter = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var s in after) ContentReads(((Assign)s).Value, readAfter);
        if (readAfter.Overlaps(locals)) return null;
        // A sum whose earlier values the reverse sweep reads (a parameter reassigned by the loop, read before it)
        // must be restored iteration by iteration, which a fused loop cannot do: its forward part needs the sum.
        if (sums.Overlaps(_facts.Restore)) return null;

        // Nothing after the loop saves what it overwrites (its forward would push, its reverse pop).
        if (after.Any(s => MustSave(s))) return null;
        // (2) the adjoint code of the statements after the loop can run before the loop.
        var computedLater = new HashSet<string>(assigned, System.StringComparer.Ordinal);
        computedLater.UnionWith(after.Select(s => ((Assign)s).Target));
        if (reverse.OfBlock(new Block(after.ToEquatableArray()), inLoop: false).WithLengths.Overlaps(computedLater)) return null;
        return new FusionCandidate(index, loop, moved, after, locals);
    }

    /// <summary>The code before the fused loop: the top-level statements ahead of it, then those that move ahead of it.</summary>
    private Block BeforeFused(FusionDecision fusion) =>
        new(_primal.Method.Body.Statements.Take(fusion.Index).Concat(fusion.Moved.Select(id => _context.Ids[id])).ToEquatableArray());

    /// <summary>
    /// Judged on a sweep with the loop fused: the iteration-local values its iterations need not save, and the
    /// restores of the code before the loop that nobody reads. <paramref name="bodyReverseReads"/>: what the reverse of
    /// each of the loop body's statements reads, with this sweep's facts (the reversal analysis).
    /// </summary>
    internal (ReadOnlySet<string> Unsaved, ReadOnlySet<StmtId> DeadBefore) FusedSavings(FusionDecision fusion, IReadOnlyList<HashSet<string>> bodyReverseReads)
    {
        var loop = (For)_context.Ids[fusion.Loop];
        var before = BeforeFused(fusion);
        // An iteration-local value needs no saving when every statement whose adjoint reads it comes after the
        // body's last assignment to it: in a fused iteration the adjoints run right after the values, which are
        // then still in place (z = b; z += X[i,j]·w[j]; loss += log(1 + e^z) − y[i]·z reads only the final z).
        var unsaved = new HashSet<string>(fusion.IterationLocals.Where(v => ReadsFollowLastAssignment(loop.Body, bodyReverseReads, v)), System.StringComparer.Ordinal);
        // A value that also lives outside the loop must still be saved: the code around the loop needs its own
        // (the reverse of the code before the loop reads what it held then, a parameter's argument included).
        var reverseOfBefore = ReverseBlock(before, inLoop: false);
        unsaved.ExceptWith(StatementWalker.AssignedIn(before));
        unsaved.ExceptWith(ReverseReads(reverseOfBefore));
        unsaved.ExceptWith(fusion.After.Select(id => ((Assign)_context.Ids[id]).Target));
        // The code before the loop (and what moved there) is reversed after everything else, as without fusion:
        // restores that nothing reads there need no saves (DeadRestores.cs; it only judges restores of that code).
        var dead = _facts.Restore.Count > 0 ? DeadRestores(reverseOfBefore) : ReadOnlySet<StmtId>.Empty;
        return (new ReadOnlySet<string>(unsaved), dead);
    }

    /// <summary>
    /// The fused gradient: the forward sweep of the code before the loop, then the adjoints of the code after it, the
    /// loop whose iterations run their forward part and at once their reverse (built by <paramref name="iterations"/>,
    /// whose facts leave out what an iteration keeps in place), the code after it, and the reverse of the code before.
    /// This sweep builds the code around the loop.
    /// </summary>
    internal List<Stmt> Fuse(FusionDecision fusion, ReverseModeBuilder iterations, List<Stmt> prologue)
    {
        var loop = (For)_context.Ids[fusion.Loop];
        var before = BeforeFused(fusion);
        var after = new Block(fusion.After.Select(id => _context.Ids[id]).ToEquatableArray());
        var statements = new List<Stmt> { new Section(SweepTitles.Forward) };
        statements.AddRange(ForwardBlock(before, inLoop: false).Statements);
        var forwardBody = iterations.ForwardBlock(loop.Body, inLoop: true);
        var reverseBody = iterations.ReverseBlock(loop.Body, inLoop: true);
        statements.Add(new Section(SweepTitles.Fused));
        statements.AddRange(prologue);
        statements.AddRange(ReverseBlock(after, inLoop: false).Statements);
        statements.Add(loop with { Body = new Block(forwardBody.Statements.Concat(reverseBody.Statements).ToEquatableArray()) });
        statements.AddRange(ForwardBlock(after, inLoop: false).Statements);
        var reverseBefore = ReverseBlock(before, inLoop: false);
        if (reverseBefore.Statements.Count > 0)
        {
            statements.Add(new Section(SweepTitles.Reverse));
            statements.AddRange(reverseBefore.Statements);
        }
        return statements;
    }

    /// <summary>Whether, among the body's top-level statements, all those whose reverse reads <paramref name="v"/> come after the last one that assigns it.</summary>
    private bool ReadsFollowLastAssignment(Block body, IReadOnlyList<HashSet<string>> reverseReads, string v)
    {
        int lastAssignment = -1;
        int firstRead = int.MaxValue;
        for (int k = 0; k < body.Statements.Count; k++)
        {
            var statement = body.Statements[k];
            if (StatementWalker.AssignedIn(new Block(EquatableArray.Of(statement))).Contains(v)) lastAssignment = k;
            if (firstRead == int.MaxValue && reverseReads[k].Contains(v)) firstRead = k;
        }
        if (firstRead > lastAssignment) return true;
        // The last assignment's own reverse may read v when it is v = Math.Exp(u) (derivative written with v; see
        // ReverseAssign): in a fused iteration that runs after every assignment of the iteration, so v still holds it.
        return firstRead == lastAssignment && body.Statements[lastAssignment] is Assign last && last.Target == v && ReusesOwnResult(last);
    }

    /// <summary>
    /// The sums among what the loop body assigns, and the rest: the variables and local arrays it writes before
    /// reading them in every iteration (Recompute.cs's upward-exposed reads: an array counts as written once a loop
    /// has filled it); null when some assigned variable is neither.
    /// </summary>
    private (HashSet<string> Locals, HashSet<string> Sums)? IterationLocals(For loop, HashSet<string> assigned)
    {
        var all = StatementWalker.Flatten(loop.Body).ToList();
        var sums = new HashSet<string>(assigned.Where(v => IsSum(v, all)), System.StringComparer.Ordinal);
        var exposed = new HashSet<string>(System.StringComparer.Ordinal);
        Exposed(loop.Body, new HashSet<string>(System.StringComparer.Ordinal) { loop.Counter }, exposed);
        var locals = new HashSet<string>(assigned.Where(v => !sums.Contains(v)), System.StringComparer.Ordinal);
        return locals.Overlaps(exposed) ? null : (locals, sums);
    }

    private static bool IsSum(string v, List<Stmt> statements)
    {
        bool any = false;
        foreach (var s in statements)
        {
            if (s is Assign a && a.Target == v)
            {
                if (a.Value is not Binary { Op: BinaryOp.Add or BinaryOp.Subtract } b || b.Left is not VarRef l || l.Name != v || ExprWalker.Reads(b.Right).Contains(v)) return false;
                any = true;
                continue;
            }
            if (StatementWalker.Target(s) == v) return false;
            if (IrWalker.Expressions(s).Any(e => ExprWalker.Reads(e).Contains(v))) return false;
        }
        return any;
    }

    /// <summary>What a top-level statement reads (contents and lengths) and writes, to tell whether two can swap.</summary>
    private sealed record StatementEffects(HashSet<string> Reads, HashSet<string> Writes)
    {
        public bool Commutes(StatementEffects other) =>
            !Writes.Overlaps(other.Reads) && !Writes.Overlaps(other.Writes) && !other.Writes.Overlaps(Reads);
    }

    private StatementEffects Effects(int index)
    {
        var top = _primal.Method.Body.Statements;
        var block = new Block(EquatableArray.Of(top[index]));
        var writes = StatementWalker.AssignedIn(block);
        foreach (var s in StatementWalker.Flatten(block))
        {
            if (s is AllocateArray allocation) writes.Add(allocation.Name);
            if (s is For { ExitFlag: { } flag }) writes.Add(flag);
        }
        return new StatementEffects(Reads(top[index]), writes);
    }
}
