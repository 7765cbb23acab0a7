using System;

namespace Differentiator.Training;

/// <summary>
/// When <see cref="Trainer.Fit"/> stops: after <see cref="MaxEpochs"/> at the latest, earlier when a tolerance that
/// is set is met. A tolerance left <c>null</c> is not checked.
/// </summary>
/// <param name="MaxEpochs">The most epochs to run; at least 1.</param>
/// <param name="LossTolerance">
/// Stop when the loss changes by at most this much from one epoch to the next, relative to max(1, |loss|) — the
/// rule of SciPy's <c>ftol</c>, so that it means the same for a loss of 1e6 and of 1e-3. Beware: a badly scaled
/// problem creeps along a plateau with tiny changes long before it converges; pair it with
/// <see cref="GradientNormTolerance"/> or look at the loss history.
/// </param>
/// <param name="GradientNormTolerance">Stop when the Euclidean norm of the gradient the epoch reports is at most this.</param>
/// <param name="TargetLoss">Stop as soon as the loss is at most this.</param>
public sealed record StoppingRule(int MaxEpochs, double? LossTolerance = null, double? GradientNormTolerance = null, double? TargetLoss = null)
{
    /// <summary>Checks that the numbers make sense.</summary>
    /// <exception cref="ArgumentException">MaxEpochs is below 1, or a tolerance is negative or NaN.</exception>
    public void Validate()
    {
        if (MaxEpochs < 1) throw new ArgumentException($"MaxEpochs must be at least 1, not {MaxEpochs}.", nameof(MaxEpochs));
        if (LossTolerance is { } lt && !(lt >= 0)) throw new ArgumentException($"LossTolerance must be a non-negative number, not {lt}.", nameof(LossTolerance));
        if (GradientNormTolerance is { } gt && !(gt >= 0)) throw new ArgumentException($"GradientNormTolerance must be a non-negative number, not {gt}.", nameof(GradientNormTolerance));
        if (TargetLoss is { } target && double.IsNaN(target)) throw new ArgumentException("TargetLoss must be a number.", nameof(TargetLoss));
    }
}

/// <summary>Why <see cref="Trainer.Fit"/> stopped.</summary>
public enum StopReason
{
    /// <summary>It ran <see cref="StoppingRule.MaxEpochs"/> epochs.</summary>
    MaxEpochs,

    /// <summary>The loss changed by at most <see cref="StoppingRule.LossTolerance"/> (relative) in one epoch.</summary>
    LossTolerance,

    /// <summary>The gradient's norm fell to <see cref="StoppingRule.GradientNormTolerance"/> or below.</summary>
    GradientNormTolerance,

    /// <summary>The loss reached <see cref="StoppingRule.TargetLoss"/>.</summary>
    TargetLoss,

    /// <summary>The loss became NaN or infinite: the learning rate is too large for the problem's scale.</summary>
    Diverged,
}

/// <summary>What one epoch of training reports to <see cref="Trainer.Fit"/>.</summary>
/// <param name="Loss">The loss at the parameters the epoch started from (what <c>MGradient</c> returned).</param>
/// <param name="GradientNorm">The Euclidean norm of that gradient (see <see cref="GradientNorm"/>), or NaN when not computed (the gradient-norm rule then never fires).</param>
public readonly record struct EpochResult(double Loss, double GradientNorm = double.NaN);

/// <summary>One epoch: compute the loss and gradient at the current parameters, step the optimizer, report.</summary>
/// <param name="epoch">The epoch's number, from 1.</param>
public delegate EpochResult TrainingEpoch(int epoch);
