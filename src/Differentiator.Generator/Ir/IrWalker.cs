using System;
using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Ir;

/// <summary>
/// The one walk over the IR. <see cref="Blocks"/> and <see cref="Expressions"/> are the one switch over statement
/// kinds, <see cref="Children"/> the one switch over expression kinds; each throws on a kind it does not know, so a new
/// kind fails loudly in every pass (its unit test included) instead of being skipped by a recursion that forgot it.
/// Passes walk with <see cref="Flatten"/>, <see cref="Walk"/> (each statement with the loops around it) and
/// <see cref="Descendants"/>, and rewrite with <see cref="IrRewriter"/>, which is built on the same switches.
/// </summary>
internal static class IrWalker
{
    private static readonly Block[] NoBlocks = Array.Empty<Block>();
    private static readonly Expr[] NoExpressions = Array.Empty<Expr>();

    /// <summary>
    /// The blocks nested in a statement, in order: an if's Then and Else, a loop's body; none for every other kind.
    /// A kernel's <see cref="VectorKernel.Original"/> is a quotation of the loop it replaced, not code that runs: not a block.
    /// </summary>
    public static IReadOnlyList<Block> Blocks(Stmt s) => s switch
    {
        If i => new[] { i.Then, i.Else },
        For f => new[] { f.Body },
        While w => new[] { w.Body },
        DoWhile d => new[] { d.Body },
        Assign or CallAssign or AllocateArray or Break or Continue or Return or AssignElement or Push or RentScalarSlots
            or PopElement or PushArray or PopArray or RentSnapshots or ViewSnapshot or AllocateAdjointArray or Pop or Let
            or ClearArray or GradientCall or ReleaseRented or Comment or Section or VectorKernel or RunView => NoBlocks,
        _ => throw Unknown(s),
    };

    /// <summary>Whether the statement holds blocks of its own (if, for, while, do).</summary>
    public static bool IsCompound(Stmt s) => Blocks(s).Count > 0;

    /// <summary>Whether the statement is a loop: its body may run more than once.</summary>
    public static bool IsLoop(Stmt s) => s is For or While or DoWhile;

    /// <summary>
    /// The expressions a statement evaluates itself, not those of its nested blocks. An array a statement names outside
    /// any expression (a slot's buffer, a whole array saved) appears as an <see cref="ArrayRef"/>, so that the readers of
    /// expressions see it; a kernel's are <see cref="VectorKernel.Expressions"/>.
    /// </summary>
    public static IEnumerable<Expr> Expressions(Stmt s) => s switch
    {
        Assign a => new[] { a.Value },
        AssignElement ae => ae.Indices.Append(ae.Value),
        Let l => new[] { l.Value },
        Push p => p.Slot is { } slot ? new[] { p.Value, slot.Index, new ArrayRef(slot.Buffer) } : new[] { p.Value },
        Pop p => p.Slot is { } slot ? new[] { slot.Index, new ArrayRef(slot.Buffer) } : NoExpressions,
        If i => new[] { i.Condition },
        For f => new[] { f.Start, f.Bound },
        While w => new[] { w.Condition },
        DoWhile d => new[] { d.Condition },
        Return r => new[] { r.Value },
        AllocateArray a => new[] { a.Length },
        PopElement p => p.Indices,
        PushArray p => new Expr[] { new ArrayRef(p.Array) },
        RentSnapshots r => new[] { r.Count },
        RentScalarSlots r => new[] { r.Count },
        ViewSnapshot v => new[] { v.Index },
        CallAssign c => c.Arguments,
        GradientCall g => g.Arguments,
        VectorKernel k => k.Expressions,
        RunView v => VectorKernel.Of(v.Run),
        Break or Continue or PopArray or AllocateAdjointArray or ClearArray or ReleaseRented or Comment or Section => NoExpressions,
        _ => throw Unknown(s),
    };

    /// <summary>The direct subexpressions of an expression, left to right.</summary>
    public static IReadOnlyList<Expr> Children(Expr e) => e switch
    {
        Const or VarRef or LengthOf or ArrayRef => NoExpressions,
        ElementRef el => el.Indices,
        RowLength r => new[] { r.Row },
        Unary u => new[] { u.Operand },
        Binary b => new[] { b.Left, b.Right },
        Conditional c => new[] { c.Condition, c.WhenTrue, c.WhenFalse },
        MathCall m => m.Arguments,
        Convert c => new[] { c.Operand },
        _ => throw Unknown(e),
    };

    /// <summary>Every statement of the block, nested ones included, each before the statements nested in it.</summary>
    public static IEnumerable<Stmt> Flatten(Block block)
    {
        foreach (var s in block.Statements)
        {
            yield return s;
            foreach (var nested in Blocks(s))
                foreach (var t in Flatten(nested)) yield return t;
        }
    }

    /// <summary>
    /// Every statement of the block as <see cref="Flatten"/> gives them, each with the compound statements around it
    /// (outermost first), from which its loop depth and enclosing loops follow.
    /// </summary>
    public static IEnumerable<StatementSite> Walk(Block block) => Walk(block, Array.Empty<Stmt>());

    private static IEnumerable<StatementSite> Walk(Block block, IReadOnlyList<Stmt> enclosing)
    {
        foreach (var s in block.Statements)
        {
            yield return new StatementSite(s, enclosing);
            var blocks = Blocks(s);
            if (blocks.Count == 0) continue;
            var inner = enclosing.Append(s).ToArray();
            foreach (var nested in blocks)
                foreach (var site in Walk(nested, inner)) yield return site;
        }
    }

    /// <summary>The expression and every expression below it, each before its children (a shared node once per occurrence).</summary>
    public static IEnumerable<Expr> Descendants(Expr e)
    {
        var stack = new Stack<Expr>();
        stack.Push(e);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            yield return node;
            var children = Children(node);
            for (int k = children.Count - 1; k >= 0; k--) stack.Push(children[k]);
        }
    }

    /// <summary>Every expression of every statement of the block at any depth, and every expression below those.</summary>
    public static IEnumerable<Expr> AllExpressions(Block block) =>
        Flatten(block).SelectMany(Expressions).SelectMany(Descendants);

    internal static InvalidOperationException Unknown(object node) =>
        new("The IR walker does not know the " + (node is Expr ? "expression" : "statement") + " kind " + node.GetType().Name + ": add it to Ir/IrWalker.cs and Ir/IrRewriter.cs.");
}

/// <summary>A statement and the compound statements (if, for, while, do) around it, outermost first.</summary>
internal readonly struct StatementSite
{
    public StatementSite(Stmt statement, IReadOnlyList<Stmt> enclosing)
    {
        Statement = statement;
        Enclosing = enclosing;
    }

    public Stmt Statement { get; }

    public IReadOnlyList<Stmt> Enclosing { get; }

    /// <summary>The loops around the statement, outermost first.</summary>
    public IEnumerable<Stmt> EnclosingLoops => Enclosing.Where(IrWalker.IsLoop);

    /// <summary>How many loops the statement is in: 0 at the top level of a body.</summary>
    public int LoopDepth => Enclosing.Count(IrWalker.IsLoop);

    /// <summary>The innermost counted loop around the statement, or null.</summary>
    public For? InnermostFor => Enclosing.OfType<For>().LastOrDefault();
}
