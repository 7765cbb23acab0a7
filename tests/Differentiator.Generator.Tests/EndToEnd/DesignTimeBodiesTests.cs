using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Differentiator.Generator.Emission;
using Differentiator.Generator.Model;
using Differentiator.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>
/// In an IDE's design-time build (build/Differentiator.targets passes DifferentiatorDesignTimeForCompiler) every
/// generated body is text in an <c>#if false</c> region and the member compiles as a throw, so an editor that
/// recompiles the project per keystroke compiles signatures only (docs/editors.md). The build's files are unchanged.
/// DesignTimeCheck compares the two forms; <c>DIFFERENTIATOR_CHECK_DESIGN_TIME=1 dotnet test</c> compares them on every
/// program the tests compile.
/// </summary>
public class DesignTimeBodiesTests
{
    private const string Programs = """
        using System;
        using Differentiator;
        namespace Demo
        {
            public static partial class Shapes
            {
                [Differentiable(nameof(w), nameof(b))]
                public static double Loss(double[] x, double[] w, double b)
                {
                    double s = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        double z = b + w[i % w.Length] * x[i];
                        if (z > 0) s += Math.Tanh(z) * z; else s += 0.5 * z * z;
                    }
                    return Math.Sqrt(s + 1);
                }

                [Differentiable] public static float Single(float a, float c) => MathF.Exp(a * c) + a;

                [Differentiable(nameof(p))] public static void Residuals(ReadOnlySpan<double> p, double[] t, Span<double> r)
                {
                    for (int i = 0; i < r.Length; i++) r[i] = p[0] * Math.Exp(-p[1] * t[i]) - 1;
                }

                [Differentiable] public static double Inner(double x, double y) => x * x * y + Math.Sin(y);

                [Differentiable] public static double Outer(double a)
                {
                    InnerGradient(a, 2 * a, out double gx, out double gy);
                    return gx * gy + a;
                }

                public static partial class Nested
                {
                    [Differentiable] public static double Deep(double u) => u * Math.Log(1 + u * u);
                }
            }
        }
        public partial class NoNamespace
        {
            [Differentiable] public double Instance(double v) => v * v * v;
        }
        """;

    [Fact]
    public void Every_member_keeps_its_signature_and_doc_and_its_body_as_text_and_the_build_is_unchanged()
    {
        var build = GeneratorRun.Compile(Programs).AssertClean();
        DesignTimeCheck.Verify(build);
        var (sources, output) = DesignTimeCheck.Run(build.Input);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
        foreach (var (hint, text) in sources)
        {
            Assert.DoesNotContain(DesignTimeBodies.RegionComment, build.Sources[hint]);
            // One region per method the build's file declares with a body.
            int methods = build.Sources[hint].Split('\n').Count(l => l.TrimStart().StartsWith("{", StringComparison.Ordinal) && l.Trim() == "{" && l.Length - 1 == Indent(build.Sources[hint]));
            Assert.True(DesignTimeCheck.Regions(text) >= 1, hint);
            Assert.Equal(methods, DesignTimeCheck.Regions(text));
        }
        Assert.Contains(sources, s => s.Value.Contains("OuterGradient(") && s.Value.Contains("InnerHessianVectorProduct(")); // nested, in text
        Assert.Contains(sources, s => s.Value.Contains("ResidualsJacobian("));
        Assert.Contains(sources, s => s.Value.Contains("DeepGradient("));
    }

    [Fact]
    public void A_design_time_member_called_at_run_time_throws_and_names_the_way_out()
    {
        var build = GeneratorRun.Compile(Programs).AssertClean();
        var (_, output) = DesignTimeCheck.Run(build.Input);
        using var stream = new MemoryStream();
        Assert.True(output.Emit(stream).Success);
        var context = new AssemblyLoadContext("designtime" + Guid.NewGuid().ToString("N"), isCollectible: true);
        context.Resolving += (_, name) => name.Name == "Differentiator.Runtime" ? typeof(DifferentiableAttribute).Assembly : null;
        stream.Position = 0;
        var type = context.LoadFromStream(stream).GetType("Demo.Shapes+Nested", throwOnError: true)!;
        var gradient = type.GetMethod("DeepGradient")!;
        var error = Assert.Throws<TargetInvocationException>(() => gradient.Invoke(null, new object?[] { 0.5, null }));
        var inner = Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.StartsWith("Deep: DeepGradient was compiled by an IDE design-time build", inner.Message); // nameof(Deep): the user's method stays referenced
        Assert.Contains("DifferentiatorEditorBodies", inner.Message);
        context.Unload();
    }

    [Fact]
    public void A_changed_body_changes_the_compiled_stub_so_a_hot_reload_cannot_keep_an_old_gradient()
    {
        var first = DesignTimeCheck.Run(GeneratorRun.CreateCompilation(Programs)).Sources;
        var changed = DesignTimeCheck.Run(GeneratorRun.CreateCompilation(Programs.Replace("u * Math.Log(1 + u * u)", "u * Math.Log(2 + u * u)"))).Sources;
        string Stub(string text) => string.Join("\n", text.Split('\n').Where(l => l.Contains("DeepGradient was compiled by")));
        string hint = first.Keys.Single(k => k.Contains("Deep"));
        Assert.NotEqual("", Stub(first[hint]));
        Assert.NotEqual(Stub(first[hint]), Stub(changed[hint]));
        string other = first.Keys.Single(k => k.Contains("Inner"));
        Assert.Equal(first[other], changed[other]);
    }

    [Fact]
    public void The_property_reads_true_in_any_case_and_anything_else_as_a_build()
    {
        Assert.True(EmitOptions.Parse(null, "true").DesignTime);
        Assert.True(EmitOptions.Parse("Gradient", " True ").DesignTime);
        Assert.False(EmitOptions.Parse(null, null).DesignTime);
        Assert.False(EmitOptions.Parse(null, "").DesignTime);
        Assert.False(EmitOptions.Parse(null, "false").DesignTime);
        Assert.Equal(GeneratedMembers.Gradient, EmitOptions.Parse("Gradient", "true").Members);
    }

    [Fact]
    public void With_DifferentiatorEmit_Gradient_the_design_time_file_has_one_region()
    {
        var input = GeneratorRun.CreateCompilation(Programs);
        var (sources, output) = DesignTimeCheck.Run(input, "Gradient");
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        Assert.Equal(1, DesignTimeCheck.Regions(sources.Single(s => s.Key.Contains("Inner")).Value));
    }

    /// <summary>The indentation of the members: the depth of the line after the innermost type's brace.</summary>
    private static int Indent(string text) =>
        text.Split('\n').Where(l => l.Contains("///") || l.TrimStart().StartsWith("public ", StringComparison.Ordinal) || l.TrimStart().StartsWith("internal ", StringComparison.Ordinal) || l.TrimStart().StartsWith("private ", StringComparison.Ordinal))
            .Select(l => l.Length - l.TrimStart().Length).Min();
}
