using System;
using BenchmarkDotNet.Attributes;

namespace Differentiator.Benchmarks;

/// <summary>MSE of y = Xw + b: generated gradients (flat and <c>double[,]</c> X) against the strongest hand-written references over flat X
/// (<see cref="HandWrittenRows"/>: read-once floor, fused span loop, hand SIMD), the <c>double[,]</c> loop, TensorPrimitives, the tape and the function.</summary>
[MemoryDiagnoser]
public class MseBenchmarks
{
    private double[,] _X = null!;
    private double[] _Xflat = null!;
    private double[] _y = null!;
    private double[] _w = null!;
    private double[] _dw = null!;
    private double _b;

    [Params("5x1", "5000x5", "1000000x5", "100000x100")]
    public string Shape { get; set; } = "5x1";

    [GlobalSetup]
    public void Setup()
    {
        var parts = Shape.Split('x');
        int n = int.Parse(parts[0]), d = int.Parse(parts[1]);
        var random = new Random(1);
        _X = new double[n, d];
        _Xflat = new double[n * d];
        _y = new double[n];
        _w = new double[d];
        _dw = new double[d];
        for (int j = 0; j < d; j++) _w[j] = random.NextDouble();
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++) _Xflat[i * d + j] = _X[i, j] = random.NextDouble();
            _y[i] = random.NextDouble();
        }
        _b = 0.5;
        AgreeOrThrow(d);
    }

    /// <summary>Every gradient benchmarked computes the same thing: a wrong baseline would make every ratio wrong.</summary>
    private void AgreeOrThrow(int d)
    {
        var reference = new double[d + 1];
        double value = HandWritten.MseFused(_X, _y, _w, _b, reference, out reference[d]);
        foreach (var (name, gradient) in new (string, Func<double[], double>)[]
        {
            ("fused span", g => HandWrittenRows.MseFusedSpan(_Xflat, _y, _w, _b, g.AsSpan(0, d), out g[d])),
            ("hand SIMD", g => HandWrittenRows.MseSimd(_Xflat, _y, _w, _b, g.AsSpan(0, d), out g[d])),
            ("generated flat", g => Objectives.MseFlatGradient(_Xflat, _y, _w, _b, g.AsSpan(0, d), out g[d])),
            ("generated [,]", g => Objectives.MseGradient(_X, _y, _w, _b, g.AsSpan(0, d), out g[d])),
        })
        {
            var g = new double[d + 1];
            double v = gradient(g);
            for (int k = 0; k <= d; k++)
                if (Math.Abs(g[k] - reference[k]) > 1e-9 * (1 + Math.Abs(reference[k])) || Math.Abs(v - value) > 1e-9 * (1 + Math.Abs(value)))
                    throw new InvalidOperationException($"MseBenchmarks {Shape}: {name} disagrees with the fused loop at component {k}: {g[k]} against {reference[k]}.");
        }
    }

    [Benchmark(Description = "read X and y once")]
    public double ReadOnce() => HandWrittenRows.ReadOnce(_Xflat, _y);

    [Benchmark(Description = "function only")]
    public double Primal() => Objectives.Mse(_X, _y, _w, _b);

    [Benchmark(Baseline = true, Description = "fused span loop, flat X")]
    public double HandFusedSpan() => HandWrittenRows.MseFusedSpan(_Xflat, _y, _w, _b, _dw, out _);

    [Benchmark(Description = "hand SIMD, flat X")]
    public double HandSimd() => HandWrittenRows.MseSimd(_Xflat, _y, _w, _b, _dw, out _);

    [Benchmark(Description = "MseFlatGradient (generated)")]
    public double GeneratedFlat() => Objectives.MseFlatGradient(_Xflat, _y, _w, _b, _dw, out _);

    [Benchmark(Description = "MseGradient (generated, [,])")]
    public double Generated() => Objectives.MseGradient(_X, _y, _w, _b, _dw, out _);

    [Benchmark(Description = "fused loop, X[i, j]")]
    public double HandFused() => HandWritten.MseFused(_X, _y, _w, _b, _dw, out _);

    [Benchmark(Description = "TensorPrimitives per row")]
    public double TensorPrimitivesRows() => HandWritten.MseSimd(_Xflat, _w.Length, _y, _w, _b, _dw, out _);


    [Benchmark(Description = "MseTapeGradient (tape)")]
    public double Tape() => Shape.StartsWith("1000000") ? double.NaN : Objectives.MseTapeGradient(_X, _y, _w, _b, _dw, out _);
}

/// <summary>Logistic loss and a tanh network: generated gradient vs the function, a hand-written reference and the tape.</summary>
[MemoryDiagnoser]
public class OtherObjectiveBenchmarks
{
    private double[,] _X = null!;
    private double[] _y = null!, _w = null!, _dw = null!;
    private double[] _xs = null!, _ys = null!, _W1 = null!, _b1 = null!, _v = null!, _dW1 = null!, _db1 = null!, _dv = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2);
        int n = 5000, d = 5, hidden = 16, samples = 1000;
        _X = new double[n, d];
        _y = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++) _X[i, j] = random.NextDouble() - 0.5;
            _y[i] = random.Next(2);
        }
        _w = new double[d];
        _dw = new double[d];
        _xs = new double[samples];
        _ys = new double[samples];
        for (int i = 0; i < samples; i++) { _xs[i] = 4 * random.NextDouble() - 2; _ys[i] = Math.Sin(_xs[i]); }
        _W1 = new double[hidden]; _b1 = new double[hidden]; _v = new double[hidden];
        _dW1 = new double[hidden]; _db1 = new double[hidden]; _dv = new double[hidden];
        for (int h = 0; h < hidden; h++) { _W1[h] = random.NextDouble(); _b1[h] = random.NextDouble(); _v[h] = random.NextDouble(); }
    }

    [Benchmark(Description = "logistic: function only")]
    public double LogisticPrimal() => Objectives.LogisticLoss(_X, _y, _w, 0.1);

    [Benchmark(Description = "logistic: hand-written fused")]
    public double LogisticHand() => HandWritten.LogisticFused(_X, _y, _w, 0.1, _dw, out _);

    [Benchmark(Description = "logistic: generated")]
    public double LogisticGenerated() => Objectives.LogisticLossGradient(_X, _y, _w, 0.1, _dw, out _);

    [Benchmark(Description = "logistic: tape")]
    public double LogisticTape() => Objectives.LogisticLossTapeGradient(_X, _y, _w, 0.1, _dw, out _);

    [Benchmark(Description = "tanh net: function only")]
    public double TanhPrimal() => Objectives.TanhNetwork(_xs, _ys, _W1, _b1, _v, 0.1);

    [Benchmark(Description = "tanh net: generated")]
    public double TanhGenerated() => Objectives.TanhNetworkGradient(_xs, _ys, _W1, _b1, _v, 0.1, _dW1, _db1, _dv, out _);

    [Benchmark(Description = "tanh net: tape")]
    public double TanhTape() => Objectives.TanhNetworkTapeGradient(_xs, _ys, _W1, _b1, _v, 0.1, _dW1, _db1, _dv, out _);
}
