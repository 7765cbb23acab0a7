using System.Linq;
using System.Text.RegularExpressions;
using Differentiator.Generator.Formulas;
using Differentiator.Generator.Lowering;
using static Differentiator.Generator.Tests.Stages.IrBuilder;

namespace Differentiator.Generator.Tests.Formulas;

/// <summary>The derivative's Graphviz picture (<c>MGradientDot</c>): one node per distinct subterm, results as boxes.</summary>
public class TermGraphTests
{
    private static string[] Labels(string dot) =>
        Regex.Matches(dot, "\\[label=\"([^\"]*)\", shape=").Select(m => m.Groups[1].Value).ToArray();

    [Fact]
    public void Mse_draws_each_shared_subterm_once_and_one_box_per_result()
    {
        var lowered = ControlFlowLowering.Lower(Mse());
        string dot = TermGraph.Dot("Mse", FormulaBuilder.Derive(lowered));
        var labels = Labels(dot);

        Assert.StartsWith("digraph \"MseGradient\" {", dot);
        Assert.EndsWith("}\n", dot);
        Assert.Equal(new[] { "Mse", "∂Mse/∂w[j]", "∂Mse/∂b" }, Regex.Matches(dot, "label=\"([^\"]*)\", shape=box").Select(m => m.Groups[1].Value));
        // y[i], b, the constant 2 and 1/n appear in all three formulas but are drawn once each.
        Assert.Single(labels, "y[i]");
        Assert.Single(labels, "b");
        Assert.Single(labels, "2");
        Assert.Single(labels, "^−1");
        // ∂/∂b = (2/n)·Σᵢ residual: its Σ takes the very residual node the function squares.
        string residual = Regex.Match(dot, "(n\\d+) -> (n\\d+);\\n  n\\d+ \\[label=\"\\^2\"").Groups[1].Value;
        Assert.NotEmpty(residual);
        Assert.Equal(2, Regex.Matches(dot, "  " + residual + " -> ").Count);
        // Every edge joins declared nodes.
        var declared = Regex.Matches(dot, "  (\\w+) \\[label=").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.All(Regex.Matches(dot, "  (\\w+) -> (\\w+)").Select(m => (m.Groups[1].Value, m.Groups[2].Value)),
            e => Assert.True(declared.Contains(e.Item1) && declared.Contains(e.Item2), e.ToString()));
    }

    [Fact]
    public void A_method_without_a_closed_form_gets_a_note_not_a_wrong_picture()
    {
        string dot = TermGraph.Dot("F", null);
        Assert.Contains("shape=note", dot);
        Assert.Contains("No closed-form derivative", dot);
        Assert.DoesNotContain("->", dot);
    }
}
