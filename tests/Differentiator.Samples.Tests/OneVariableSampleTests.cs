using System;
using System.IO;
using Differentiator.Samples.Support;
using Differentiator.Training;
using OneVariable;

namespace Differentiator.Samples.Tests;

public sealed class OneVariableRun : SampleFixture<OneVariableResult>
{
    public OneVariableRun() : base("OneVariable", OneVariableSample.Run) { }
}

public class OneVariableSampleTests : IClassFixture<OneVariableRun>
{
    private readonly OneVariableRun _run;

    public OneVariableSampleTests(OneVariableRun run) => _run = run;

    [Fact]
    public void Writes_every_picture_and_the_tape_graph()
    {
        Pictures.AssertAll(_run.Folder, _run.Result.Files,
            "loss_vs_w_tangents.png", "loss_vs_w_tangents.svg", "loss_curve.png", "loss_curve.svg",
            "fit_epochs.png", "fit_epochs.svg", "fit_animation.gif", "tape_graph.dot", "derivative_graph.dot");
        if (Graphviz.FindDot() is null)
            Assert.Contains("dot -Tsvg", _run.Log); // says how to render it
        else
            Assert.True(File.Exists(Path.Combine(_run.Folder, "tape_graph.svg")));
    }

    [Fact]
    public void The_derivative_graph_is_the_one_the_generator_built()
    {
        string dot = File.ReadAllText(Path.Combine(_run.Folder, "derivative_graph.dot"));
        Assert.StartsWith("digraph \"MseGradient\"", dot); // MseGradientDot is internal to the sample; its text is the file
        Assert.Contains("∂Mse/∂w", dot);
        Assert.Contains("∂Mse/∂b", dot);
    }

    [Fact]
    public void Gradient_descent_from_w_10_finds_w_1_b_0()
    {
        Assert.Equal(1.0, _run.Result.W, 1e-9);
        Assert.Equal(0.0, _run.Result.B, 1e-9);
        Assert.Equal(StopReason.GradientNormTolerance, _run.Result.Fit.StopReason);
        Assert.Equal(202.5, _run.Result.Fit.LossHistory[0], 12); // mean of (10x − x)² over x = ±1, ±2: 81·2.5
    }

    [Fact]
    public void Tangent_slopes_by_central_differences_match_the_generated_derivative()
    {
        // With b = 0 the loss is 2.5·(w − 1)², so its slope is 5·(w − 1); a central difference is exact on a parabola.
        for (int k = 0; k < _run.Result.TangentPoints.Length; k++)
        {
            double w = _run.Result.TangentPoints[k];
            Assert.Equal(5 * (w - 1), _run.Result.Slopes[k], 1e-9);
            Assert.Equal(5 * (w - 1), _run.Result.GeneratedSlopes[k], 1e-12);
        }
    }

    [Fact]
    public void The_tape_graph_shows_the_inputs_with_their_gradients()
    {
        string dot = File.ReadAllText(Path.Combine(_run.Folder, "tape_graph.dot"));
        Assert.Contains("{ w | data 10 | grad 45 }", dot);
        Assert.Contains("{ b | data 0 | grad 0 }", dot);
        Assert.Contains("{ loss | data 202.5 | grad 1 }", dot);
    }
}
