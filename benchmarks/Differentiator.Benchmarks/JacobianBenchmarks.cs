using System;
using BenchmarkDotNet.Attributes;

namespace Differentiator.Benchmarks;

/// <summary>A dense vector-valued map for the Jacobian benchmarks: every output depends on every input.</summary>
public static partial class VectorObjectives
{
    /// <summary>r[i] = s·(1 + 0.1·s), s = Σⱼ A[i·n + j]·sin(x[j]): m outputs (r.Length), n inputs (x.Length), A data.</summary>
    [Differentiable(nameof(x))]
    public static void DenseMap(double[] A, double[] x, Span<double> r)
    {
        int n = x.Length;
        for (int i = 0; i < r.Length; i++)
        {
            double s = 0;
            for (int j = 0; j < n; j++) s += A[i * n + j] * Math.Sin(x[j]);
            r[i] = s * (1 + 0.1 * s);
        }
    }
}

/// <summary>
/// MJacobian of a dense m×n map against the map itself (issue 20's target: at most min(m, n) × 3 × the function) and
/// against one MVjp. MJacobian goes by rows (one MVjp per output), so it costs about m × MVjp whatever n is: within the
/// target for m ≤ n, not for m &gt; n, where columns by forward mode are the answer (docs/jacobians-and-hessians.md).
/// </summary>
[MemoryDiagnoser]
public class JacobianBenchmarks
{
    private double[] _A = null!;
    private double[] _x = null!;
    private double[] _r = null!;
    private double[] _weights = null!;
    private double[] _dx = null!;
    private double[,] _jacobian = null!;

    /// <summary>m×n: outputs × inputs.</summary>
    [Params("10x10", "10x100", "100x10", "100x100")]
    public string Shape { get; set; } = "10x10";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Shape.Split('x');
        int m = int.Parse(parts[0]), n = int.Parse(parts[1]);
        var random = new Random(1);
        _A = new double[m * n];
        for (int k = 0; k < _A.Length; k++) _A[k] = random.NextDouble() - 0.5;
        _x = new double[n];
        for (int j = 0; j < n; j++) _x[j] = random.NextDouble();
        _r = new double[m];
        _weights = new double[m];
        for (int i = 0; i < m; i++) _weights[i] = random.NextDouble();
        _dx = new double[n];
        _jacobian = new double[m, n];
    }

    [Benchmark(Baseline = true, Description = "function only")]
    public double Primal()
    {
        VectorObjectives.DenseMap(_A, _x, _r);
        return _r[0];
    }

    [Benchmark(Description = "DenseMapVjp (generated)")]
    public double Vjp()
    {
        VectorObjectives.DenseMapVjp(_A, _x, _r, _weights, _dx);
        return _dx[0];
    }

    [Benchmark(Description = "DenseMapJacobian (generated, rows)")]
    public double Jacobian()
    {
        VectorObjectives.DenseMapJacobian(_A, _x, _r, _jacobian);
        return _jacobian[0, 0];
    }

    [Benchmark(Description = "DenseMapTapeJacobian (tape)")]
    public double TapeJacobian()
    {
        VectorObjectives.DenseMapTapeJacobian(_A, _x, _r, _jacobian);
        return _jacobian[0, 0];
    }
}
