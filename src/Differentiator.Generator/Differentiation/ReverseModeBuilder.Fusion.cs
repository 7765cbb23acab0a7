using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Differentiation;

/// <summary>
/// Forward/reverse fusion of the last top-level loop. The reverse loop may run its iterations in forward order,
/// interleaved with the forward loop, when (1) every variable the body assigns is either iteration-local (written
/// before it is read in each iteration) or a sum (<c>s = s ± e</c>, read nowhere else in the body), so no
/// iteration depends on another except through sums, whose adjoints stay constant over the reverse loop; and (2)
/// the adjoints of those sums are known before the loop: the statements after the loop are plain assignments whose
/// derivatives read nothing the loop or they themselves compute (<c>return sum / n</c>, not <c>return Math.Log(sum)</c>).
/// Then each iteration computes its values and, right away, its adjoints: one pass, and iteration-local values
/// need no saving. This is what makes a generated MSE gradient one loop, like the hand-written one.
/// </summary>
internal sealed partial class ReverseModeBuilder
{
    private List<Stmt>? TryFuseLastLoop(Block body, List<Stmt> prologue)
    {
        var top = body.Statements;
        int index = -1;
        for (int k = top.Count - 1; k >= 0; k--)
        {
            if (top[k] is For) { index = k; break; }
        }
        if (index < 0 || top[index] is not For loop || loop.ExitFlag is not null || !LoopIsRecomputable(loop)) return null;
        // Element writes of local arrays carry values between iterations in ways the sum test below does not see.
        if (_primal.Method.Locals.Any(l => l.IsArray)) return null;

        var after = top.Skip(index + 1).ToList();
        if (!after.All(s => s is Assign)) return null;
        var afterForward = ForwardBlock(new Block(after.ToEquatableArray()), inLoop: false);
        var afterReverse = ReverseBlock(new Block(after.ToEquatableArray()), inLoop: false);
        if (afterForward.Statements.Any(s => s is Push) || afterReverse.Statements.Any(s => s is Pop)) return null;

        // (2) the adjoint code of the statements after the loop can run before the loop.
        var computedLater = StatementWalker.AssignedIn(loop.Body);
        computedLater.UnionWith(after.Select(s => ((Assign)s).Target));
        if (ReverseReads(afterReverse, this).Overlaps(computedLater)) return null;

        // (1) iterations are independent apart from sums.
        var localOnes = IterationLocals(loop.Body, out var sums);
        if (localOnes is null) return null;
        // A sum whose earlier values the reverse sweep reads (a parameter reassigned by the loop, read before it)
        // must be restored iteration by iteration, which a fused loop cannot do: its forward part needs the sum.
        if (sums.Overlaps(_restore)) return null;

        // An iteration-local value needs no saving when every statement whose adjoint reads it comes after the
        // body's last assignment to it: in a fused iteration the adjoints run right after the values, which are
        // then still in place (z = b; z += X[i,j]·w[j]; loss += log(1 + e^z) − y[i]·z reads only the final z).
        var unsaved = new HashSet<string>(localOnes.Where(v => ReadsFollowLastAssignment(loop.Body, v)), System.StringComparer.Ordinal);
        var before = new Block(top.Take(index).ToEquatableArray());
        // A value that also lives outside the loop must still be saved: the code around the loop needs its own.
        unsaved.ExceptWith(StatementWalker.AssignedIn(before));
        unsaved.ExceptWith(after.Select(s => ((Assign)s).Target));
        var statements = new List<Stmt> { new Section(SweepTitles.Forward) };
        statements.AddRange(ForwardBlock(before, inLoop: false).Statements);
        var saved = _restore;
        _restore = new HashSet<string>(_restore.Where(v => !unsaved.Contains(v)), System.StringComparer.Ordinal);
        var forwardBody = ForwardBlock(loop.Body, inLoop: true);
        var reverseBody = ReverseBlock(loop.Body, inLoop: true);
        statements.Add(new Section(SweepTitles.Fused));
        statements.AddRange(prologue);
        statements.AddRange(afterReverse.Statements);
        statements.Add(loop with { Body = new Block(forwardBody.Statements.Concat(reverseBody.Statements).ToEquatableArray()) });
        statements.AddRange(afterForward.Statements);
        _restore = saved;
        var reverseBefore = ReverseBlock(before, inLoop: false);
        if (reverseBefore.Statements.Count > 0)
        {
            statements.Add(new Section(SweepTitles.Reverse));
            statements.AddRange(reverseBefore.Statements);
        }
        return statements;
    }

