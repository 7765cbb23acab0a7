using System;

namespace Differentiator.Training;

/// <summary>Where <see cref="Trainer.Fit"/> is: passed to <see cref="FitProgress.Report"/> after every epoch.</summary>
/// <param name="Epoch">The epoch just run, from 1.</param>
/// <param name="MaxEpochs">The most epochs the fit will run.</param>
/// <param name="Loss">That epoch's loss.</param>
/// <param name="GradientNorm">That epoch's gradient norm (NaN when not reported).</param>
/// <param name="Elapsed">Time since the fit started.</param>
public readonly record struct FitStatus(int Epoch, int MaxEpochs, double Loss, double GradientNorm, TimeSpan Elapsed)
{
    /// <summary>Epochs per second so far (0 before any time has passed).</summary>
    public double EpochsPerSecond => Elapsed > TimeSpan.Zero ? Epoch / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Receives <see cref="Trainer.Fit"/>'s progress. Called on the training thread after every epoch, so an
/// implementation decides how often to actually show something and should return quickly.
/// </summary>
public abstract class FitProgress
{
    /// <summary>After each epoch.</summary>
    public abstract void Report(in FitStatus status);

    /// <summary>Once, when the fit has stopped.</summary>
    public virtual void Completed(FitResult result)
    {
    }
}
