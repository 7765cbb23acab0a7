using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Differentiator;
using Differentiator.Samples.Support;
using Differentiator.Training;
using Alignment = ScottPlot.Alignment; // not the whole namespace: ScottPlot.Gradient would clash with Differentiator.Gradient

namespace LinearRegression;

/// <summary>A fitted linear model and its training run.</summary>
/// <param name="W">The weights, one per feature.</param>
/// <param name="B">The bias.</param>
/// <param name="Fit">The training run.</param>
public sealed record LinearModel(double[] W, double B, FitResult Fit);

/// <summary>What <see cref="LinearRegressionSample.Run"/> learned and wrote.</summary>
/// <param name="GradientCheck">Generated vs tape vs central differences on random data.</param>
/// <param name="OneFeature">(a) score from hours studied.</param>
/// <param name="TwoFeatures">(b) score from hours studied and slept.</param>
/// <param name="Synthetic">(c) 5000 samples, 5 features.</param>
/// <param name="Files">Every file written.</param>
public sealed record LinearRegressionResult(ThreeWayCheck GradientCheck, LinearModel OneFeature, LinearModel TwoFeatures, LinearModel Synthetic, IReadOnlyList<string> Files);

/// <summary>Three linear regressions by gradient descent with the generated gradient, checked three ways first.</summary>
public static class LinearRegressionSample
{
    /// <summary>Runs the sample, writing its pictures into <paramref name="outputFolder"/>.</summary>
    public static LinearRegressionResult Run(string outputFolder, TextWriter log)
    {
        var run = new SampleRun(outputFolder, log);
        log.WriteLine("Differentiator — linear regression by gradient descent");
        log.WriteLine($"Pictures go to {run.OutputFolder}");
        log.WriteLine();
        var check = CheckGradients(log);

        double[] hours = Datasets.Hours, scores = Datasets.Scores, slept = Datasets.Slept;
        log.WriteLine("(a) Test score from hours studied: learning rate 0.01, 2000 epochs");
        var a = Fit(Datasets.Columns(hours), scores, initialWeight: 0, initialBias: 0, learningRate: 0.01, epochs: 2000, run.Progress("(a)", every: 500));
        log.WriteLine($"    score ≈ {a.W[0]:F4}·hours + {a.B:F4}");
        foreach (double h in new[] { 5.0, 7.0, 9.0 })
            log.WriteLine($"    predicted score for {h} hours: {a.W[0] * h + a.B:F2}");
        run.Wrote(Charts.DataWithCurves(run.OutputFolder, "a_fit", "(a) Test score from hours studied", "hours studied", "test score",
            hours, scores, new[] { new Curve($"{a.W[0]:F3}·hours + {a.B:F2}", x => a.W[0] * x + a.B) }, null, Alignment.LowerRight));
        log.WriteLine();

        log.WriteLine("(b) Test score from hours studied and hours slept: learning rate 0.01, 2000 epochs");
        var b = Fit(Datasets.Columns(hours, slept), scores, initialWeight: 0, initialBias: 0, learningRate: 0.01, epochs: 2000, run.Progress("(b)", every: 500));
        log.WriteLine($"    score ≈ {b.W[0]:F4}·hours + {b.W[1]:F4}·sleep + {b.B:F4}");
        run.Wrote(Charts.LossCurves(run.OutputFolder, "ab_loss", "(a) and (b): training loss, learning rate 0.01",
            new[] { new LossSeries("(a) hours studied", a.Fit.LossHistory), new LossSeries("(b) hours studied and slept", b.Fit.LossHistory) }, logScale: true));
        log.WriteLine();

        log.WriteLine("(c) 5000 samples, 5 integer features in [10, 100), true w = (2, 8, 1, 3, 6), b = 4: learning rate 1e-5, 500 epochs");
        var (X, y) = Datasets.Synthetic(5000, new[] { 2.0, 8, 1, 3, 6 }, 4, seed: 42);
        var c = Fit(X, y, initialWeight: 1, initialBias: 1, learningRate: 1e-5, epochs: 500, run.Progress("(c)", every: 100));
        log.WriteLine($"    w = ({string.Join(", ", c.W.Select(v => v.ToString("F4")))}), b = {c.B:F4}");
        log.WriteLine("    (b moves slowly at this learning rate: the features are large, the bias column is 1; samples/Standardization fixes that)");
        run.Wrote(Charts.PredictedVsActual(run.OutputFolder, "c_predicted_vs_actual", "(c) Predicted vs actual, first 500 samples",
            y.Take(500).ToArray(), Datasets.PredictLinear(X, c.W, c.B).Take(500).ToArray(), "y"));
        log.WriteLine();
        log.WriteLine($"Done: {run.Files.Count} files in {run.OutputFolder}");
        return new LinearRegressionResult(check, a, b, c, run.Files);
    }

    private static LinearModel Fit(double[,] X, double[] y, double initialWeight, double initialBias, double learningRate, int epochs, FitProgress progress)
    {
        var w = new double[X.GetLength(1)];
        Array.Fill(w, initialWeight);
        double b = initialBias;
        var dw = new double[w.Length];
        var sgd = new Sgd(learningRate, new[] { w.Length, 1 });
        var result = Trainer.Fit(epoch =>
        {
            double loss = Losses.MseGradient(X, y, w, b, dw, out double db);
            sgd.Step(0, w, dw);
            sgd.Step(1, ref b, db);
            return new EpochResult(loss, GradientNorm.Of(dw, db));
        }, new StoppingRule(epochs), progress);
        return new LinearModel(w, b, result);
    }

    private static ThreeWayCheck CheckGradients(TextWriter log)
    {
        log.WriteLine("Three-way gradient check of Mse on random data (generated vs tape vs central differences):");
        var (X, y) = Datasets.Synthetic(20, new[] { 0.5, -1.5, 2.0 }, 0.25, seed: 7);
        var random = new Random(3);
        var w = new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() };
        double b = random.NextDouble();
        var dw = new double[3];
        var dwTape = new double[3];
        var dwNumerical = new double[3];
        Losses.MseGradient(X, y, w, b, dw, out double db);
        Losses.MseTapeGradient(X, y, w, b, dwTape, out double dbTape);
        Losses.MseNumericalGradient(X, y, w, b, dwNumerical, out double dbNumerical);
        var check = GradientCheck.CompareThreeWays(
            new Gradient { { "w", dw }, { "b", db } },
            new Gradient { { "w", dwTape }, { "b", dbTape } },
            new Gradient { { "w", dwNumerical }, { "b", dbNumerical } });
        log.WriteLine(check);
        log.WriteLine();
        return check;
    }
}
