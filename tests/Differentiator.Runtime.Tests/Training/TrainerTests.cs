using System;
using System.IO;
using Differentiator.Training;

namespace Differentiator.Runtime.Tests.Training;

/// <summary>The fit loop's stopping rules, history and progress, on f(p) = (p − 3)², whose gradient is 2(p − 3).</summary>
public class TrainerTests
{
    private static TrainingEpoch Quadratic(double[] p, Optimizer optimizer) => _ =>
    {
        double loss = (p[0] - 3) * (p[0] - 3);
        double g = 2 * (p[0] - 3);
        optimizer.Step(0, ref p[0], g);
        return new EpochResult(loss, Math.Abs(g));
    };

    [Fact]
    public void Gradient_descent_on_a_quadratic_converges_and_records_every_loss()
    {
        var p = new[] { 0.0 };
        var result = Trainer.Fit(Quadratic(p, new Sgd(0.1, new[] { 1 })), new StoppingRule(MaxEpochs: 10_000, GradientNormTolerance: 1e-10));
        Assert.Equal(StopReason.GradientNormTolerance, result.StopReason);
        Assert.Equal(3.0, p[0], 9);
        Assert.Equal(result.Epochs, result.LossHistory.Count);
        Assert.Equal(9.0, result.LossHistory[0]); // epoch 1's loss is at the starting point
        // Each step multiplies the error by 1 − 2·0.1 = 0.8, so the loss by 0.64.
        Assert.Equal(9.0 * 0.64, result.LossHistory[1], 12);
        Assert.True(result.LastGradientNorm <= 1e-10);
    }

    [Fact]
    public void Max_epochs_stops_a_fit_that_has_not_converged()
    {
        var p = new[] { 0.0 };
        var result = Trainer.Fit(Quadratic(p, new Sgd(1e-4, new[] { 1 })), new StoppingRule(MaxEpochs: 50, GradientNormTolerance: 1e-10));
        Assert.Equal(StopReason.MaxEpochs, result.StopReason);
        Assert.Equal(50, result.Epochs);
    }

    [Fact]
    public void Loss_tolerance_is_relative_to_the_loss()
    {
        var p = new[] { 0.0 };
        var result = Trainer.Fit(Quadratic(p, new Sgd(0.1, new[] { 1 })), new StoppingRule(MaxEpochs: 10_000, LossTolerance: 1e-6));
        Assert.Equal(StopReason.LossTolerance, result.StopReason);
        int n = result.Epochs;
        double last = result.LossHistory[n - 1], previous = result.LossHistory[n - 2];
        Assert.True(Math.Abs(previous - last) <= 1e-6 * Math.Max(1, previous));
        double beforeThat = result.LossHistory[n - 3];
        Assert.True(Math.Abs(beforeThat - previous) > 1e-6 * Math.Max(1, beforeThat)); // it stopped at the first epoch that met it
    }

    [Fact]
    public void Target_loss_and_divergence_stop_the_fit()
    {
        var p = new[] { 0.0 };
        var target = Trainer.Fit(Quadratic(p, new Sgd(0.1, new[] { 1 })), new StoppingRule(MaxEpochs: 1000, TargetLoss: 1e-3));
        Assert.Equal(StopReason.TargetLoss, target.StopReason);
        Assert.True(target.FinalLoss <= 1e-3);
        Assert.Equal(target.Epochs, target.FirstEpochAtOrBelow(1e-3));

        // A learning rate above 1 makes each step overshoot by more than it corrects: the loss grows to ∞.
        var q = new[] { 0.0 };
        var diverged = Trainer.Fit(Quadratic(q, new Sgd(1.5, new[] { 1 })), new StoppingRule(MaxEpochs: 100_000));
        Assert.Equal(StopReason.Diverged, diverged.StopReason);
        Assert.True(diverged.Epochs < 100_000);
    }

