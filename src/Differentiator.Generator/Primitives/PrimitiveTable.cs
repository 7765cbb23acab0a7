using System;
using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Formulas;
using Differentiator.Generator.Ir;
using static Differentiator.Generator.Formulas.TermSimplifier;
using static Differentiator.Generator.Primitives.PrimitiveRules;

namespace Differentiator.Generator.Primitives;

/// <summary>
/// The one table of primitives. The parser accepts exactly these calls, the reverse mode takes their local
/// derivatives from here, the formulas their glyphs and symbolic derivatives, the emitters their spelling in each
/// dialect, the advisories their kinks and hazards, and DIFF006 its list. The runtime's <c>TapeMath</c> implements the
/// same functions independently; a test checks it against this table at each row's <see cref="Primitive.Samples"/>.
/// To add a function: add its <see cref="MathFunction"/> member and its row, a <c>TapeMath</c> method of the same name,
/// and tests. Kinks follow documented conventions: Abs'(0) = 0; Max/Min send the gradient to the first argument at a tie.
/// </summary>
internal static class PrimitiveTable
{
    public static readonly IReadOnlyList<Primitive> Rows = new[]
    {
        new Primitive(MathFunction.Exp, 1)
        {
            Partial = (call, k, f) => call, PartialUsesResult = true,
            Formula = (fn, d) => Product(d[0], fn),
            SignOf = (_, _) => Sign.Positive,
            Samples = Points(-1.3, 0, 0.7, 2.2),
        },
        new Primitive(MathFunction.Log, 1)
        {
            Partial = (call, k, f) => f.Divide(f.Constant(1), X(call)),
            Glyph = "ln", Formula = (fn, d) => Quotient(d[0], fn.Args[0]),
            Hazard = PositiveArgument("1/x is ∞ at 0 (and the value NaN below)", "keep the argument away from 0, e.g. Math.Log(x + 1e-12) or Math.Log(Math.Max(x, 1e-12))"),
            Samples = Points(0.2, 1, 3.5),
        },
        new Primitive(MathFunction.Sqrt, 1)
        {
            Partial = (call, k, f) => f.Divide(f.Constant(0.5), call), PartialUsesResult = true, Cheap = true,
            Glyph = "√", Formula = (fn, d) => Quotient(d[0], Product(new Num(2), fn)),
            SignOf = (_, _) => Sign.NonNegative,
            Hazard = PositiveArgument("0.5/√x is +∞ at 0 (and NaN below)", "add a small constant, e.g. Math.Sqrt(x + 1e-12)"),
            Samples = Points(0.2, 1, 3.5),
        },
        new Primitive(MathFunction.Pow, 2)
        {
            Partial = PowPartial,
            Term = a => Power(a[0], a[1]),
            SignOf = (call, sign) => IntegralConstant(call.Arguments[1]) is { } k && k % 2 == 0
                ? (sign(call.Arguments[0]) == Sign.Positive ? Sign.Positive : Sign.NonNegative) : Sign.Unknown,
            Hazard = new Hazard(
                (call, sign) => sign(call.Arguments[0]) != Sign.Positive && !(Constant(call.Arguments[1]) is { } k && (k >= 1 || k == Math.Floor(k)))
                    ? "its base is not known to be positive and the exponent is fractional" : null,
                "y·x^(y−1) is ∞ at 0 for y < 1", "add a small constant to the base"),
            Samples = new[] { new[] { 0.6, 2.0 }, new[] { 1.7, -0.5 }, new[] { 2.5, 3.0 } },
        },
        new Primitive(MathFunction.Sin, 1)
        {
            Partial = (call, k, f) => f.Call(MathFunction.Cos, X(call)),
            Formula = (fn, d) => Product(d[0], Call(MathFunction.Cos, fn.Args[0])),
            Samples = Points(-1.3, 0, 0.7, 2.2),
        },
        new Primitive(MathFunction.Cos, 1)
        {
            Partial = (call, k, f) => f.Negate(f.Call(MathFunction.Sin, X(call))),
            Formula = (fn, d) => Negate(Product(d[0], Call(MathFunction.Sin, fn.Args[0]))),
            Samples = Points(-1.3, 0, 0.7, 2.2),
        },
        new Primitive(MathFunction.Tan, 1)
        {
            Partial = (call, k, f) =>
            {
                var cos = f.Call(MathFunction.Cos, X(call));
                return f.Divide(f.Constant(1), f.Multiply(cos, cos));
            },
            Formula = (fn, d) => Quotient(d[0], Squared(Call(MathFunction.Cos, fn.Args[0]))),
            Samples = Points(-1.3, 0, 0.7),
        },
        new Primitive(MathFunction.Tanh, 1)
        {
            Partial = (call, k, f) => f.Subtract(f.Constant(1), f.Multiply(call, call)), PartialUsesResult = true,
            Formula = (fn, d) => Product(d[0], Difference(One, Squared(fn))),
            Samples = Points(-1.3, 0, 0.7, 2.2),
        },
        new Primitive(MathFunction.Abs, 1)
        {
            Partial = (call, k, f) => f.Conditional(
                f.Compare(BinaryOp.Greater, X(call), f.Constant(0)),
                f.Constant(1),
                f.Conditional(f.Compare(BinaryOp.Less, X(call), f.Constant(0)), f.Constant(-1), f.Constant(0))),
            Cheap = true, Glyph = "|·|",
            Formula = (fn, d) => Product(d[0], Call(MathFunction.Sign, fn.Args[0])),
            Kink = "0 at the kink (a subgradient)",
            SignOf = (_, _) => Sign.NonNegative,
            Samples = Points(-1.3, 0.7, 2.2),
        },
        new Primitive(MathFunction.Max, 2)
        {
            Partial = (call, k, f) => FirstWins(call, k, f, BinaryOp.GreaterOrEqual), Cheap = true,
            Formula = (fn, d) => Choose(new Rel(RelOp.GreaterOrEqual, fn.Args[0], fn.Args[1]), d[0], d[1]),
            Kink = "all to the first argument at a tie",
            SignOf = (call, sign) => (Sign)Math.Max((int)sign(call.Arguments[0]), (int)sign(call.Arguments[1])),
            Samples = new[] { new[] { 0.5, -1.0 }, new[] { -0.5, 1.0 } },
        },
        new Primitive(MathFunction.Min, 2)
        {
            Partial = (call, k, f) => FirstWins(call, k, f, BinaryOp.LessOrEqual), Cheap = true,
            Formula = (fn, d) => Choose(new Rel(RelOp.LessOrEqual, fn.Args[0], fn.Args[1]), d[0], d[1]),
            Kink = "all to the first argument at a tie",
            Samples = new[] { new[] { 0.5, -1.0 }, new[] { -0.5, 1.0 } },
        },
        new Primitive(MathFunction.Sinh, 1)
        {
            Partial = (call, k, f) => f.Call(MathFunction.Cosh, X(call)),
            Formula = (fn, d) => Product(d[0], Call(MathFunction.Cosh, fn.Args[0])),
            Samples = Points(-1.3, 0, 0.7, 2.2),
        },
        new Primitive(MathFunction.Cosh, 1)
        {
            Partial = (call, k, f) => f.Call(MathFunction.Sinh, X(call)),
            Formula = (fn, d) => Product(d[0], Call(MathFunction.Sinh, fn.Args[0])),
            SignOf = (_, _) => Sign.Positive,
            Samples = Points(-1.3, 0, 0.7, 2.2),
        },
        new Primitive(MathFunction.Atan, 1)
        {
            Partial = (call, k, f) => f.Divide(f.Constant(1), f.Add(f.Constant(1), f.Multiply(X(call), X(call)))),
            Formula = (fn, d) => Quotient(d[0], Sum(One, Squared(fn.Args[0]))),
            Samples = Points(-1.3, 0, 0.7, 2.2),
        },
        new Primitive(MathFunction.Asin, 1)
        {
            Partial = (call, k, f) => f.Divide(f.Constant(1), OneMinusSquareRoot(call, f)),
            Formula = (fn, d) => Quotient(d[0], Call(MathFunction.Sqrt, Difference(One, Squared(fn.Args[0])))),
            Hazard = Reaches("its argument can reach ±1", "1/√(1−x²) is ∞ at ±1", "clamp the argument into (−1, 1), e.g. Math.Clamp(x, -1 + 1e-12, 1 - 1e-12)"),
            Samples = Points(-0.8, 0, 0.6),
        },
        new Primitive(MathFunction.Acos, 1)
        {
            Partial = (call, k, f) => f.Negate(f.Divide(f.Constant(1), OneMinusSquareRoot(call, f))),
            Formula = (fn, d) => Negate(Quotient(d[0], Call(MathFunction.Sqrt, Difference(One, Squared(fn.Args[0]))))),
            Hazard = Reaches("its argument can reach ±1", "1/√(1−x²) is ∞ at ±1", "clamp the argument into (−1, 1), e.g. Math.Clamp(x, -1 + 1e-12, 1 - 1e-12)"),
            Samples = Points(-0.8, 0, 0.6),
        },
        new Primitive(MathFunction.Log10, 1)
        {
            Partial = (call, k, f) => f.Divide(f.Constant(1), f.Multiply(X(call), f.Constant(Math.Log(10)))),
            Glyph = "log₁₀", Formula = (fn, d) => Quotient(d[0], Product(fn.Args[0], Call(MathFunction.Log, new Num(10)))),
            Hazard = PositiveArgument("1/x is ∞ at 0 (and the value NaN below)", "keep the argument away from 0, e.g. Math.Log(x + 1e-12) or Math.Log(Math.Max(x, 1e-12))"),
            Samples = Points(0.2, 1, 3.5),
        },
        new Primitive(MathFunction.Log2, 1)
        {
            Partial = (call, k, f) => f.Divide(f.Constant(1), f.Multiply(X(call), f.Constant(Math.Log(2)))),
            Glyph = "log₂", Formula = (fn, d) => Quotient(d[0], Product(fn.Args[0], Call(MathFunction.Log, new Num(2)))),
            Hazard = PositiveArgument("1/x is ∞ at 0 (and the value NaN below)", "keep the argument away from 0, e.g. Math.Log(x + 1e-12) or Math.Log(Math.Max(x, 1e-12))"),
            Samples = Points(0.2, 1, 3.5),
        },
        new Primitive(MathFunction.Cbrt, 1)
        {
            Partial = (call, k, f) => f.Divide(f.Constant(1), f.Multiply(f.Constant(3), f.Multiply(call, call))), PartialUsesResult = true,
            Glyph = "∛", Formula = (fn, d) => Quotient(d[0], Product(new Num(3), Squared(fn))),
            Samples = Points(-1.3, 0.7, 2.2),
        },
        new Primitive(MathFunction.Asinh, 1)
        {
            Partial = (call, k, f) => f.Divide(f.Constant(1), f.Call(MathFunction.Sqrt, f.Add(f.Multiply(X(call), X(call)), f.Constant(1)))),
            Formula = (fn, d) => Quotient(d[0], Call(MathFunction.Sqrt, Sum(Squared(fn.Args[0]), One))),
            Samples = Points(-1.3, 0, 0.7, 2.2),
        },
        new Primitive(MathFunction.Acosh, 1)
        {
            Partial = (call, k, f) => f.Divide(f.Constant(1), f.Call(MathFunction.Sqrt, f.Subtract(f.Multiply(X(call), X(call)), f.Constant(1)))),
            Formula = (fn, d) => Quotient(d[0], Call(MathFunction.Sqrt, Difference(Squared(fn.Args[0]), One))),
            SignOf = (_, _) => Sign.NonNegative,
            Hazard = Reaches("its argument can reach 1", "1/√(x²−1) is ∞ at 1 (and the value NaN below)", "keep the argument above 1, e.g. Math.Acosh(1 + 1e-12 + x * x)"),
            Samples = Points(1.2, 2.5),
        },
        new Primitive(MathFunction.Atanh, 1)
        {
            Partial = (call, k, f) => f.Divide(f.Constant(1), f.Subtract(f.Constant(1), f.Multiply(X(call), X(call)))),
            Formula = (fn, d) => Quotient(d[0], Difference(One, Squared(fn.Args[0]))),
            Hazard = Reaches("its argument can reach ±1", "1/(1−x²) is ∞ at ±1", "clamp the argument into (−1, 1), e.g. Math.Clamp(x, -1 + 1e-12, 1 - 1e-12)"),
            Samples = Points(-0.8, 0, 0.6),
        },
        new Primitive(MathFunction.Sign, 1)
        {
            ResultType = ScalarType.Int, Cheap = true,
            Kink = "0 (the sign is piecewise constant)",
            Samples = Points(-1.3, 0, 0.7),
        },
        new Primitive(MathFunction.Clamp, 3)
        {
            Host = Host.MathOnly, Cheap = true,
            Partial = ClampPartial,
            Formula = (fn, d) => Choose(new Rel(RelOp.Less, fn.Args[0], fn.Args[1]), d[1], Choose(new Rel(RelOp.Greater, fn.Args[0], fn.Args[2]), d[2], d[0])),
            Kink = "the value's inside [min, max] (bounds included), the bound's outside",
            Samples = new[] { new[] { 0.3, -1.0, 1.0 }, new[] { -1.5, -1.0, 1.0 }, new[] { 2.0, -1.0, 1.0 } },
        },
        new Primitive(MathFunction.FusedMultiplyAdd, 3)
        {
            Partial = (call, k, f) => k == 0 ? call.Arguments[1] : k == 1 ? call.Arguments[0] : f.Constant(1), Cheap = true,
            Term = a => Sum(Product(a[0], a[1]), a[2]),
            Samples = new[] { new[] { 0.3, -1.2, 2.0 }, new[] { 1.5, 0.5, -0.25 } },
        },
        new Primitive(MathFunction.LogBase, 2, "Log")
        {
            Partial = (call, k, f) => k == 0
                ? f.Divide(f.Constant(1), f.Multiply(X(call), f.Call(MathFunction.Log, call.Arguments[1])))
                : f.Negate(f.Divide(call, f.Multiply(call.Arguments[1], f.Call(MathFunction.Log, call.Arguments[1])))),
            PartialUsesResult = true,
            Term = a => Quotient(Call(MathFunction.Log, a[0]), Call(MathFunction.Log, a[1])),
            Hazard = PositiveArgument("1/(x·ln b) is ∞ at 0 (and the value NaN below)", "keep the argument away from 0, e.g. Math.Log(x + 1e-12, b)"),
            Samples = new[] { new[] { 0.4, 2.0 }, new[] { 3.0, 10.0 }, new[] { 5.0, 0.5 } },
        },
        new Primitive(MathFunction.Hypot, 2)
        {
            Host = Host.Real,
            Partial = (call, k, f) => f.Conditional(f.Compare(BinaryOp.Equal, call, f.Constant(0)), f.Constant(0), f.Divide(call.Arguments[k], call)),
            PartialUsesResult = true,
            Formula = (fn, d) => Quotient(Sum(Product(fn.Args[0], d[0]), Product(fn.Args[1], d[1])), fn),
            Kink = "0 at the origin, where √(x² + y²) has a cone",
            SignOf = (_, _) => Sign.NonNegative,
            Samples = new[] { new[] { 3.0, -4.0 }, new[] { -0.5, 1.2 } },
        },
        new Primitive(MathFunction.Truncate, 1) { Host = Host.None, Glyph = "trunc" },
    };

