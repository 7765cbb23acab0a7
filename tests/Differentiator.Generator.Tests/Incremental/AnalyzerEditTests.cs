using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Differentiator.Generator.Editing;
using Differentiator.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Differentiator.Generator.Tests.Incremental;

/// <summary>
/// The analyzer after a keystroke parses again only the methods the edit touched and reports the others' last
/// findings, moved (Editing/FindingsCache.cs). Every test compares with a fresh analysis of the same text: the
/// reported diagnostics must be identical, and the reuse must be where it is claimed and nowhere else.
/// </summary>
public class AnalyzerEditTests
{
    internal const string Source = """
        using System;
        using Differentiator;
        namespace Edits;

        // A comment above every method.
        public static partial class Losses
        {
            [Differentiable]
            public static double A(double x, double y)
            {
                double r = Math.Sqrt(x) + Math.Abs(y);
                return r * r;
            }

            [Differentiable]
            public static double B(double x)
            {
                double s = 0.5 * x;
                return Math.Abs(s) + 1.0;
            }

            [Differentiable]
            public static double C(double[] v)
            {
                double s = 0;
                for (int i = 0; i < v.Length; i++) s += Scale(v[i]);
                return Math.Sqrt(s);
            }

            static double Scale(double t)
            {
                double u = t * 2.0;
                return u * u;
            }
        }
        """;

    /// <summary>One file being typed into: each edit applies to the text the last one left, as an editor's buffer does.</summary>
    private sealed class Buffer
    {
        public Buffer(string text)
        {
            Tree = CSharpSyntaxTree.ParseText(text, GeneratorRun.ParseOptions, "Edits/Losses.cs");
            Compilation = GeneratorRun.CreateCompilation().AddSyntaxTrees(Tree);
        }

        public SyntaxTree Tree { get; private set; }
        public CSharpCompilation Compilation { get; private set; }
        public FindingsCache Cache { get; } = new();

        public void Replace(string old, string replacement, int occurrence = 0)
        {
            string text = Tree.GetText().ToString();
            int at = -1;
            for (int k = 0; k <= occurrence; k++) at = text.IndexOf(old, at + 1, System.StringComparison.Ordinal);
            Assert.True(at >= 0, "'" + old + "' is not in the text");
            var edited = Tree.WithChangedText(Tree.GetText().WithChanges(new TextChange(new TextSpan(at, old.Length), replacement)));
            Compilation = Compilation.ReplaceSyntaxTree(Tree, edited);
            Tree = edited;
        }

        public string[] Analyze(FindingsCache? cache) => Run(Compilation, new DifferentiableAnalyzer(cache));

        /// <summary>The methods whose last findings still hold, by name.</summary>
        public string[] StillValid() =>
            Cache.StillValid(Compilation, Tree, CancellationToken.None).Values
                .Select(m => Tree.GetRoot().FindNode(m.Span)).OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax>()
                .Select(m => m.Identifier.Text).OrderBy(n => n).ToArray();

        /// <summary>The analyzer with this buffer's cache must report what a fresh analysis reports.</summary>
        public string[] AnalyzeAndCompare()
        {
            var fresh = Analyze(null);
            var reused = Analyze(Cache);
            Assert.Equal(fresh, reused);
            return reused;
        }
    }

