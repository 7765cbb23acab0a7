using System;
using System.Diagnostics;

namespace Differentiator.Training;

/// <summary>The training loop: run epochs until a <see cref="StoppingRule"/> says stop, keeping the loss history.</summary>
/// <example>
/// <code>
/// var sgd = new Sgd(learningRate: 0.01, blockSizes: new[] { w.Length, 1 });
/// var dw = new double[w.Length];
/// FitResult result = Trainer.Fit(epoch =>
/// {
///     double loss = Losses.MseGradient(X, y, w, b, dw, out double db);
///     sgd.Step(0, w, dw);
///     sgd.Step(1, ref b, db);
///     return new EpochResult(loss, GradientNorm.Of(dw, db));
/// }, new StoppingRule(MaxEpochs: 2000, GradientNormTolerance: 1e-8), ConsoleProgress.ForConsole());
/// </code>
/// </example>
public static class Trainer
{
    /// <summary>
    /// Runs <paramref name="epoch"/> for epochs 1, 2, … and stops at the first of: a non-finite loss
    /// (<see cref="StopReason.Diverged"/>), the target loss, the gradient-norm tolerance, the loss tolerance, the
    /// maximum number of epochs. The loop itself allocates nothing per epoch: the history array is sized up front
    /// (to MaxEpochs, so choose MaxEpochs with that in mind) and trimmed at the end.
    /// </summary>
    /// <param name="epoch">One epoch: compute loss and gradient, step, return both.</param>
    /// <param name="rule">When to stop.</param>
    /// <param name="progress">Told about every epoch and about the end; null for silence.</param>
    /// <exception cref="ArgumentException">The rule is invalid.</exception>
    public static FitResult Fit(TrainingEpoch epoch, StoppingRule rule, FitProgress? progress = null)
    {
        ArgumentNullException.ThrowIfNull(epoch);
        ArgumentNullException.ThrowIfNull(rule);
        rule.Validate();
        var history = new double[rule.MaxEpochs];
        long start = Stopwatch.GetTimestamp();
        double previousLoss = double.NaN;
        int count = 0;
        double gradientNorm = double.NaN;
        StopReason reason = StopReason.MaxEpochs;
        for (int e = 1; e <= rule.MaxEpochs; e++)
        {
            EpochResult r = epoch(e);
            history[count++] = r.Loss;
            gradientNorm = r.GradientNorm;
            progress?.Report(new FitStatus(e, rule.MaxEpochs, r.Loss, r.GradientNorm, Stopwatch.GetElapsedTime(start)));
            if (!double.IsFinite(r.Loss)) { reason = StopReason.Diverged; break; }
            if (r.Loss <= rule.TargetLoss) { reason = StopReason.TargetLoss; break; }
            if (r.GradientNorm <= rule.GradientNormTolerance) { reason = StopReason.GradientNormTolerance; break; }
            if (rule.LossTolerance is { } tolerance && e > 1 &&
                Math.Abs(previousLoss - r.Loss) <= tolerance * Math.Max(1, Math.Max(Math.Abs(previousLoss), Math.Abs(r.Loss))))
            {
                reason = StopReason.LossTolerance;
                break;
            }
            previousLoss = r.Loss;
        }
        if (count < history.Length) Array.Resize(ref history, count);
        var result = new FitResult(history, count, reason, gradientNorm, Stopwatch.GetElapsedTime(start));
        progress?.Completed(result);
        return result;
    }
}
