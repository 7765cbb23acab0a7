using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Differentiator.Samples.Support;
using AxisLimits = ScottPlot.AxisLimits;
using Alignment = ScottPlot.Alignment;

namespace CurveFit;

/// <summary>What <see cref="CurveFitSample.Run"/> fitted and wrote.</summary>
/// <param name="True">The parameters the data were made with (a, b, c).</param>
/// <param name="Iterations">The fit, from the start (entry 0) to the end.</param>
/// <param name="JacobianAgreement">The largest relative difference between MJacobian and, in turn, MTapeJacobian and MNumericalJacobian, at the start.</param>
/// <param name="Files">Every file written.</param>
public sealed record CurveFitResult(double[] True, IReadOnlyList<Iteration> Iterations, (double Tape, double Numerical) JacobianAgreement, IReadOnlyList<string> Files)
{
    /// <summary>The fitted parameters.</summary>
    public double[] Fitted => Iterations[^1].Parameters;
}

/// <summary>
/// Fits y = a·exp(−b·t) + c to 40 noisy points by Levenberg–Marquardt, with the Jacobian of the residuals that the
/// generator derived from <see cref="DecayModel.Residuals"/> (a vector-valued method: docs/jacobians-and-hessians.md).
/// </summary>
public static class CurveFitSample
{
    /// <summary>The parameters the data come from.</summary>
    public static readonly double[] TrueParameters = { 2.5, 1.3, 0.5 };

    /// <summary>Where the fit starts: far from the truth, the decay rate off by a factor of 4.</summary>
    public static readonly double[] Start = { 1, 0.3, 0 };

    /// <summary>The noise's standard deviation.</summary>
    public const double Noise = 0.05;

    /// <summary>Runs the sample, writing its pictures into <paramref name="outputFolder"/>.</summary>
    public static CurveFitResult Run(string outputFolder, TextWriter log)
    {
        var run = new SampleRun(outputFolder, log);
        log.WriteLine("Differentiator — Levenberg–Marquardt fits y = a·exp(−b·t) + c with the generated Jacobian");
        log.WriteLine($"Pictures go to {run.OutputFolder}");
        log.WriteLine();
        var (t, y) = Data(seed: 7);

        var agreement = CheckJacobian(t, y, Start);
        log.WriteLine($"ResidualsJacobian at the start vs ResidualsTapeJacobian: largest relative difference {agreement.Tape:E2}; vs ResidualsNumericalJacobian: {agreement.Numerical:E2}");
        log.WriteLine();

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var iterations = LevenbergMarquardt.Fit(t, y, Start);
        watch.Stop();
        foreach (var (it, k) in iterations.Select((it, k) => (it, k)))
            log.WriteLine($"    iteration {k,2}: a = {it.Parameters[0],8:F4}, b = {it.Parameters[1],8:F4}, c = {it.Parameters[2],8:F4}, cost {it.Cost:E3}, λ {it.Damping:E1}");
        var fitted = iterations[^1].Parameters;
        log.WriteLine();
        log.WriteLine($"Fitted in {iterations.Count - 1} steps ({watch.Elapsed.TotalMilliseconds:F1} ms): a = {fitted[0]:F4}, b = {fitted[1]:F4}, c = {fitted[2]:F4}; the data came from a = {TrueParameters[0]}, b = {TrueParameters[1]}, c = {TrueParameters[2]} with noise σ = {Noise}");
        log.WriteLine();

        var shown = new[] { 0, 1, 2, 4 }.Where(k => k < iterations.Count - 1).Append(iterations.Count - 1).Distinct().ToList();
        var curves = shown.Select(k => new Curve(k == iterations.Count - 1 ? $"fit (step {k})" : k == 0 ? "start" : $"step {k}",
            x => DecayModel.Predict(iterations[k].Parameters, x))).ToList();
        run.Wrote(Charts.DataWithCurves(run.OutputFolder, "fit", "Levenberg–Marquardt: y = a·exp(−b·t) + c", "t", "y", t, y, curves,
            new AxisLimits(-0.1, 4.1, -0.2, 3.3), Alignment.UpperRight));
        run.Wrote(Charts.LossCurves(run.OutputFolder, "cost", "½·Σ residual² by step (step 1 = the start)",
            new[] { new LossSeries("cost", iterations.Select(i => i.Cost).ToList()) }, logScale: true));
        log.WriteLine();
        log.WriteLine($"Done: {run.Files.Count} files in {run.OutputFolder}");
        return new CurveFitResult(TrueParameters, iterations, agreement, run.Files);
    }

    /// <summary>40 points on [0, 4] of the true curve plus Gaussian noise (Box–Muller, fixed seed).</summary>
    public static (double[] T, double[] Y) Data(int seed)
    {
        var random = new Random(seed);
        double[] t = Charts.Grid(0, 4, 40);
        double[] y = t.Select(v => DecayModel.Predict(TrueParameters, v)
            + Noise * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())).ToArray();
        return (t, y);
    }

    /// <summary>The generated Jacobian against the tape's and central differences', as the largest relative differences.</summary>
    public static (double Tape, double Numerical) CheckJacobian(double[] t, double[] y, double[] p)
    {
        int m = t.Length;
        var r = new double[m];
        double[,] generated = new double[m, 3], tape = new double[m, 3], numerical = new double[m, 3];
        DecayModel.ResidualsJacobian(p, t, y, r, generated);
        DecayModel.ResidualsTapeJacobian(p, t, y, r, tape);
        DecayModel.ResidualsNumericalJacobian(p, t, y, r, numerical);
        double Worst(double[,] other) => Enumerable.Range(0, m).SelectMany(i => Enumerable.Range(0, 3).Select(j =>
            Math.Abs(generated[i, j] - other[i, j]) / Math.Max(1, Math.Max(Math.Abs(generated[i, j]), Math.Abs(other[i, j]))))).Max();
        return (Worst(tape), Worst(numerical));
    }
}
