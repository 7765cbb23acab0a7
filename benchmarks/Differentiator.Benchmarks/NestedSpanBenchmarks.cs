using System;
using BenchmarkDotNet.Attributes;

namespace Differentiator.Benchmarks;

/// <summary>
/// Nested calls of a callee that differentiates a span (docs/nested.md): gradient descent on an n-dimensional
/// Rosenbrock valley inside the objective, <c>RosenValleyGradient(x, b, g, out _)</c> into a local array g each step.
/// MGradient saves g as a block per step and calls RosenValleyHessianVectorProduct once per step along g's adjoint;
/// MPushforward calls it once per step along x's tangent; MTapeGradient records one node per element of g, each three
/// tape gradients (n² work per step: a check, not a contender). Compare at n = 4 and n = 32.
/// </summary>
[MemoryDiagnoser]
public class NestedSpanBenchmarks
{
    [Params(4, 32)]
    public int N;

    private double[] _start = Array.Empty<double>();
    private const double B = 2.0, Eta = 0.02;

    [GlobalSetup]
    public void Setup()
    {
        _start = new double[N];
        for (int i = 0; i < N; i++) _start[i] = 0.2 + 0.5 * Math.Sin(i);
    }

    [Benchmark(Baseline = true, Description = "span descent: function")]
    public double Function() => Objectives.SpanDescent(B, Eta, _start);

    [Benchmark(Description = "span descent: MGradient")]
    public double Gradient() => Objectives.SpanDescentGradient(B, Eta, _start, out double db, out double deta) + db + deta;

    [Benchmark(Description = "span descent: MPushforward")]
    public double Pushforward() => Objectives.SpanDescentPushforward(B, Eta, _start, 1, 0.5, out double t) + t;

    [Benchmark(Description = "span descent: MTapeGradient")]
    public double Tape() => Objectives.SpanDescentTapeGradient(B, Eta, _start, out double db, out double deta) + db + deta;
}

public static partial class Objectives
{
    /// <summary>Σ b·(x[i+1] − x[i]²)² + (1 − x[i])²: Rosenbrock's valley in n dimensions, differentiated in x and b.</summary>
    [Differentiable]
    public static double RosenValley(ReadOnlySpan<double> x, double b)
    {
        double s = 0;
        for (int i = 0; i + 1 < x.Length; i++)
        {
            double t = x[i + 1] - x[i] * x[i];
            double u = 1 - x[i];
            s += b * t * t + u * u;
        }
        return s;
    }

    /// <summary>Ten descent steps on RosenValley from the data, then the distance left to the minimum; differentiated in b and eta.</summary>
    [Differentiable(nameof(b), nameof(eta))]
    public static double SpanDescent(double b, double eta, double[] start)
    {
        int n = start.Length;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = start[i];
        double[] g = new double[n];
        for (int k = 0; k < 10; k++)
        {
            RosenValleyGradient(x, b, g, out _);
            for (int i = 0; i < n; i++) x[i] -= eta * g[i];
        }
        double s = 0;
        for (int i = 0; i < n; i++) s += (x[i] - 1) * (x[i] - 1);
        return s;
    }
}