    private static string[] Run(Compilation compilation, DiagnosticAnalyzer analyzer) =>
        compilation.WithAnalyzers(ImmutableArray.Create(analyzer)).GetAnalyzerDiagnosticsAsync().Result
            .Select(d => d.Id + " " + d.Location.GetLineSpan().Span + " " + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture))
            .OrderBy(s => s, System.StringComparer.Ordinal).ToArray();

    [Fact]
    public void Typing_inside_one_method_keeps_the_others_findings_and_reports_what_a_fresh_run_does()
    {
        var buffer = new Buffer(Source);
        var before = buffer.AnalyzeAndCompare();
        Assert.Contains(before, d => d.StartsWith("DIFF102", System.StringComparison.Ordinal)); // Math.Abs: a kink

        buffer.Replace("double s = 0.5 * x;", "double s = 0.25 * x * x;\n        s = s + 1.0;");
        Assert.Equal(new[] { "A" }, buffer.StillValid()); // B was edited; C inlines a helper, so it is analysed again on any edit
        buffer.AnalyzeAndCompare();
    }

    [Fact]
    public void Typing_above_every_method_moves_every_finding()
    {
        var buffer = new Buffer(Source);
        buffer.AnalyzeAndCompare();
        buffer.Replace("// A comment above every method.", "// A comment above every method, longer.\n\n// And a second one.");
        Assert.Equal(new[] { "A", "B" }, buffer.StillValid()); // C inlines Scale: analysed again on any edit
        var after = buffer.AnalyzeAndCompare();
        Assert.Contains(after, d => d.StartsWith("DIFF104 (12,", System.StringComparison.Ordinal)); // Math.Sqrt(x) in A, three lines down
    }

    [Fact]
    public void Editing_an_inlined_helper_is_seen_by_its_caller()
    {
        var buffer = new Buffer(Source);
        Assert.DoesNotContain(buffer.AnalyzeAndCompare(), d => d.StartsWith("DIFF006", System.StringComparison.Ordinal));
        // The helper's body leaves the subset: C, which inlines it, must now say so, though C's own text did not change.
        buffer.Replace("double u = t * 2.0;", "double u = t * 2.0;\n        foreach (var q in new double[1]) u = u / 2;");
        Assert.DoesNotContain("C", buffer.StillValid());
        Assert.Contains(buffer.AnalyzeAndCompare(), d => d.StartsWith("DIFF006", System.StringComparison.Ordinal) && d.Contains("Scale"));
    }

    [Fact]
    public void Editing_the_callee_of_a_nested_gradient_is_seen_by_its_caller()
    {
        // Whether NGradient may be called inside depends on N's body (a callee that calls another [Differentiable]
        // method has no Hessian-vector product: DIFF600), so the caller reads N's body and is parsed again on its edit.
        var buffer = new Buffer("""
            using System;
            using Differentiator;
            namespace Edits;

            public static partial class Nested
            {
                [Differentiable]
                public static double N(double x) => x * x * x;

                [Differentiable]
                public static double M(double x)
                {
                    double v = x;
                    for (int i = 0; i < 3; i++)
                    {
                        NGradient(v, out double g);
                        v = v - 0.1 * g;
                    }
                    return v * v;
                }

                [Differentiable]
                public static double Q(double x)
                {
                    double q = x * x;
                    return q + 1;
                }
            }
            """);
        Assert.DoesNotContain(buffer.AnalyzeAndCompare(), d => d.StartsWith("DIFF600", System.StringComparison.Ordinal));
        buffer.Replace("double q = x * x;", "double q = x * x * 2;");
        Assert.DoesNotContain("M", buffer.StillValid()); // M read N's body; only an edit inside Q, but M is not reused
        buffer.AnalyzeAndCompare();
    }

    [Theory]
    [InlineData("public static double B(double x)", "public static double B(double x, double y = 0)")] // a signature
    [InlineData("public static partial class Losses", "public static class Losses")] // a declaration outside any body
    [InlineData("double s = 0.5 * x;", "double s = 0.5 * x;\n#if DEBUG\n        s = 2 * s;\n#endif")] // a directive inside a body
    [InlineData("return Math.Abs(s) + 1.0;\n    }", "return Math.Abs(s) + 1.0;\n    }\n    }")] // a brace that closes the class early
    [InlineData("// A comment above", "/* A comment above")] // a comment opened that swallows code
    public void Edits_that_may_change_declarations_reuse_nothing(string old, string replacement)
    {
        var buffer = new Buffer(Source);
        buffer.AnalyzeAndCompare();
        buffer.Replace(old, replacement);
        Assert.Empty(buffer.StillValid());
        buffer.AnalyzeAndCompare();
    }

    [Fact]
    public void A_change_elsewhere_in_the_compilation_reuses_nothing()
    {
        var buffer = new Buffer(Source);
        buffer.AnalyzeAndCompare();
        var other = CSharpSyntaxTree.ParseText("namespace Edits; public static class Other { }", GeneratorRun.ParseOptions, "Edits/Other.cs");
        var withOther = buffer.Compilation.AddSyntaxTrees(other);
        Assert.Empty(buffer.Cache.StillValid(withOther, buffer.Tree, CancellationToken.None));
        Assert.Equal(new[] { "A", "B" }, buffer.StillValid()); // the same compilation as the last run: all but C (it inlines)
    }

    [Fact]
    public void Texts_not_derived_from_each_other_reuse_nothing()
    {
        var buffer = new Buffer(Source);
        buffer.AnalyzeAndCompare();
        var retyped = CSharpSyntaxTree.ParseText(Source.Replace("0.5 * x", "0.75 * x"), GeneratorRun.ParseOptions, "Edits/Losses.cs");
        Assert.Empty(buffer.Cache.StillValid(buffer.Compilation.ReplaceSyntaxTree(buffer.Tree, retyped), retyped, CancellationToken.None));
    }
}
