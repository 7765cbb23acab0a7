using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Differentiator;
using Differentiator.Samples.Support;
using Differentiator.Training;
using AxisLimits = ScottPlot.AxisLimits;
using Alignment = ScottPlot.Alignment;

namespace TanhNetwork;

/// <summary>A network's parameters: hidden weights and biases, output weights and bias.</summary>
/// <param name="W1">Input-to-hidden weights.</param>
/// <param name="B1">Hidden biases.</param>
/// <param name="W2">Hidden-to-output weights.</param>
/// <param name="B2">Output bias.</param>
public sealed record Parameters(double[] W1, double[] B1, double[] W2, double B2)
{
    /// <summary>A deep copy (training updates the arrays in place).</summary>
    public Parameters Copy() => new((double[])W1.Clone(), (double[])B1.Clone(), (double[])W2.Clone(), B2);

    /// <summary>The network's output at <paramref name="x"/>.</summary>
    public double Predict(double x) => Network.Predict(x, W1, B1, W2, B2);
}

/// <summary>One optimizer's training run.</summary>
/// <param name="Name">The optimizer and its settings.</param>
/// <param name="Fit">The run.</param>
/// <param name="Final">The parameters it ended with.</param>
public sealed record OptimizerRun(string Name, FitResult Fit, Parameters Final);

/// <summary>What <see cref="TanhNetworkSample.Run"/> learned and wrote.</summary>
/// <param name="Runs">Gradient descent, momentum and Adam, from the same starting parameters.</param>
/// <param name="GradientCheck">The generated gradient checked against the tape and central differences at the start.</param>
/// <param name="Files">Every file written.</param>
public sealed record TanhNetworkResult(IReadOnlyList<OptimizerRun> Runs, ThreeWayCheck GradientCheck, IReadOnlyList<string> Files);

/// <summary>
/// A one-hidden-layer tanh network (8 hidden units, 25 parameters) learns y = sin(x) on [−3, 3] from 40 points,
/// trained three ways from the same start — gradient descent, momentum, Adam — to compare optimizers, with the
/// gradient the generator derived from <see cref="Network.Mse"/>.
/// </summary>
public static class TanhNetworkSample
{
    /// <summary>Hidden units.</summary>
    public const int Hidden = 8;

    /// <summary>Epochs per optimizer.</summary>
    public const int Epochs = 4000;

    /// <summary>The epochs of the Adam run whose curve is drawn.</summary>
    public static readonly int[] ShownEpochs = { 1, 100, 500, 1000, Epochs };

    /// <summary>Runs the sample, writing its pictures into <paramref name="outputFolder"/>.</summary>
    public static TanhNetworkResult Run(string outputFolder, TextWriter log)
    {
        var run = new SampleRun(outputFolder, log);
        log.WriteLine($"Differentiator — a one-hidden-layer tanh network ({Hidden} units) learns sin(x) on [−3, 3]");
        log.WriteLine($"Pictures go to {run.OutputFolder}");
        log.WriteLine();
        double[] xs = Charts.Grid(-3, 3, 40);
        double[] ys = xs.Select(Math.Sin).ToArray();
        var start = Initial(seed: 1);

        var check = CheckGradient(xs, ys, start);
        log.WriteLine("Three-way gradient check at the starting parameters:");
        log.WriteLine(check.ToString().TrimEnd());
        log.WriteLine();

        var frames = new List<(int Epoch, Parameters P, double Loss)>();
        var snapshots = new Dictionary<int, Parameters>();
        var runs = new List<OptimizerRun>
        {
            Train("gradient descent, rate 0.05", xs, ys, start, blocks => new Sgd(0.05, blocks), run, null),
            Train("momentum 0.9, rate 0.01", xs, ys, start, blocks => new Sgd(0.01, blocks, momentum: 0.9), run, null),
            Train("Adam, rate 0.005", xs, ys, start, blocks => new Adam(0.005, blocks), run, (epoch, p, loss) =>
            {
                if (ShownEpochs.Contains(epoch)) snapshots[epoch] = p.Copy();
                if (IsFrame(epoch)) frames.Add((epoch, p.Copy(), loss));
            }),
        };
        foreach (var r in runs) log.WriteLine($"    {r.Name,-28} final loss {r.Fit.FinalLoss:E3}");
        log.WriteLine();

        run.Wrote(Charts.LossCurves(run.OutputFolder, "optimizers", "Three optimizers, same network, same start",
            runs.Select(r => new LossSeries(r.Name, r.Fit.LossHistory)).ToList(), logScale: true));
        var limits = new AxisLimits(-3.2, 3.2, -1.6, 1.6);
        var curves = ShownEpochs.Select(e => new Curve($"after epoch {e}", snapshots[e].Predict)).ToList();
        run.Wrote(Charts.DataWithCurves(run.OutputFolder, "fit_epochs", "Adam: the network's curve as it learns sin(x)", "x", "y",
            xs, ys, curves, limits, Alignment.LowerRight));
        var plots = frames.Select(f => Charts.DataWithCurvesPlot($"Adam, epoch {f.Epoch}: loss {f.Loss:G3}", "x", "y", xs, ys,
            new[] { new Curve("network", f.P.Predict) }, limits, Alignment.LowerRight)).ToList();
        run.Wrote(Animation.WriteGif(Path.Combine(run.OutputFolder, "fit_animation.gif"), plots, delayCentiseconds: 20, holdLastFrame: 8));
        log.WriteLine("The symbolic derivative the generator built for Network.Mse (MseGradientDot), as a graph:");
        run.Wrote(Graphviz.Write(run.OutputFolder, "derivative_graph", Network.MseGradientDot, log));
        log.WriteLine();
        log.WriteLine($"Done: {run.Files.Count} files in {run.OutputFolder}");
        return new TanhNetworkResult(runs, check, run.Files);
    }

