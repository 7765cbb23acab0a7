using System;
using System.Linq;
using Differentiator.Samples.Support;
using TanhNetwork;

namespace Differentiator.Samples.Tests;

public sealed class TanhNetworkRun : SampleFixture<TanhNetworkResult>
{
    public TanhNetworkRun() : base("TanhNetwork", TanhNetworkSample.Run) { }
}

public class TanhNetworkSampleTests : IClassFixture<TanhNetworkRun>
{
    private readonly TanhNetworkRun _run;

    public TanhNetworkSampleTests(TanhNetworkRun run) => _run = run;

    [Fact]
    public void Writes_every_picture() =>
        Pictures.AssertAll(_run.Folder, _run.Result.Files, "optimizers.png", "optimizers.svg", "fit_epochs.png", "fit_epochs.svg", "fit_animation.gif",
            "derivative_graph.dot");

    [Fact]
    public void The_derivative_graph_has_one_result_per_parameter_block()
    {
        string dot = System.IO.File.ReadAllText(System.IO.Path.Combine(_run.Folder, "derivative_graph.dot"));
        foreach (string partial in new[] { "∂Mse/∂w1[h]", "∂Mse/∂b1[h]", "∂Mse/∂w2[h]", "∂Mse/∂b2" }) Assert.Contains(partial, dot);
        Assert.Contains("tanh", dot);
    }

    [Fact]
    public void The_generated_gradient_of_the_network_passes_the_three_way_check() => Assert.True(_run.Result.GradientCheck.Passed, _run.Log);

    [Fact]
    public void The_network_fits_sin_far_better_than_any_straight_line()
    {
        // The best straight line through the 40 points of sin on [−3, 3] (least squares, computed here) leaves a mean
        // squared error of about 0.18; 1e-3 means the network's curve is within about 0.03 of sin on average, which no
        // linear model can do, and which Adam reaches here in well under the 4000 epochs it gets.
        double[] xs = Charts.Grid(-3, 3, 40), ys = xs.Select(Math.Sin).ToArray();
        double mx = xs.Average(), my = ys.Average();
        double slope = xs.Zip(ys).Sum(p => (p.First - mx) * (p.Second - my)) / xs.Sum(x => (x - mx) * (x - mx));
        double linearLoss = xs.Zip(ys).Average(p => Math.Pow(my + slope * (p.First - mx) - p.Second, 2));
        Assert.InRange(linearLoss, 0.17, 0.19);

        var adam = _run.Result.Runs.Single(r => r.Name.StartsWith("Adam"));
        Assert.True(adam.Fit.FinalLoss < 1e-3, $"Adam's final loss {adam.Fit.FinalLoss}");
        Assert.True(adam.Fit.FinalLoss < linearLoss / 100);
        double predictionError = xs.Max(x => Math.Abs(adam.Final.Predict(x) - Math.Sin(x)));
        Assert.True(predictionError < 0.1, $"worst error {predictionError}");
    }

    [Fact]
    public void Every_optimizer_makes_progress_and_Adam_gets_furthest()
    {
        foreach (var run in _run.Result.Runs)
            Assert.True(run.Fit.FinalLoss < run.Fit.LossHistory[0] / 50, $"{run.Name}: {run.Fit.FinalLoss}");
        var losses = _run.Result.Runs.Select(r => r.Fit.FinalLoss).ToArray(); // gradient descent, momentum, Adam
        Assert.True(losses[2] < losses[1] && losses[1] < losses[0], string.Join(", ", losses));
    }
}
