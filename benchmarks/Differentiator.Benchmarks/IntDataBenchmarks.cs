using System;
using BenchmarkDotNet.Attributes;

// The softmax's running max is a deliberate kink (DIFF102); the logs' arguments are at least 1 (DIFF104 cannot tell).
#pragma warning disable DIFF102, DIFF104

namespace Differentiator.Benchmarks;

/// <summary>Objectives over int data and through a custom derivative (docs/supported-subset.md, docs/custom-derivatives.md).</summary>
public static partial class IntDataObjectives
{
    /// <summary>Softmax classifier: mean cross-entropy of W·x_i against int labels (W[labels[i], k] picks the true class's row).</summary>
    [Differentiable(nameof(W))]
    public static double Softmax(double[,] X, int[] labels, double[,] W)
    {
        int n = X.GetLength(0), d = X.GetLength(1), classes = W.GetLength(0);
        double[] scores = new double[classes];
        double loss = 0;
        for (int i = 0; i < n; i++)
        {
            double max = double.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                double s = 0;
                for (int k = 0; k < d; k++) s += W[c, k] * X[i, k];
                scores[c] = s;
                if (s > max) max = s;
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += Math.Exp(scores[c] - max);
            double picked = 0;
            for (int k = 0; k < d; k++) picked += W[labels[i], k] * X[i, k];
            loss += max + Math.Log(sum) - picked;
        }
        return loss / n;
    }

    /// <summary>A gather with repeated indices: Σ_j w_j · sin(x[idx[j]]).</summary>
    [Differentiable(nameof(x))]
    public static double Gather(double[] x, int[] idx, double[] w)
    {
        double sum = 0;
        for (int j = 0; j < idx.Length; j++) sum += w[j] * Math.Sin(x[idx[j]]);
        return sum;
    }

    /// <summary>Σ x_i², through its custom derivative.</summary>
    public static double SumOfSquares(double[] x)
    {
        double s = 0;
        foreach (var v in x) s += v * v;
        return s;
    }

    [DerivativeOf(nameof(SumOfSquares))]
    public static void SumOfSquaresVjp(double[] x, double resultBar, Span<double> dx)
    {
        for (int i = 0; i < x.Length; i++) dx[i] = 2 * resultBar * x[i];
    }

    /// <summary>log(1 + Σ x_i²) with the sum from a method with a custom derivative.</summary>
    [Differentiable]
    public static double LogNormCustom(double[] x) => Math.Log(1 + SumOfSquares(x));

    /// <summary>The same function with the sum inline, differentiated by the generator: the custom derivative's yardstick.</summary>
    [Differentiable]
    public static double LogNormInline(double[] x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * x[i];
        return Math.Log(1 + s);
    }
}

/// <summary>Gradients over int data and through a custom derivative: generated vs the function and the tape.</summary>
[MemoryDiagnoser]
public class IntDataBenchmarks
{
    private double[,] _X = null!;
    private int[] _labels = null!;
    private double[,] _W = null!;
    private double[,] _dW = null!;
    private double[] _x = null!;
    private int[] _idx = null!;
    private double[] _w = null!;
    private double[] _dx = null!;

    [Params(1000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        const int d = 10, classes = 5;
        _X = new double[N, d];
        _labels = new int[N];
        for (int i = 0; i < N; i++)
        {
            _labels[i] = random.Next(classes);
            for (int k = 0; k < d; k++) _X[i, k] = random.NextDouble() - 0.5;
        }
        _W = new double[classes, d];
        _dW = new double[classes, d];
        for (int c = 0; c < classes; c++) for (int k = 0; k < d; k++) _W[c, k] = random.NextDouble() - 0.5;
        _x = new double[N];
        _dx = new double[N];
        _idx = new int[4 * N];
        _w = new double[4 * N];
        for (int i = 0; i < N; i++) _x[i] = random.NextDouble();
        for (int j = 0; j < _idx.Length; j++) { _idx[j] = random.Next(N); _w[j] = random.NextDouble(); }
    }

    [Benchmark(Description = "Softmax: function only")]
    public double SoftmaxPrimal() => IntDataObjectives.Softmax(_X, _labels, _W);

    [Benchmark(Description = "Softmax: SoftmaxGradient (generated)")]
    public double SoftmaxGenerated() => IntDataObjectives.SoftmaxGradient(_X, _labels, _W, _dW);

    [Benchmark(Description = "Softmax: SoftmaxTapeGradient (tape)")]
    public double SoftmaxTape() => IntDataObjectives.SoftmaxTapeGradient(_X, _labels, _W, _dW);

    [Benchmark(Description = "Gather: function only")]
    public double GatherPrimal() => IntDataObjectives.Gather(_x, _idx, _w);

    [Benchmark(Description = "Gather: GatherGradient (generated)")]
    public double GatherGenerated() => IntDataObjectives.GatherGradient(_x, _idx, _w, _dx);

    [Benchmark(Description = "LogNorm: custom derivative (generated)")]
    public double CustomGenerated() => IntDataObjectives.LogNormCustomGradient(_x, _dx);

    [Benchmark(Description = "LogNorm: inline sum (generated)")]
    public double InlineGenerated() => IntDataObjectives.LogNormInlineGradient(_x, _dx);
}
