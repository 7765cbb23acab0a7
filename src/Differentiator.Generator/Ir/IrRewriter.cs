using System;
using System.Collections.Generic;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Ir;

/// <summary>
/// The one rewrite of the IR, on the same kinds as <see cref="IrWalker"/>: <see cref="MapChildren"/> is the switch over
/// expression kinds, <see cref="MapExpressions"/> and <see cref="MapBlocks"/> the switches over statement kinds; each
/// throws on a kind it does not know. A node is rebuilt only when something below it changed, so an untouched record
/// stays the same instance: hash-consed expressions stay shared, and a pass that changes nothing returns its input.
/// </summary>
internal static class IrRewriter
{
    // Expressions.

    /// <summary>The expression over its children mapped by <paramref name="map"/>; the same instance when no child changed.</summary>
    public static Expr MapChildren(Expr e, Func<Expr, Expr> map)
    {
        switch (e)
        {
            case Const or VarRef or LengthOf or ArrayRef:
                return e;
            case ElementRef el:
            {
                var indices = Map(el.Indices, map);
                return indices == null ? e : el with { Indices = indices.Value };
            }
            case RowLength r:
            {
                var row = map(r.Row);
                return ReferenceEquals(row, r.Row) ? e : r with { Row = row };
            }
            case Unary u:
            {
                var operand = map(u.Operand);
                return ReferenceEquals(operand, u.Operand) ? e : u with { Operand = operand };
            }
            case Binary b:
            {
                var left = map(b.Left);
                var right = map(b.Right);
                return ReferenceEquals(left, b.Left) && ReferenceEquals(right, b.Right) ? e : b with { Left = left, Right = right };
            }
            case Conditional c:
            {
                var condition = map(c.Condition);
                var whenTrue = map(c.WhenTrue);
                var whenFalse = map(c.WhenFalse);
                return ReferenceEquals(condition, c.Condition) && ReferenceEquals(whenTrue, c.WhenTrue) && ReferenceEquals(whenFalse, c.WhenFalse)
                    ? e : c with { Condition = condition, WhenTrue = whenTrue, WhenFalse = whenFalse };
            }
            case MathCall m:
            {
                var arguments = Map(m.Arguments, map);
                return arguments == null ? e : m with { Arguments = arguments.Value };
            }
            case Convert c:
            {
                var operand = map(c.Operand);
                return ReferenceEquals(operand, c.Operand) ? e : c with { Operand = operand };
            }
            default:
                throw IrWalker.Unknown(e);
        }
    }

    /// <summary>
    /// Rewrites bottom-up: each node's children first, then <paramref name="rewrite"/> on the node over the rewritten
    /// children (null: the node is kept). The result of <paramref name="rewrite"/> is not visited again.
    /// </summary>
    public static Expr BottomUp(Expr e, Func<Expr, Expr?> rewrite)
    {
        var rebuilt = MapChildren(e, child => BottomUp(child, rewrite));
        return rewrite(rebuilt) ?? rebuilt;
    }

    /// <summary>
    /// Rewrites top-down: each node for which <paramref name="replace"/> gives an expression is replaced by it (and not
    /// visited further); for the others (null), their children are visited.
    /// </summary>
    public static Expr TopDown(Expr e, Func<Expr, Expr?> replace) => replace(e) ?? MapChildren(e, child => TopDown(child, replace));

    /// <summary>The expressions mapped; the same array when every one stays the same instance.</summary>
    public static EquatableArray<Expr> MapAll(EquatableArray<Expr> expressions, Func<Expr, Expr> map) => Map(expressions, map) ?? expressions;

    /// <summary>Null when every expression stays the same instance, else the mapped array.</summary>
    private static EquatableArray<Expr>? Map(EquatableArray<Expr> expressions, Func<Expr, Expr> map)
    {
        Expr[]? mapped = null;
        for (int k = 0; k < expressions.Count; k++)
        {
            var x = map(expressions[k]);
            if (mapped is null && ReferenceEquals(x, expressions[k])) continue;
            if (mapped is null)
            {
                mapped = new Expr[expressions.Count];
                for (int j = 0; j < k; j++) mapped[j] = expressions[j];
            }
            mapped[k] = x;
        }
        return mapped is null ? null : mapped.ToEquatableArray();
    }

