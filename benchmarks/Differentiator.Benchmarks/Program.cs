using BenchmarkDotNet.Running;
using Differentiator.Benchmarks;

// dotnet run -c Release --project benchmarks/Differentiator.Benchmarks -- --filter '*'
// dotnet run -c Release --project benchmarks/Differentiator.Benchmarks -- interleaved MseBenchmarks 5x1 [rounds [Method,Method…]]
if (args.Length >= 3 && args[0] == "interleaved")
    Interleaved.Run(args[1], args[2], args.Length > 3 ? int.Parse(args[3]) : 400, args.Length > 4 ? args[4].Split(',') : System.Array.Empty<string>());
else
    BenchmarkSwitcher.FromAssembly(typeof(MseBenchmarks).Assembly).Run(args);
