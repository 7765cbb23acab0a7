using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Differentiator.Generator.Editing;
using Differentiator.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Differentiator.Generator.Tests.Incremental;

/// <summary>
/// The generator's parse step after a keystroke (Editing/ModelCache.cs): each method the edit left alone comes back
/// from the file's previous version, moved, and must equal a fresh parse of the new version — the model and every
/// position, line and character included. The others are parsed again.
/// </summary>
public class ModelCacheTests
{
    private sealed class Buffer
    {
        public Buffer(string text)
        {
            Tree = CSharpSyntaxTree.ParseText(text, GeneratorRun.ParseOptions, "Edits/Losses.cs");
            Compilation = GeneratorRun.CreateCompilation().AddSyntaxTrees(Tree);
        }

        public SyntaxTree Tree { get; private set; }
        public CSharpCompilation Compilation { get; private set; }
        public ModelCache Cache { get; } = new();

        public void Replace(string old, string replacement)
        {
            int at = Tree.GetText().ToString().IndexOf(old, System.StringComparison.Ordinal);
            Assert.True(at >= 0, "'" + old + "' is not in the text");
            var edited = Tree.WithChangedText(Tree.GetText().WithChanges(new TextChange(new TextSpan(at, old.Length), replacement)));
            Compilation = Compilation.ReplaceSyntaxTree(Tree, edited);
            Tree = edited;
        }

        /// <summary>Every [Differentiable] method through the cache, checked against a fresh parse; by name.</summary>
        public Dictionary<string, LocatedModel> Parse()
        {
            var model = Compilation.GetSemanticModel(Tree);
            var parsed = new Dictionary<string, LocatedModel>();
            foreach (var syntax in Tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Where(m => m.AttributeLists.Count > 0))
            {
                var method = (IMethodSymbol)model.GetDeclaredSymbol(syntax)!;
                var cached = Cache.Parse(method, syntax, model, CancellationToken.None);
                var fresh = LocatedModel.Parse(method, syntax, model, CancellationToken.None);
                Assert.Equal(fresh.Model, cached.Model);
                Assert.Equal(fresh.Positions, cached.Positions);
                parsed[method.Name] = cached;
            }
            return parsed;
        }
    }

    private static string[] Kept(Dictionary<string, LocatedModel> before, Dictionary<string, LocatedModel> after) =>
        after.Where(p => ReferenceEquals(p.Value.Model, before[p.Key].Model)).Select(p => p.Key).OrderBy(n => n).ToArray();

    [Fact]
    public void Typing_inside_one_method_parses_only_that_method_again()
    {
        var buffer = new Buffer(AnalyzerEditTests.Source);
        var before = buffer.Parse();
        buffer.Replace("double s = 0.5 * x;", "double s = 0.25 * x * x;");
        var after = buffer.Parse();
        Assert.Equal(new[] { "A" }, Kept(before, after)); // B was edited; C inlines a helper
        Assert.NotEqual(before["B"].Model, after["B"].Model);
    }

    [Fact]
    public void Typing_above_moves_the_kept_positions()
    {
        var buffer = new Buffer(AnalyzerEditTests.Source);
        var before = buffer.Parse();
        buffer.Replace("// A comment above every method.", "// A comment above every method,\n// now on two lines.");
        var after = buffer.Parse();
        Assert.Equal(new[] { "A", "B" }, Kept(before, after));
        Assert.Equal(before["A"].Positions[0].StartLine + 1, after["A"].Positions[0].StartLine);
        // A second edit is measured from the first one's version, not the original.
        buffer.Replace("// now on two lines.", "// now on three\n// lines.");
        var again = buffer.Parse();
        Assert.Equal(new[] { "A", "B" }, Kept(after, again));
        Assert.Equal(before["A"].Positions[0].StartLine + 2, again["A"].Positions[0].StartLine);
    }

    [Fact]
    public void A_declaration_edit_parses_everything_again()
    {
        var buffer = new Buffer(AnalyzerEditTests.Source);
        var before = buffer.Parse();
        buffer.Replace("public static double B(double x)", "public static double B(double x, double y = 1)");
        Assert.Empty(Kept(before, buffer.Parse()));
    }
}
