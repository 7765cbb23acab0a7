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
/// again from its state after the previous keystroke, and the analyzer run again on the edited file. Two edits: a
/// digit of a constant in the middle method changed (a constant never seen before, so no cache has seen that
/// method), and a character typed in a comment above every method (each method moves; nothing of it changed). Each
/// keystroke edits the text the previous one left, as typing does (so the analyzer can tell what changed since its
/// last run). The generator and the analyzer run twice per edit kind: as shipped (they parse again only the methods
/// the edit touched, Editing/) and with that reuse off (every method of the file parsed again, as before). Baseline: the
/// compiler's own diagnostics for the edited file, which the IDE computes on every keystroke anyway; and an empty
/// semantic-model analyzer, the host's cost of running any analyzer of that kind (it binds the file). Each
/// invocation builds the edited compilation (an incremental re-parse, microseconds) and binds what it needs.
/// <c>-- interleaved [methods] [rounds]</c> times the cases in turn instead (Program.cs).
/// </summary>
[MemoryDiagnoser]
public class EditBenchmarks
{
    private static readonly CSharpParseOptions Options = new(LanguageVersion.Latest);
    private CSharpCompilation _compilation = null!;
    private SyntaxTree _tree = null!;
    private GeneratorDriver _driver = null!;
    private GeneratorDriver _driverParsingAll = null!;
    private int _edits;
    private int _digitsAt;
    private int _aboveAt;

    /// <summary>The digits of the middle method's constant that an edit inside changes.</summary>
    private const int Digits = 7;

    [ParamsSource(nameof(Sizes))]
    public int Methods { get; set; }

    /// <summary>60 and 500 methods; <c>DIFFERENTIATOR_EDIT_METHODS=60</c> (comma-separated) runs fewer sizes.</summary>
    public static System.Collections.Generic.IEnumerable<int> Sizes =>
        (Environment.GetEnvironmentVariable("DIFFERENTIATOR_EDIT_METHODS") ?? "60,500").Split(',').Select(int.Parse);

