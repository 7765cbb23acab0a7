using System;

namespace Differentiator.Runtime.Tests;

/// <summary><see cref="Tape.Custom"/>: a node whose partial derivatives come from a custom derivative, not from the tape.</summary>
public class TapeCustomTests
{
    [Fact]
    public void Backward_sends_the_seed_times_each_partial_to_each_input()
    {
        var tape = new Tape();
        Value a = tape.Variable(2), b = tape.Variable(-1), c = tape.Variable(0.5);
        // f(a, b, c) = a² b + sin c, its partials given, not derived: 2ab, a², cos c.
        var f = Tape.Custom(4 * -1 + Math.Sin(0.5), new[] { a, b, c }, new[] { 2 * 2 * -1.0, 4, Math.Cos(0.5) });
        Assert.Equal(-4 + Math.Sin(0.5), f.Data);
        var y = f * f + 3 * a;
        tape.Backward(y);
        double g = 2 * f.Data;
        Assert.Equal(g * -4 + 3, a.Grad, 14);
        Assert.Equal(g * 4, b.Grad, 14);
        Assert.Equal(g * Math.Cos(0.5), c.Grad, 14);
    }

    [Fact]
    public void Constant_inputs_are_skipped_and_a_repeated_input_sums_its_partials()
    {
        var tape = new Tape();
        Value x = tape.Variable(3);
        var f = Tape.Custom(10, new Value[] { 1.5, x, x, 2.0 }, new[] { 100.0, 2, 5, 100 });
        tape.Backward(f);
        Assert.Equal(7.0, x.Grad);
        Assert.Equal(10.0, f.Data);
    }

    [Fact]
    public void All_constant_inputs_give_a_constant()
    {
        var f = Tape.Custom(1.25, new Value[] { 1.0, 2.0 }, new[] { 3.0, 4.0 });
        Assert.Equal(1.25, f.Data);
        Assert.Equal(0.0, f.Grad);
    }

    [Fact]
    public void A_missing_partial_or_two_tapes_are_errors()
    {
        var one = new Tape();
        var two = new Tape();
        Assert.Throws<ArgumentException>(() => Tape.Custom(0, new[] { one.Variable(1) }, ReadOnlySpan<double>.Empty));
        Assert.Throws<InvalidOperationException>(() => Tape.Custom(0, new[] { one.Variable(1), two.Variable(2) }, new[] { 1.0, 1.0 }));
    }

    [Fact]
    public void A_graph_recording_tape_names_the_custom_nodes()
    {
        var tape = new Tape(recordGraph: true);
        Value x = tape.Variable(3, "x");
        var f = Tape.Custom(9, new[] { x }, new[] { 6.0 });
        Assert.Contains("custom", tape.ToDot(f));
    }
}
