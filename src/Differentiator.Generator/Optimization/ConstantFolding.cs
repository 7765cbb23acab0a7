using System;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Primitives;

namespace Differentiator.Generator.Optimization;

/// <summary>Evaluates operations on literals at compile time, only where the result is an ordinary finite number.</summary>
internal static class ConstantFolding
{
    public static bool TryEvaluate(BinaryOp op, double a, double b, out double value)
    {
        value = op switch
        {
            BinaryOp.Add => a + b,
            BinaryOp.Subtract => a - b,
            BinaryOp.Multiply => a * b,
            BinaryOp.Divide => a / b,
            _ => double.NaN,
        };
        // Fold only when the literal prints back exactly and simply: 2 * 3 → 6, but keep 1 / 3 as written.
        return IsPlain(value) && (op != BinaryOp.Divide || value * b == a);
    }

    public static bool TryEvaluate(MathFunction function, double[] args, out double value)
    {
        value = double.NaN;
        // Only exact foldings: Sqrt(4) = 2 is exact, Exp(1) is not worth writing as 2.718281828459045.
        if (function == MathFunction.Sqrt && args.Length == 1)
        {
            value = Math.Sqrt(args[0]);
            return IsPlain(value) && value * value == args[0];
        }
        if (function == MathFunction.Pow && args.Length == 2 && args[1] == Math.Floor(args[1]) && Math.Abs(args[1]) <= 4)
        {
            value = Math.Pow(args[0], args[1]);
            return IsPlain(value) && value == Math.Round(value);
        }
        if (function == MathFunction.Abs && args.Length == 1)
        {
            value = Math.Abs(args[0]);
            return true;
        }
        return false;
    }

    private static bool IsPlain(double v) => !double.IsNaN(v) && !double.IsInfinity(v) && Math.Abs(v) < 1e15 && (v != 0 || System.BitConverter.DoubleToInt64Bits(v) == 0);
}
