using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Differentiator.Generator.Primitives;

namespace Differentiator.Generator.Differentiation;

/// <summary>
/// Recomputation instead of saving. A local (scalar or array) that a loop body writes before it reads it, in every
/// iteration, carries nothing from one iteration to the next: its values in iteration i depend only on what the
/// body reads that the body does not write. Instead of saving every value the body overwrites (d elements of a
/// scratch vector per iteration, say) so the reverse sweep can restore them, the reversed body starts by running the
/// body's statements that write such locals again; the reverse of iteration i then finds them as iteration i left them.
/// <para>
/// This is exact when (1) the recomputed statements read, besides what they write themselves, only values the body
/// does not write (so they are the same at the start of reverse iteration i as during forward iteration i — the
/// usual restores see to values written outside the body); (2) every statement of the body whose reverse reads the
/// local comes after all the body's writes to it, and after it is wholly defined (so the values left by the
/// recomputation are the ones that statement read); (3) the recomputed statements write nothing else whose value
/// anyone needs; and (4) the reverse sweep reads the local nowhere but in reversed bodies that recompute it — so
/// nothing needs its values restored, and none is saved. The last is checked by the reversal analysis on the facts so
/// far (<see cref="ReverseReadAnalysis.Reads.Uncovered"/>, ReversalPlanner.cs), and a local that fails it is saved and
/// restored as before.
/// </para>
/// </summary>
internal sealed partial class ReverseModeBuilder
{
    /// <summary>
    /// Reversed loops this sweep built → the primal loop, and the recomputation at the top of their bodies. It annotates
    /// this sweep's own output for its readers (ContentReads, UncoveredReads): keyed by the reversed loop's identity,
    /// as nothing else tells two equal reversed loops apart; never read for another sweep's statements.
    /// </summary>
    private readonly Dictionary<object, (For Primal, int Count, HashSet<string> Exposed)> _reversedWithRecompute = new(Model.ReferenceEqualityComparer.Instance);

    /// <summary>Per loop, the locals its body writes before reading them in every iteration (parameters never count).</summary>
    internal Dictionary<StmtId, HashSet<string>> IterationLocalCandidates(Block body)
    {
        var locals = new HashSet<string>(_primal.Method.Locals.Select(l => l.Name), System.StringComparer.Ordinal);
        var result = new Dictionary<StmtId, HashSet<string>>();
        foreach (var loop in StatementWalker.Flatten(body).OfType<For>())
        {
            if (loop.ExitFlag is not null) continue; // a partial last iteration: the body's writes are not all made
            var exposed = new HashSet<string>(System.StringComparer.Ordinal);
            Exposed(loop.Body, new HashSet<string>(System.StringComparer.Ordinal) { loop.Counter }, exposed);
            var candidates = StatementWalker.AssignedIn(loop.Body);
            candidates.IntersectWith(locals);
            candidates.ExceptWith(exposed);
            if (candidates.Count > 0) result[IdOf(loop)] = candidates;
        }
        return result;
    }