    private static readonly Dictionary<MathFunction, Primitive> ByFunction = Rows.ToDictionary(r => r.Function);

    public static Primitive Of(MathFunction function) => ByFunction[function];

    /// <summary>The rows a C# call can name (all but formula-only ones).</summary>
    public static IEnumerable<Primitive> Callable => Rows.Where(r => r.Host != Host.None);

    /// <summary>DIFF006's list of what can be called: "Math.Exp, Log, …, Cbrt on doubles (MathF's on floats), double.Hypot".</summary>
    public static string Supported()
    {
        var math = Callable.Where(r => r.Host != Host.Real).Select(r => r.Name + (r.Function == MathFunction.LogBase ? "(x, newBase)" : "")).Distinct().ToList();
        var real = Callable.Where(r => r.Host == Host.Real).Select(r => r.Name).ToList();
        return "Math." + string.Join(", ", math.Take(math.Count - 1)) + " and " + math.Last() + " on doubles (MathF's on floats)"
            + (real.Count == 0 ? "" : ", and double." + string.Join(", double.", real) + " (float." + string.Join(", float.", real) + ")");
    }

    private static double[][] Points(params double[] xs) => xs.Select(x => new[] { x }).ToArray();

    private static Term Squared(Term x) => Power(x, new Num(2));
}
