using System;
using BenchmarkDotNet.Attributes;
using Differentiator.Objectives;

namespace Differentiator.Benchmarks;

/// <summary>
/// ADBench's GMM objective at the shapes of its 1k files (n = 1000): the function, the generated gradient with
/// respect to alphas, means and icf, a hand-written gradient (the reference), and the tape (at the smaller shapes; at d = 20 its tape would hold ~10⁷ nodes).
/// </summary>
[MemoryDiagnoser]
public class GmmBenchmarks
{
    private const int N = 1000;
    private int _d, _k;
    private double[] _alphas = null!, _means = null!, _icf = null!, _x = null!;
    private double[] _dAlphas = null!, _dMeans = null!, _dIcf = null!;

    [Params("d2_K5", "d2_K10", "d2_K25", "d10_K5", "d10_K10", "d10_K25", "d20_K5", "d20_K10", "d20_K25")]
    public string Shape { get; set; } = "d2_K5";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Shape.Split('_');
        _d = int.Parse(parts[0].Substring(1));
        _k = int.Parse(parts[1].Substring(1));
        var random = new Random(_d * 100 + _k);
        double[] Uniform(int length)
        {
            var v = new double[length];
            for (int i = 0; i < length; i++) v[i] = random.NextDouble();
            return v;
        }
        int icfSize = _d * (_d + 1) / 2;
        _alphas = Uniform(_k);
        _means = Uniform(_d * _k);
        _icf = Uniform(icfSize * _k);
        _x = Uniform(_d * N);
        _dAlphas = new double[_k];
        _dMeans = new double[_d * _k];
        _dIcf = new double[icfSize * _k];
        CheckHandWrittenAgrees();
    }

    /// <summary>The hand-written reference must compute what the generated gradient computes, or its time means nothing.</summary>
    private void CheckHandWrittenAgrees()
    {
        var (ga, gm, gi) = (new double[_dAlphas.Length], new double[_dMeans.Length], new double[_dIcf.Length]);
        var (ha, hm, hi) = (new double[_dAlphas.Length], new double[_dMeans.Length], new double[_dIcf.Length]);
        // m = 2 and γ = 0.7 here, so the prior's terms are checked too (the timed calls use ADBench's γ = 1, m = 0).
        double generated = Gmm.ObjectiveGradient(_d, _k, N, _alphas, _means, _icf, _x, 0.7, 2, ga, gm, gi);
        double hand = HandWrittenGmm.Gradient(_d, _k, N, _alphas, _means, _icf, _x, 0.7, 2, ha, hm, hi);
        Agree("value", new[] { generated }, new[] { hand });
        Agree("∂alphas", ga, ha);
        Agree("∂means", gm, hm);
        Agree("∂icf", gi, hi);
    }

    private static void Agree(string what, double[] generated, double[] hand)
    {
        double scale = 1;
        foreach (var v in generated) scale = Math.Max(scale, Math.Abs(v));
        for (int i = 0; i < generated.Length; i++)
            if (!(Math.Abs(generated[i] - hand[i]) <= 1e-9 * scale))
                throw new InvalidOperationException($"The hand-written GMM gradient disagrees with the generated one: {what}[{i}] = {hand[i]} vs {generated[i]}.");
    }

    [Benchmark(Baseline = true, Description = "function only")]
    public double Primal() => Gmm.Objective(_d, _k, N, _alphas, _means, _icf, _x, 1.0, 0);

    [Benchmark(Description = "ObjectiveGradient (generated)")]
    public double Generated() => Gmm.ObjectiveGradient(_d, _k, N, _alphas, _means, _icf, _x, 1.0, 0, _dAlphas, _dMeans, _dIcf);

    [Benchmark(Description = "hand-written gradient")]
    public double HandWritten() => HandWrittenGmm.Gradient(_d, _k, N, _alphas, _means, _icf, _x, 1.0, 0, _dAlphas, _dMeans, _dIcf);

    [Benchmark(Description = "ObjectiveTapeGradient (tape)")]
    public double Tape() => _d >= 20 ? double.NaN : Gmm.ObjectiveTapeGradient(_d, _k, N, _alphas, _means, _icf, _x, 1.0, 0, _dAlphas, _dMeans, _dIcf);
}
