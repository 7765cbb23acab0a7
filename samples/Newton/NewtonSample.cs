using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Differentiator.Samples.Support;
using Differentiator.Training;

namespace Newton;

/// <summary>One optimizer's run: the loss before each step and after the last, the weights, the time.</summary>
/// <param name="Losses">The loss at the start and after each iteration.</param>
/// <param name="W">The weights found.</param>
/// <param name="B">The bias found.</param>
/// <param name="GradientNorm">The gradient's norm at the end.</param>
/// <param name="Time">The wall-clock time of the iterations.</param>
public sealed record OptimizerRun(IReadOnlyList<double> Losses, double[] W, double B, double GradientNorm, TimeSpan Time);

/// <summary>What <see cref="NewtonSample.Run"/> found and wrote.</summary>
/// <param name="Newton">Newton's method with the generated <c>LogisticLossHessian</c>.</param>
/// <param name="GradientDescent">Gradient descent with the generated <c>LogisticLossGradient</c>, for comparison.</param>
/// <param name="HessianCheck">The largest difference between <c>LogisticLossHessian</c> and <c>LogisticLossNumericalHessian</c> at the start.</param>
/// <param name="Files">Every file written.</param>
public sealed record NewtonResult(OptimizerRun Newton, OptimizerRun GradientDescent, double HessianCheck, IReadOnlyList<string> Files);

/// <summary>
/// Logistic regression on 2000 synthetic points with 4 features of unequal scales, fitted twice from zero: by Newton's
/// method, each step solving H·s = ∇ with the Hessian the generator derived (MHessian), and by gradient descent at the
/// largest learning rate that is stable here. Newton converges quadratically, to a gradient norm under 10⁻¹², in a
/// handful of steps; gradient descent, held back by the flattest direction, is still far off after hundreds.
/// </summary>
public static class NewtonSample
{
    public const int Rows = 2000;
    public const int Features = 4;
    public const int DescentIterations = 500;
    public const double LearningRate = 0.5;

    /// <summary>The features' scales: unequal, as raw features are, which makes the loss's curvature differ 900-fold between directions.</summary>
    public static readonly double[] Scales = { 1, 0.1, 3, 0.5 };

    /// <summary>Runs the sample, writing its pictures into <paramref name="outputFolder"/>.</summary>
    public static NewtonResult Run(string outputFolder, TextWriter log)
    {
        var run = new SampleRun(outputFolder, log);
        log.WriteLine("Differentiator — Newton's method with the generated Hessian, beside gradient descent");
        log.WriteLine($"Pictures go to {run.OutputFolder}");
        log.WriteLine();
        var (X, y) = Data(Rows, Features, seed: 7);

        // The check first: the closed-form Hessian against central differences of the gradient.
        double check = HessianCheck(X, y, new double[Features], 0);
        log.WriteLine($"LogisticLossHessian vs LogisticLossNumericalHessian at w = 0: largest difference {check:E2}");

        // Each method once before the timed runs, so the times compare steps, not the JIT compiling them.
        NewtonMethod(X, y, maxSteps: 1);
        GradientDescent(X, y, steps: 1);
        var newton = NewtonMethod(X, y);
        log.WriteLine($"Newton: {newton.Losses.Count - 1} steps, loss {newton.Losses[^1]:F12}, |∇| = {newton.GradientNorm:E2}, {newton.Time.TotalMilliseconds:F1} ms");
        var descent = GradientDescent(X, y, DescentIterations);
        log.WriteLine($"Gradient descent: {DescentIterations} steps at rate {LearningRate}, loss {descent.Losses[^1]:F12}, |∇| = {descent.GradientNorm:E2}, {descent.Time.TotalMilliseconds:F1} ms");
        log.WriteLine($"Weights (Newton): {string.Join(", ", newton.W.Select(v => v.ToString("F4")))}, b = {newton.B:F4}");

        // Loss above the optimum, on a log scale: Newton's quadratic convergence against descent's linear one.
        double best = Math.Min(newton.Losses.Min(), descent.Losses.Min());
        LossSeries Gap(string label, OptimizerRun r) => new(label, r.Losses.Select(l => Math.Max(l - best, 1e-17)).ToList());
        run.Wrote(Charts.LossCurves(run.OutputFolder, "newton_vs_descent", "Logistic regression: loss above the optimum by iteration",
            new[] { Gap($"Newton (MHessian), {newton.Time.TotalMilliseconds:F1} ms", newton), Gap($"gradient descent, {descent.Time.TotalMilliseconds:F1} ms", descent) },
            logScale: true, logEpochs: true));
        log.WriteLine();
        log.WriteLine($"Done: {run.Files.Count} files in {run.OutputFolder}");
        return new NewtonResult(newton, descent, check, run.Files);
    }

