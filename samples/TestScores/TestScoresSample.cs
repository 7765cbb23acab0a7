using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Differentiator.Samples.Support;
using Differentiator.Training;
using ScottPlot;

namespace TestScores;

/// <summary>A fitted linear model and its training run.</summary>
/// <param name="W">The weights, one per feature.</param>
/// <param name="B">The bias.</param>
/// <param name="Fit">The training run.</param>
public sealed record LinearFit(double[] W, double B, FitResult Fit);

/// <summary>What <see cref="TestScoresSample.Run"/> learned and wrote.</summary>
/// <param name="OneFeature">Score from hours studied.</param>
/// <param name="TwoFeatures">Score from hours studied and hours slept.</param>
/// <param name="Files">Every file written.</param>
public sealed record TestScoresResult(LinearFit OneFeature, LinearFit TwoFeatures, IReadOnlyList<string> Files);

/// <summary>
/// Five students' test scores from the hours they studied (one feature), then from hours studied and slept (two),
/// each by 2000 epochs of gradient descent at learning rate 0.01 from zero, with the gradient the generator derived.
/// </summary>
public static class TestScoresSample
{
    /// <summary>The epochs of the one-feature fit whose line is drawn.</summary>
    public static readonly int[] ShownEpochs = { 1, 10, 100, 500, 2000 };

    /// <summary>Runs the sample, writing its pictures into <paramref name="outputFolder"/>.</summary>
    public static TestScoresResult Run(string outputFolder, TextWriter log)
    {
        var run = new SampleRun(outputFolder, log);
        log.WriteLine("Differentiator — test scores by linear regression");
        log.WriteLine($"Pictures go to {run.OutputFolder}");
        log.WriteLine();

        double[] hours = Datasets.Hours, scores = Datasets.Scores, slept = Datasets.Slept;
        log.WriteLine("(a) score ≈ w·hours + b: gradient descent, learning rate 0.01, 2000 epochs from w = 0, b = 0");
        var snapshots = new Dictionary<int, (double W, double B)>();
        var one = Fit(Datasets.Columns(hours), scores, run, "one feature", (epoch, w, b) =>
        {
            if (ShownEpochs.Contains(epoch)) snapshots[epoch] = (w[0], b);
        });
        log.WriteLine($"    score ≈ {one.W[0]:F4}·hours + {one.B:F4}   (least squares: 3·hours + 69.4; 2000 epochs get close)");
        foreach (double h in new[] { 5.0, 7.0, 9.0 })
            log.WriteLine($"    predicted score for {h} hours: {one.W[0] * h + one.B:F2}");
        var curves = ShownEpochs.Select(e => new Curve($"after epoch {e}: {snapshots[e].W:F2}·hours + {snapshots[e].B:F2}",
            x => snapshots[e].W * x + snapshots[e].B)).ToList();
        run.Wrote(Charts.DataWithCurves(run.OutputFolder, "one_feature_fit", "Test score from hours studied: the line as it learns",
            "hours studied", "test score", hours, scores, curves, new AxisLimits(0, 12, 0, 110), Alignment.LowerRight));
        log.WriteLine();

        log.WriteLine("(b) score ≈ w₁·hours + w₂·sleep + b: the same, with two features");
        var two = Fit(Datasets.Columns(hours, slept), scores, run, "two features", null);
        log.WriteLine($"    score ≈ {two.W[0]:F4}·hours + {two.W[1]:F4}·sleep + {two.B:F4}");
        double[] predicted = Datasets.PredictLinear(Datasets.Columns(hours, slept), two.W, two.B);
        run.Wrote(Charts.PredictedVsActual(run.OutputFolder, "two_features_predicted_vs_actual",
            "Two features (hours studied, hours slept): predicted vs actual", scores, predicted, "score"));
        run.Wrote(Charts.LossCurves(run.OutputFolder, "loss_curves", "Training loss, learning rate 0.01",
            new[] { new LossSeries("hours studied", one.Fit.LossHistory), new LossSeries("hours studied and slept", two.Fit.LossHistory) }, logScale: true));
        log.WriteLine();
        log.WriteLine($"Done: {run.Files.Count} files in {run.OutputFolder}");
        return new TestScoresResult(one, two, run.Files);
    }

    private static LinearFit Fit(double[,] X, double[] y, SampleRun run, string label, Action<int, double[], double>? afterEpoch)
    {
        var w = new double[X.GetLength(1)];
        double b = 0;
        var dw = new double[w.Length];
        var sgd = new Sgd(learningRate: 0.01, blockSizes: new[] { w.Length, 1 });
        var result = Trainer.Fit(epoch =>
        {
            double loss = Losses.MseGradient(X, y, w, b, dw, out double db);
            sgd.Step(0, w, dw);
            sgd.Step(1, ref b, db);
            afterEpoch?.Invoke(epoch, w, b);
            return new EpochResult(loss, GradientNorm.Of(dw, db));
        }, new StoppingRule(MaxEpochs: 2000), run.Progress(label, every: 500));
        return new LinearFit(w, b, result);
    }
}
