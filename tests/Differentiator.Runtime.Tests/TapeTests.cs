using System;

namespace Differentiator.Runtime.Tests;

/// <summary>What the tape records, how Backward walks it, and the errors it reports.</summary>
public class TapeTests
{
    [Fact]
    public void Operations_on_constants_only_are_not_recorded()
    {
        var tape = new Tape();
        Value c = 3.0;
        var d = c * 2 + TapeMath.Exp(c) - TapeMath.Max(c, 1) / TapeMath.Pow(c, c);
        Assert.Equal(0, tape.Count);
        Assert.Equal(6 + Math.Exp(3) - 3 / 27.0, d.Data, 14);
        Assert.Equal(0.0, d.Grad);
        Assert.Equal(0.0, tape.GradientOf(d));
    }

    [Fact]
    public void A_constant_operand_adds_one_node_with_one_parent()
    {
        var tape = new Tape();
        var x = tape.Variable(2);
        Assert.Equal(1, tape.Count);
        var y = x * 5;
        var z = 1 - y;
        Assert.Equal(3, tape.Count);
        tape.Backward(z);
        Assert.Equal(-5.0, x.Grad);
        Assert.Equal(-1.0, y.Grad);
        Assert.Equal(1.0, z.Grad);
    }

    [Fact]
    public void Variables_records_one_leaf_per_element()
    {
        var tape = new Tape();
        var xs = tape.Variables(new[] { 1.0, 2.0, 3.0 });
        Assert.Equal(3, tape.Count);
        Assert.Equal(new[] { 1.0, 2.0, 3.0 }, Array.ConvertAll(xs, v => v.Data));
        // f = x0·x1·x2: each partial is the product of the other two.
        tape.Backward(xs[0] * xs[1] * xs[2]);
        Assert.Equal(new[] { 6.0, 3.0, 2.0 }, Array.ConvertAll(xs, tape.GradientOf));
        Assert.Equal(0, Tape.Constants(new[] { 4.0 })[0].Grad);
    }

    [Fact]
    public void Gradients_accumulate_over_every_use_of_a_value()
    {
        var tape = new Tape();
        var x = tape.Variable(3);
        var s = TapeMath.Sin(x);
        tape.Backward(x * x + s * x + x); // 2x + (cos x · x + sin x) + 1
        Assert.Equal(2 * 3 + Math.Cos(3) * 3 + Math.Sin(3) + 1, x.Grad, 14);
    }

    [Fact]
    public void Backward_again_starts_from_zero_and_may_target_an_earlier_node()
    {
        var tape = new Tape();
        var x = tape.Variable(2);
        var square = x * x;
        var f = square * x;
        tape.Backward(f);
        tape.Backward(f);
        Assert.Equal(12.0, x.Grad); // 3x², not twice that
        tape.Backward(square);
        Assert.Equal(4.0, x.Grad);
        Assert.Equal(0.0, f.Grad); // recorded after the output: it has no influence on it
    }

    [Fact]
    public void A_constant_output_has_zero_gradients()
    {
        var tape = new Tape();
        var x = tape.Variable(2);
        tape.Backward(x * x);
        tape.Backward(1.5);
        Assert.Equal(0.0, x.Grad);
    }

    [Fact]
    public void Values_recorded_after_Backward_read_zero_until_the_next_one()
    {
        var tape = new Tape();
        var x = tape.Variable(2);
        tape.Backward(x);
        var later = tape.Variable(1);
        Assert.Equal(0.0, later.Grad);
        Assert.Equal(1.0, x.Grad);
    }

    [Fact]
    public void Mixing_two_tapes_throws()
    {
        var first = new Tape();
        var second = new Tape();
        var a = first.Variable(1);
        var b = second.Variable(2);
        Assert.Throws<InvalidOperationException>(() => a + b);
        Assert.Throws<InvalidOperationException>(() => a * b);
        Assert.Throws<InvalidOperationException>(() => TapeMath.Pow(a, b));
        Assert.Throws<InvalidOperationException>(() => TapeMath.Max(a, b));
        Assert.Throws<InvalidOperationException>(() => first.Backward(b));
        first.Backward(a);
        Assert.Throws<InvalidOperationException>(() => first.GradientOf(b));
        Assert.Equal(1, first.Count); // the failed operations recorded nothing
    }

    [Fact]
    public void The_tape_grows_past_its_initial_capacity_and_keeps_every_node()
    {
        var tape = new Tape();
        var xs = tape.Variables(new double[1000]);
        Value sum = 0;
        for (int k = 0; k < xs.Length; k++) sum += xs[k] * k;
        tape.Backward(sum);
        Assert.Equal(1000 + 2 * 1000, tape.Count); // a product and a sum per element (the first sum has one parent: 0 is constant)
        for (int k = 0; k < xs.Length; k++) Assert.Equal(k, xs[k].Grad);
    }

    [Fact]
    public void A_chain_of_two_million_nodes_backpropagates_without_recursion()
    {
        var tape = new Tape();
        var x = tape.Variable(1.0);
        Value y = x;
        const int steps = 500_000; // four nodes each: two million in all
        for (int k = 0; k < steps; k++) y = TapeMath.Sin(y) * 0.5 + y * 0.5;
        Assert.Equal(1 + 4 * steps, tape.Count);
        tape.Backward(y);
        // The same chain rule by hand, forward: d(y_{k+1})/d(y_k) = (cos y_k + 1)/2.
        double value = 1, slope = 1;
        for (int k = 0; k < steps; k++)
        {
            slope *= (Math.Cos(value) + 1) / 2;
            value = Math.Sin(value) * 0.5 + value * 0.5;
        }
        Assert.Equal(value, y.Data);
        Assert.True(slope > 0);
        Assert.Equal(1.0, x.Grad / slope, 10);
    }
}
