using System.Collections.Generic;
using Differentiator.Generator.Ir;

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
