using System;

namespace Differentiator;

/// <summary>
/// <see cref="Math"/>'s functions on <see cref="Value"/>s, each recording its local derivative. The rules and the
/// conventions at kinks are those of docs/semantics.md, the same table the generator uses (implemented there
/// separately, so that each checks the other).
/// </summary>
public static class TapeMath
{
    /// <summary>eˣ; ∂ = eˣ.</summary>
    public static Value Exp(Value x) { double e = Math.Exp(x.Data); return Value.Node(TapeOperation.Exp, e, x, e); }

    /// <summary>ln x; ∂ = 1/x.</summary>
    public static Value Log(Value x) => Value.Node(TapeOperation.Log, Math.Log(x.Data), x, 1 / x.Data);

    /// <summary>√x; ∂ = 0.5/√x (+∞ at 0).</summary>
    public static Value Sqrt(Value x) { double r = Math.Sqrt(x.Data); return Value.Node(TapeOperation.Sqrt, r, x, 0.5 / r); }

    /// <summary>xʸ; ∂x = y·x^(y−1); ∂y = xʸ·ln x (0 at x = 0), recorded only when y is on a tape.</summary>
    public static Value Pow(Value x, Value y)
    {
        double r = Math.Pow(x.Data, y.Data);
        double dx = y.Data * Math.Pow(x.Data, y.Data - 1);
        if (y.Tape is null) return Value.Node(TapeOperation.Pow, r, x, dx, y, 0); // a constant exponent has no ∂y: skip its logarithm (NaN for x < 0)
        double dy = x.Data == 0 ? 0 : r * Math.Log(x.Data);
        return Value.Node(TapeOperation.Pow, r, x, dx, y, dy);
    }

    /// <summary>sin x; ∂ = cos x.</summary>
    public static Value Sin(Value x) => Value.Node(TapeOperation.Sin, Math.Sin(x.Data), x, Math.Cos(x.Data));

    /// <summary>cos x; ∂ = −sin x.</summary>
    public static Value Cos(Value x) => Value.Node(TapeOperation.Cos, Math.Cos(x.Data), x, -Math.Sin(x.Data));

    /// <summary>tan x; ∂ = 1/cos²x.</summary>
    public static Value Tan(Value x) { double c = Math.Cos(x.Data); return Value.Node(TapeOperation.Tan, Math.Tan(x.Data), x, 1 / (c * c)); }

    /// <summary>tanh x; ∂ = 1 − tanh²x.</summary>
    public static Value Tanh(Value x) { double t = Math.Tanh(x.Data); return Value.Node(TapeOperation.Tanh, t, x, 1 - t * t); }

    /// <summary>sinh x; ∂ = cosh x.</summary>
    public static Value Sinh(Value x) => Value.Node(TapeOperation.Sinh, Math.Sinh(x.Data), x, Math.Cosh(x.Data));

    /// <summary>cosh x; ∂ = sinh x.</summary>
    public static Value Cosh(Value x) => Value.Node(TapeOperation.Cosh, Math.Cosh(x.Data), x, Math.Sinh(x.Data));

    /// <summary>atan x; ∂ = 1/(1 + x²).</summary>
    public static Value Atan(Value x) => Value.Node(TapeOperation.Atan, Math.Atan(x.Data), x, 1 / (1 + x.Data * x.Data));

    /// <summary>asin x; ∂ = 1/√(1 − x²).</summary>
    public static Value Asin(Value x) => Value.Node(TapeOperation.Asin, Math.Asin(x.Data), x, 1 / Math.Sqrt(1 - x.Data * x.Data));

    /// <summary>acos x; ∂ = −1/√(1 − x²).</summary>
    public static Value Acos(Value x) => Value.Node(TapeOperation.Acos, Math.Acos(x.Data), x, -1 / Math.Sqrt(1 - x.Data * x.Data));

    /// <summary>log₁₀ x; ∂ = 1/(x ln 10).</summary>
    public static Value Log10(Value x) => Value.Node(TapeOperation.Log10, Math.Log10(x.Data), x, 1 / (x.Data * Math.Log(10)));

    /// <summary>log₂ x; ∂ = 1/(x ln 2).</summary>
    public static Value Log2(Value x) => Value.Node(TapeOperation.Log2, Math.Log2(x.Data), x, 1 / (x.Data * Math.Log(2)));

