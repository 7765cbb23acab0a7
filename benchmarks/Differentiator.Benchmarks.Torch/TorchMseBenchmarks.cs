using System;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using static TorchSharp.torch;

namespace Differentiator.Benchmarks;

/// <summary>The MSE data of <c>benchmarks/Differentiator.Benchmarks/MseBenchmarks.cs</c>: same shapes, seed and order of draws.</summary>
public sealed class MseData
{
    public static readonly string[] Shapes = { "5x1", "5000x5", "1000000x5", "100000x100" };

    public double[,] X = null!;
    public double[] Xflat = null!, y = null!, w = null!;
    public double b;

    /// <summary>A copy of <c>MseBenchmarks.Setup</c> (kept identical so the two benchmark runs use the same numbers).</summary>
    public static MseData Create(string shape)
    {
        var parts = shape.Split('x');
        int n = int.Parse(parts[0]), d = int.Parse(parts[1]);
        var random = new Random(1);
        var data = new MseData { X = new double[n, d], Xflat = new double[n * d], y = new double[n], w = new double[d] };
        for (int j = 0; j < d; j++) data.w[j] = random.NextDouble();
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++) data.Xflat[i * d + j] = data.X[i, j] = random.NextDouble();
            data.y[i] = random.NextDouble();
        }
        data.b = 0.5;
        return data;
    }
}

/// <summary>
/// TorchSharp's autograd on the same MSE, one step as a training loop takes it: reset the gradients (to none, as
/// <c>torch.optim</c>'s <c>zero_grad()</c> does by default), forward <c>((X @ w + b − y)²).mean()</c>, backward, and copy
/// the gradient out into managed memory (<c>dw</c>, <c>db</c>) and the loss into a double, as <c>MseGradient</c> returns them.
/// The tensors X, y, w and b (float64, CPU) are built once, in the setup.
/// </summary>
public sealed class TorchMse : IDisposable
{
    private readonly Tensor _X, _y, _w, _b;

    public TorchMse(MseData data)
    {
        int n = data.y.Length, d = data.w.Length;
        _X = torch.tensor(data.Xflat, new long[] { n, d }, dtype: ScalarType.Float64);
        _y = torch.tensor(data.y, dtype: ScalarType.Float64);
        _w = torch.tensor(data.w, dtype: ScalarType.Float64, requires_grad: true);
        _b = torch.tensor(data.b, dtype: ScalarType.Float64, requires_grad: true);
    }

    public double Gradient(double[] dw, out double db)
    {
        using var scope = torch.NewDisposeScope();
        _w.grad = null;
        _b.grad = null;
        var loss = (_X.matmul(_w) + _b - _y).pow(2).mean();
        loss.backward();
        _w.grad!.data<double>().CopyTo(dw);
        db = _b.grad!.item<double>();
        return loss.item<double>();
    }

    public void Dispose()
    {
        _X.Dispose(); _y.Dispose(); _w.Dispose(); _b.Dispose();
    }
}

/// <summary>MSE of y = Xw + b in double precision: the generated gradient, the hand-written fused loop and TorchSharp's autograd.</summary>
[MemoryDiagnoser]
public class TorchMseBenchmarks
{
    /// <summary>libtorch's intra-op thread count before anything changes it (its default: one per core).</summary>
    public static readonly int DefaultThreads = torch.get_num_threads();

    private MseData _data = null!;
    private double[] _dw = null!;
    private TorchMse? _torch;

    [Params("5x1", "5000x5", "1000000x5", "100000x100")]
    public string Shape { get; set; } = "5x1";

    [GlobalSetup(Targets = new[] { nameof(HandFused), nameof(Generated) })]
    public void Setup()
    {
        _data = MseData.Create(Shape);
        _dw = new double[_data.w.Length];
    }

    [GlobalSetup(Target = nameof(TorchOneThread))]
    public void SetupTorchOneThread() => SetupTorch(1);

    [GlobalSetup(Target = nameof(TorchDefaultThreads))]
    public void SetupTorchDefaultThreads() => SetupTorch(DefaultThreads);

    private void SetupTorch(int threads)
    {
        Setup();
        torch.set_num_threads(threads);
        if (torch.get_num_threads() != threads) throw new InvalidOperationException($"libtorch runs {torch.get_num_threads()} threads, not {threads}");
        _torch = new TorchMse(_data);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _torch?.Dispose();
        _torch = null;
    }

    [Benchmark(Baseline = true, Description = "hand-written fused")]
    public double HandFused() => HandWritten.MseFused(_data.X, _data.y, _data.w, _data.b, _dw, out _);

    [Benchmark(Description = "MseGradient (generated)")]
    public double Generated() => Objectives.MseGradient(_data.X, _data.y, _data.w, _data.b, _dw, out _);

    [Benchmark(Description = "TorchSharp, 1 thread")]
    public double TorchOneThread() => _torch!.Gradient(_dw, out _);

    [Benchmark(Description = "TorchSharp, default threads")]
    public double TorchDefaultThreads() => _torch!.Gradient(_dw, out _);
}
