using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Differentiation;

/// <summary>Loops backwards: bounds or a saved trip count, ascending when the order cannot matter, recomputation first.</summary>
internal sealed partial class ReverseModeBuilder
{
    private void ReverseLoop(For loop, bool inLoop, List<Stmt> output)
    {
        var body = ReverseBlock(loop.Body, inLoop: true);
        bool ascending = loop.Step > 0;
        Expr first;
        Expr last;
        if (LoopIsRecomputable(loop))
        {
            // The last counter value the forward loop ran with, from the bound it tested.
            bool inclusive = loop.Compare is BinaryOp.LessOrEqual or BinaryOp.GreaterOrEqual;
            first = inclusive ? loop.Bound : IntAdd(loop.Bound, ascending ? -1 : 1);
            last = loop.Start;
        }
        else
        {
            var (start, count) = LoopRecord(loop);
            if (inLoop)
            {
                output.Add(Restore(count));
                output.Add(Restore(start));
            }
            var startVar = new VarRef(start, ScalarType.Int);
            var countMinusOne = IntAdd(new VarRef(count, ScalarType.Int), -1);
            first = new Binary(ascending ? BinaryOp.Add : BinaryOp.Subtract, startVar, countMinusOne, ScalarType.Int);
            last = startVar;
        }
        if (body.Statements.Count == 0) return;
        // Locals the body writes before reading them are computed again rather than restored (Recompute.cs), or,
        // when that would replay a loop nest, saved at the end of the forward iteration and restored here (Snapshots.cs).
        var exposed = new HashSet<string>(System.StringComparer.Ordinal); // a restore reads nothing
        var recomputation = SnapshotRestores(loop);
        if (recomputation.Count == 0) recomputation = Recomputation(loop, out exposed);
        if (recomputation.Count > 0) body = new Block(recomputation.Concat(body.Statements).ToEquatableArray());
        For reversed;
        if (LoopIsRecomputable(loop) && IsOrderFree(body))
        {
            // Every iteration only adds into adjoints that no iteration reads: any order gives the same sums, so run it
            // the way it was written (ascending loops are the ones the JIT strips bounds checks from).
            reversed = new For(loop.Counter, loop.Start, loop.Compare, loop.Bound, loop.Step, body, null) { Source = loop.Source };
        }
        else
        {
            reversed = new For(loop.Counter, first, ascending ? BinaryOp.GreaterOrEqual : BinaryOp.LessOrEqual, last, -loop.Step, body, null) { Source = loop.Source };
        }
        if (recomputation.Count > 0) _reversedWithRecompute[reversed] = (loop, recomputation.Count, exposed);
        output.Add(reversed);
    }

    /// <summary>
    /// Whether a reversed loop body is a set of accumulations (<c>a += e</c>, <c>g[k] += e</c>) and temporaries whose
    /// right-hand sides read nothing the body writes: then its iterations commute.
    /// </summary>
    private static bool IsOrderFree(Block body)
    {
        var written = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var s in body.Statements)
        {
            switch (s)
            {
                case Comment: break;
                case Let l: written.Add(l.Name); break;
                case Assign a: written.Add(a.Target); break;
                case AssignElement e: written.Add(e.Array); break;
                default: return false; // restores, branches, nested loops, calls: order may matter
            }
        }
        bool ReadsWritten(Expr e) => ExprWalker.Reads(e).Overlaps(written);
        foreach (var s in body.Statements)
        {
            switch (s)
            {
                case Let l when ReadsWritten(l.Value):
                    return false;
                case Assign a when a.Value is not Binary { Op: BinaryOp.Add or BinaryOp.Subtract, Left: VarRef v } b || v.Name != a.Target || ReadsWritten(b.Right):
                    return false;
                case AssignElement e when e.Indices.Any(ReadsWritten)
                    || e.Value is not Binary { Op: BinaryOp.Add or BinaryOp.Subtract, Left: ElementRef el } sum
                    || el.Array != e.Array || !el.Indices.Equals(e.Indices) || ReadsWritten(sum.Right):
                    return false;
            }
        }
        return true;
    }

    private static Expr IntAdd(Expr e, int delta)
    {
        if (e is Const c) return new Const(c.Value + delta, ScalarType.Int);
        return delta >= 0
            ? new Binary(BinaryOp.Add, e, new Const(delta, ScalarType.Int), ScalarType.Int)
            : new Binary(BinaryOp.Subtract, e, new Const(-delta, ScalarType.Int), ScalarType.Int);
    }

}
