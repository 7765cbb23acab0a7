using BenchmarkDotNet.Attributes;
using Differentiator.GradBench.Evals;

namespace Differentiator.Benchmarks;

/// <summary>
/// Nested differentiation (docs/nested.md) on GradBench's particle and saddle objectives: each gradient against its
/// function. Particle's EulerReverse calls PotentialGradient once per Euler step, so its MGradient calls
/// PotentialGradient and PotentialHessianVectorProduct once per step; EulerForward calls PotentialPushforward twice.
/// </summary>
[MemoryDiagnoser]
public class NestedBenchmarks
{
    private const double W = 0.2;

    [Benchmark(Baseline = true, Description = "particle EulerReverse: function")]
    public double ParticleFunction() => Particle.EulerReverse(W);

    [Benchmark(Description = "particle EulerReverse: MGradient")]
    public double ParticleGradient() => Particle.EulerReverseGradient(W, out double dw) + dw;

    [Benchmark(Description = "particle EulerReverse: MPushforward")]
    public double ParticlePushforward() => Particle.EulerReversePushforward(W, 1, out double t) + t;

    [Benchmark(Description = "particle EulerForward: function")]
    public double ParticleForwardFunction() => Particle.EulerForward(W);

    [Benchmark(Description = "particle EulerForward: MGradient")]
    public double ParticleForwardGradient() => Particle.EulerForwardGradient(W, out double dw) + dw;

    [Benchmark(Description = "particle EulerReverse: MTapeGradient")]
    public double ParticleTape() => Particle.EulerReverseTapeGradient(W, out double dw) + dw;

    [Benchmark(Description = "saddle MaxReverse: function")]
    public double SaddleFunction() => Saddle.MaxReverse(0.5, -0.25, 1, 1);

    [Benchmark(Description = "saddle MaxReverse: MGradient")]
    public double SaddleGradient() => Saddle.MaxReverseGradient(0.5, -0.25, 1, 1, out double a, out double b) + a + b;
}