    // Statements.

    /// <summary>
    /// The statement with each expression it holds itself mapped (not those of its nested blocks, nor of a kernel's
    /// quoted <see cref="VectorKernel.Original"/>): the same instance when none changed. Names are not expressions:
    /// targets, arrays and counters stay.
    /// </summary>
    public static Stmt MapExpressions(Stmt s, Func<Expr, Expr> map)
    {
        Expr M(Expr e) => map(e);
        bool Same(Expr a, Expr b) => ReferenceEquals(a, b);
        switch (s)
        {
            case Assign a:
            {
                var value = M(a.Value);
                return Same(value, a.Value) ? s : a with { Value = value };
            }
            case AssignElement ae:
            {
                var indices = Map(ae.Indices, map);
                var value = M(ae.Value);
                return indices == null && Same(value, ae.Value) ? s : ae with { Indices = indices ?? ae.Indices, Value = value };
            }
            case Let l:
            {
                var value = M(l.Value);
                return Same(value, l.Value) ? s : l with { Value = value };
            }
            case Push p:
            {
                var value = M(p.Value);
                var slot = MapSlot(p.Slot, map);
                return Same(value, p.Value) && ReferenceEquals(slot, p.Slot) ? s : p with { Value = value, Slot = slot };
            }
            case Pop p:
            {
                var slot = MapSlot(p.Slot, map);
                return ReferenceEquals(slot, p.Slot) ? s : p with { Slot = slot };
            }
            case If i:
            {
                var condition = M(i.Condition);
                return Same(condition, i.Condition) ? s : i with { Condition = condition };
            }
            case For f:
            {
                var start = M(f.Start);
                var bound = M(f.Bound);
                return Same(start, f.Start) && Same(bound, f.Bound) ? s : f with { Start = start, Bound = bound };
            }
            case While w:
            {
                var condition = M(w.Condition);
                return Same(condition, w.Condition) ? s : w with { Condition = condition };
            }
            case DoWhile d:
            {
                var condition = M(d.Condition);
                return Same(condition, d.Condition) ? s : d with { Condition = condition };
            }
            case Return r:
            {
                var value = M(r.Value);
                return Same(value, r.Value) ? s : r with { Value = value };
            }
            case AllocateArray a:
            {
                var length = M(a.Length);
                return Same(length, a.Length) ? s : a with { Length = length };
            }
            case PopElement p:
            {
                var indices = Map(p.Indices, map);
                return indices == null ? s : p with { Indices = indices.Value };
            }
            case RentSnapshots r:
            {
                var count = M(r.Count);
                return Same(count, r.Count) ? s : r with { Count = count };
            }
            case RentScalarSlots r:
            {
                var count = M(r.Count);
                return Same(count, r.Count) ? s : r with { Count = count };
            }
            case ViewSnapshot v:
            {
                var index = M(v.Index);
                return Same(index, v.Index) ? s : v with { Index = index };
            }
            case CallAssign c:
            {
                var arguments = Map(c.Arguments, map);
                return arguments == null ? s : c with { Arguments = arguments.Value };
            }
            case GradientCall g:
            {
                var arguments = Map(g.Arguments, map);
                return arguments == null ? s : g with { Arguments = arguments.Value };
            }
            case DotAccumulate d:
            {
                var destination = M(d.Destination);
                var (left, right) = (MapRun(d.Left, map), MapRun(d.Right, map));
                var (start, bound) = (M(d.LoopStart), M(d.LoopBound));
                return Same(destination, d.Destination) && ReferenceEquals(left, d.Left) && ReferenceEquals(right, d.Right) && Same(start, d.LoopStart) && Same(bound, d.LoopBound)
                    ? s : d with { Destination = destination, Left = left, Right = right, LoopStart = start, LoopBound = bound };
            }
            case AxpyUpdate x:
            {
                var scale = M(x.Scale);
                var (input, destination) = (MapRun(x.Input, map), MapRun(x.Destination, map));
                var (start, bound) = (M(x.LoopStart), M(x.LoopBound));
                return Same(scale, x.Scale) && ReferenceEquals(input, x.Input) && ReferenceEquals(destination, x.Destination) && Same(start, x.LoopStart) && Same(bound, x.LoopBound)
                    ? s : x with { Scale = scale, Input = input, Destination = destination, LoopStart = start, LoopBound = bound };
            }
            case RunView v:
            {
                var run = MapRun(v.Run, map);
                return ReferenceEquals(run, v.Run) ? s : v with { Run = run };
            }
            case Break or Continue or PushArray or PopArray or AllocateAdjointArray or ClearArray or ReleaseRented or Comment or Section:
                return s;
            default:
                throw IrWalker.Unknown(s);
        }
    }

