using System;
using BenchmarkDotNet.Attributes;
using Differentiator.Training;

namespace Differentiator.Benchmarks;

public static partial class Objectives
{
    /// <summary>The MSE of rows [start, start + count): <see cref="Mse"/> on a row range, the shape <see cref="ParallelGradient"/> splits.</summary>
    [Differentiable(nameof(w), nameof(b))]
    public static double MseRows(double[,] X, double[] y, double[] w, double b, int start, int count)
    {
        double sum = 0;
        for (int i = start; i < start + count; i++)
        {
            double pred = b;
            for (int j = 0; j < w.Length; j++) pred += X[i, j] * w[j];
            double r = pred - y[i];
            sum += r * r;
        }
        return sum / count;
    }
}

/// <summary>
/// The 1,000,000 × 5 MSE gradient on 1 and 2 threads through <see cref="ParallelGradient"/> (issue 24's target: 2
/// threads ≥ 1.7× faster than 1), beside the generated gradient called directly on all rows. The three cases are
/// methods of one class (not a parameter) so that their ratios come out of one run and the interleaved mode can
/// alternate them: <c>-- interleaved ParallelMseBenchmarks 1000000x5 30 Direct,OneThread,TwoThreads</c>.
/// </summary>
[MemoryDiagnoser]
public class ParallelMseBenchmarks
{
    private const int Rows = 1_000_000, Features = 5;
    private double[,] _X = null!;
    private double[] _y = null!, _w = null!, _dw = null!, _gradient = null!;
    private double _b;
    private ParallelGradient _oneThread = null!, _twoThreads = null!;
    private ShardGradient _shard = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _X = new double[Rows, Features];
        _y = new double[Rows];
        _w = new double[Features];
        _dw = new double[Features];
        _gradient = new double[Features + 1];
        for (int j = 0; j < Features; j++) _w[j] = random.NextDouble();
        for (int i = 0; i < Rows; i++)
        {
            for (int j = 0; j < Features; j++) _X[i, j] = random.NextDouble();
            _y[i] = random.NextDouble();
        }
        _b = 0.5;
        _oneThread = new ParallelGradient(Features + 1, shards: 1);
        _twoThreads = new ParallelGradient(Features + 1, shards: 2);
        // Made once: a lambda that captures allocates its delegate where it is written.
        _shard = (start, count, g) => Objectives.MseRowsGradient(_X, _y, _w, _b, start, count, g[..Features], out g[Features]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _oneThread.Dispose();
        _twoThreads.Dispose();
    }

    [Benchmark(Description = "MseGradient, all rows, calling thread")]
    public double Direct() => Objectives.MseGradient(_X, _y, _w, _b, _dw, out _);

    [Benchmark(Baseline = true, Description = "ParallelGradient, 1 thread")]
    public double OneThread() => _oneThread.Compute(Rows, Reduction.Mean, _shard, _gradient);

    [Benchmark(Description = "ParallelGradient, 2 threads")]
    public double TwoThreads() => _twoThreads.Compute(Rows, Reduction.Mean, _shard, _gradient);
}
