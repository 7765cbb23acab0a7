using System;
using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>No expression swell: generated code grows linearly with the source, even for long product chains.</summary>
public class GrowthTests
{
    private static string Source(int terms) =>
        "using System; using Differentiator; namespace T; public static partial class F { [Differentiable] public static double P(double[] x) => "
        + string.Join(" * ", Enumerable.Range(0, terms).Select(k => $"Math.Sin(x[{k}] + x[{(k + 1) % terms}])")) + "; }";

    private static int GradientLength(int terms)
    {
        var code = GeneratorRun.Compile(Source(terms)).AssertClean().Sources["T.F.P.g.cs"];
        int start = code.IndexOf("PGradient(", StringComparison.Ordinal);
        return code.IndexOf("P__Tape", StringComparison.Ordinal) - start;
    }

    [Fact]
    public void Gradient_of_a_product_chain_grows_linearly()
    {
        int small = GradientLength(20);
        int large = GradientLength(80);
        // Four times the terms: about four times the code (a quadratic blow-up would be sixteen).
        Assert.InRange((double)large / small, 3.0, 5.0);
    }

    [Fact]
    public void Product_chain_gradient_is_right()
    {
        var m = GeneratorRun.Compile(Source(12)).AssertClean().Method("T.F", "P");
        var inputs = new Inputs(31);
        for (int trial = 0; trial < 3; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(12, 0.2, 1.2) });
    }
}
