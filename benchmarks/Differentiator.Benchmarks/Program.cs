using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Differentiator.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Differentiator.Benchmarks.MseBenchmarks).Assembly).Run(args);