    /// <summary>∛x; ∂ = 1/(3·∛x²).</summary>
    public static Value Cbrt(Value x) { double c = Math.Cbrt(x.Data); return Value.Node(TapeOperation.Cbrt, c, x, 1 / (3 * c * c)); }

    /// <summary>|x|; ∂ = 1 for x &gt; 0, −1 for x &lt; 0, 0 at the kink.</summary>
    public static Value Abs(Value x) => Value.Node(TapeOperation.Abs, Math.Abs(x.Data), x, x.Data > 0 ? 1 : x.Data < 0 ? -1 : 0);

    /// <summary>max(a, b); the gradient goes to a when a ≥ b (a tie goes to the first argument), else to b.</summary>
    public static Value Max(Value a, Value b)
    {
        bool first = a.Data >= b.Data;
        return Value.Node(TapeOperation.Max, Math.Max(a.Data, b.Data), a, first ? 1 : 0, b, first ? 0 : 1);
    }

    /// <summary>min(a, b); the gradient goes to a when a ≤ b (a tie goes to the first argument), else to b.</summary>
    public static Value Min(Value a, Value b)
    {
        bool first = a.Data <= b.Data;
        return Value.Node(TapeOperation.Min, Math.Min(a.Data, b.Data), a, first ? 1 : 0, b, first ? 0 : 1);
    }

    /// <summary>asinh x; ∂ = 1/√(x² + 1).</summary>
    public static Value Asinh(Value x) => Value.Node(TapeOperation.Asinh, Math.Asinh(x.Data), x, 1 / Math.Sqrt(x.Data * x.Data + 1));

    /// <summary>acosh x; ∂ = 1/√(x² − 1) (∞ at 1).</summary>
    public static Value Acosh(Value x) => Value.Node(TapeOperation.Acosh, Math.Acosh(x.Data), x, 1 / Math.Sqrt(x.Data * x.Data - 1));

    /// <summary>atanh x; ∂ = 1/(1 − x²) (∞ at ±1).</summary>
    public static Value Atanh(Value x) => Value.Node(TapeOperation.Atanh, Math.Atanh(x.Data), x, 1 / (1 - x.Data * x.Data));

    /// <summary>The sign of x as −1, 0 or 1, an int as <see cref="Math.Sign(double)"/>: piecewise constant, so it records nothing.</summary>
    public static int Sign(Value x) => Math.Sign(x.Data);

    /// <summary>min when x &lt; min, else max when x &gt; max, else x; the gradient goes to the argument returned.</summary>
    public static Value Clamp(Value x, Value min, Value max)
    {
        double data = Math.Clamp(x.Data, min.Data, max.Data); // throws as Math.Clamp does when min > max
        var chosen = x.Data < min.Data ? min : x.Data > max.Data ? max : x;
        return Value.Node(TapeOperation.Clamp, data, chosen, 1);
    }

    /// <summary>x·y + z rounded once; ∂x = y, ∂y = x, ∂z = 1 (recorded as two nodes, a node having at most two parents).</summary>
    public static Value FusedMultiplyAdd(Value x, Value y, Value z)
    {
        double data = Math.FusedMultiplyAdd(x.Data, y.Data, z.Data);
        var product = Value.Node(TapeOperation.FusedMultiplyAdd, data, x, y.Data, y, x.Data);
        return Value.Node(TapeOperation.FusedMultiplyAdd, data, product, 1, z, 1);
    }

    /// <summary>log_b x; ∂x = 1/(x ln b), ∂b = −log_b x/(b ln b).</summary>
    public static Value Log(Value x, Value newBase)
    {
        double r = Math.Log(x.Data, newBase.Data), lnBase = Math.Log(newBase.Data);
        return Value.Node(TapeOperation.LogBase, r, x, 1 / (x.Data * lnBase), newBase, -r / (newBase.Data * lnBase));
    }

    /// <summary>√(x² + y²) without overflow; ∂x = x/h, ∂y = y/h, 0 at the origin (the cone's tip).</summary>
    public static Value Hypot(Value x, Value y)
    {
        double h = double.Hypot(x.Data, y.Data);
        return Value.Node(TapeOperation.Hypot, h, x, h == 0 ? 0 : x.Data / h, y, h == 0 ? 0 : y.Data / h);
    }

    /// <summary>The number without its history, for conversions such as <c>(int)x</c> that carry no derivative.</summary>
    public static double Primal(Value x) => x.Data;
}
