using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Differentiator;
using Differentiator.Samples.Support;
using Differentiator.Training;
using ScottPlot;

namespace OneVariable;

/// <summary>What <see cref="OneVariableSample.Run"/> learned and wrote.</summary>
/// <param name="W">The learned slope (the answer is 1).</param>
/// <param name="B">The learned intercept (the answer is 0).</param>
/// <param name="Fit">The training run.</param>
/// <param name="TangentPoints">The weights where the tangent was drawn.</param>
/// <param name="Slopes">The slope of the loss at each, by central differences.</param>
/// <param name="GeneratedSlopes">∂loss/∂w at each, from the generated <c>MseGradient</c>.</param>
/// <param name="Files">Every file written.</param>
public sealed record OneVariableResult(double W, double B, FitResult Fit, double[] TangentPoints, double[] Slopes, double[] GeneratedSlopes, IReadOnlyList<string> Files);

/// <summary>
/// The smallest regression there is: four points on the line y = x, a model ŷ = w·x + b that starts at w = 10.
/// First the picture of what a gradient is (the loss as a function of w, with its slope at several points), then
/// gradient descent walking down that slope to w = 1, b = 0.
/// </summary>
public static class OneVariableSample
{
    /// <summary>The inputs.</summary>
    public static readonly double[] X = { -2, -1, 1, 2 };

    /// <summary>The targets: y = x, so the best line is w = 1, b = 0 with loss 0.</summary>
    public static readonly double[] Y = { -2, -1, 1, 2 };

    /// <summary>Runs the sample, writing its pictures into <paramref name="outputFolder"/>.</summary>
    public static OneVariableResult Run(string outputFolder, TextWriter log)
    {
        var run = new SampleRun(outputFolder, log);
        log.WriteLine("Differentiator — one-variable regression: y = x from four points, starting at w = 10, b = 0");
        log.WriteLine($"Pictures go to {run.OutputFolder}");
        log.WriteLine();

        // 1. What a gradient is: the loss as a function of w (b held at 0) and its slope at a few points.
        log.WriteLine("1. The loss as a function of w, with tangents (slopes by central differences, h = 0.01):");
        double[] at = { 10, 6, 3, 1, -2 };
        var (tangentFiles, slopes) = Charts.LossWithTangents(run.OutputFolder, "loss_vs_w_tangents",
            "The loss as a function of w (b = 0), and its slope at five points", "w", w => Losses.Mse(X, Y, w, 0), -4, 12, at, step: 0.01);
        var generated = new double[at.Length];
        for (int k = 0; k < at.Length; k++)
        {
            double loss = Losses.MseGradient(X, Y, at[k], 0, out generated[k], out _);
            log.WriteLine($"    w = {at[k],3}: loss {loss,7:F2}, slope {slopes[k],9:F4} (central differences), ∂loss/∂w = {generated[k],9:F4} (MseGradient)");
        }
        log.WriteLine("    The slope is positive right of w = 1 and negative left of it: stepping against it always heads for the minimum.");
        run.Wrote(tangentFiles);
        log.WriteLine();

        // 2. One evaluation on the tape, drawn: the graph micrograd's draw_dot shows.
        log.WriteLine("2. One evaluation of Mse at w = 10, b = 0 on the runtime tape, as a graph:");
        var tape = new Tape(recordGraph: true);
        var wValue = tape.Variable(10, "w");
        var bValue = tape.Variable(0, "b");
        var lossValue = Losses.Mse__Tape(X, Y, wValue, bValue); // the generated tape version of Mse's body
        tape.Label(lossValue, "loss");
        tape.Backward(lossValue);
        log.WriteLine($"    loss {lossValue.Data}, ∂loss/∂w = {wValue.Grad}, ∂loss/∂b = {bValue.Grad}");
        run.Wrote(Graphviz.Write(run.OutputFolder, "tape_graph", tape.ToDot(lossValue, "mse_tape"), log));
        log.WriteLine();

        // 3. Training: gradient descent from w = 10.
        log.WriteLine("3. Gradient descent, learning rate 0.05, until the gradient's norm is below 1e-9:");
        double w = 10, b = 0;
        var sgd = new Sgd(learningRate: 0.05, blockSizes: new[] { 1, 1 });
        var snapshots = new List<(int Epoch, double W, double B, double Loss)>();
        var result = Trainer.Fit(epoch =>
        {
            double loss = Losses.MseGradient(X, Y, w, b, out double dw, out double db);
            snapshots.Add((epoch - 1, w, b, loss)); // the parameters this epoch started from: epoch 1 starts from the initial ones
            sgd.Step(0, ref w, dw);
            sgd.Step(1, ref b, db);
            return new EpochResult(loss, Math.Sqrt(dw * dw + db * db));
        }, new StoppingRule(MaxEpochs: 1000, GradientNormTolerance: 1e-9), run.Progress("sgd", every: 20));
        log.WriteLine($"    learned ŷ = {w:F6}·x + {b:F6} (the answer: w = 1, b = 0)");
        snapshots.Add((result.Epochs, w, b, Losses.Mse(X, Y, w, b)));

        run.Wrote(Charts.LossCurves(run.OutputFolder, "loss_curve", "Loss while training (gradient descent, rate 0.05)",
            new[] { new LossSeries("loss", result.LossHistory) }, logScale: true));
        int[] shown = { 0, 1, 3, 10, result.Epochs };
        var curves = shown.Select(e => snapshots[e]).Select(s => new Curve($"epoch {s.Epoch}: w = {s.W:F3}", x => s.W * x + s.B)).ToList();
        var limits = new AxisLimits(-2.5, 2.5, -22, 22);
        run.Wrote(Charts.DataWithCurves(run.OutputFolder, "fit_epochs", "The fitted line at several epochs", "x", "y", X, Y, curves, limits));
        var frames = snapshots.Where(s => s.Epoch <= 20).Select(s => Charts.DataWithCurvesPlot(
            $"epoch {s.Epoch}: ŷ = {s.W:F3}·x + {s.B:F3}, loss {s.Loss:F4}", "x", "y", X, Y,
            new[] { new Curve("fitted line", x => s.W * x + s.B) }, limits)).ToList();
        run.Wrote(Animation.WriteGif(Path.Combine(run.OutputFolder, "fit_animation.gif"), frames));

        // 4. The derivative the generator built, as a graph.
        log.WriteLine();
        log.WriteLine("4. The symbolic derivative the generator built for Mse (MseGradientDot), as a graph:");
        run.Wrote(Graphviz.Write(run.OutputFolder, "derivative_graph", Losses.MseGradientDot, log));
        log.WriteLine();
        log.WriteLine($"Done: {run.Files.Count} files in {run.OutputFolder}");
        return new OneVariableResult(w, b, result, at, slopes, generated, run.Files);
    }
}
