using System;
using System.Linq;
using System.Text.RegularExpressions;

namespace Differentiator.Runtime.Tests;

/// <summary>The tape's picture of itself in Graphviz DOT.</summary>
public class TapeGraphTests
{
    [Fact]
    public void The_graph_shows_values_gradients_operations_constants_and_local_partials()
    {
        var tape = new Tape(recordGraph: true);
        var w = tape.Variable(2, "w");
        var unused = tape.Variable(5, "unused");
        var loss = (w * 3 - 1) * (w * 3 - 1); // 25; d/dw = 2·(3w − 1)·3 = 30
        tape.Label(loss, "loss");
        tape.Backward(loss);
        string dot = tape.ToDot(loss);

        Assert.StartsWith("digraph tape {", dot);
        Assert.EndsWith("}" + Environment.NewLine, dot);
        Assert.Contains("label=\"{ w | data 2 | grad 30 }\"", dot);
        Assert.Contains("label=\"{ loss | data 25 | grad 1 }\"", dot);
        Assert.DoesNotContain("unused", dot); // the output does not depend on it
        Assert.Equal(3, Regex.Matches(dot, "shape=ellipse, label=\"\\*\"").Count); // w·3 twice and the product
        Assert.Equal(2, Regex.Matches(dot, "shape=ellipse, label=\"-\"").Count);
        Assert.Equal(2, Regex.Matches(dot, "style=dashed, label=\"3\"").Count);  // the constant 3, right of ·
        Assert.Equal(2, Regex.Matches(dot, "style=dashed, label=\"1\"").Count);  // the constant 1, right of −
        Assert.Contains("[label=\"∂ 5\"]", dot); // ∂(u·v)/∂u = v = 5
        // Every edge names nodes that are declared.
        var declared = Regex.Matches(dot, @"^\s+(\w+) \[", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet();
        foreach (Match edge in Regex.Matches(dot, @"(\w+) -> (\w+)"))
        {
            Assert.Contains(edge.Groups[1].Value, declared);
            Assert.Contains(edge.Groups[2].Value, declared);
        }
    }

    [Fact]
    public void A_constant_on_the_left_and_functions_are_drawn_too()
    {
        var tape = new Tape(recordGraph: true);
        var x = tape.Variable(0.5);
        var f = 2 - TapeMath.Tanh(x);
        string dot = tape.ToDot(f);
        Assert.Contains("label=\"tanh\"", dot);
        Assert.Contains("style=dashed, label=\"2\"", dot);
        Assert.Contains("grad n/a", dot); // no Backward yet
    }

    [Fact]
    public void Recording_the_graph_changes_no_gradient_and_survives_growth()
    {
        var plain = new Tape();
        var drawn = new Tape(recordGraph: true);
        double Run(Tape tape)
        {
            var x = tape.Variable(0.3);
            Value s = 0;
            for (int k = 0; k < 400; k++) s += TapeMath.Sin(x * k); // past the initial 256 nodes
            tape.Backward(s);
            return x.Grad;
        }
        Assert.Equal(Run(plain), Run(drawn));
        Assert.True(drawn.Count > 256);
        Assert.False(plain.RecordsGraph);
        Assert.Throws<InvalidOperationException>(() => plain.ToDot(plain.Variable(1)));
        Assert.Contains("data 1", drawn.ToDot(drawn.Variable(1)));
    }

    [Fact]
    public void Names_with_record_syntax_are_escaped_and_constants_cannot_be_named()
    {
        var tape = new Tape(recordGraph: true);
        var x = tape.Variable(1, "a|b {c}");
        Assert.Contains(@"a\|b\ \{c\}", tape.ToDot(x));
        Assert.Throws<InvalidOperationException>(() => tape.Label(3.0, "three"));
        Assert.Throws<InvalidOperationException>(() => new Tape(true).Label(x, "other tape"));
    }
}
