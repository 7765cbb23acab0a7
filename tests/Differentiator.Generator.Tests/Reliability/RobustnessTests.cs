using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using Differentiator.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Differentiator.Generator.Tests.Reliability;

/// <summary>
/// The generator runs in every build and keystroke: it must never crash or hang, must honour cancellation, and its
/// output must stay linear in its input. The time bounds here are generous hang detectors, not performance targets
/// (speed is measured in benchmarks/).
/// </summary>
public class RobustnessTests
{
    /// <summary>
    /// A hang guard, not a speed test: generous enough for a 2-core machine shared with other builds (the 5,000-term
    /// case, whose test run takes under a minute on its own, took 2.6 min under a load of 14); a hang or a super-linear blow-up exceeds it.
    /// </summary>
    private static readonly TimeSpan HangBound = TimeSpan.FromMinutes(5);

    private static void AssertNoCrash(GeneratorRun run) =>
        Assert.DoesNotContain(run.GeneratorDiagnostics.Concat(run.AnalyzerDiagnostics), d => d.Id is "CS8785" or "AD0001" or "DIFF900");

    private static GeneratorRun Timed(string source)
    {
        var clock = Stopwatch.StartNew();
        var run = GeneratorRun.Compile(source);
        _ = run.AnalyzerDiagnostics;
        Assert.True(clock.Elapsed < HangBound, "took " + clock.Elapsed);
        return run;
    }

    [Fact]
    public void Random_token_mutations_of_valid_methods_never_crash()
    {
        var random = new Random(7);
        var tokens = CSharpSyntaxTree.ParseText(Sources.Mse).GetRoot().DescendantTokens().Where(t => t.Span.Length > 0).ToList();
        string[] replacements = { "+", "-", "*", "/", "(", ")", "{", "}", ";", "w", "x", "0", "1.5", "double", "int", "for", "if", "return", "Math.Log", "[", "]", "=", "+=", "<", ">", "?", ":" };
        for (int trial = 0; trial < 150; trial++)
        {
            var text = new StringBuilder(Sources.Mse);
            int mutations = 1 + random.Next(3);
            foreach (var token in tokens.OrderBy(_ => random.Next()).Take(mutations).OrderByDescending(t => t.SpanStart))
            {
                switch (random.Next(3))
                {
                    case 0: text.Remove(token.SpanStart, token.Span.Length); break;
                    case 1: text.Insert(token.SpanStart, token.Text + " "); break;
                    default: text.Remove(token.SpanStart, token.Span.Length).Insert(token.SpanStart, replacements[random.Next(replacements.Length)]); break;
                }
            }
            AssertNoCrash(GeneratorRun.Compile(text.ToString()));
        }
    }

    [Fact]
    public void Random_token_soup_inside_a_differentiable_method_never_crashes()
    {
        var random = new Random(11);
        string[] soup = { "x", "y", "w", "[", "]", "(", ")", "+", "-", "*", "/", "=", "==", ";", "{", "}", "for", "if", "else", "return", "double", "int", "var", "i", "0", "1", "2.5", "Math.Exp", ",", "<", "++", "new", "=>", "?", ":", "while", "break" };
        for (int trial = 0; trial < 150; trial++)
        {
            var body = string.Join(" ", Enumerable.Range(0, 5 + random.Next(40)).Select(_ => soup[random.Next(soup.Length)]));
            AssertNoCrash(GeneratorRun.Compile("using System; using Differentiator; namespace T; public static partial class F { [Differentiable] public static double G(double[] w, double x, double y) { " + body + " } }"));
        }
    }

    [Fact]
    public void A_5000_term_expression_generates_linear_code()
    {
        string Source(int terms) => "using System; using Differentiator; namespace T; public static partial class F { [Differentiable] public static double G(double[] x) => "
            + string.Join(" + ", Enumerable.Range(0, terms).Select(k => $"x[{k % 50}] * x[{(k * 7 + 1) % 50}]")) + "; }";
        var large = Timed(Source(5000));
        AssertNoCrash(large);
        Assert.Empty(large.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        // The gradient method alone: the doc comment's formula and the DOT picture are dropped past a size limit.
        static int GradientLength(string code) => code.IndexOf("G__Tape", System.StringComparison.Ordinal) - code.IndexOf("GGradient(", System.StringComparison.Ordinal);
        int small = GradientLength(GeneratorRun.Compile(Source(1000)).Sources["T.F.G.g.cs"]);
        double ratio = (double)GradientLength(large.Sources["T.F.G.g.cs"]) / small;
        Assert.InRange(ratio, 3.5, 6.5); // five times the terms: about five times the code
        ThreeWay.Check(large.Method("T.F", "G"), new object[] { new Inputs(3).Vector(50) });
    }

    [Fact]
    public void Loops_nested_20_deep_generate_and_run()
    {
        var body = new StringBuilder("double s = a;\n");
        for (int d = 0; d < 20; d++) body.Append($"for (int i{d} = 0; i{d} < n; i{d}++) {{\n");
        body.Append("s = s * 0.5 + Math.Sin(s) * a;\n");
        body.Append(new string('}', 20)).Append("\nreturn s;");
        var run = Timed("using System; using Differentiator; namespace T; public static partial class F { [Differentiable(nameof(a))] public static double G(double a, int n) { " + body + " } }");
        AssertNoCrash(run);
        ThreeWay.Check(run.AssertClean().Method("T.F", "G"), new object[] { 0.7, 1 });
        ThreeWay.Check(run.Method("T.F", "G"), new object[] { 0.7, 2 }); // 2^20 iterations, each value saved and restored
    }

    [Fact]
    public void A_thousand_differentiable_methods_generate_a_file_each()
    {
        var source = new StringBuilder("using System; using Differentiator; namespace T; public static partial class F {\n");
        for (int k = 0; k < 1000; k++) source.Append($"[Differentiable] public static double M{k}(double x, double[] w) {{ double s = x; for (int i = 0; i < w.Length; i++) s += Math.Sin(w[i] * x + {k}); return s * s; }}\n");
        var run = Timed(source.Append('}').ToString());
        AssertNoCrash(run);
        Assert.Equal(1000, run.Sources.Count);
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void Cancellation_is_honoured()
    {
        var compilation = GeneratorRun.CreateCompilation(Sources.Mse);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new DifferentiatorGenerator().AsSourceGenerator() }, parseOptions: GeneratorRun.ParseOptions);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => driver.RunGenerators(compilation, cancelled.Token));
    }
}
