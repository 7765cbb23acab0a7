using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Analysis;

/// <summary>
/// Element reads whose index a branch's condition tests: <c>p &lt; 0 ? a : t[p]</c>, <c>if (idx[k] &gt; 0) s += x[idx[k] - 1]</c>
/// (GradBench ht's parents, with -1 for a root). Such an index may be out of range when the branch is not taken, so
/// code made from the read — an adjoint update, a read moved out of a loop — must stay under the same test.
/// </summary>
internal static class IndexGuards
{
    /// <summary>Whether <paramref name="condition"/> tests an int value that an index of <paramref name="element"/> reads.</summary>
    public static bool Tests(Expr condition, ElementRef element)
    {
        var tested = IntValues(condition);
        return tested.Count > 0 && element.Indices.SelectMany(IntValues).Any(tested.Contains);
    }

    /// <summary>The elements read in the branches of the block's <c>?:</c> and <c>if</c>s whose conditions test their indices.</summary>
    public static HashSet<ElementRef> GuardedReads(IEnumerable<Stmt> statements)
    {
        var guarded = new HashSet<ElementRef>();
        foreach (var s in statements)
        {
            foreach (var e in IrWalker.Expressions(s).SelectMany(IrWalker.Descendants).OfType<Conditional>())
                Add(e.Condition, new[] { e.WhenTrue, e.WhenFalse }, guarded);
            if (s is If branch)
                Add(branch.Condition, IrWalker.Flatten(branch.Then).Concat(IrWalker.Flatten(branch.Else)).SelectMany(IrWalker.Expressions), guarded);
        }
        return guarded;
    }

    private static void Add(Expr condition, IEnumerable<Expr> branches, HashSet<ElementRef> guarded)
    {
        foreach (var element in branches.SelectMany(IrWalker.Descendants).OfType<ElementRef>())
            if (Tests(condition, element)) guarded.Add(element);
    }

    /// <summary>The int variables and int data elements an expression reads as values (not as indices of real elements).</summary>
    private static HashSet<Expr> IntValues(Expr e)
    {
        var found = new HashSet<Expr>();
        var pending = new Stack<Expr>();
        pending.Push(e);
        while (pending.Count > 0)
        {
            var x = pending.Pop();
            if (x is VarRef { Type: ScalarType.Int } or ElementRef { Type: ScalarType.Int }) found.Add(x);
            if (x is ElementRef { Type: ScalarType.Double }) continue; // z[k] > max tests z[k], not k
            foreach (var child in IrWalker.Children(x)) pending.Push(child);
        }
        return found;
    }
}
