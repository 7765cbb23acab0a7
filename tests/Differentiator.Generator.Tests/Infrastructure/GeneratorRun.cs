using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Differentiator.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Differentiator.Generator.Tests.Infrastructure;

/// <summary>
/// Compiles user code with the generator in-process, as the compiler does in a build, and loads the result so
/// tests can call the generated methods. Span parameters cannot go through reflection, so the run adds a small
/// adapter class per [Differentiable] method that takes arrays.
/// </summary>
public sealed class GeneratorRun
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return paths.Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location))
            .ToImmutableArray();
    });

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private Assembly? _assembly;

    private GeneratorRun(CSharpCompilation input, CSharpCompilation output, ImmutableArray<Diagnostic> generatorDiagnostics, GeneratorDriverRunResult result)
    {
        Input = input;
        Output = output;
        GeneratorDiagnostics = generatorDiagnostics;
        Result = result;
        _analyzerDiagnostics = new Lazy<ImmutableArray<Diagnostic>>(() =>
            input.WithAnalyzers(ImmutableArray.Create<Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer>(new DifferentiableAnalyzer()))
                .GetAllDiagnosticsAsync().Result
                .Where(d => d.Id.StartsWith("DIFF", StringComparison.Ordinal) || d.Id == "AD0001")
                .ToImmutableArray());
    }

    private readonly Lazy<ImmutableArray<Diagnostic>> _analyzerDiagnostics;

    public CSharpCompilation Input { get; }

    /// <summary>What the analyzer reports live in the editor (DIFF diagnostics, and AD0001 if it crashed).</summary>
    public ImmutableArray<Diagnostic> AnalyzerDiagnostics => _analyzerDiagnostics.Value;

    /// <summary>The diagnostics the generator's own pipeline found (it leaves reporting them to the analyzer).</summary>
    public ImmutableArray<Diagnostic> ModelDiagnostics
    {
        get
        {
            // The files' diagnostics are position-free; the parse step's outputs say where their places stand.
            IEnumerable<object> Outputs(string step) =>
                Result.Results.SelectMany(r => r.TrackedSteps.TryGetValue(step, out var steps) ? steps : ImmutableArray<IncrementalGeneratorRunStep>.Empty)
                    .SelectMany(s => s.Outputs).Select(o => o.Value);
            var positions = Outputs(TrackingNames.Parse).OfType<LocatedModel>().ToDictionary(p => p.Model.HintName, p => p.Positions);
            return Outputs(TrackingNames.Generate).OfType<GeneratedFile>()
                .SelectMany(f => f.Diagnostics.Select(d => DifferentiatorGenerator.ToDiagnostic(d, positions[f.HintName]))).ToImmutableArray();
        }
    }

    public CSharpCompilation Output { get; }

    public ImmutableArray<Diagnostic> GeneratorDiagnostics { get; }

    public GeneratorDriverRunResult Result { get; }

    /// <summary>Generated files by hint name.</summary>
    public IReadOnlyDictionary<string, string> Sources =>
        Result.Results.SelectMany(r => r.GeneratedSources).ToDictionary(s => s.HintName, s => s.SourceText.ToString());

    /// <summary>Errors and warnings of the final compilation (user code plus generated code), and the generator's own.</summary>
    public IReadOnlyList<Diagnostic> AllDiagnostics =>
        GeneratorDiagnostics.Concat(Output.GetDiagnostics()).Concat(AnalyzerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error || d.Id == "AD0001"))
            .Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "UserCode" + Guid.NewGuid().ToString("N"),
            sources.Select((s, k) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: "Source" + k + ".cs")),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: false));

    public static GeneratorRun Compile(params string[] sources)
    {
        var compilation = CreateCompilation(sources);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new DifferentiatorGenerator().AsSourceGenerator() }, parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        // Every plan made meanwhile is checked against the sweeps it stands for (ReversalOracle).
        var ((updated, output, diagnostics), disagreements) = ReversalOracle.Watch(() =>
        {
            var result = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
            return (result, output, diagnostics);
        });
        if (disagreements.Count > 0) throw new Xunit.Sdk.XunitException(string.Join("\n\n", disagreements));
        driver = updated;
        var run = new GeneratorRun(compilation, (CSharpCompilation)output, diagnostics, driver.GetRunResult());
        GeneratedCorpus.Record(sources, run.Sources);
        if (DesignTimeCheck.Requested) DesignTimeCheck.Verify(run);
        return run;
    }

    /// <summary>Fails with every error and warning listed, if there are any.</summary>
    public GeneratorRun AssertClean()
    {
        var problems = AllDiagnostics;
        if (problems.Count > 0)
            throw new Xunit.Sdk.XunitException("Expected a clean build, got:\n" + string.Join("\n", problems) + "\n\n" + string.Join("\n\n", Sources.Values));
        return this;
    }

    public DifferentiableMethod Method(string typeName, string methodName)
    {
        _assembly ??= Load();
        var adapter = _assembly.GetType("TestAdapters." + Adapters.AdapterName(typeName, methodName), throwOnError: true)!;
        return new DifferentiableMethod(adapter);
    }

    /// <summary>A type of the compiled user code, for tests that call their own static helpers (e.g. a measuring loop).</summary>
    public Type UserType(string fullName)
    {
        _assembly ??= Load();
        return _assembly.GetType(fullName, throwOnError: true)!;
    }

    /// <summary>A vector-valued method's adapter: M, MVjp and the three Jacobians, callable with arrays.</summary>
    public VectorMethod VectorMethod(string typeName, string methodName)
    {
        _assembly ??= Load();
        return new VectorMethod(_assembly.GetType("TestAdapters." + Adapters.AdapterName(typeName, methodName), throwOnError: true)!);
    }

    /// <summary>Calls a public static method of the compiled user code that takes no arguments (e.g. one that measures allocations in place).</summary>
    public object? InvokeStatic(string typeName, string methodName)
    {
        _assembly ??= Load();
        return _assembly.GetType(typeName, throwOnError: true)!.GetMethod(methodName)!.Invoke(null, null);
    }

    private Assembly Load()
    {
        var withAdapters = Output.AddSyntaxTrees(CSharpSyntaxTree.ParseText(Adapters.For(Output), ParseOptions, path: "Adapters.cs"));
        using var stream = new MemoryStream();
        var emit = withAdapters.Emit(stream);
        if (!emit.Success)
            throw new Xunit.Sdk.XunitException("Emit failed:\n" + string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)) + "\n\n" + string.Join("\n\n", Sources.Values));
        stream.Position = 0;
        var context = new AssemblyLoadContext("run" + Guid.NewGuid().ToString("N"), isCollectible: true);
        context.Resolving += (ctx, name) => name.Name == "Differentiator.Runtime" ? typeof(DifferentiableAttribute).Assembly : null;
        return context.LoadFromStream(stream);
    }
}
