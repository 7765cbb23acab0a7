using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Differentiator.Benchmarks.Generator -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Differentiator.Benchmarks.Generator.GenerationBenchmarks).Assembly).Run(args);
