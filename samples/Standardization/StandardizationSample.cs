using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Differentiator.Samples.Support;
using Differentiator.Training;

namespace Standardization;

/// <summary>What <see cref="StandardizationSample.Run"/> learned and wrote.</summary>
/// <param name="Plain">Gradient descent on the raw features.</param>
/// <param name="Standardized">Gradient descent on z-scored features.</param>
/// <param name="PlainEpochsToTarget">The first epoch at which the raw-feature loss reached <see cref="StandardizationSample.TargetLoss"/>, or null.</param>
/// <param name="StandardizedEpochsToTarget">The same for the standardized features.</param>
/// <param name="PlainW">The raw-feature model's weights after training.</param>
/// <param name="PlainB">Its bias.</param>
/// <param name="W">The standardized model's weights, mapped back to the features' original units.</param>
/// <param name="B">Its bias, in original units.</param>
/// <param name="Files">Every file written.</param>
public sealed record StandardizationResult(FitResult Plain, FitResult Standardized, int? PlainEpochsToTarget, int? StandardizedEpochsToTarget,
    double[] PlainW, double PlainB, double[] W, double B, IReadOnlyList<string> Files);

/// <summary>
/// 5000 samples with 5 features in [10, 100), y = 2x₁ + 8x₂ + x₃ + 3x₄ + 6x₅ + 4 exactly. Gradient descent on the
/// raw features must use a tiny learning rate (the features are large, so a bigger one diverges) and then crawls,
/// the bias barely moving; on standardized features one learning rate suits every direction and it converges in
/// tens of epochs. The standardized model is mapped back to the original units to read the true weights.
/// </summary>
public static class StandardizationSample
{
    /// <summary>The true weights.</summary>
    public static readonly double[] TrueW = { 2, 8, 1, 3, 6 };

    /// <summary>The true bias.</summary>
    public const double TrueB = 4;

    /// <summary>The loss (mean squared error) counted as converged; the targets are about 1000, so this is an error of about 0.03.</summary>
    public const double TargetLoss = 1e-3;

    /// <summary>The most epochs either run gets.</summary>
    public const int MaxEpochs = 3000;

    /// <summary>Runs the sample, writing its pictures into <paramref name="outputFolder"/>.</summary>
    public static StandardizationResult Run(string outputFolder, TextWriter log)
    {
        var run = new SampleRun(outputFolder, log);
        log.WriteLine("Differentiator — plain vs standardized inputs: 5000 samples, 5 features in [10, 100)");
        log.WriteLine($"Pictures go to {run.OutputFolder}");
        log.WriteLine();
        var (X, y) = Datasets.Synthetic(5000, TrueW, TrueB, seed: 42);

        // Learning rates: for raw features the largest stable rate is about 2/λmax ≈ 6e-5 (λmax, the Hessian's largest
        // eigenvalue, is ≈ 2·Σⱼ E[xⱼ]² ≈ 3·10⁴); 2e-5 is a third of it. Standardized, λmax ≈ 2, so 0.1 is safe.
        log.WriteLine($"Raw features, gradient descent at learning rate 2e-5, at most {MaxEpochs} epochs, stop at loss {TargetLoss}:");
        var (plain, plainW, plainB) = Fit(X, y, 2e-5, run.Progress("raw", every: 500));
        log.WriteLine($"    w = ({Format(plainW)}), b = {plainB:F4}");
        log.WriteLine();

        log.WriteLine("Standardized features (z-scores), gradient descent at learning rate 0.1, same rule:");
        var standardizer = Standardizer.Fit(X);
        var (standardized, zW, zB) = Fit(standardizer.Transform(X), y, 0.1, run.Progress("standardized", every: 50));
        var w = new double[zW.Length];
        double b = standardizer.ToOriginalUnits(zW, zB, w);
        log.WriteLine($"    on z-scores:              w = ({Format(zW)}), b = {zB:F4}");
        log.WriteLine($"    mapped to original units: w = ({Format(w)}), b = {b:F4}   (true: w = ({Format(TrueW)}), b = {TrueB})");
        log.WriteLine();

        int? plainEpochs = plain.FirstEpochAtOrBelow(TargetLoss), standardizedEpochs = standardized.FirstEpochAtOrBelow(TargetLoss);
        log.WriteLine($"Epochs to reach loss {TargetLoss}: raw {(plainEpochs?.ToString() ?? $"not within {MaxEpochs}")}, standardized {standardizedEpochs}");
        run.Wrote(Charts.LossCurves(run.OutputFolder, "convergence", "Gradient descent on raw vs standardized features",
            new[]
            {
                new LossSeries("raw features, rate 2e-5", plain.LossHistory),
                new LossSeries("standardized features, rate 0.1", standardized.LossHistory),
            }, logScale: true, logEpochs: true));
        // 500 of the 5000 samples: all of them would be one blot.
        double[] actual = y.Take(500).ToArray();
        double[] predicted = Datasets.PredictLinear(X, w, b).Take(500).ToArray();
        run.Wrote(Charts.PredictedVsActual(run.OutputFolder, "predicted_vs_actual",
            "Standardized model, back in original units (500 samples)", actual, predicted, "y"));
        log.WriteLine();
        log.WriteLine($"Done: {run.Files.Count} files in {run.OutputFolder}");
        return new StandardizationResult(plain, standardized, plainEpochs, standardizedEpochs, plainW, plainB, w, b, run.Files);
    }

    private static (FitResult Fit, double[] W, double B) Fit(double[,] X, double[] y, double learningRate, FitProgress progress)
    {
        var w = new double[X.GetLength(1)];
        double b = 0;
        var dw = new double[w.Length];
        var sgd = new Sgd(learningRate, new[] { w.Length, 1 });
        var result = Trainer.Fit(epoch =>
        {
            double loss = Losses.MseGradient(X, y, w, b, dw, out double db);
            sgd.Step(0, w, dw);
            sgd.Step(1, ref b, db);
            return new EpochResult(loss, GradientNorm.Of(dw, db));
        }, new StoppingRule(MaxEpochs, TargetLoss: TargetLoss), progress);
        return (result, w, b);
    }

    private static string Format(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("F4")));
}
