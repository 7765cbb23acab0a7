using System;
using System.Collections.Generic;

namespace Differentiator.Training;

/// <summary>The outcome of <see cref="Trainer.Fit"/>.</summary>
public sealed class FitResult
{
    internal FitResult(double[] lossHistory, int epochs, StopReason reason, double lastGradientNorm, TimeSpan elapsed)
    {
        LossHistory = lossHistory;
        Epochs = epochs;
        StopReason = reason;
        LastGradientNorm = lastGradientNorm;
        Elapsed = elapsed;
    }

    /// <summary>The loss reported by each epoch: element k is epoch k + 1's loss, at the parameters before its step.</summary>
    public IReadOnlyList<double> LossHistory { get; }

    /// <summary>The number of epochs run.</summary>
    public int Epochs { get; }

    /// <summary>Why training stopped.</summary>
    public StopReason StopReason { get; }

    /// <summary>The last epoch's loss.</summary>
    public double FinalLoss => LossHistory[LossHistory.Count - 1];

    /// <summary>The last epoch's gradient norm (NaN when the epochs do not report one).</summary>
    public double LastGradientNorm { get; }

    /// <summary>The wall-clock time of the whole fit.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>The first epoch (from 1) whose loss was at most <paramref name="loss"/>, or null if none was.</summary>
    public int? FirstEpochAtOrBelow(double loss)
    {
        for (int k = 0; k < LossHistory.Count; k++)
            if (LossHistory[k] <= loss) return k + 1;
        return null;
    }

    /// <summary>One line: epochs, final loss, reason, time.</summary>
    public override string ToString() =>
        FormattableString.Invariant($"{Epochs} epochs, final loss {FinalLoss:G6}, stopped by {StopReason}, {Elapsed.TotalMilliseconds:F0} ms");
}
