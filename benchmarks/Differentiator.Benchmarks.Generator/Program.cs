using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/Differentiator.Benchmarks.Generator -- --filter '*' --job short
// dotnet run -c Release --project benchmarks/Differentiator.Benchmarks.Generator -- interleaved [methods] [rounds]   (EditBenchmarks' cases in turn)
if (args.Length >= 1 && args[0] == "interleaved")
{
    Differentiator.Benchmarks.Generator.EditBenchmarks.RunInterleaved(args.Length > 1 ? int.Parse(args[1]) : 60, args.Length > 2 ? int.Parse(args[2]) : 30);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Differentiator.Benchmarks.Generator.GenerationBenchmarks).Assembly).Run(args);
