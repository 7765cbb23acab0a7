using System;
using BenchmarkDotNet.Attributes;

namespace Differentiator.Benchmarks;

/// <summary>
/// Nested calls of a callee with a data array (docs/nested.md): ten steps of gradient descent on (x, y) inside the
/// objective, through <c>QuadGradient(A, x, y, l, …)</c> with a 2×2 matrix and a coefficient in <c>A</c>. MGradient
/// calls QuadHessianVectorProduct once per step in its reverse sweep, MPushforward once per step in its forward sweep;
/// MTapeGradient differences QuadTapeGradient and copies A once per node.
/// </summary>
[MemoryDiagnoser]
public class NestedDataArrayBenchmarks
{
    private readonly double[] _a = { 2.0, 0.3, 0.1, 1.5, 0.2 };
    private const double S = 0.4;

    [Benchmark(Baseline = true, Description = "descent with data: function")]
    public double Function() => Objectives.DescentWithData(S, _a);

    [Benchmark(Description = "descent with data: MGradient")]
    public double Gradient() => Objectives.DescentWithDataGradient(S, _a, out double ds) + ds;

    [Benchmark(Description = "descent with data: MPushforward")]
    public double Pushforward() => Objectives.DescentWithDataPushforward(S, _a, 1, out double t) + t;

    [Benchmark(Description = "descent with data: MTapeGradient")]
    public double Tape() => Objectives.DescentWithDataTapeGradient(S, _a, out double ds) + ds;
}

public static partial class Objectives
{
    /// <summary>½ [x y] A [x y]ᵀ + l·(x⁴ + y⁴) + A[4]·sin(xy), A row-major 2×2 then one coefficient: data.</summary>
    [Differentiable(nameof(x), nameof(y), nameof(l))]
    public static double Quad(ReadOnlySpan<double> A, double x, double y, double l) =>
        0.5 * (A[0] * x * x + (A[1] + A[2]) * x * y + A[3] * y * y) + l * (x * x * x * x + y * y * y * y) + A[4] * Math.Sin(x * y);

    /// <summary>Ten gradient-descent steps on Quad from (s, 1 − s), regularized by 0.1·s; differentiated in s.</summary>
    [Differentiable(nameof(s))]
    public static double DescentWithData(double s, double[] A)
    {
        double x = s, y = 1 - s;
        for (int k = 0; k < 10; k++)
        {
            QuadGradient(A, x, y, 0.1 * s, out double gx, out double gy, out _);
            x -= 0.1 * gx;
            y -= 0.1 * gy;
        }
        return x * x + Math.Exp(y) * x;
    }
}
