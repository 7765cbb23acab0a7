using System;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using Differentiator.Benchmarks;
using TorchSharp;

// Run with benchmarks/torch/run.sh (it starts this under a newer C++ runtime; see docs/performance.md).
// Before measuring, check once per shape that TorchSharp's gradient is ours; stop if it is not.
Console.WriteLine($"TorchSharp {typeof(torch).Assembly.GetName().Version}, libtorch {torch.__version__}, " +
    $"default intra-op threads {TorchMseBenchmarks.DefaultThreads}, Environment.ProcessorCount {Environment.ProcessorCount}");
foreach (var shape in MseData.Shapes)
{
    var data = MseData.Create(shape);
    int d = data.w.Length;
    double[] ours = new double[d], hand = new double[d], theirs = new double[d];
    double lossOurs = Objectives.MseGradient(data.X, data.y, data.w, data.b, ours, out double dbOurs);
    double lossHand = HandWritten.MseFused(data.X, data.y, data.w, data.b, hand, out double dbHand);
    double lossTorch;
    double dbTorch;
    using (var t = new TorchMse(data)) lossTorch = t.Gradient(theirs, out dbTorch);

    double scale = Math.Max(Math.Abs(dbOurs), ours.Max(Math.Abs));
    double errTorch = Math.Max(Math.Abs(dbTorch - dbOurs), ours.Zip(theirs, (a, b) => Math.Abs(a - b)).Max()) / scale;
    double errHand = Math.Max(Math.Abs(dbHand - dbOurs), ours.Zip(hand, (a, b) => Math.Abs(a - b)).Max()) / scale;
    double errLoss = Math.Abs(lossTorch - lossOurs) / Math.Abs(lossOurs);
    Console.WriteLine($"check {shape}: loss {lossOurs:R}, db {dbOurs:R}; relative difference of (dw, db) to MseGradient: " +
        $"TorchSharp {errTorch:E2}, hand-written {errHand:E2}; of the loss: TorchSharp {errLoss:E2}");
    if (!(errTorch <= 1e-9 && errHand <= 1e-9 && errLoss <= 1e-9))
    {
        Console.Error.WriteLine($"FAILED: at {shape} the gradients differ by more than 1e-9 relative; not benchmarking.");
        return 1;
    }
}

// In process: BenchmarkDotNet's usual child processes would start without the newer C++ runtime.
if (!args.Contains("--inProcess", StringComparer.OrdinalIgnoreCase)) args = args.Append("--inProcess").ToArray();
// Median and minimum beside the mean: the machine this was written on is shared, and the mean takes every stall.
var config = DefaultConfig.Instance.AddColumn(StatisticColumn.Median, StatisticColumn.Min);
BenchmarkSwitcher.FromAssembly(typeof(TorchMseBenchmarks).Assembly).Run(args, config);
return 0;
