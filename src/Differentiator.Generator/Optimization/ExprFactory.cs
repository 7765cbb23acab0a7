using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Differentiator.Generator.Primitives;

namespace Differentiator.Generator.Optimization;

/// <summary>
/// Builds expressions hash-consed (equal subtrees are one object, so sharing is visible by reference and CSE is a
/// count of references) and simplified at birth: derivative code never contains <c>0 * x</c>, <c>1 * x</c>,
/// <c>x + 0</c> or <c>--x</c>. Simplifications are exact rewrites of the real-number algebra that keep the
/// IEEE results of the code the user wrote (a symbolic zero is a term that does not exist, not a computed 0).
/// </summary>
internal sealed class ExprFactory
{
    private readonly Dictionary<Expr, Expr> _interned = new(ShallowExprComparer.Instance);
    private readonly Dictionary<Expr, Expr> _imported = new(ReferenceEqualityComparer.Instance);

    public static readonly Const Zero = new(0, ScalarType.Double);
    public static readonly Const One = new(1, ScalarType.Double);

    public Expr Constant(double value) => Intern(new Const(value, ScalarType.Double));

    public Expr Var(string name, ScalarType type = ScalarType.Double) => Intern(new VarRef(name, type));

    /// <summary>Interns an expression from the parsed IR, simplifying it with the same rules.</summary>
    public Expr Import(Expr e)
    {
        if (_imported.TryGetValue(e, out var done)) return done;
        Expr result = e switch
        {
            Const or VarRef or LengthOf => Intern(e),
            ElementRef el => Intern(el with { Indices = el.Indices.Select(Import).ToEquatableArray() }),
            RowLength r => Intern(r with { Row = Import(r.Row) }),
            Unary u => u.Op == UnaryOp.Negate ? Negate(Import(u.Operand)) : Intern(new Unary(u.Op, Import(u.Operand), u.Type)),
            Binary b => Binary(b.Op, Import(b.Left), Import(b.Right), b.Type),
            Conditional c => Conditional(Import(c.Condition), Import(c.WhenTrue), Import(c.WhenFalse), c.Type),
            MathCall m => Call(m.Function, m.Arguments.Select(Import).ToArray()),
            Convert c => ConvertTo(Import(c.Operand), c.Type),
            ArrayRef => Intern(e),
            _ => throw IrWalker.Unknown(e),
        };
        _imported[e] = result;
        return result;
    }

    /// <summary>Rebuilds an expression with some variables replaced by known constants, simplifying as it goes.</summary>
    public Expr Substitute(Expr e, IReadOnlyDictionary<string, double> constants)
    {
        // Untouched unless a known constant occurs in it: rebuilding would also simplify the user's own forward
        // code (1.5 * x * 1.5 * x into 2.25 * x * x), changing its last bit.
        if (constants.Count == 0 || !Analysis.ExprWalker.Reads(e).Overlaps(constants.Keys)) return e;
        return e switch
        {
            VarRef v when constants.TryGetValue(v.Name, out double c) => v.Type == ScalarType.Double ? Constant(c) : Intern(new Const(c, v.Type)),
            Const or VarRef or LengthOf => e,
            ElementRef el => Intern(el with { Indices = el.Indices.Select(i => Substitute(i, constants)).ToEquatableArray() }),
            RowLength r => Intern(r with { Row = Substitute(r.Row, constants) }),
            Unary u => u.Op == UnaryOp.Negate ? Negate(Substitute(u.Operand, constants)) : Not(Substitute(u.Operand, constants)),
            Binary b => Binary(b.Op, Substitute(b.Left, constants), Substitute(b.Right, constants), b.Type),
            Conditional c => Conditional(Substitute(c.Condition, constants), Substitute(c.WhenTrue, constants), Substitute(c.WhenFalse, constants), c.Type),
            MathCall m => Call(m.Function, m.Arguments.Select(a => Substitute(a, constants)).ToArray()),
            Convert c => ConvertTo(Substitute(c.Operand, constants), c.Type),
            ArrayRef => e,
            _ => throw IrWalker.Unknown(e),
        };
    }

