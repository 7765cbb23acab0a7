using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Analysis;

/// <summary>Reads of an expression: which scalar variables and arrays it touches. Walks with <see cref="IrWalker"/>.</summary>
internal static class ExprWalker
{
    /// <summary>The direct subexpressions (<see cref="IrWalker.Children"/>).</summary>
    public static IEnumerable<Expr> Children(Expr e) => IrWalker.Children(e);

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
            var children = IrWalker.Children(node);
            for (int k = 0; k < children.Count; k++) stack.Push(children[k]);
        }
    }

    /// <summary>The expression with each variable replaced by what <paramref name="replace"/> gives for it (null: kept).</summary>
    public static Expr Substitute(Expr e, System.Func<VarRef, Expr?> replace) => IrRewriter.TopDown(e, x => x is VarRef v ? replace(v) : null);

    /// <summary>The expression with each node for which <paramref name="replace"/> gives an expression replaced by it (outermost first; null: kept, its children visited).</summary>
    public static Expr Replace(Expr e, System.Func<Expr, Expr?> replace) => IrRewriter.TopDown(e, replace);

    /// <summary><see cref="Substitute(Expr, System.Func{VarRef, Expr})"/> on each expression.</summary>
    public static EquatableArray<Expr> Substitute(EquatableArray<Expr> expressions, System.Func<VarRef, Expr?> replace) =>
        IrRewriter.MapAll(expressions, e => Substitute(e, replace));

    public static HashSet<string> Reads(Expr e)
    {
        var set = new HashSet<string>(System.StringComparer.Ordinal);
        CollectReads(e, set, set);
        return set;
    }

    public static int Size(Expr e) => IrWalker.Descendants(e).Count();
}
