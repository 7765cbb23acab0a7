using System;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis.CSharp;
using static Differentiator.Generator.Tests.Parsing.ParserHarness;

namespace Differentiator.Generator.Tests.Parsing;

/// <summary>
/// The parser runs on every keystroke: every half-typed state must give diagnostics or silence, never an exception,
/// and never IR for code the compiler rejects without a DIFF error that says so.
/// </summary>
public class HalfTypedParsingTests
{
    private static readonly string Mse = MseParsingTests.Source.Replace("\r\n", "\n");

    private static void ParseWithoutThrowing(string source)
    {
        try
        {
            foreach (var method in ParseAll(source))
            {
                foreach (var d in method.Diagnostics) AssertConsistent(d.Location!, source);
            }
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException("MethodParser threw on:\n" + source + "\n\n" + e);
        }
    }

    [Fact]
    public void Every_prefix_of_the_mse_cut_at_each_token_boundary_parses_without_throwing()
    {
        var tokens = CSharpSyntaxTree.ParseText(Mse).GetRoot().DescendantTokens().ToList();
        var cuts = tokens.SelectMany(t => new[] { t.SpanStart, t.Span.End }).Distinct().ToList();
        Assert.True(cuts.Count > 200);
        foreach (int cut in cuts) ParseWithoutThrowing(Mse.Substring(0, cut));
    }

    [Fact]
    public void Deleting_any_one_token_of_the_mse_parses_without_throwing()
    {
        foreach (var token in CSharpSyntaxTree.ParseText(Mse).GetRoot().DescendantTokens())
            ParseWithoutThrowing(Mse.Remove(token.SpanStart, token.Span.Length));
    }

    [Fact]
    public void Odd_but_compilable_attribute_arguments_parse_without_throwing()
    {
        foreach (string attribute in new[] { "(null)", "((string)null)", "(\"b\", null)", "(new string[0])", "(new[] { \"b\" })", "()", "(nameof(Missing))", "(1)", "(\"b\", \"b\")" })
        {
            ParseWithoutThrowing(Mse.Replace("[Differentiable(nameof(w), nameof(b))]", "[Differentiable" + attribute + "]"));
        }
    }

    [Fact]
    public void An_expression_with_a_missing_operand_gives_no_ir_and_no_diff_noise()
    {
        // The compiler reports it; later stages must not get IR built from error symbols, and the user needs no second message.
        foreach (string prefix in new[] { "sum += r *", "return sum /", "double r = pred - y[" })
        {
            string source = Mse.Substring(0, Mse.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length);
            var mse = Assert.Single(ParseAll(source));
            Assert.Null(mse.Model.Ir);
            Assert.Empty(mse.Diagnostics);
        }
    }

    [Fact]
    public void Cancellation_throws_operation_canceled_and_nothing_else()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => ParseAll(Mse, cancelled.Token));
    }
}
