using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Optimization;

/// <summary>
/// Compares two nodes by their own fields and their children's identity. With children already interned this is
/// structural equality in O(1), where the records' generated equality would walk whole subtrees each time.
/// </summary>
internal sealed class ShallowExprComparer : IEqualityComparer<Expr>
{
    public static readonly ShallowExprComparer Instance = new();

    public bool Equals(Expr? x, Expr? y)
    {
        if (ReferenceEquals(x, y)) return true;
        if (x is null || y is null || x.GetType() != y.GetType() || x.Type != y.Type) return false;
        return (x, y) switch
        {
            (Const a, Const b) => a.Value.Equals(b.Value) && BitsEqual(a.Value, b.Value),
            (VarRef a, VarRef b) => a.Name == b.Name,
            (ElementRef a, ElementRef b) => a.Array == b.Array && a.Jagged == b.Jagged && SameChildren(a.Indices, b.Indices),
            (RowLength a, RowLength b) => a.Array == b.Array && ReferenceEquals(a.Row, b.Row),
            (LengthOf a, LengthOf b) => a.Array == b.Array && a.Dimension == b.Dimension,
            (Unary a, Unary b) => a.Op == b.Op && ReferenceEquals(a.Operand, b.Operand),
            (Binary a, Binary b) => a.Op == b.Op && ReferenceEquals(a.Left, b.Left) && ReferenceEquals(a.Right, b.Right),
            (Conditional a, Conditional b) => ReferenceEquals(a.Condition, b.Condition) && ReferenceEquals(a.WhenTrue, b.WhenTrue) && ReferenceEquals(a.WhenFalse, b.WhenFalse),
            (MathCall a, MathCall b) => a.Function == b.Function && SameChildren(a.Arguments, b.Arguments),
            (Convert a, Convert b) => ReferenceEquals(a.Operand, b.Operand),
            (ArrayRef a, ArrayRef b) => a.Array == b.Array && a.SliceTo == b.SliceTo,
            _ => throw IrWalker.Unknown(x),
        };
    }

    public int GetHashCode(Expr e)
    {
        unchecked
        {
            int h = e.GetType().GetHashCode() * 31 + (int)e.Type;
            switch (e)
            {
                case Const c: return h * 31 + c.Value.GetHashCode();
                case VarRef v: return h * 31 + v.Name.GetHashCode();
                case ElementRef el:
                    h = h * 31 + el.Array.GetHashCode();
                    foreach (var i in el.Indices) h = h * 31 + RuntimeHelpers.GetHashCode(i);
                    return h;
                case LengthOf len: return (h * 31 + len.Array.GetHashCode()) * 31 + len.Dimension;
                case RowLength row: return (h * 31 + row.Array.GetHashCode()) * 31 + RuntimeHelpers.GetHashCode(row.Row);
                case Unary u: return (h * 31 + (int)u.Op) * 31 + RuntimeHelpers.GetHashCode(u.Operand);
                case Binary b: return ((h * 31 + (int)b.Op) * 31 + RuntimeHelpers.GetHashCode(b.Left)) * 31 + RuntimeHelpers.GetHashCode(b.Right);
                case Conditional c:
                    return ((h * 31 + RuntimeHelpers.GetHashCode(c.Condition)) * 31 + RuntimeHelpers.GetHashCode(c.WhenTrue)) * 31 + RuntimeHelpers.GetHashCode(c.WhenFalse);
                case MathCall m:
                    h = h * 31 + (int)m.Function;
                    foreach (var a in m.Arguments) h = h * 31 + RuntimeHelpers.GetHashCode(a);
                    return h;
                case Convert c: return h * 31 + RuntimeHelpers.GetHashCode(c.Operand);
                case ArrayRef a: return h * 31 + a.Array.GetHashCode();
                default: throw IrWalker.Unknown(e);
            }
        }
    }

    // 0.0 and -0.0 compare equal as doubles but print differently; keep them apart.
    private static bool BitsEqual(double a, double b) => System.BitConverter.DoubleToInt64Bits(a) == System.BitConverter.DoubleToInt64Bits(b);

    private static bool SameChildren(Model.EquatableArray<Expr> a, Model.EquatableArray<Expr> b)
    {
        if (a.Count != b.Count) return false;
        for (int k = 0; k < a.Count; k++)
        {
            if (!ReferenceEquals(a[k], b[k])) return false;
        }
        return true;
    }
}