    /// <summary>Points from N(0, 1) per feature; labels drawn from a logistic model with known weights.</summary>
    public static (double[,] X, double[] y) Data(int rows, int features, int seed)
    {
        var random = new Random(seed);
        var truth = Enumerable.Range(0, features).Select(j => 1.5 - j).ToArray();
        var X = new double[rows, features];
        var y = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            double z = 0.3;
            for (int j = 0; j < features; j++)
            {
                // Box–Muller: a standard normal from two uniforms.
                double normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                X[i, j] = Scales[j % Scales.Length] * normal;
                z += normal * truth[j];
            }
            y[i] = random.NextDouble() < 1 / (1 + Math.Exp(-z)) ? 1 : 0;
        }
        return (X, y);
    }

    private static double HessianCheck(double[,] X, double[] y, double[] w, double b)
    {
        int d = w.Length;
        var closed = Blocks(d);
        var numerical = Blocks(d);
        Models.LogisticLossHessian(X, y, w, b, closed.ww, closed.wb, closed.bw, closed.bb);
        Models.LogisticLossNumericalHessian(X, y, w, b, numerical.ww, numerical.wb, numerical.bw, numerical.bb);
        return Assemble(closed).Cast<double>().Zip(Assemble(numerical).Cast<double>(), (p, q) => Math.Abs(p - q)).Max();
    }

    private static (double[,] ww, double[,] wb, double[,] bw, double[,] bb) Blocks(int d) =>
        (new double[d, d], new double[d, 1], new double[1, d], new double[1, 1]);

    /// <summary>The blocks H_w_w, H_w_b, H_b_w, H_b_b put together: one (d+1)×(d+1) matrix, w first.</summary>
    private static double[,] Assemble((double[,] ww, double[,] wb, double[,] bw, double[,] bb) h)
    {
        int d = h.ww.GetLength(0);
        var m = new double[d + 1, d + 1];
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++) m[i, j] = h.ww[i, j];
            m[i, d] = h.wb[i, 0];
            m[d, i] = h.bw[0, i];
        }
        m[d, d] = h.bb[0, 0];
        return m;
    }

    private static OptimizerRun NewtonMethod(double[,] X, double[] y, int maxSteps = 20)
    {
        int d = X.GetLength(1);
        var w = new double[d];
        double b = 0;
        var dw = new double[d];
        var blocks = Blocks(d);
        var losses = new List<double>();
        var clock = Stopwatch.StartNew();
        double norm = double.PositiveInfinity;
        for (int step = 0; step < maxSteps; step++)
        {
            losses.Add(Models.LogisticLossGradient(X, y, w, b, dw, out double db));
            norm = GradientNorm.Of(dw, db);
            if (norm < 1e-12) break;
            Models.LogisticLossHessian(X, y, w, b, blocks.ww, blocks.wb, blocks.bw, blocks.bb);
            var g = dw.Append(db).ToArray();
            var s = CholeskySolve(Assemble(blocks), g);
            for (int j = 0; j < d; j++) w[j] -= s[j];
            b -= s[d];
        }
        clock.Stop();
        return new OptimizerRun(losses, w, b, norm, clock.Elapsed);
    }

    private static OptimizerRun GradientDescent(double[,] X, double[] y, int steps)
    {
        int d = X.GetLength(1);
        var w = new double[d];
        double b = 0;
        var dw = new double[d];
        var losses = new List<double>();
        var clock = Stopwatch.StartNew();
        double db = 0;
        for (int step = 0; step < steps; step++)
        {
            losses.Add(Models.LogisticLossGradient(X, y, w, b, dw, out db));
            for (int j = 0; j < d; j++) w[j] -= LearningRate * dw[j];
            b -= LearningRate * db;
        }
        losses.Add(Models.LogisticLossGradient(X, y, w, b, dw, out db));
        clock.Stop();
        return new OptimizerRun(losses, w, b, GradientNorm.Of(dw, db), clock.Elapsed);
    }

    /// <summary>Solves A·x = g for a symmetric positive definite A (the Hessian of a convex loss with a ridge term).</summary>
    public static double[] CholeskySolve(double[,] A, double[] g)
    {
        int n = g.Length;
        var L = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = A[i, j];
                for (int k = 0; k < j; k++) sum -= L[i, k] * L[j, k];
                if (i == j)
                {
                    if (sum <= 0) throw new InvalidOperationException("The Hessian is not positive definite.");
                    L[i, i] = Math.Sqrt(sum);
                }
                else L[i, j] = sum / L[j, j];
            }
        }
        var z = new double[n];
        for (int i = 0; i < n; i++)
        {
            double sum = g[i];
            for (int k = 0; k < i; k++) sum -= L[i, k] * z[k];
            z[i] = sum / L[i, i];
        }
        var x = new double[n];
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = z[i];
            for (int k = i + 1; k < n; k++) sum -= L[k, i] * x[k];
            x[i] = sum / L[i, i];
        }
        return x;
    }
}
