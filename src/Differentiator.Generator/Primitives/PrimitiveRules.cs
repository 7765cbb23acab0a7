using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Optimization;

namespace Differentiator.Generator.Primitives;

/// <summary>The longer derivative rules and hazard tests of <see cref="PrimitiveTable"/>, kept out of its rows so they stay one screen each.</summary>
internal static class PrimitiveRules
{
    public static Expr X(MathCall call) => call.Arguments[0];

    public static Expr PowPartial(MathCall call, int k, ExprFactory f)
    {
        var x = call.Arguments[0];
        var y = call.Arguments[1];
        if (k == 0)
        {
            // y · x^(y−1), written x for y = 2 so the common square stays readable: 2 * x.
            var exponent = f.Subtract(y, f.Constant(1));
            var power = exponent is Const { Value: 1 } ? x : ExprFactory.IsZero(exponent) ? f.Constant(1) : f.Call(MathFunction.Pow, x, exponent);
            return f.Multiply(y, power);
        }
        // x^y · ln x, with the limit 0 at x = 0 (as the tape) instead of 0 · −∞ = NaN.
        return f.Conditional(f.Compare(BinaryOp.Equal, x, f.Constant(0)), f.Constant(0), f.Multiply(call, f.Call(MathFunction.Log, x)));
    }

    /// <summary>Max and Min: the gradient goes to the first argument when it wins or ties, else to the second.</summary>
    public static Expr FirstWins(MathCall call, int k, ExprFactory f, BinaryOp firstWinsWhen)
    {
        var firstWins = f.Compare(firstWinsWhen, call.Arguments[0], call.Arguments[1]);
        return k == 0
            ? f.Conditional(firstWins, f.Constant(1), f.Constant(0))
            : f.Conditional(firstWins, f.Constant(0), f.Constant(1));
    }

    /// <summary>√(1 − x²), the denominator of asin′ and acos′.</summary>
    public static Expr OneMinusSquareRoot(MathCall call, ExprFactory f) =>
        f.Call(MathFunction.Sqrt, f.Subtract(f.Constant(1), f.Multiply(X(call), X(call))));

    /// <summary>
    /// Clamp(x, min, max) returns min when x &lt; min, else max when x &gt; max, else x (as .NET tests them), and the
    /// gradient goes to the argument returned.
    /// </summary>
    public static Expr ClampPartial(MathCall call, int k, ExprFactory f)
    {
        var below = f.Compare(BinaryOp.Less, call.Arguments[0], call.Arguments[1]);
        var above = f.Compare(BinaryOp.Greater, call.Arguments[0], call.Arguments[2]);
        Expr one = f.Constant(1), zero = f.Constant(0);
        return k switch
        {
            0 => f.Conditional(below, zero, f.Conditional(above, zero, one)),
            1 => f.Conditional(below, one, zero),
            _ => f.Conditional(below, zero, f.Conditional(above, one, zero)),
        };
    }

    /// <summary>A constant, also an int constant converted to double (<c>Math.Pow(x, 3)</c>'s exponent) or negated; null otherwise.</summary>
    public static double? Constant(Expr e) => e switch
    {
        Const c => c.Value,
        Convert { Type: ScalarType.Double } c => Constant(c.Operand),
        Unary { Op: UnaryOp.Negate } u => -Constant(u.Operand),
        _ => null,
    };

    public static double? IntegralConstant(Expr e) => Constant(e) is { } k && k == System.Math.Floor(k) ? k : null;

    /// <summary>A hazard where the first argument must be positive (log, √).</summary>
    public static Hazard PositiveArgument(string derivative, string advice) => new(
        (call, sign) => sign(call.Arguments[0]) switch
        {
            Sign.Positive => null,
            Sign.NonNegative => "its argument can be 0 here",
            _ => "its argument is not known to be positive",
        },
        derivative, advice);

    /// <summary>A hazard at the edge of the domain, which no sign can rule out (asin at ±1).</summary>
    public static Hazard Reaches(string reason, string derivative, string advice) => new((_, _) => reason, derivative, advice);
}
