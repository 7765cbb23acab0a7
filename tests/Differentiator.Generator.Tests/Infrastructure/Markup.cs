using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace Differentiator.Generator.Tests.Infrastructure;

/// <summary>
/// Source with expected diagnostics marked as <c>{|DIFF007:while|}</c> (the Microsoft.CodeAnalysis.Testing markup):
/// the marked text is the exact span the diagnostic must cover.
/// </summary>
public static class Markup
{
    private static readonly Regex Marker = new(@"\{\|(?<id>[A-Z]+[0-9]+):", RegexOptions.Compiled);

    public static (string Source, List<(string Id, int Start, int Length)> Expected) Parse(string markup)
    {
        var text = new StringBuilder();
        var expected = new List<(string, int, int)>();
        var open = new Stack<(string Id, int Start)>();
        int k = 0;
        while (k < markup.Length)
        {
            var match = Marker.Match(markup, k);
            int close = markup.IndexOf("|}", k, System.StringComparison.Ordinal);
            if (match.Success && (close < 0 || match.Index < close))
            {
                text.Append(markup, k, match.Index - k);
                open.Push((match.Groups["id"].Value, text.Length));
                k = match.Index + match.Length;
            }
            else if (close >= 0 && open.Count > 0)
            {
                text.Append(markup, k, close - k);
                var (id, start) = open.Pop();
                expected.Add((id, start, text.Length - start));
                k = close + 2;
            }
            else
            {
                text.Append(markup, k, markup.Length - k);
                break;
            }
        }
        return (text.ToString(), expected);
    }

    /// <summary>
    /// Compiles the marked source and requires exactly the marked DIFF diagnostics from the analyzer (what the editor
    /// shows), at exactly those spans — and that the generator's own pipeline found the same errors (one source of truth).
    /// Info-level diagnostics count only when <paramref name="includeInfo"/> is set.
    /// </summary>
    public static GeneratorRun AssertDiagnostics(string markup, bool includeInfo = false)
    {
        var (source, expected) = Parse(markup);
        var run = GeneratorRun.Compile(source);
        var actual = Spans(run.AnalyzerDiagnostics.Where(d => includeInfo || d.Severity != DiagnosticSeverity.Info));
        // DIFF300 and DIFF301 (members the generator could not write) come from the generator alone, by design.
        var model = Spans(run.ModelDiagnostics.Where(d => d.Id is not ("DIFF300" or "DIFF301")));
        // A custom derivative's checks (DIFF5xx) are one function both call, but the generator keeps only its verdict
        // (the model, or none: no tape form is generated), so they are compared by the tests of custom derivatives.
        var analyzerErrors = Spans(run.AnalyzerDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error && !d.Id.StartsWith("DIFF5", System.StringComparison.Ordinal)));
        Assert.True(model.SequenceEqual(analyzerErrors), "The generator and the analyzer disagree:\ngenerator: " + string.Join(", ", model) + "\nanalyzer: " + string.Join(", ", analyzerErrors));
        var want = expected.OrderBy(d => d.Start).ThenBy(d => d.Id).ToList();
        string Show(IEnumerable<(string Id, int Start, int Length)> list) => string.Join("\n", list.Select(d => $"  {d.Id} at {d.Start}: '{source.Substring(d.Start, d.Length)}'"));
        if (!actual.SequenceEqual(want))
            throw new Xunit.Sdk.XunitException("Expected:\n" + Show(want) + "\nActual:\n" + Show(actual) + "\nMessages:\n" + string.Join("\n", run.AnalyzerDiagnostics));
        Assert.DoesNotContain(run.GeneratorDiagnostics.Concat(run.AnalyzerDiagnostics), d => d.Id is "CS8785" or "AD0001");
        return run;
    }

    private static List<(string Id, int Start, int Length)> Spans(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics.Where(d => d.Id.StartsWith("DIFF", System.StringComparison.Ordinal))
            .Select(d => (d.Id, d.Location.SourceSpan.Start, d.Location.SourceSpan.Length)).OrderBy(d => d.Start).ThenBy(d => d.Id).ToList();
}