    private static ScalarSlot? MapSlot(ScalarSlot? slot, Func<Expr, Expr> map)
    {
        if (slot is null) return null;
        var index = map(slot.Index);
        return ReferenceEquals(index, slot.Index) ? slot : slot with { Index = index };
    }

    private static ElementRun MapRun(ElementRun run, Func<Expr, Expr> map)
    {
        var leading = Map(run.Leading, map);
        var start = map(run.Start);
        var count = map(run.Count);
        return leading == null && ReferenceEquals(start, run.Start) && ReferenceEquals(count, run.Count)
            ? run : run with { Leading = leading ?? run.Leading, Start = start, Count = count };
    }

    /// <summary>The statement with each of its nested blocks (<see cref="IrWalker.Blocks"/>) mapped; the same instance when none changed.</summary>
    public static Stmt MapBlocks(Stmt s, Func<Block, Block> map)
    {
        switch (s)
        {
            case If i:
            {
                var then = map(i.Then);
                var otherwise = map(i.Else);
                return ReferenceEquals(then, i.Then) && ReferenceEquals(otherwise, i.Else) ? s : i with { Then = then, Else = otherwise };
            }
            case For f:
            {
                var body = map(f.Body);
                return ReferenceEquals(body, f.Body) ? s : f with { Body = body };
            }
            case While w:
            {
                var body = map(w.Body);
                return ReferenceEquals(body, w.Body) ? s : w with { Body = body };
            }
            case DoWhile d:
            {
                var body = map(d.Body);
                return ReferenceEquals(body, d.Body) ? s : d with { Body = body };
            }
            default:
                return IrWalker.Blocks(s).Count == 0 ? s : throw IrWalker.Unknown(s);
        }
    }

    /// <summary>
    /// The block with each of its own statements replaced by what <paramref name="map"/> gives for it (none, itself,
    /// or several); nested blocks are the caller's (<see cref="MapBlocks"/>). The same block when every statement maps
    /// to itself alone.
    /// </summary>
    public static Block MapStatements(Block block, Func<Stmt, IEnumerable<Stmt>> map)
    {
        List<Stmt>? output = null;
        for (int k = 0; k < block.Statements.Count; k++)
        {
            var s = block.Statements[k];
            var mapped = map(s);
            var replacement = mapped as IReadOnlyList<Stmt> ?? new List<Stmt>(mapped);
            if (output is null && replacement.Count == 1 && ReferenceEquals(replacement[0], s)) continue;
            if (output is null)
            {
                output = new List<Stmt>(block.Statements.Count);
                for (int j = 0; j < k; j++) output.Add(block.Statements[j]);
            }
            output.AddRange(replacement);
        }
        return output is null ? block : new Block(output.ToEquatableArray());
    }

    /// <summary>
    /// Rewrites every statement at every depth, innermost first: a statement's nested blocks are rewritten, then
    /// <paramref name="rewrite"/> gives what replaces the statement so rebuilt (null: kept; empty: removed).
    /// </summary>
    public static Block Rewrite(Block block, Func<Stmt, IEnumerable<Stmt>?> rewrite) =>
        MapStatements(block, s =>
        {
            var rebuilt = MapBlocks(s, b => Rewrite(b, rewrite));
            return rewrite(rebuilt) ?? new[] { rebuilt };
        });

    /// <summary>Every statement at every depth with its own expressions mapped (<see cref="MapExpressions"/>).</summary>
    public static Block RewriteExpressions(Block block, Func<Expr, Expr> map) =>
        Rewrite(block, s =>
        {
            var mapped = MapExpressions(s, map);
            return ReferenceEquals(mapped, s) ? null : new[] { mapped };
        });
}
