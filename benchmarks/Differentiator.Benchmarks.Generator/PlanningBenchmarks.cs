using System;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Differentiator.Generator;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Lowering;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Differentiator.Benchmarks.Generator;

/// <summary>
/// The reversal plan alone (<see cref="ReversalPlanner.Plan"/>): its fixed point on the reversal analysis, the fused
/// loop, the dead restores — for one small loss (a loop nest, a branch, tanh) and one 2,000-line method (a chain of
/// overwritten locals and loops). Parsing, lowering and activity are done in setup; each run plans from a fresh
/// context, as the generator does once per method.
/// </summary>
[MemoryDiagnoser]
public class PlanningBenchmarks
{
    private LoweredMethod _method = null!;
    private ActivityAnalysis _activity = null!;

    [Params("loss", "one 2000-line method")]
    public string Case { get; set; } = "loss";

    [GlobalSetup]
    public void Setup()
    {
        string text = Case == "loss" ? GenerationBenchmarks.Files(1)[0] : GenerationBenchmarks.LongMethod(2000);
        var tree = CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest));
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p)).Append(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location));
        var compilation = CSharpCompilation.Create("Plan", new[] { tree }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var semantic = compilation.GetSemanticModel(tree);
        var syntax = tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().First();
        var model = LocatedModel.Parse(semantic.GetDeclaredSymbol(syntax)!, syntax, semantic, default).Model;
        var lowered = ControlFlowLowering.Lower(model.Ir ?? throw new InvalidOperationException("The benchmark's method did not parse."));
        var activity = ActivityAnalysis.Run(lowered.Method, lowered.Result);
        _method = CallResultLocals.Apply(lowered, activity);
        _activity = ReferenceEquals(_method, lowered) ? activity : ActivityAnalysis.Run(_method.Method, _method.Result);
    }

    [Benchmark(Description = "reversal plan")]
    public object Plan() =>
        ReversalPlanner.Plan(new GradientContext(_method, _activity, ReverseModeBuilder.NameOutputs(_method.Method)));
}
