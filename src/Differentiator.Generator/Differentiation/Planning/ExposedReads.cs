using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Differentiation;

/// <summary>
/// What code reads of the primal's values: an expression's contents (variables, elements, whole arrays, not lengths),
/// and a block's upward-exposed reads (what it may read before writing it). Shared by the sweeps (recomputation,
/// fusion) and the reversal analysis (<see cref="ReverseReads"/>), which must agree on them.
/// </summary>
internal static class ExposedReads
{
    /// <summary>Variables and array contents an expression reads; an array's length is not its contents.</summary>
    public static void Contents(Expr e, ISet<string> reads)
    {
        switch (e)
        {
            case VarRef v: reads.Add(v.Name); break;
            case ElementRef el: reads.Add(el.Array); break;
            case ArrayRef whole: reads.Add(whole.Array); break;
            case RowLength row: reads.Add(row.Array); break;
        }
        foreach (var child in ExprWalker.Children(e)) Contents(child, reads);
    }

    /// <summary>
    /// Upward-exposed reads: adds to <paramref name="exposed"/> what the block may read before writing it (a
    /// partial element write does not define an array; a loop that writes every element does), given what is
    /// already <paramref name="defined"/>, which receives what the block surely defines. <paramref name="changing"/>:
    /// the variables that may hold more than one value during a call (<see cref="SweepFacts.Changing"/>).
    /// </summary>
    public static void Of(MethodIr method, ReadOnlySet<string> changing, Block block, HashSet<string> defined, HashSet<string> exposed)
    {
        void Read(Expr e)
        {
            var reads = new HashSet<string>(System.StringComparer.Ordinal);
            Contents(e, reads);
            exposed.UnionWith(reads.Where(r => !defined.Contains(r)));
        }
        foreach (var s in block.Statements)
        {
            switch (s)
            {
                case If i:
                {
                    Read(i.Condition);
                    var then = new HashSet<string>(defined, System.StringComparer.Ordinal);
                    Of(method, changing, i.Then, then, exposed);
                    var otherwise = new HashSet<string>(defined, System.StringComparer.Ordinal);
                    Of(method, changing, i.Else, otherwise, exposed);
                    then.IntersectWith(otherwise);
                    defined.UnionWith(then);
                    break;
                }
                case For f:
                {
                    Read(f.Start);
                    Read(f.Bound);
                    if (f.ExitFlag is not null && !defined.Contains(f.ExitFlag)) exposed.Add(f.ExitFlag);
                    // The body with only what was defined before the loop: a later iteration reads no less than the first.
                    var inner = new HashSet<string>(defined, System.StringComparer.Ordinal) { f.Counter };
                    Of(method, changing, f.Body, inner, exposed);
                    if (WritesEveryElement(method, changing, f) is { } array) defined.Add(array);
                    break;
                }
                default:
                    foreach (var e in IrWalker.Expressions(s)) Read(e);
                    if (StatementWalker.Target(s) is { } target) defined.Add(target);
                    if (s is AllocateArray allocation) defined.Add(allocation.Name);
                    break;
            }
        }
    }

    /// <summary>
    /// The local array that <c>for (c = 0; c &lt; length; c++) { … a[c] = e; … }</c> fills, when the bound is the
    /// array's length (its <c>Length</c>, or the allocation's length expression, whose variables never change) and
    /// the body writes <c>a[c]</c> unconditionally without reading <c>a</c>.
    /// </summary>
    private static string? WritesEveryElement(MethodIr method, ReadOnlySet<string> changing, For f)
    {
        if (f.ExitFlag is not null || f.Step != 1 || f.Compare != BinaryOp.Less || f.Start is not Const { Value: 0 }) return null;
        foreach (var write in f.Body.Statements.OfType<AssignElement>())
        {
            if (write.Indices.Count != 1 || write.Indices[0] is not VarRef { Name: var index } || index != f.Counter) continue;
            var allocation = method.Body.Statements.OfType<AllocateArray>().FirstOrDefault(a => a.Name == write.Array);
            if (allocation is null) continue;
            bool isLength = f.Bound is LengthOf { Array: var a } && a == write.Array
                || (f.Bound.Equals(allocation.Length) && !ExprWalker.Reads(allocation.Length).Overlaps(changing));
            if (!isLength) continue;
            var reads = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var s in StatementWalker.Flatten(f.Body))
                foreach (var e in IrWalker.Expressions(s)) Contents(e, reads);
            if (!reads.Contains(write.Array)) return write.Array;
        }
        return null;
    }
}
