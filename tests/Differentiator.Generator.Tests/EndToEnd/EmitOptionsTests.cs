using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Differentiator.Generator.Model;
using Differentiator.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>
/// The MSBuild property DifferentiatorEmit chooses the generated members (issue 22: a 15-line loss gave a 386-line
/// file, 150 lines of them the DOT picture). Read as the compiler receives it from build/Differentiator.targets,
/// <c>build_property.DifferentiatorEmitForCompiler</c> (tests/Consumer/run.sh checks the MSBuild side).
/// </summary>
public class EmitOptionsTests
{
    private static (string Source, ImmutableArray<Diagnostic> Diagnostics, CSharpCompilation Output) Generate(string? emit)
    {
        var options = emit is null ? BuildProperties.Of() : BuildProperties.Of((EmitOptions.CompilerVisibleName, emit));
        var (sources, output, diagnostics) = options.Generate(GeneratorRun.CreateCompilation(Sources.Mse));
        return (sources.Values.Single(), diagnostics, output);
    }

    [Fact]
    public void Without_the_property_the_gradient_and_both_checks_are_written_but_not_the_picture()
    {
        var (source, diagnostics, output) = Generate(null);
        Assert.Contains(" MseGradient(", source);
        Assert.Contains(" MseTapeGradient(", source);
        Assert.Contains(" MseNumericalGradient(", source);
        Assert.DoesNotContain("MseGradientDot", source);
        Assert.Empty(diagnostics);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Gradient_alone_writes_only_the_gradient_and_a_much_shorter_file()
    {
        var (gradientOnly, _, output) = Generate("Gradient");
        var (all, _, outputAll) = Generate("gradient; Tape, NUMERICAL Dot;Pushforward hessian");
        Assert.Contains(" MseGradient(", gradientOnly);
        var others = new[] { "MseTapeGradient", "Mse__Tape", "MseNumericalGradient", "MseGradientDot", "MsePushforward", "MseHessianVectorProduct", "MseHessian(", "MseNumericalHessian" };
        foreach (var member in others) Assert.DoesNotContain(member, gradientOnly);
        foreach (var member in new[] { "MseTapeGradient(", "Mse__Tape(", "MseNumericalGradient(", "internal const string MseGradientDot", "MsePushforward(", "MseHessianVectorProduct(", "MseHessian(", "MseNumericalHessian(" }) Assert.Contains(member, all);
        Assert.True(gradientOnly.Split('\n').Length * 2 < all.Split('\n').Length, gradientOnly.Split('\n').Length + " vs " + all.Split('\n').Length + " lines");
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Assert.Empty(outputAll.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        Assert.Equal(all, Generate("All").Source);
    }

    [Fact]
    public void A_nested_call_without_the_Hessian_members_is_DIFF601_and_builds_with_them()
    {
        const string nested = """
            using Differentiator;
            namespace Demo;
            public static partial class Nested
            {
                [Differentiable]
                public static double N(double x) => x * x * x;

                [Differentiable]
                public static double M(double x)
                {
                    NGradient(x, out double g);
                    return g * x;
                }
            }
            """;
        (ImmutableArray<Diagnostic> Generator, ImmutableArray<Diagnostic> Build, string[] Files) Run(string emit)
        {
            var (sources, output, diagnostics) = BuildProperties.Of((EmitOptions.CompilerVisibleName, emit)).Generate(GeneratorRun.CreateCompilation(nested));
            var files = sources.Keys.OrderBy(n => n).ToArray();
            return (diagnostics, output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray(), files);
        }

        var without = Run("Gradient;Tape");
        var error = Assert.Single(without.Generator);
        Assert.Equal("DIFF601", error.Id);
        Assert.Contains("NHessianVectorProduct", error.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(10, error.Location.GetLineSpan().StartLinePosition.Line); // on the call (the generator's location is by file path)
        Assert.Empty(without.Build); // no file for M rather than CS0117 inside it; N's file builds
        Assert.DoesNotContain(without.Files, f => f.Contains(".M."));

        var with = Run("Gradient;Hessian");
        Assert.DoesNotContain(with.Generator, d => d.Severity >= DiagnosticSeverity.Warning); // DIFF301 (info): M's own second order would be N's third
        Assert.Empty(with.Build);
        Assert.Contains(with.Files, f => f.Contains(".M."));
    }

    [Fact]
    public void An_unknown_member_is_DIFF201_and_the_known_ones_still_apply()
    {
        var (source, diagnostics, _) = Generate("Gradient;Tapes;Dot");
        var unknown = Assert.Single(diagnostics);
        Assert.Equal("DIFF201", unknown.Id);
        Assert.Equal(DiagnosticSeverity.Warning, unknown.Severity);
        Assert.Contains("'Tapes'", unknown.GetMessage());
        Assert.Contains("MseGradientDot", source);
        Assert.DoesNotContain("MseTapeGradient", source);
    }

    [Fact]
    public void Parsing_accepts_any_case_and_separator_and_empty_means_the_default()
    {
        Assert.Equal(GeneratedMembers.Default, EmitOptions.Parse("  ").Members);
        Assert.Equal(GeneratedMembers.Tape | GeneratedMembers.Dot, EmitOptions.Parse("dot,TAPE").Members);
        Assert.Equal(GeneratedMembers.Gradient, EmitOptions.Parse("Gradient").Members);
        Assert.Equal(GeneratedMembers.Pushforward | GeneratedMembers.Hessian, EmitOptions.Parse("pushForward;HESSIAN").Members);
        Assert.Equal(GeneratedMembers.Tape | GeneratedMembers.Numerical | GeneratedMembers.Pushforward | GeneratedMembers.Hessian, GeneratedMembers.Default);
        Assert.Equal(new[] { "x", "Dots" }, EmitOptions.Parse("x;Dots;All").Unknown.Items);
    }

    [Fact]
    public void Pushforward_without_hessian_and_hessian_without_pushforward()
    {
        var (pushforward, _, output) = Generate("Gradient;Pushforward");
        Assert.Contains("MsePushforward(", pushforward);
        Assert.DoesNotContain("HessianVectorProduct", pushforward);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        var (hessian, _, outputHessian) = Generate("Gradient;Hessian");
        Assert.DoesNotContain("MsePushforward(", hessian);
        Assert.Contains("MseHessianVectorProduct(", hessian);
        Assert.Contains("MseNumericalHessian(", hessian);
        Assert.Empty(outputHessian.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }
}