    /// <summary>
    /// Which of the loop's candidates its reversed body can recompute (conditions (1)–(3) above), judged on what the
    /// reverse of each of the body's statements reads (<paramref name="reverseReads"/>, by the reversal analysis, with
    /// these facts); and the body statements that recompute them.
    /// </summary>
    internal HashSet<string> ValidRecomputations(For loop, HashSet<string> candidates, IReadOnlyList<HashSet<string>> reverseReads, out List<Stmt> plan)
    {
        var top = loop.Body.Statements;
        var written = new List<HashSet<string>>();
        var definedBefore = new List<HashSet<string>>();
        var defined = new HashSet<string>(System.StringComparer.Ordinal) { loop.Counter };
        var ignored = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var s in top)
        {
            definedBefore.Add(new HashSet<string>(defined, System.StringComparer.Ordinal));
            Exposed(new Block(EquatableArray.Of(s)), defined, ignored);
            written.Add(StatementWalker.AssignedIn(new Block(EquatableArray.Of(s))));
        }
        // (2): a statement whose reverse reads v follows the body's every write to v, and v is wholly defined before it.
        var valid = new HashSet<string>(candidates.Where(v => _facts.Recomputed.Contains(v)
            && reverseReads.Any(r => r.Contains(v))
            && Enumerable.Range(0, top.Count).All(k => !reverseReads[k].Contains(v)
                || (definedBefore[k].Contains(v) && Enumerable.Range(k, top.Count - k).All(j => !written[j].Contains(v))))), System.StringComparer.Ordinal);
        // (1), (3): drop the locals written by a statement whose recomputation would not be faithful, or would clobber
        // or cost what it should not, until the rest can be recomputed together.
        var arrays = new HashSet<string>(_primal.Method.Locals.Where(l => l.IsArray).Select(l => l.Name), System.StringComparer.Ordinal);
        var assigned = StatementWalker.AssignedIn(loop.Body);
        while (true)
        {
            var chosen = Enumerable.Range(0, top.Count).Where(k => written[k].Overlaps(valid)).ToList();
            var exposed = new HashSet<string>(System.StringComparer.Ordinal);
            Exposed(new Block(chosen.Select(k => top[k]).ToEquatableArray()), new HashSet<string>(System.StringComparer.Ordinal) { loop.Counter }, exposed);
            // (1) what they read before writing must be constant over the iteration: the body does not write it.
            exposed.IntersectWith(assigned);
            var culprits = chosen.Where(k => !RecomputationIsSound(k, chosen, written, valid, arrays, top)
                || (exposed.Count > 0 && Reads(top[k]).Overlaps(exposed))).ToList();
            if (culprits.Count == 0)
            {
                plan = chosen.Select(k => top[k]).ToList();
                return valid;
            }
            valid.ExceptWith(culprits.SelectMany(k => written[k]));
        }
    }

    /// <summary>Condition (3) for recomputing the body statement at <paramref name="k"/> among the <paramref name="chosen"/>.</summary>
    private bool RecomputationIsSound(int k, List<int> chosen, List<HashSet<string>> written, HashSet<string> valid, HashSet<string> arrays, EquatableArray<Stmt> top)
    {
        // What it writes is recomputed wherever it is read (so overwriting it costs nobody a value); an array that is
        // not needed here would only be extra work: recomputing a whole inner loop nest to spare one saved element.
        if (!written[k].All(v => _facts.Recomputed.Contains(v) && (!arrays.Contains(v) || valid.Contains(v)))) return false;
        // No statement left out writes what it writes: the recomputation reproduces those values on its own.
        if (Enumerable.Range(0, written.Count).Except(chosen).Any(j => written[j].Overlaps(written[k]))) return false;
        var statements = StatementWalker.Flatten(new Block(EquatableArray.Of(top[k]))).Prepend(top[k]).ToList();
        if (statements.Any(s => s is For { ExitFlag: not null } or AllocateArray)) return false;
        // A save costs a store and a load; a call to another method or an exp, log, sin… costs more than that, and
        // the reverse sweep often evaluates it once more anyway (the derivative of exp is exp).
        return !statements.Any(s => s is CallAssign || IrWalker.Expressions(s).Any(IsCostly));
    }

    private static bool IsCostly(Expr e) =>
        e is MathCall call && !PrimitiveTable.Of(call.Function).Cheap
        || ExprWalker.Children(e).Any(IsCostly);

    private static HashSet<string> Reads(Stmt statement)
    {
        var reads = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var s in StatementWalker.Flatten(new Block(EquatableArray.Of(statement)))) // the statement itself first
            foreach (var e in IrWalker.Expressions(s)) ContentReads(e, reads);
        return reads;
    }

    /// <summary>The recomputation a reversed loop body starts with, or an empty list.</summary>
    private List<Stmt> Recomputation(For loop, out HashSet<string> exposed)
    {
        exposed = new HashSet<string>(System.StringComparer.Ordinal);
        if (!_facts.Recomputation.TryGetValue(IdOf(loop), out var ids) || ids.Count == 0) return new List<Stmt>();
        var plan = ids.Select(id => _context.Ids[id]).ToList();
        Exposed(new Block(plan.ToEquatableArray()), new HashSet<string>(System.StringComparer.Ordinal) { loop.Counter }, exposed);
        var names = string.Join(", ", _facts.RecomputedIn[IdOf(loop)].OrderBy(v => v, System.StringComparer.Ordinal));
        var output = new List<Stmt> { new Comment("Recomputed, not saved: " + names) };
        output.AddRange(plan.Select(Replay));
        return output;
    }

    /// <summary>A primal statement as the forward sweep runs it, without saves (values interned for sharing).</summary>
    private Stmt Replay(Stmt s) => s switch
    {
        Assign a => a with { Value = _f.InternAsIs(a.Value) },
        AssignElement e => e with { Value = _f.InternAsIs(e.Value) },
        If i => i with { Then = new Block(i.Then.Statements.Select(Replay).ToEquatableArray()), Else = new Block(i.Else.Statements.Select(Replay).ToEquatableArray()) },
        For f => f with { Body = new Block(f.Body.Statements.Select(Replay).ToEquatableArray()) },
        _ => s with { },
    };

    /// <summary>
    /// Condition (4): the recomputed locals the reverse sweep reads outside the reversed bodies that recompute them
    /// (reads inside a recomputation count only if the recomputation reads them before writing them). The built
    /// sweep's answer, kept for the test that checks the planner's (<see cref="ReverseReadAnalysis.Reads.Uncovered"/>).
    /// </summary>
    internal HashSet<string> UncoveredReads(Block reverse, HashSet<string> recomputed)
    {
        var uncovered = new HashSet<string>(System.StringComparer.Ordinal);
        void Walk(Block block, HashSet<string> covered)
        {
            foreach (var s in block.Statements)
            {
                var reads = new HashSet<string>(System.StringComparer.Ordinal);
                foreach (var e in IrWalker.Expressions(s)) ContentReads(e, reads);
                uncovered.UnionWith(reads.Where(v => recomputed.Contains(v) && !covered.Contains(v)));
                switch (s)
                {
                    case If i:
                        Walk(i.Then, covered);
                        Walk(i.Else, covered);
                        break;
                    case For f when _reversedWithRecompute.TryGetValue(f, out var r):
                        var inner = new HashSet<string>(covered, System.StringComparer.Ordinal);
                        if (_facts.RecomputedIn.TryGetValue(IdOf(r.Primal), out var valid)) inner.UnionWith(valid);
                        uncovered.UnionWith(r.Exposed.Where(v => recomputed.Contains(v) && !inner.Contains(v)));
                        Walk(new Block(f.Body.Statements.Skip(r.Count).ToEquatableArray()), inner);
                        break;
                    case For f:
                        Walk(f.Body, covered);
                        break;
                }
            }
        }
        Walk(reverse, new HashSet<string>(System.StringComparer.Ordinal));
        return uncovered;
    }

    /// <summary>
    /// What a reverse-sweep block reads; a recomputation counts with what it reads before writing. Lengths of arrays
    /// count when <paramref name="lengths"/> (the save decisions have always counted them; a length never changes).
    /// </summary>
    private HashSet<string> ContentReads(Block reverse, bool lengths)
    {
        var reads = new HashSet<string>(System.StringComparer.Ordinal);
        void Walk(Block block)
        {
            foreach (var s in block.Statements)
            {
                foreach (var e in IrWalker.Expressions(s))
                {
                    if (lengths) ExprWalker.CollectReads(e, reads, reads);
                    else ContentReads(e, reads);
                }
                switch (s)
                {
                    case If i:
                        Walk(i.Then);
                        Walk(i.Else);
                        break;
                    case For f when _reversedWithRecompute.TryGetValue(f, out var r):
                        reads.UnionWith(r.Exposed);
                        Walk(new Block(f.Body.Statements.Skip(r.Count).ToEquatableArray()));
                        break;
                    case For f:
                        Walk(f.Body);
                        break;
                }
            }
        }
        Walk(reverse);
        return reads;
    }

    /// <summary>Variables and array contents an expression reads; an array's length is not its contents.</summary>
    private static void ContentReads(Expr e, ISet<string> reads) => ExposedReads.Contents(e, reads);

    /// <summary>Upward-exposed reads of a block (<see cref="ExposedReads.Of"/>), with this sweep's primal and facts.</summary>
    private void Exposed(Block block, HashSet<string> defined, HashSet<string> exposed) =>
        ExposedReads.Of(_primal.Method, _facts.Changing, block, defined, exposed);
}