    [GlobalSetup]
    public void Setup()
    {
        string text = EditorFile.Text(Methods, differentiable: true);
        // The middle method's 'b + w[...]' becomes 'b * 1.0000000 + w[...]'; an edit inside changes the digits after the point.
        int insideAt = text.IndexOf("double z = b", text.IndexOf("Loss" + Methods / 2 + "(", StringComparison.Ordinal), StringComparison.Ordinal) + "double z = b".Length;
        text = text.Insert(insideAt, " * 1." + new string('0', Digits));
        _digitsAt = insideAt + " * 1.".Length;
        _aboveAt = text.IndexOf("// Type here", StringComparison.Ordinal) + 2;
        _tree = CSharpSyntaxTree.ParseText(text, Options, "Losses.cs");
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p)).Append(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location));
        _compilation = CSharpCompilation.Create("Bench", new[] { _tree }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        _driver = CSharpGeneratorDriver.Create(new[] { new DifferentiatorGenerator().AsSourceGenerator() }, parseOptions: Options).RunGenerators(_compilation);
        _driverParsingAll = CSharpGeneratorDriver.Create(new[] { new DifferentiatorGenerator(models: null).AsSourceGenerator() }, parseOptions: Options).RunGenerators(_compilation);
        Analyze(_compilation, new DifferentiableAnalyzer()); // warm: the analyzer has seen every method, as after the file was opened
    }

    private CSharpCompilation Edit(TextChange change)
    {
        if (change.Span.Length > 0 && !_tree.GetText().ToString(change.Span).All(char.IsDigit))
            throw new InvalidOperationException("An edit inside must replace the constant's digits, not '" + _tree.GetText().ToString(change.Span) + "'.");
        var edited = _tree.WithChangedText(_tree.GetText().WithChanges(change));
        _compilation = _compilation.ReplaceSyntaxTree(_tree, edited);
        _tree = edited;
        return _compilation;
    }

    private CSharpCompilation EditInside() =>
        Edit(new TextChange(new TextSpan(_digitsAt, Digits), (++_edits % 10_000_000).ToString("D" + Digits, System.Globalization.CultureInfo.InvariantCulture)));

    private CSharpCompilation EditAbove()
    {
        _digitsAt++; // the constant moves with the character typed above it
        return Edit(new TextChange(new TextSpan(_aboveAt, 0), "x"));
    }

    private static int Analyze(CSharpCompilation compilation, DiagnosticAnalyzer analyzer)
    {
        var tree = compilation.SyntaxTrees.Single();
        var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create(analyzer));
        var found = withAnalyzers.GetAnalyzerSemanticDiagnosticsAsync(withAnalyzers.Compilation.GetSemanticModel(tree), null, CancellationToken.None).Result;
        if (found.Any(d => d.Id == "AD0001")) throw new InvalidOperationException(string.Join("\n", found));
        return found.Length;
    }

    [Benchmark(Description = "generator: type inside one method")]
    public GeneratorDriver GeneratorInside() => _driver = _driver.RunGenerators(EditInside());

    [Benchmark(Description = "generator: type above the methods")]
    public GeneratorDriver GeneratorAbove() => _driver = _driver.RunGenerators(EditAbove());

    [Benchmark(Description = "generator, every method parsed: inside")]
    public GeneratorDriver GeneratorInsideParsingAll() => _driverParsingAll = _driverParsingAll.RunGenerators(EditInside());

    [Benchmark(Description = "generator, every method parsed: above")]
    public GeneratorDriver GeneratorAboveParsingAll() => _driverParsingAll = _driverParsingAll.RunGenerators(EditAbove());

    [Benchmark(Description = "analyzer: type inside one method")]
    public int AnalyzerInside() => Analyze(EditInside(), new DifferentiableAnalyzer());

    [Benchmark(Description = "analyzer: type above the methods")]
    public int AnalyzerAbove() => Analyze(EditAbove(), new DifferentiableAnalyzer());

    [Benchmark(Description = "analyzer, every method parsed: inside")]
    public int AnalyzerInsideParsingAll() => Analyze(EditInside(), new DifferentiableAnalyzer(findings: null));

    [Benchmark(Description = "analyzer, every method parsed: above")]
    public int AnalyzerAboveParsingAll() => Analyze(EditAbove(), new DifferentiableAnalyzer(findings: null));

    [Benchmark(Description = "an empty semantic-model analyzer: inside")]
    public int NoOpAnalyzerInside() => Analyze(EditInside(), new NoOpSemanticModelAnalyzer());

    /// <summary>What the IDE computes on each keystroke without us: the compiler's diagnostics of the edited file.</summary>
    [Benchmark(Baseline = true, Description = "compiler diagnostics only (baseline)")]
    public int CompilerOnly()
    {
        var edited = EditInside();
        return edited.GetSemanticModel(edited.SyntaxTrees.Single()).GetDiagnostics().Length;
    }

    /// <summary>
    /// Every case once per round, in turn, for <paramref name="rounds"/> rounds after a warm-up; prints each case's
    /// median and its ratio to the compiler's diagnostics. Load that drifts over minutes then hits all cases alike.
    /// </summary>
    public static void RunInterleaved(int methods, int rounds)
    {
        var bench = new EditBenchmarks { Methods = methods };
        bench.Setup();
        var cases = new (string Name, Func<object> Call)[]
        {
            ("compiler diagnostics only", () => bench.CompilerOnly()),
            ("generator: inside", () => bench.GeneratorInside()),
            ("generator: above", () => bench.GeneratorAbove()),
            ("generator, every method parsed: inside", () => bench.GeneratorInsideParsingAll()),
            ("generator, every method parsed: above", () => bench.GeneratorAboveParsingAll()),
            ("analyzer: inside", () => bench.AnalyzerInside()),
            ("analyzer: above", () => bench.AnalyzerAbove()),
            ("analyzer, every method parsed: inside", () => bench.AnalyzerInsideParsingAll()),
            ("analyzer, every method parsed: above", () => bench.AnalyzerAboveParsingAll()),
            ("an empty semantic-model analyzer: inside", () => bench.NoOpAnalyzerInside()),
        };
        for (int warm = 0; warm < 5; warm++) foreach (var c in cases) c.Call();
        var samples = cases.Select(_ => new System.Collections.Generic.List<double>()).ToArray();
        for (int r = 0; r < rounds; r++)
            for (int c = 0; c < cases.Length; c++)
            {
                long start = System.Diagnostics.Stopwatch.GetTimestamp();
                cases[c].Call();
                samples[c].Add(System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        double Median(System.Collections.Generic.List<double> s) => s.OrderBy(t => t).ElementAt(s.Count / 2);
        Console.WriteLine($"EditBenchmarks, {methods} methods: {rounds} interleaved rounds, median ms per keystroke (ratio to the compiler's diagnostics)");
        for (int c = 0; c < cases.Length; c++)
            Console.WriteLine($"  {cases[c].Name,-40} {Median(samples[c]),9:F1} ms  {Median(samples[c]) / Median(samples[0]),6:F2}");
    }
}
