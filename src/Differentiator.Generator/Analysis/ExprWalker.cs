using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Analysis;

/// <summary>Reads of an expression: which scalar variables and arrays it touches.</summary>
internal static class ExprWalker
{
    public static IEnumerable<Expr> Children(Expr e)
    {
        switch (e)
        {
            case ElementRef el:
                foreach (var i in el.Indices) yield return i;
                break;
            case Unary u:
                yield return u.Operand;
                break;
            case Binary b:
                yield return b.Left;
                yield return b.Right;
                break;
            case Conditional c:
                yield return c.Condition;
                yield return c.WhenTrue;
                yield return c.WhenFalse;
                break;
            case MathCall m:
                foreach (var a in m.Arguments) yield return a;
                break;
            case Convert c:
                yield return c.Operand;
                break;
            case RowLength r:
                yield return r.Row;
                break;
        }
    }

    /// <summary>Every scalar variable read, and every array read (by element or length).</summary>
    public static void CollectReads(Expr e, ISet<string> variables, ISet<string>? arrays = null)
    {
        var stack = new Stack<Expr>();
        stack.Push(e);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            switch (node)
            {
                case VarRef v:
                    variables.Add(v.Name);
                    break;
                case ElementRef el:
                    arrays?.Add(el.Array);
                    break;
                case LengthOf len:
                    arrays?.Add(len.Array);
                    break;
                case RowLength row:
                    arrays?.Add(row.Array);
                    break;
                case ArrayRef whole:
                    arrays?.Add(whole.Array);
                    break;
            }
            foreach (var child in Children(node)) stack.Push(child);
        }
    }

    /// <summary>The expression with each variable replaced by what <paramref name="replace"/> gives for it (null: kept).</summary>
    public static Expr Substitute(Expr e, System.Func<VarRef, Expr?> replace) => e switch
    {
        VarRef v => replace(v) ?? v,
        ElementRef el => el with { Indices = Substitute(el.Indices, replace) },
        Unary u => u with { Operand = Substitute(u.Operand, replace) },
        Binary b => b with { Left = Substitute(b.Left, replace), Right = Substitute(b.Right, replace) },
        Conditional c => c with { Condition = Substitute(c.Condition, replace), WhenTrue = Substitute(c.WhenTrue, replace), WhenFalse = Substitute(c.WhenFalse, replace) },
        MathCall m => m with { Arguments = Substitute(m.Arguments, replace) },
        Convert c => c with { Operand = Substitute(c.Operand, replace) },
        RowLength r => r with { Row = Substitute(r.Row, replace) },
        _ => e,
    };

    /// <summary>The expression with each node for which <paramref name="replace"/> gives an expression replaced by it (outermost first; null: kept, its children visited).</summary>
    public static Expr Replace(Expr e, System.Func<Expr, Expr?> replace) => replace(e) ?? e switch
    {
        ElementRef el => el with { Indices = el.Indices.Select(i => Replace(i, replace)).ToEquatableArray() },
        Unary u => u with { Operand = Replace(u.Operand, replace) },
        Binary b => b with { Left = Replace(b.Left, replace), Right = Replace(b.Right, replace) },
        Conditional c => c with { Condition = Replace(c.Condition, replace), WhenTrue = Replace(c.WhenTrue, replace), WhenFalse = Replace(c.WhenFalse, replace) },
        MathCall m => m with { Arguments = m.Arguments.Select(a => Replace(a, replace)).ToEquatableArray() },
        Convert c => c with { Operand = Replace(c.Operand, replace) },
        RowLength r => r with { Row = Replace(r.Row, replace) },
        _ => e,
    };

    /// <summary><see cref="Substitute(Expr, System.Func{VarRef, Expr})"/> on each expression.</summary>
    public static EquatableArray<Expr> Substitute(EquatableArray<Expr> expressions, System.Func<VarRef, Expr?> replace) =>
        expressions.Select(e => Substitute(e, replace)).ToEquatableArray();

    public static HashSet<string> Reads(Expr e)
    {
        var set = new HashSet<string>(System.StringComparer.Ordinal);
        CollectReads(e, set, set);
        return set;
    }

    public static int Size(Expr e)
    {
        int n = 1;
        foreach (var child in Children(e)) n += Size(child);
        return n;
    }
}
