using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Threading;
using BenchmarkDotNet.Attributes;

namespace Differentiator.Benchmarks;

/// <summary>
/// The cases of one benchmark class at one shape, timed in turn — A, B, C, A, B, C, … — instead of one after another.
/// Why: on this project's VM the speed of the same code drifts by tens of percent over minutes, and BenchmarkDotNet
/// measures each case in its own stretch of time, so a ratio between two cases can move by more than the difference
/// being measured. Interleaved, every case sees the same drift; the median over the rounds is reported. BenchmarkDotNet
/// remains the reference for absolute times and allocations (docs/performance.md).
/// <code>dotnet run -c Release --project benchmarks/Differentiator.Benchmarks -- interleaved MseBenchmarks 5x1 [rounds [Method,Method…]]</code>
/// (the methods by their C# names, e.g. <c>Primal,HandFused,Generated</c>; by default every case — the tape's
/// allocations then disturb the others).
/// </summary>
internal static class Interleaved
{
    public static void Run(string className, string shape, int rounds, string[] only)
    {
        var type = typeof(Interleaved).Assembly.GetTypes().SingleOrDefault(t => t.Name == className)
            ?? throw new ArgumentException("No benchmark class named " + className + ".");
        object instance = Activator.CreateInstance(type)!;
        type.GetProperty("Shape")?.SetValue(instance, shape); // a class without shapes (OtherObjectiveBenchmarks) ignores it
        type.GetMethods().Where(m => m.GetCustomAttribute<GlobalSetupAttribute>() is not null).ToList().ForEach(m => m.Invoke(instance, null));
        var cases = type.GetMethods()
            .Select(m => (Method: m, Attribute: m.GetCustomAttribute<BenchmarkAttribute>()))
            .Where(c => c.Attribute is not null && c.Method.ReturnType == typeof(double))
            .Where(c => only.Length == 0 || only.Contains(c.Method.Name))
            .Select(c => (Name: c.Attribute!.Description ?? c.Method.Name, c.Attribute.Baseline, Call: c.Method.CreateDelegate<Func<double>>(instance)))
            .Where(c => !double.IsNaN(c.Call())) // a case that declines this shape (the tape where it would not fit)
            .ToList();

        // Reach the optimized code: tiered compilation recompiles a method after 30 calls and a delay, in the background.
        double sink = 0;
        var batches = new int[cases.Count];
        for (int phase = 0; phase < 4; phase++)
        {
            for (int c = 0; c < cases.Count; c++)
            {
                var clock = Stopwatch.StartNew();
                int calls = 0;
                while (calls < 40 || clock.Elapsed.TotalMilliseconds < 100) { sink += cases[c].Call(); calls++; }
                batches[c] = Math.Max(1, (int)(calls / clock.Elapsed.TotalMilliseconds)); // about 1 ms per sample
            }
            Thread.Sleep(300);
        }

        var samples = cases.Select(_ => new List<double>(rounds)).ToArray();
        for (int r = 0; r < rounds; r++)
            for (int c = 0; c < cases.Count; c++)
            {
                var call = cases[c].Call;
                long start = Stopwatch.GetTimestamp();
                for (int k = 0; k < batches[c]; k++) sink += call();
                samples[c].Add(Stopwatch.GetElapsedTime(start).TotalNanoseconds / batches[c]);
            }

        double Median(List<double> s) => s.OrderBy(t => t).ElementAt(s.Count / 2);
        int baseline = Math.Max(0, cases.FindIndex(c => c.Baseline));
        Console.WriteLine($"{className} {shape}: {rounds} interleaved rounds, median time per call (ratio to {cases[baseline].Name})");
        for (int c = 0; c < cases.Count; c++)
            Console.WriteLine($"  {cases[c].Name,-32} {Format(Median(samples[c])),12}  {Median(samples[c]) / Median(samples[baseline]),6:F2}");
        if (sink == 1.5e300) Console.WriteLine(); // keeps the results alive
    }

    private static string Format(double ns) => ns < 1e3 ? $"{ns:F1} ns" : ns < 1e6 ? $"{ns / 1e3:F1} µs" : $"{ns / 1e6:F2} ms";
}