    /// <summary>
    /// Interns an expression exactly as written — no simplification, so the user's own computation keeps its IEEE
    /// results — making its subexpressions shareable with derivative code built from the same nodes.
    /// </summary>
    public Expr InternAsIs(Expr e)
    {
        if (_asIs.TryGetValue(e, out var done)) return done;
        Expr result = e switch
        {
            ElementRef el => Intern(el with { Indices = el.Indices.Select(InternAsIs).ToEquatableArray() }),
            RowLength r => Intern(r with { Row = InternAsIs(r.Row) }),
            Unary u => Intern(u with { Operand = InternAsIs(u.Operand) }),
            Binary b => Intern(b with { Left = InternAsIs(b.Left), Right = InternAsIs(b.Right) }),
            Conditional c => Intern(c with { Condition = InternAsIs(c.Condition), WhenTrue = InternAsIs(c.WhenTrue), WhenFalse = InternAsIs(c.WhenFalse) }),
            MathCall m => Intern(m with { Arguments = m.Arguments.Select(InternAsIs).ToEquatableArray() }),
            Convert c => Intern(c with { Operand = InternAsIs(c.Operand) }),
            ArrayRef => e,
            Const or VarRef or LengthOf => Intern(e),
            _ => throw IrWalker.Unknown(e),
        };
        _asIs[e] = result;
        return result;
    }

    private readonly Dictionary<Expr, Expr> _asIs = new(ReferenceEqualityComparer.Instance);

    public Expr Element(string array, IEnumerable<Expr> indices, bool jagged = false) => Intern(new ElementRef(array, indices.ToEquatableArray(), jagged));

    public Expr Call(MathFunction function, params Expr[] args)
    {
        if (args.All(a => a is Const) && ConstantFolding.TryEvaluate(function, args.Select(a => ((Const)a).Value).ToArray(), out double value))
            return Constant(value);
        return Intern(new MathCall(function, args.ToEquatableArray()));
    }

    public Expr ConvertTo(Expr operand, ScalarType target)
    {
        if (operand.Type == target) return operand;
        if (operand is Const c && target == ScalarType.Double) return Constant(c.Value);
        return Intern(new Convert(operand, target));
    }

    public Expr Conditional(Expr condition, Expr whenTrue, Expr whenFalse, ScalarType type = ScalarType.Double)
    {
        if (ReferenceEquals(whenTrue, whenFalse)) return whenTrue;
        if (condition is Const c) return c.Value != 0 ? whenTrue : whenFalse;
        return Intern(new Conditional(condition, whenTrue, whenFalse, type));
    }

    public Expr Negate(Expr x)
    {
        switch (x)
        {
            case Const c when x.Type == ScalarType.Double: return Constant(-c.Value);
            case Unary { Op: UnaryOp.Negate } u: return u.Operand;
            case Binary { Op: BinaryOp.Subtract } s when s.Type == ScalarType.Double: return Binary(BinaryOp.Subtract, s.Right, s.Left, s.Type);
            case Binary { Op: BinaryOp.Multiply, Left: Const k } m: return Multiply(Constant(-k.Value), m.Right);
            case Conditional c when IsSignFlippable(c): return Conditional(c.Condition, Negate(c.WhenTrue), Negate(c.WhenFalse), c.Type);
            default: return Intern(new Unary(UnaryOp.Negate, x, x.Type));
        }
    }

    public Expr Add(Expr a, Expr b) => Binary(BinaryOp.Add, a, b, ScalarType.Double);

    public Expr Subtract(Expr a, Expr b) => Binary(BinaryOp.Subtract, a, b, ScalarType.Double);

    public Expr Multiply(Expr a, Expr b) => Binary(BinaryOp.Multiply, a, b, ScalarType.Double);

    public Expr Divide(Expr a, Expr b) => Binary(BinaryOp.Divide, a, b, ScalarType.Double);

    public Expr Compare(BinaryOp op, Expr a, Expr b) => Binary(op, a, b, ScalarType.Bool);

    public Expr Not(Expr condition) => condition is Unary { Op: UnaryOp.Not } n ? n.Operand : Intern(new Unary(UnaryOp.Not, condition, ScalarType.Bool));