    /// <summary>Whether, among the body's top-level statements, all those whose reverse reads <paramref name="v"/> come after the last one that assigns it.</summary>
    private bool ReadsFollowLastAssignment(Block body, string v)
    {
        int lastAssignment = -1;
        int firstRead = int.MaxValue;
        for (int k = 0; k < body.Statements.Count; k++)
        {
            var statement = body.Statements[k];
            if (StatementWalker.AssignedIn(new Block(EquatableArray.Of(statement))).Contains(v)) lastAssignment = k;
            var reverse = new List<Stmt>();
            ReverseStatement(statement, inLoop: true, reverse);
            if (firstRead == int.MaxValue && ReverseReads(new Block(reverse.ToEquatableArray()), this).Contains(v)) firstRead = k;
        }
        if (firstRead > lastAssignment) return true;
        // The last assignment's own reverse may read v when it is v = Math.Exp(u) (derivative written with v; see
        // ReverseAssign): in a fused iteration that runs after every assignment of the iteration, so v still holds it.
        return firstRead == lastAssignment && body.Statements[lastAssignment] is Assign last && last.Target == v && ReusesOwnResult(last);
    }

    /// <summary>
    /// The variables the body writes before reading in every iteration, or null when some assigned variable is
    /// neither that nor a sum. <paramref name="sums"/> receives the sums.
    /// </summary>
    private static HashSet<string>? IterationLocals(Block body, out HashSet<string> sums)
    {
        sums = new HashSet<string>(System.StringComparer.Ordinal);
        var assigned = StatementWalker.AssignedIn(body);
        var locals = new HashSet<string>(System.StringComparer.Ordinal);
        var all = StatementWalker.Flatten(body).ToList();
        foreach (var v in assigned)
        {
            if (IsSum(v, all))
            {
                sums.Add(v);
                continue;
            }
            // Iteration-local: the first top-level statement that mentions v assigns it without reading it.
            if (IsIterationLocal(v, body)) locals.Add(v);
            else return null;
        }
        return locals;
    }

    /// <summary>
    /// Whether every iteration of <paramref name="body"/> writes v before it reads it: the first top-level statement
    /// that mentions v assigns it without reading it, or is an inner loop, the only statement that mentions v, in
    /// whose body the same holds (a value named inside an inner loop, such as CallResultLocals' <c>tanh</c>).
    /// </summary>
    private static bool IsIterationLocal(string v, Block body)
    {
        var mentioning = body.Statements.Where(s => Mentions(s, v)).ToList();
        return mentioning.FirstOrDefault() switch
        {
            Assign a => a.Target == v && !ExprWalker.Reads(a.Value).Contains(v),
            CallAssign c => c.Target == v && !c.Arguments.Any(x => ExprWalker.Reads(x).Contains(v)),
            For { ExitFlag: null } inner => mentioning.Count == 1 && inner.Counter != v
                && !ExprWalker.Reads(inner.Start).Contains(v) && !ExprWalker.Reads(inner.Bound).Contains(v) && IsIterationLocal(v, inner.Body),
            _ => false,
        };
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
            if (StatementExpressions(s).Any(e => ExprWalker.Reads(e).Contains(v))) return false;
        }
        return any;
    }

    private static bool Mentions(Stmt s, string v) =>
        StatementWalker.Flatten(new Block(EquatableArray.Of(s))).Any(x => StatementWalker.Target(x) == v || StatementExpressions(x).Any(e => ExprWalker.Reads(e).Contains(v)));
}
