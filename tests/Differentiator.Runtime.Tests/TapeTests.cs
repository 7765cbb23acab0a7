using System;

namespace Differentiator.Runtime.Tests;

public class TapeTests
{
    private static double Derivative(Func<Value, Value> f, double x)
    {
        var tape = new Tape();
        var v = tape.Variable(x);
        tape.Backward(f(v));
        return v.Grad;
    }

    [Theory]
    [InlineData(0.7)]
    [InlineData(-1.3)]
    public void Each_primitive_has_its_textbook_derivative(double x)
    {
        Assert.Equal(Math.Exp(x), Derivative(TapeMath.Exp, x), 14);
        Assert.Equal(Math.Cos(x), Derivative(TapeMath.Sin, x), 14);
        Assert.Equal(-Math.Sin(x), Derivative(TapeMath.Cos, x), 14);
        Assert.Equal(1 / (Math.Cos(x) * Math.Cos(x)), Derivative(TapeMath.Tan, x), 12);
        Assert.Equal(1 - Math.Tanh(x) * Math.Tanh(x), Derivative(TapeMath.Tanh, x), 14);
        Assert.Equal(Math.Cosh(x), Derivative(TapeMath.Sinh, x), 14);
        Assert.Equal(Math.Sinh(x), Derivative(TapeMath.Cosh, x), 14);
        Assert.Equal(1 / (1 + x * x), Derivative(TapeMath.Atan, x), 14);
        Assert.Equal(1 / (3 * Math.Cbrt(x) * Math.Cbrt(x)), Derivative(TapeMath.Cbrt, x), 12);
        Assert.Equal(2 * x + 3, Derivative(v => v * v + 3 * v - 1, x), 14);
        Assert.Equal(-1 / (x * x), Derivative(v => 1 / v, x), 12);
        Assert.Equal(-1, Derivative(v => -v, x), 14);
        Assert.Equal(3 * x * x, Derivative(v => TapeMath.Pow(v, 3), x), 12);
    }

    [Fact]
    public void Functions_with_restricted_domains()
    {
        Assert.Equal(1 / 0.5, Derivative(TapeMath.Log, 0.5), 14);
        Assert.Equal(0.5 / Math.Sqrt(2), Derivative(TapeMath.Sqrt, 2), 14);
        Assert.Equal(1 / Math.Sqrt(1 - 0.25), Derivative(TapeMath.Asin, 0.5), 14);
        Assert.Equal(-1 / Math.Sqrt(1 - 0.25), Derivative(TapeMath.Acos, 0.5), 14);
        Assert.Equal(1 / (3 * Math.Log(10)), Derivative(TapeMath.Log10, 3), 14);
        Assert.Equal(1 / (3 * Math.Log(2)), Derivative(TapeMath.Log2, 3), 14);
        Assert.Equal(double.PositiveInfinity, Derivative(TapeMath.Sqrt, 0));
    }

    [Fact]
    public void Kinks_follow_the_documented_conventions()
    {
        Assert.Equal(0, Derivative(TapeMath.Abs, 0));
        Assert.Equal(-1, Derivative(TapeMath.Abs, -2));
        var tape = new Tape();
        var a = tape.Variable(1);
        var b = tape.Variable(1);
        tape.Backward(TapeMath.Max(a, b));
        Assert.Equal((1.0, 0.0), (a.Grad, b.Grad)); // a tie goes to the first argument
        tape.Backward(TapeMath.Min(b, a));
        Assert.Equal((0.0, 1.0), (a.Grad, b.Grad));
    }

    [Fact]
    public void Pow_records_the_exponent_only_when_it_is_on_the_tape()
    {
        var tape = new Tape();
        var x = tape.Variable(2);
        var y = tape.Variable(3);
        tape.Backward(TapeMath.Pow(x, y));
        Assert.Equal(3 * 4.0, x.Grad, 14);
        Assert.Equal(8 * Math.Log(2), y.Grad, 14);

        var zero = tape.Variable(0);
        tape.Backward(TapeMath.Pow(zero, y));
        Assert.Equal(0, y.Grad); // the limit, not 0 · ln 0 = NaN
        Assert.Equal(0, Derivative(v => TapeMath.Pow(v, 2), 0));
        Assert.Equal(-6, Derivative(v => TapeMath.Pow(v, 2), -3));
    }

    [Fact]
    public void Constants_are_not_recorded_and_backward_resets()
    {
        var tape = new Tape();
        Value c = 3.0;
        var d = c * 2 + TapeMath.Exp(c);
        Assert.Equal(0, tape.Count);
        Assert.Equal(6 + Math.Exp(3), d.Data, 14);
        var x = tape.Variable(2);
        var f = x * x;
        tape.Backward(f);
        tape.Backward(f);
        Assert.Equal(4, x.Grad); // not 8: a second Backward starts from zero
        Assert.Equal(0, c.Grad);
    }

    [Fact]
    public void A_constant_output_has_zero_gradients()
    {
        var tape = new Tape();
        var x = tape.Variable(2);
        tape.Backward(1.5);
        Assert.Equal(0, x.Grad);
    }

    [Fact]
    public void Mixing_two_tapes_throws()
    {
        var a = new Tape().Variable(1);
        var b = new Tape().Variable(2);
        Assert.Throws<InvalidOperationException>(() => a + b);
    }

    [Fact]
    public void A_chain_of_two_million_nodes_backpropagates_without_recursion()
    {
        var tape = new Tape();
        var x = tape.Variable(1.0);
        Value y = x;
        for (int k = 0; k < 2_000_000; k++) y = y * 1.0000001 + 0;
        tape.Backward(y);
        Assert.Equal(Math.Pow(1.0000001, 2_000_000), x.Grad, 8);
        Assert.True(tape.Count >= 2_000_000);
    }
}
