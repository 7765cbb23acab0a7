using System;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Optimization;

namespace Differentiator.Generator.Differentiation;

/// <summary>
/// The one table of local derivatives: ∂f/∂argₖ for each primitive, as expressions over the arguments and the
/// call itself. The runtime tape implements the same table independently (docs/semantics.md lists it), so the
/// two can check each other. Kinks follow documented conventions: Abs'(0) = 0; Max/Min send the gradient to the
/// first argument at a tie.
/// </summary>
internal static class DerivativeRules
{
    public static Expr Partial(MathCall call, int k, ExprFactory f)
    {
        var x = call.Arguments[0];
        switch (call.Function)
        {
            case MathFunction.Exp: return call;
            case MathFunction.Log: return f.Divide(f.Constant(1), x);
            case MathFunction.Sqrt: return f.Divide(f.Constant(0.5), call);
            case MathFunction.Sin: return f.Call(MathFunction.Cos, x);
            case MathFunction.Cos: return f.Negate(f.Call(MathFunction.Sin, x));
            case MathFunction.Tan:
            {
                var cos = f.Call(MathFunction.Cos, x);
                return f.Divide(f.Constant(1), f.Multiply(cos, cos));
            }
            case MathFunction.Tanh: return f.Subtract(f.Constant(1), f.Multiply(call, call));
            case MathFunction.Sinh: return f.Call(MathFunction.Cosh, x);
            case MathFunction.Cosh: return f.Call(MathFunction.Sinh, x);
            case MathFunction.Atan: return f.Divide(f.Constant(1), f.Add(f.Constant(1), f.Multiply(x, x)));
            case MathFunction.Asin: return f.Divide(f.Constant(1), f.Call(MathFunction.Sqrt, f.Subtract(f.Constant(1), f.Multiply(x, x))));
            case MathFunction.Acos: return f.Negate(f.Divide(f.Constant(1), f.Call(MathFunction.Sqrt, f.Subtract(f.Constant(1), f.Multiply(x, x)))));
            case MathFunction.Log10: return f.Divide(f.Constant(1), f.Multiply(x, f.Constant(Math.Log(10))));
            case MathFunction.Log2: return f.Divide(f.Constant(1), f.Multiply(x, f.Constant(Math.Log(2))));
            case MathFunction.Cbrt: return f.Divide(f.Constant(1), f.Multiply(f.Constant(3), f.Multiply(call, call)));
            case MathFunction.Abs:
                return f.Conditional(
                    f.Compare(BinaryOp.Greater, x, f.Constant(0)),
                    f.Constant(1),
                    f.Conditional(f.Compare(BinaryOp.Less, x, f.Constant(0)), f.Constant(-1), f.Constant(0)));
            case MathFunction.Max:
            case MathFunction.Min:
            {
                var firstWins = f.Compare(call.Function == MathFunction.Max ? BinaryOp.GreaterOrEqual : BinaryOp.LessOrEqual, x, call.Arguments[1]);
                return k == 0
                    ? f.Conditional(firstWins, f.Constant(1), f.Constant(0))
                    : f.Conditional(firstWins, f.Constant(0), f.Constant(1));
            }
            case MathFunction.Pow:
            {
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
            default:
                throw new InvalidOperationException("No derivative rule for " + call.Function);
        }
    }
}
