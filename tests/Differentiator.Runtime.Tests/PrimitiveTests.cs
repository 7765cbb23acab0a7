using System;

namespace Differentiator.Runtime.Tests;

/// <summary>Each primitive's local derivative against the hand-derived formula of docs/semantics.md.</summary>
public class PrimitiveTests
{
    [Theory]
    [InlineData(0.7, -2.5)]
    [InlineData(-1.3, 0.4)]
    public void Arithmetic_operators_give_both_partials(double a, double b)
    {
        Assert.Equal((1.0, 1.0), Derivatives.Of((x, y) => x + y, a, b));
        Assert.Equal((1.0, -1.0), Derivatives.Of((x, y) => x - y, a, b));
        Assert.Equal((b, a), Derivatives.Of((x, y) => x * y, a, b));
        var (da, db) = Derivatives.Of((x, y) => x / y, a, b);
        Assert.Equal(1 / b, da, 15);
        Assert.Equal(-a / (b * b), db, 15);
        Assert.Equal(-1.0, Derivatives.Of(x => -x, a));
        Assert.Equal(1.0, Derivatives.Of(x => +x, a));
    }

    [Theory]
    [InlineData(0.7)]
    [InlineData(-1.3)]
    public void Smooth_functions_have_their_textbook_derivatives(double x)
    {
        Assert.Equal(Math.Exp(x), Derivatives.Of(TapeMath.Exp, x), 14);
        Assert.Equal(Math.Cos(x), Derivatives.Of(TapeMath.Sin, x), 14);
        Assert.Equal(-Math.Sin(x), Derivatives.Of(TapeMath.Cos, x), 14);
        Assert.Equal(1 / (Math.Cos(x) * Math.Cos(x)), Derivatives.Of(TapeMath.Tan, x), 12);
        Assert.Equal(1 - Math.Tanh(x) * Math.Tanh(x), Derivatives.Of(TapeMath.Tanh, x), 14);
        Assert.Equal(Math.Cosh(x), Derivatives.Of(TapeMath.Sinh, x), 14);
        Assert.Equal(Math.Sinh(x), Derivatives.Of(TapeMath.Cosh, x), 14);
        Assert.Equal(1 / (1 + x * x), Derivatives.Of(TapeMath.Atan, x), 14);
        Assert.Equal(1 / (3 * Math.Cbrt(x) * Math.Cbrt(x)), Derivatives.Of(TapeMath.Cbrt, x), 12);
        Assert.Equal(3 * x * x, Derivatives.Of(v => TapeMath.Pow(v, 3), x), 12);
    }

    [Fact]
    public void Functions_with_restricted_domains()
    {
        Assert.Equal(2.0, Derivatives.Of(TapeMath.Log, 0.5), 14);
        Assert.Equal(0.5 / Math.Sqrt(2), Derivatives.Of(TapeMath.Sqrt, 2), 14);
        Assert.Equal(1 / Math.Sqrt(0.75), Derivatives.Of(TapeMath.Asin, 0.5), 14);
        Assert.Equal(-1 / Math.Sqrt(0.75), Derivatives.Of(TapeMath.Acos, 0.5), 14);
        Assert.Equal(1 / (3 * Math.Log(10)), Derivatives.Of(TapeMath.Log10, 3), 14);
        Assert.Equal(1 / (3 * Math.Log(2)), Derivatives.Of(TapeMath.Log2, 3), 14);
    }

    [Fact]
    public void Clamp_gives_the_gradient_to_the_argument_it_returns_and_the_bounds_to_the_value()
    {
        var tape = new Tape();
        Value x = tape.Variable(0.5), lo = tape.Variable(-1), hi = tape.Variable(0.5);
        tape.Backward(TapeMath.Clamp(x, lo, hi)); // x == max: Math.Clamp returns x
        Assert.Equal((1.0, 0.0, 0.0), (x.Grad, lo.Grad, hi.Grad));
        tape = new Tape();
        x = tape.Variable(-3); lo = tape.Variable(-1); hi = tape.Variable(2);
        tape.Backward(TapeMath.Clamp(x, lo, hi));
        Assert.Equal((0.0, 1.0, 0.0), (x.Grad, lo.Grad, hi.Grad));
        Assert.Throws<ArgumentException>(() => TapeMath.Clamp(x, hi, lo)); // min > max, as Math.Clamp
    }