    [Fact]
    public void The_loop_allocates_only_its_history()
    {
        var p = new[] { 0.0 };
        var epoch = Quadratic(p, new Sgd(1e-6, new[] { 1 }));
        var rule = new StoppingRule(MaxEpochs: 10_000);
        Trainer.Fit(epoch, new StoppingRule(MaxEpochs: 2)); // warm up
        long before = GC.GetAllocatedBytesForCurrentThread();
        Trainer.Fit(epoch, rule);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.InRange(allocated, 10_000 * sizeof(double), 10_000 * sizeof(double) + 1024);
    }

    [Fact]
    public void Invalid_rules_are_rejected()
    {
        TrainingEpoch epoch = _ => new EpochResult(1);
        Assert.Throws<ArgumentException>(() => Trainer.Fit(epoch, new StoppingRule(MaxEpochs: 0)));
        Assert.Throws<ArgumentException>(() => Trainer.Fit(epoch, new StoppingRule(10, LossTolerance: -1)));
        Assert.Throws<ArgumentException>(() => Trainer.Fit(epoch, new StoppingRule(10, GradientNormTolerance: double.NaN)));
    }

    [Fact]
    public void Plain_progress_prints_the_first_every_nth_and_the_last_epoch()
    {
        var writer = new StringWriter();
        var p = new[] { 0.0 };
        Trainer.Fit(Quadratic(p, new Sgd(0.1, new[] { 1 })), new StoppingRule(MaxEpochs: 250), new ConsoleProgress(writer, live: false, plainEvery: 100, label: "quad"));
        string[] lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length); // epochs 1, 100, 200, 250, then the summary
        Assert.StartsWith("quad: epoch   1/250  loss            9", lines[0]);
        Assert.Contains("epoch 100/250", lines[1]);
        Assert.Contains("epoch 250/250", lines[3]);
        Assert.Contains("stopped after 250 epochs (maximum epochs)", lines[4]);
        Assert.DoesNotContain('\r', writer.ToString());
    }

    [Fact]
    public void Live_progress_rewrites_one_line_and_ends_it()
    {
        var writer = new StringWriter();
        var p = new[] { 0.0 };
        Trainer.Fit(Quadratic(p, new Sgd(0.1, new[] { 1 })), new StoppingRule(MaxEpochs: 30), new ConsoleProgress(writer, live: true));
        string text = writer.ToString();
        Assert.StartsWith("\repoch  1/30", text);
        Assert.Contains("\repoch 30/30", text); // the final state is drawn even when the throttle skipped it
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length); // the live line, then the summary
        Assert.StartsWith("stopped after 30 epochs", lines[1]);
    }

    [Theory]
    [InlineData(false, null, true)]
    [InlineData(false, "", true)]
    [InlineData(true, null, false)]
    [InlineData(false, "true", false)]
    public void Live_only_in_a_terminal_outside_CI(bool redirected, string? ci, bool live) =>
        Assert.Equal(live, ConsoleProgress.ShouldBeLive(redirected, ci));

    [Fact]
    public void Gradient_norm_is_the_euclidean_norm_over_blocks_without_overflow()
    {
        Assert.Equal(5.0, GradientNorm.Of(new[] { 3.0 }, 4.0), 14);
        Assert.Equal(13.0, GradientNorm.Of(new[] { 3.0, 4.0 }, new[] { 12.0 }), 14);
        Assert.Equal(Math.Sqrt(1 + 4 + 9 + 16), GradientNorm.Of(new[] { 1.0 }, new[] { 2.0 }, new[] { 3.0 }, 4), 14);
        Assert.Equal(5e200, GradientNorm.Of(new[] { 3e200, 4e200 }), 1e187);
        Assert.Equal(0.0, GradientNorm.Of(ReadOnlySpan<double>.Empty, 0));
        Assert.True(double.IsNaN(GradientNorm.Of(new[] { 1.0, double.NaN })));
        Assert.Equal(double.PositiveInfinity, GradientNorm.Of(new[] { 1.0 }, double.NegativeInfinity));
    }
}
