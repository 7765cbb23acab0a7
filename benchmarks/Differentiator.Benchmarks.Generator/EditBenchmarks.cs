using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using BenchmarkDotNet.Attributes;
using Differentiator.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Differentiator.Benchmarks.Generator;

/// <summary>
/// One keystroke in a file of 60 or 500 [Differentiable] methods, as the IDE handles it: the generator driver run
/// again from its warm state, and the analyzer run again on the edited file. Two edits: a character typed inside
/// one method (a new constant every invocation, so no cache has seen it), and a character typed above every method
/// (each method moves; nothing of it changed). Baseline: the compiler's own diagnostics for the edited file, which
/// the IDE computes on every keystroke anyway. Each invocation builds the edited compilation (an incremental
/// re-parse, microseconds) and binds what it needs: the IDE pays that too.
/// </summary>
[MemoryDiagnoser]
public class EditBenchmarks
{
    private static readonly CSharpParseOptions Options = new(LanguageVersion.Latest);
    private CSharpCompilation _compilation = null!;
    private SyntaxTree _tree = null!;
    private GeneratorDriver _warm = null!;
    private int _edits;
    private int _insideAt;
    private int _aboveAt;

    [ParamsSource(nameof(Sizes))]
    public int Methods { get; set; }

    /// <summary>60 and 500 methods; <c>DIFFERENTIATOR_EDIT_METHODS=60</c> (comma-separated) runs fewer sizes.</summary>
    public static System.Collections.Generic.IEnumerable<int> Sizes =>
        (Environment.GetEnvironmentVariable("DIFFERENTIATOR_EDIT_METHODS") ?? "60,500").Split(',').Select(int.Parse);

    [GlobalSetup]
    public void Setup()
    {
        string text = EditorFile.Text(Methods, differentiable: true);
        _tree = CSharpSyntaxTree.ParseText(text, Options, "Losses.cs");
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p)).Append(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location));
        _compilation = CSharpCompilation.Create("Bench", new[] { _tree }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        _warm = CSharpGeneratorDriver.Create(new[] { new DifferentiatorGenerator().AsSourceGenerator() }, parseOptions: Options).RunGenerators(_compilation);
        // The middle method's constant 'b + w[...]' becomes 'b * k + w[...]'; the comment above the class gets a character.
        _insideAt = text.IndexOf("double z = b", text.IndexOf("Loss" + Methods / 2 + "(", StringComparison.Ordinal), StringComparison.Ordinal) + "double z = b".Length;
        _aboveAt = text.IndexOf("// Type here", StringComparison.Ordinal) + 2;
        Analyze(_compilation); // warm: the analyzer's per-method cache holds every method, as after the file was opened
    }

    private CSharpCompilation EditInside() =>
        _compilation.ReplaceSyntaxTree(_tree, _tree.WithChangedText(_tree.GetText().Replace(_insideAt, 0, " * " + (++_edits + 1) + ".0")));

    private CSharpCompilation EditAbove() =>
        _compilation.ReplaceSyntaxTree(_tree, _tree.WithChangedText(_tree.GetText().Replace(_aboveAt, 0, new string('x', ++_edits % 50 + 1))));

    private static int Analyze(CSharpCompilation compilation)
    {
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new DifferentiableAnalyzer());
        var tree = compilation.SyntaxTrees.Single();
        var withAnalyzers = compilation.WithAnalyzers(analyzers);
        var found = withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(withAnalyzers.Compilation.GetSemanticModel(tree), null, CancellationToken.None).Result;
        if (found.Any(d => d.Id == "AD0001")) throw new InvalidOperationException(string.Join("\n", found));
        return found.Length;
    }

    [Benchmark(Description = "generator: type inside one method")]
    public GeneratorDriver GeneratorInside() => _warm.RunGenerators(EditInside());

    [Benchmark(Description = "generator: type above the methods")]
    public GeneratorDriver GeneratorAbove() => _warm.RunGenerators(EditAbove());

    [Benchmark(Description = "analyzer: type inside one method")]
    public int AnalyzerInside() => Analyze(EditInside());

    [Benchmark(Description = "analyzer: type above the methods")]
    public int AnalyzerAbove() => Analyze(EditAbove());

    /// <summary>What the IDE computes on each keystroke without us: the compiler's diagnostics of the edited file.</summary>
    [Benchmark(Baseline = true, Description = "compiler diagnostics only (baseline)")]
    public int CompilerOnly()
    {
        var edited = EditInside();
        return edited.GetSemanticModel(edited.SyntaxTrees.Single()).GetDiagnostics().Length;
    }
}