    [Fact]
    public void Hypot_is_zero_at_the_origin_and_sign_records_nothing()
    {
        Assert.Equal((0.0, 0.0), Derivatives.Of(TapeMath.Hypot, 0, 0));
        Assert.Equal((0.6, -0.8), Derivatives.Of(TapeMath.Hypot, 3, -4));
        var tape = new Tape();
        var x = tape.Variable(-2.5);
        Assert.Equal(-1, TapeMath.Sign(x));
        Assert.Equal(1, tape.Count); // only the variable
    }

    [Fact]
    public void Fused_multiply_add_rounds_once_and_log_with_a_base_differentiates_both()
    {
        var tape = new Tape();
        Value x = tape.Variable(0.1), y = tape.Variable(10), z = tape.Variable(-1);
        var r = TapeMath.FusedMultiplyAdd(x, y, z);
        Assert.Equal(Math.FusedMultiplyAdd(0.1, 10, -1), r.Data); // 5.55e-17, where 0.1 * 10 - 1 is 0
        tape.Backward(r);
        Assert.Equal((10.0, 0.1, 1.0), (x.Grad, y.Grad, z.Grad));
        var (dx, db) = Derivatives.Of(TapeMath.Log, 8, 2);
        Assert.Equal(1 / (8 * Math.Log(2)), dx, 15);
        Assert.Equal(-3 / (2 * Math.Log(2)), db, 14);
        Assert.Equal(1 / Math.Sqrt(1.25), Derivatives.Of(TapeMath.Asinh, 0.5), 15);
        Assert.Equal(1 / Math.Sqrt(3), Derivatives.Of(TapeMath.Acosh, 2), 15);
        Assert.Equal(1 / 0.75, Derivatives.Of(TapeMath.Atanh, 0.5), 15);
    }

    [Fact]
    public void Forward_values_are_those_of_Math()
    {
        var tape = new Tape();
        var x = tape.Variable(0.3);
        Assert.Equal(Math.Exp(0.3), TapeMath.Exp(x).Data);
        Assert.Equal(Math.Log10(0.3), TapeMath.Log10(x).Data);
        Assert.Equal(Math.Pow(0.3, 1.7), TapeMath.Pow(x, 1.7).Data);
        Assert.Equal(Math.Acos(0.3), TapeMath.Acos(x).Data);
        Assert.Equal(0.3 / 7, (x / 7).Data);
    }

    [Fact]
    public void Singular_points_give_the_documented_infinities()
    {
        Assert.Equal(double.PositiveInfinity, Derivatives.Of(TapeMath.Sqrt, 0)); // 0.5/√0
        Assert.Equal(double.PositiveInfinity, Derivatives.Of(TapeMath.Log, 0));
        Assert.Equal(-1.0, Derivatives.Of(TapeMath.Log, -1)); // 1/x, even where ln x is NaN
        Assert.Equal(double.NegativeInfinity, Derivatives.Of(v => 1 / v, 0));
        Assert.True(double.IsNaN(Derivatives.Of(TapeMath.Sqrt, -1)));
        Assert.Equal(0.0, Derivatives.Of(TapeMath.Tanh, 40)); // saturated
    }