    /// <summary>
    /// The epochs shown in the animation: dense early, when the curve changes most, sparse later — 25 frames, few
    /// enough to assemble in a few seconds.
    /// </summary>
    public static bool IsFrame(int epoch) => epoch == 1 || (epoch <= 200 && epoch % 20 == 0) || (epoch <= 1000 && epoch % 100 == 0) || epoch % 500 == 0;

    /// <summary>Small random weights (uniform in ±1 for the hidden layer, ±0.5 for the output), from a fixed seed.</summary>
    public static Parameters Initial(int seed)
    {
        var random = new Random(seed);
        double Uniform(double scale) => scale * (2 * random.NextDouble() - 1);
        var w1 = Enumerable.Range(0, Hidden).Select(_ => Uniform(1)).ToArray();
        var b1 = Enumerable.Range(0, Hidden).Select(_ => Uniform(1)).ToArray();
        var w2 = Enumerable.Range(0, Hidden).Select(_ => Uniform(0.5)).ToArray();
        return new Parameters(w1, b1, w2, 0);
    }

    private static OptimizerRun Train(string name, double[] xs, double[] ys, Parameters start, Func<int[], Optimizer> create, SampleRun run,
        Action<int, Parameters, double>? afterEpoch)
    {
        var p = start.Copy();
        double b2 = p.B2;
        var dw1 = new double[Hidden];
        var db1 = new double[Hidden];
        var dw2 = new double[Hidden];
        var optimizer = create(new[] { Hidden, Hidden, Hidden, 1 });
        var result = Trainer.Fit(epoch =>
        {
            double loss = Network.MseGradient(xs, ys, p.W1, p.B1, p.W2, b2, dw1, db1, dw2, out double db2);
            afterEpoch?.Invoke(epoch, p with { B2 = b2 }, loss);
            optimizer.Step(0, p.W1, dw1);
            optimizer.Step(1, p.B1, db1);
            optimizer.Step(2, p.W2, dw2);
            optimizer.Step(3, ref b2, db2);
            return new EpochResult(loss, GradientNorm.Of(dw1, db1, dw2, db2));
        }, new StoppingRule(Epochs), run.Progress(name, every: 1000));
        return new OptimizerRun(name, result, p with { B2 = b2 });
    }

    // The shape shared by MseGradient, MseTapeGradient and MseNumericalGradient, so one helper can call each.
    private delegate double GradientMethod(double[] x, double[] y, double[] w1, double[] b1, double[] w2, double b2,
        Span<double> dw1, Span<double> db1, Span<double> dw2, out double db2);

    private static ThreeWayCheck CheckGradient(double[] xs, double[] ys, Parameters p)
    {
        Gradient Compute(GradientMethod method)
        {
            double[] dw1 = new double[Hidden], db1 = new double[Hidden], dw2 = new double[Hidden];
            method(xs, ys, p.W1, p.B1, p.W2, p.B2, dw1, db1, dw2, out double db2);
            return new Gradient { { "w1", dw1 }, { "b1", db1 }, { "w2", dw2 }, { "b2", db2 } };
        }
        return GradientCheck.CompareThreeWays(Compute(Network.MseGradient), Compute(Network.MseTapeGradient), Compute(Network.MseNumericalGradient));
    }
}
