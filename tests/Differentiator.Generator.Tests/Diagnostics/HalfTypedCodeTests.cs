using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CSharp;

namespace Differentiator.Generator.Tests.Diagnostics;

/// <summary>
/// The IDE runs the generator on every keystroke, so it sees every half-typed state of a method. None may crash it
/// (CS8785 or AD0001 would mean users silently get no code) or hit an internal error (DIFF900).
/// </summary>
public class HalfTypedCodeTests
{
    [Fact]
    public void Every_prefix_of_a_method_cut_at_each_token_generates_without_crashing()
    {
        string source = Sources.Mse;
        var tokens = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().ToList();
        int runs = 0;
        foreach (var token in tokens)
        {
            foreach (int cut in new[] { token.SpanStart, token.Span.End })
            {
                var run = GeneratorRun.Compile(source.Substring(0, cut));
                Assert.DoesNotContain(run.GeneratorDiagnostics.Concat(run.AnalyzerDiagnostics), d => d.Id is "CS8785" or "AD0001" or "DIFF900");
                runs++;
            }
        }
        Assert.True(runs > 200, "only " + runs + " prefixes");
    }

    [Fact]
    public void Deleting_any_single_token_never_crashes_the_generator()
    {
        string source = Sources.Mse;
        var tokens = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().ToList();
        foreach (var token in tokens)
        {
            var run = GeneratorRun.Compile(source.Remove(token.SpanStart, token.Span.Length));
            Assert.DoesNotContain(run.GeneratorDiagnostics.Concat(run.AnalyzerDiagnostics), d => d.Id is "CS8785" or "AD0001" or "DIFF900");
        }
    }
}