    [Fact]
    public void Pow_with_a_constant_exponent_has_a_finite_base_derivative_at_zero_and_below()
    {
        Assert.Equal(0.0, Derivatives.Of(v => TapeMath.Pow(v, 2), 0));
        Assert.Equal(-6.0, Derivatives.Of(v => TapeMath.Pow(v, 2), -3));
        Assert.Equal(12.0, Derivatives.Of(v => TapeMath.Pow(v, 3), -2));
        var tape = new Tape();
        var x = tape.Variable(-3);
        TapeMath.Pow(x, 2);
        Assert.Equal(2, tape.Count); // the constant exponent is not a parent
    }

    [Fact]
    public void Pow_with_a_recorded_exponent_differentiates_both()
    {
        var (dx, dy) = Derivatives.Of(TapeMath.Pow, 2, 3);
        Assert.Equal(12.0, dx, 14);
        Assert.Equal(8 * Math.Log(2), dy, 14);
        var (dxBase, dyBase) = Derivatives.Of((x, y) => TapeMath.Pow(x, y), 5, 2);
        Assert.Equal(10.0, dxBase, 14);
        Assert.Equal(25 * Math.Log(5), dyBase, 13);
        // With the base constant, only the exponent is recorded: d(2^y)/dy = 2^y ln 2.
        Assert.Equal(8 * Math.Log(2), Derivatives.Of(y => TapeMath.Pow(2, y), 3), 14);
        var (_, dyAtZero) = Derivatives.Of(TapeMath.Pow, 0, 2);
        Assert.Equal(0.0, dyAtZero); // the limit for y > 0, not 0 · ln 0 = NaN
    }

    [Fact]
    public void Abs_has_subgradient_zero_at_the_kink()
    {
        Assert.Equal(1.0, Derivatives.Of(TapeMath.Abs, 2));
        Assert.Equal(-1.0, Derivatives.Of(TapeMath.Abs, -2));
        Assert.Equal(0.0, Derivatives.Of(TapeMath.Abs, 0));
        Assert.Equal(0.0, Derivatives.Of(TapeMath.Abs, -0.0));
    }

    [Fact]
    public void Max_and_Min_send_the_gradient_to_the_selected_argument_and_ties_to_the_first()
    {
        Assert.Equal((1.0, 0.0), Derivatives.Of(TapeMath.Max, 3, 1));
        Assert.Equal((0.0, 1.0), Derivatives.Of(TapeMath.Max, 1, 3));
        Assert.Equal((1.0, 0.0), Derivatives.Of(TapeMath.Max, 2, 2));
        Assert.Equal((0.0, 1.0), Derivatives.Of(TapeMath.Min, 3, 1));
        Assert.Equal((1.0, 0.0), Derivatives.Of(TapeMath.Min, 1, 3));
        Assert.Equal((1.0, 0.0), Derivatives.Of(TapeMath.Min, 2, 2));
    }

    [Fact]
    public void Max_and_Min_with_NaN_return_NaN_and_follow_the_comparison()
    {
        var tape = new Tape();
        var nan = tape.Variable(double.NaN);
        var one = tape.Variable(1);
        Assert.True(double.IsNaN(TapeMath.Max(nan, one).Data));
        Assert.True(double.IsNaN(TapeMath.Min(one, nan).Data));
        // NaN ≥ 1 and 1 ≥ NaN are both false, so the gradient goes to the second argument (docs/semantics.md; the
        // generator's EdgeCaseTests pin the same for generated code).
        Assert.Equal((0.0, 1.0), Derivatives.Of(TapeMath.Max, double.NaN, 1));
        Assert.Equal((0.0, 1.0), Derivatives.Of(TapeMath.Max, 1, double.NaN));
        Assert.Equal((0.0, 1.0), Derivatives.Of(TapeMath.Min, double.NaN, 1));
    }

    [Fact]
    public void A_NaN_factor_poisons_only_the_other_partial()
    {
        var (dx, dy) = Derivatives.Of((x, y) => x * y, double.NaN, 2);
        Assert.Equal(2.0, dx);
        Assert.True(double.IsNaN(dy));
    }
}
