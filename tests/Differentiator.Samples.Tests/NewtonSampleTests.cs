using System;
using System.Linq;
using Newton;

namespace Differentiator.Samples.Tests;

public sealed class NewtonRun : SampleFixture<NewtonResult>
{
    public NewtonRun() : base("Newton", NewtonSample.Run) { }
}

public class NewtonSampleTests : IClassFixture<NewtonRun>
{
    private readonly NewtonRun _run;

    public NewtonSampleTests(NewtonRun run) => _run = run;

    [Fact]
    public void Writes_the_picture() =>
        Pictures.AssertAll(_run.Folder, _run.Result.Files, "newton_vs_descent.png", "newton_vs_descent.svg");

    [Fact]
    public void The_generated_hessian_agrees_with_differences_of_the_gradient() =>
        Assert.InRange(_run.Result.HessianCheck, 0, 1e-6);

    [Fact]
    public void Newton_converges_quadratically_in_a_few_steps()
    {
        var newton = _run.Result.Newton;
        Assert.InRange(newton.Losses.Count, 3, 10);
        Assert.True(newton.GradientNorm < 1e-12, $"|∇| = {newton.GradientNorm}");
        // Quadratic: once close, each step at least squares the gap to the optimum (up to rounding at the end).
        double best = newton.Losses[^1];
        var gaps = newton.Losses.Select(l => l - best).ToList();
        int close = gaps.FindIndex(g => g < 1e-3);
        Assert.True(close >= 0 && close + 1 < gaps.Count);
        Assert.True(gaps[close + 1] <= Math.Max(10 * gaps[close] * gaps[close], 1e-14), $"gap {gaps[close]} then {gaps[close + 1]}");
    }

    [Fact]
    public void Gradient_descent_is_still_far_off_after_hundreds_of_steps()
    {
        var (newton, descent) = (_run.Result.Newton, _run.Result.GradientDescent);
        Assert.Equal(NewtonSample.DescentIterations + 1, descent.Losses.Count);
        for (int k = 1; k < descent.Losses.Count; k++) Assert.True(descent.Losses[k] <= descent.Losses[k - 1], $"the loss rose at step {k}");
        Assert.True(descent.Losses[^1] - newton.Losses[^1] > 1e-4, $"descent {descent.Losses[^1]}, Newton {newton.Losses[^1]}");
        Assert.True(descent.GradientNorm > 1e-4);
    }

    [Fact]
    public void Newton_finds_a_loss_no_model_beats_not_even_the_one_the_labels_were_drawn_from()
    {
        // The labels come from weights 1.5, 0.5, −0.5, −1.5 on the unscaled features and bias 0.3: on the scaled features,
        // those divided by the scales. Newton's minimum of the same objective must be at least as low, and any step away from it higher.
        var (X, y) = NewtonSample.Data(NewtonSample.Rows, NewtonSample.Features, seed: 7);
        var truth = Enumerable.Range(0, NewtonSample.Features).Select(j => (1.5 - j) / NewtonSample.Scales[j]).ToArray();
        var newton = _run.Result.Newton;
        double best = Models.LogisticLoss(X, y, newton.W, newton.B);
        Assert.Equal(newton.Losses[^1], best, 14);
        Assert.True(best < Models.LogisticLoss(X, y, truth, 0.3), "the generating model fits its own sample worse than the optimum");
        for (int j = 0; j < newton.W.Length; j++)
        {
            var moved = (double[])newton.W.Clone();
            moved[j] += 1e-3;
            Assert.True(Models.LogisticLoss(X, y, moved, newton.B) > best);
        }
        Assert.Equal(Math.Sign(truth[0]), Math.Sign(newton.W[0]));
        Assert.Equal(Math.Sign(truth[3]), Math.Sign(newton.W[3]));
    }
}
