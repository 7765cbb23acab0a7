using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Primitives;

namespace Differentiator.Generator.Analysis;

internal enum Sign
{
    Unknown,
    NonNegative,
    Positive,
}

/// <summary>
/// What the code guarantees about a value's sign, looking through locals' assignments: squares and |x| are ≥ 0,
/// exp and positive constants are &gt; 0, sums and products combine. Used to warn only where Sqrt or Log can
/// really meet 0 or a negative value.
/// </summary>
internal sealed class SignAnalysis
{
    private readonly Dictionary<string, List<Expr>> _assignments = new(System.StringComparer.Ordinal);
    private readonly Dictionary<string, Sign> _known = new(System.StringComparer.Ordinal);
    private readonly HashSet<string> _inProgress = new(System.StringComparer.Ordinal);

    public SignAnalysis(MethodIr method)
    {
        foreach (var s in StatementWalker.Flatten(method.Body))
        {
            var target = StatementWalker.Target(s);
            if (target is null) continue;
            if (!_assignments.TryGetValue(target, out var list)) _assignments[target] = list = new List<Expr>();
            list.Add(s is Assign a ? a.Value : new Const(double.NaN, ScalarType.Double)); // a call's value: unknown
        }
    }

    public Sign Of(Expr e)
    {
        switch (e)
        {
            case Const c:
                return c.Value > 0 ? Sign.Positive : c.Value == 0 ? Sign.NonNegative : Sign.Unknown;
            case VarRef v:
                return OfVariable(v.Name);
            case Convert c:
                return Of(c.Operand);
            case MathCall m:
                return PrimitiveTable.Of(m.Function).SignOf is { } sign ? sign(m, Of) : Sign.Unknown;
            case Binary { Op: BinaryOp.Multiply } m when ReferenceEquals(m.Left, m.Right) || m.Left.Equals(m.Right):
                return Of(m.Left) == Sign.Positive ? Sign.Positive : Sign.NonNegative;
            case Binary { Op: BinaryOp.Add } a:
            {
                var l = Of(a.Left);
                var r = Of(a.Right);
                if (l == Sign.Unknown || r == Sign.Unknown) return Sign.Unknown;
                return l == Sign.Positive || r == Sign.Positive ? Sign.Positive : Sign.NonNegative;
            }
            case Binary { Op: BinaryOp.Multiply or BinaryOp.Divide } m:
                return Min(Of(m.Left), Of(m.Right)) == Sign.Positive ? Sign.Positive : Min(Of(m.Left), Of(m.Right)) == Sign.NonNegative && m.Op == BinaryOp.Multiply ? Sign.NonNegative : Sign.Unknown;
            case Conditional c:
                return Min(Of(c.WhenTrue), Of(c.WhenFalse));
            default:
                return Sign.Unknown;
        }
    }

    /// <summary>
    /// The sign of <paramref name="e"/> where the enclosing ifs guarantee <paramref name="guards"/> (Guards.cs): a
    /// variable tested <c>x &gt; 0</c> is positive, and one tested <c>x != 0</c> that is never negative is positive too.
    /// </summary>
    public Sign Of(Expr e, IReadOnlyDictionary<string, Guard> guards)
    {
        var sign = Of(e);
        if (e is not VarRef v || !guards.TryGetValue(v.Name, out var guard)) return sign;
        return guard == Guard.Positive || sign == Sign.NonNegative ? Sign.Positive : sign;
    }

    private Sign OfVariable(string name)
    {
        if (_known.TryGetValue(name, out var known)) return known;
        if (!_assignments.TryGetValue(name, out var values) || !_inProgress.Add(name)) return Sign.Unknown; // parameters, cycles
        var sign = Sign.Positive;
        foreach (var value in values)
        {
            // s = s + e keeps s's sign when e has it: the accumulation pattern of sums of squares.
            var contribution = value is Binary { Op: BinaryOp.Add, Left: VarRef self } add && self.Name == name ? Of(add.Right) : Of(value);
            sign = Min(sign, contribution);
        }
        _inProgress.Remove(name);
        return _known[name] = sign;
    }

    private static Sign Min(Sign a, Sign b) => (Sign)System.Math.Min((int)a, (int)b);
}
