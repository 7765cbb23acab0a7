using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Differentiator.Generator.Tests.Formulas;

/// <summary>The derivative formulas in MGradient's doc comment, which IDEs show on hover.</summary>
public class FormulaTests
{
    private readonly ITestOutputHelper _output;

    public FormulaTests(ITestOutputHelper output) => _output = output;

    private string Docs(string source, string hint)
    {
        var code = GeneratorRun.Compile(source).AssertClean().Sources[hint];
        var lines = code.Split('\n').Where(l => l.TrimStart().StartsWith("/// <para>")).Select(l => l.Trim().Replace("/// <para>", "").Replace("</para>", "")).ToList();
        _output.WriteLine(string.Join("\n", lines));
        return string.Join("\n", lines);
    }

    [Fact]
    public void Mse_formulas_read_like_the_textbook()
    {
        var docs = Docs(Sources.Mse, "Demo.Losses.Mse.g.cs");
        Assert.Equal(
            "Mse = (1/n)·Σᵢ (b + Σⱼ X[i,j]·w[j] − y[i])²\n" +
            "∂Mse/∂w[j] = (2/n)·Σᵢ (b + Σₖ X[i,k]·w[k] − y[i])·X[i,j]\n" +
            "∂Mse/∂b = (2/n)·Σᵢ (b + Σⱼ X[i,j]·w[j] − y[i])",
            docs);
    }

    [Fact]
    public void Scalar_functions_through_the_whole_generator()
    {
        const string source = "using System; using Differentiator; namespace T; public static partial class F { [Differentiable] public static double G(double a, double x) => Math.Exp(a * x) + Math.Sin(x); }";
        var docs = Docs(source, "T.F.G.g.cs");
        Assert.Equal("G = exp(a·x) + sin(x)\n∂G/∂a = x·exp(a·x)\n∂G/∂x = a·exp(a·x) + cos(x)", docs);
    }

    [Fact]
    public void Overwritten_loop_carried_values_have_no_closed_form_and_say_so()
    {
        const string source = "using System; using Differentiator; namespace T; public static partial class F { [Differentiable] public static double H(double[] x, double p) { for (int i = 0; i < x.Length; i++) p = p * x[i] + Math.Sin(p); return p; } }";
        var code = GeneratorRun.Compile(source).AssertClean().Sources["T.F.H.g.cs"];
        Assert.Contains("No closed-form formula is shown", code);
    }
}
