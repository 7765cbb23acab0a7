using System;
using System.IO;
using System.Linq;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Differentiator.Generator;

namespace Differentiator.Benchmarks.Generator;

/// <summary>
/// The generator's own speed, as the compiler and the IDE run it: a whole generation for 1, 100 and 1,000 methods
/// and for one 2,000-line method, then the incremental cases — an edit to an unrelated file, and an edit inside one
/// [Differentiable] method among 100 (only that one should regenerate; the tests check that, this measures it).
/// Compilations are built and bound in setup: only the generator's work is timed.
/// </summary>
[MemoryDiagnoser]
public class GenerationBenchmarks
{
    private static readonly CSharpParseOptions Options = new(LanguageVersion.Latest);
    private CSharpCompilation _compilation = null!;
    private GeneratorDriver _warm = null!;
    private GeneratorDriver _warmBindingOnly = null!;
    private CSharpCompilation _unrelatedEdit = null!;
    private CSharpCompilation _methodEdit = null!;

    [Params("1 method", "100 methods", "1000 methods", "one 2000-line method")]
    public string Case { get; set; } = "1 method";

    [GlobalSetup]
    public void Setup()
    {
        var files = Case switch
        {
            "1 method" => Files(1),
            "100 methods" => Files(100),
            "1000 methods" => Files(1000),
            _ => new[] { LongMethod(2000) },
        };
        var trees = files.Select((text, k) => CSharpSyntaxTree.ParseText(text, Options, "File" + k + ".cs")).ToList();
        trees.Add(CSharpSyntaxTree.ParseText("namespace Bench; public static class Unrelated { public static int Answer => 42; }", Options, "Unrelated.cs"));
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p)).Append(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location));
        _compilation = CSharpCompilation.Create("Bench", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        _ = _compilation.GetDiagnostics(); // bind once, so the benchmarks time the generator and not the binder's first pass

        _warm = Driver().RunGenerators(_compilation);
        _warmBindingOnly = CSharpGeneratorDriver.Create(new[] { new BindingOnlyGenerator().AsSourceGenerator() }, parseOptions: Options).RunGenerators(_compilation);
        var unrelated = trees.Last();
        _unrelatedEdit = _compilation.ReplaceSyntaxTree(unrelated, unrelated.WithChangedText(unrelated.GetText().Replace(unrelated.GetText().ToString().IndexOf("42", StringComparison.Ordinal), 2, "43")));
        var first = trees[0];
        string text = first.GetText().ToString();
        int at = text.IndexOf("0.5 *", StringComparison.Ordinal);
        _methodEdit = _compilation.ReplaceSyntaxTree(first, first.WithChangedText(first.GetText().Replace(at, 3, "0.75")));
    }

    private static GeneratorDriver Driver() =>
        CSharpGeneratorDriver.Create(new[] { new DifferentiatorGenerator().AsSourceGenerator() }, parseOptions: Options);

    /// <summary>A cold run: every method parsed, differentiated, optimized and emitted.</summary>
    [Benchmark(Description = "full generation")]
    public GeneratorDriver Full() => Driver().RunGenerators(_compilation);

    [Benchmark(Description = "edit an unrelated file")]
    public GeneratorDriver UnrelatedEdit() => _warm.RunGenerators(_unrelatedEdit);

    /// <summary>The same edit under a generator that only binds each method: Roslyn's share of <see cref="UnrelatedEdit"/>.</summary>
    [Benchmark(Description = "edit an unrelated file, binding only")]
    public GeneratorDriver UnrelatedEditBindingOnly() => _warmBindingOnly.RunGenerators(_unrelatedEdit);

    [Benchmark(Description = "edit one [Differentiable] method")]
    public GeneratorDriver MethodEdit() => _warm.RunGenerators(_methodEdit);

    /// <summary>Ten methods per file, each a small loss: a loop, a branch, a Math call, an overwritten local.</summary>
    internal static string[] Files(int methods)
    {
        var files = new string[(methods + 9) / 10];
        for (int f = 0; f < files.Length; f++)
        {
            var text = new StringBuilder("using System;\nusing Differentiator;\nnamespace Bench;\npublic static partial class Losses" + f + "\n{\n");
            for (int m = f * 10; m < Math.Min(methods, f * 10 + 10); m++)
            {
                text.Append("    [Differentiable(nameof(w), nameof(b))]\n");
                text.Append("    public static double Loss" + m + "(double[] x, double[] y, double[] w, double b)\n    {\n");
                text.Append("        double s = 0;\n        for (int i = 0; i < y.Length; i++)\n        {\n");
                text.Append("            double z = b;\n            for (int j = 0; j < w.Length; j++) z += x[i * w.Length + j] * w[j];\n");
                text.Append("            double r = Math.Tanh(z) - y[i];\n            s += r > 0 ? r * r : 0.5 * r * r;\n        }\n");
                text.Append("        return s / y.Length;\n    }\n\n");
            }
            files[f] = text.Append("}\n").ToString();
        }
        return files;
    }

    /// <summary>One method of about <paramref name="lines"/> statements: a long chain of locals, each overwritten in a loop.</summary>
    internal static string LongMethod(int lines)
    {
        var text = new StringBuilder("using System;\nusing Differentiator;\nnamespace Bench;\npublic static partial class Long\n{\n");
        text.Append("    [Differentiable]\n    public static double Big(double[] x, double a)\n    {\n        double t0 = a;\n");
        for (int k = 1; k < lines; k++)
        {
            text.Append(k % 50 == 0
                ? $"        for (int i{k} = 0; i{k} < x.Length; i{k}++) t{k - 1} = 0.5 * t{k - 1} + Math.Sin(x[i{k}] * t{k - 1});\n        double t{k} = t{k - 1};\n"
                : $"        double t{k} = 0.5 * t{k - 1} + Math.Cos(t{k - 1}) * x[{k % 7}];\n");
        }
        text.Append($"        return t{lines - 1};\n    }}\n}}\n");
        return text.ToString();
    }
}