    public Expr Binary(BinaryOp op, Expr a, Expr b, ScalarType type)
    {
        if (type != ScalarType.Double) return Intern(new Binary(op, a, b, type));
        if (a is Const ca && b is Const cb && ConstantFolding.TryEvaluate(op, ca.Value, cb.Value, out double folded))
            return Constant(folded);
        switch (op)
        {
            case BinaryOp.Add:
                if (IsZero(a)) return b;
                if (IsZero(b)) return a;
                if (ReferenceEquals(a, b)) return Multiply(Constant(2), a);
                if (b is Unary { Op: UnaryOp.Negate } nb) return Subtract(a, nb.Operand);
                if (a is Unary { Op: UnaryOp.Negate } na) return Subtract(b, na.Operand);
                if (b is Const { Value: < 0 } negativeConst) return Subtract(a, Constant(-negativeConst.Value));
                break;
            case BinaryOp.Subtract:
                if (IsZero(b)) return a;
                if (IsZero(a)) return Negate(b);
                if (b is Unary { Op: UnaryOp.Negate } nb2) return Add(a, nb2.Operand);
                break;
            case BinaryOp.Multiply:
                if (IsZero(a) || IsZero(b)) return Constant(0);
                if (IsOne(a)) return b;
                if (IsOne(b)) return a;
                if (IsMinusOne(a)) return Negate(b);
                if (IsMinusOne(b)) return Negate(a);
                if (b is Const && a is not Const) return Multiply(b, a); // constants lead: 2 * r
                if (a is Unary { Op: UnaryOp.Negate } ma) return Negate(Multiply(ma.Operand, b));
                if (b is Unary { Op: UnaryOp.Negate } mb) return Negate(Multiply(a, mb.Operand));
                if (a is Const k1 && b is Binary { Op: BinaryOp.Multiply, Left: Const k2 } inner) return Multiply(Constant(k1.Value * k2.Value), inner.Right);
                // 2 * (r * a) → 2 * r * a: scaling by a power of two is exact, so the regrouping changes no bit.
                if (a is Const k3 && IsPowerOfTwo(k3.Value) && b is Binary { Op: BinaryOp.Multiply } product && product.Type == ScalarType.Double)
                    return Intern(new Binary(BinaryOp.Multiply, Multiply(a, product.Left), product.Right, ScalarType.Double));
                if (b is Conditional { WhenFalse: Const { Value: 0 } } cb2) return Conditional(cb2.Condition, Multiply(a, cb2.WhenTrue), Constant(0));
                if (b is Conditional { WhenTrue: Const { Value: 0 } } cb3) return Conditional(cb3.Condition, Constant(0), Multiply(a, cb3.WhenFalse));
                if (a is Conditional { WhenFalse: Const { Value: 0 } } ca2) return Conditional(ca2.Condition, Multiply(ca2.WhenTrue, b), Constant(0));
                break;
            case BinaryOp.Divide:
                if (IsOne(b)) return a;
                if (IsMinusOne(b)) return Negate(a);
                if (IsZero(a) && !IsZero(b)) return Constant(0);
                if (a is Unary { Op: UnaryOp.Negate } da) return Negate(Divide(da.Operand, b));
                break;
        }
        return Intern(new Binary(op, a, b, type));
    }

    private static bool IsPowerOfTwo(double v)
    {
        if (v == 0 || double.IsNaN(v) || double.IsInfinity(v)) return false;
        long bits = System.BitConverter.DoubleToInt64Bits(System.Math.Abs(v));
        return (bits & 0xFFFFFFFFFFFFFL) == 0; // mantissa zero: ±2^k
    }

    private static bool IsSignFlippable(Conditional c) => c.WhenTrue is Const && c.WhenFalse is Const;

    public static bool IsZero(Expr e) => e is Const { Type: ScalarType.Double } c && c.Value == 0;

    public static bool IsOne(Expr e) => e is Const c && c.Value == 1 && c.Type == ScalarType.Double;

    private static bool IsMinusOne(Expr e) => e is Const c && c.Value == -1 && c.Type == ScalarType.Double;

    private Expr Intern(Expr e)
    {
        if (_interned.TryGetValue(e, out var existing)) return existing;
        _interned[e] = e;
        return e;
    }
}
