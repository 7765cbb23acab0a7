using System.Linq;
using Differentiator.Generator.Tests.Parsing;

namespace Differentiator.Generator.Tests.Incremental;

/// <summary>
/// The analyzer differentiates and analyses a method once per distinct model: a keystroke elsewhere re-parses it,
/// finds an equal model, and places the cached findings through the new parse's positions.
/// </summary>
public class AnalyzerCacheTests
{
    private const string Method = """
        [Differentiable] public static double G(double x, double y)
        {
            double r = Math.Sqrt(x) + Math.Abs(y);
            return r * r;
        }
        """;

    private static ParsedMethod Parse(string members) => ParserHarness.Parse(members);

    [Fact]
    public void An_equal_model_reuses_the_analysis_and_places_it_at_the_new_positions()
    {
        var cache = new MethodAnalysisCache(capacity: 16);
        var first = Parse(Method);
        var moved = Parse("// two lines typed above\n// the method\n" + Method);
        Assert.Equal(first.Model, moved.Model);

        var analysis = cache.GetOrAdd(first.Model, first.Positions);
        var again = cache.GetOrAdd(moved.Model, moved.Positions);
        Assert.Same(analysis, again);

        // DIFF104 on Math.Sqrt(x), DIFF102 on Math.Abs(y): at those texts in the moved source, two lines further down.
        Assert.Equal(new[] { "DIFF104", "DIFF102" }, again.Advisories.Select(a => a.Id).OrderBy(id => id == "DIFF102").ToArray());
        var sqrt = again.Advisories.Single(a => a.Id == "DIFF104");
        Assert.Equal("Math.Sqrt(x)", moved.TextOf(sqrt.Location));
        Assert.Equal(first.Where(sqrt.Location)!.StartLine + 2, moved.Where(sqrt.Location)!.StartLine);
        Assert.Equal("Math.Abs(y)", moved.TextOf(again.Advisories.Single(a => a.Id == "DIFF102").Location));
    }

    [Fact]
    public void A_changed_method_is_analysed_again()
    {
        var cache = new MethodAnalysisCache(capacity: 16);
        var first = Parse(Method);
        var edited = Parse(Method.Replace("Math.Abs(y)", "y * y"));
        Assert.NotEqual(first.Model, edited.Model);
        var before = cache.GetOrAdd(first.Model, first.Positions);
        var after = cache.GetOrAdd(edited.Model, edited.Positions);
        Assert.NotSame(before, after);
        Assert.Equal(new[] { "DIFF104" }, after.Advisories.Select(a => a.Id).ToArray());
    }

    [Fact]
    public void The_cache_is_bounded()
    {
        var cache = new MethodAnalysisCache(capacity: 4);
        for (int k = 1; k <= 10; k++)
        {
            var parsed = Parse(Method.Replace("return r * r;", "return r * " + k + ";"));
            cache.GetOrAdd(parsed.Model, parsed.Positions);
            Assert.True(cache.Count <= 4, "holds " + cache.Count);
        }
        // The most recent model is still there: asking again returns the same analysis.
        var last = Parse(Method.Replace("return r * r;", "return r * 10;"));
        Assert.Same(cache.GetOrAdd(last.Model, last.Positions), cache.GetOrAdd(last.Model, last.Positions));
    }
}
