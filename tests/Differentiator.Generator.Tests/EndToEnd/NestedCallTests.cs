using System;
using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>
/// Nested differentiation: a [Differentiable] method that calls another one's generated NGradient or NPushforward,
/// checked three ways (MGradient calls the callee's Hessian-vector product; MTapeGradient takes central differences of
/// the callee's tape gradient; MNumericalGradient differences M itself) and against closed forms.
/// </summary>
public class NestedCallTests
{
    private const string Prelude = "using System;\nusing Differentiator;\nnamespace T;\n";

    private static GeneratorRun Compile(string body) =>
        GeneratorRun.Compile(Prelude + "public static partial class F\n{\n" + body + "\n}\n").AssertClean();

    [Fact]
    public void A_gradient_component_used_in_a_loop_matches_the_closed_form()
    {
        // N(x, y) = x²y + sin(x); ∂N/∂x = 2xy + cos(x). M(a) = Σ_k ∂N/∂x(a·k, a)·k = Σ (2a²k² + k·cos(ak)) for k = 1..3,
        // so dM/da = Σ (4ak² − k²·sin(ak)).
        var run = Compile(@"[Differentiable] public static double N(double x, double y) => x * x * y + Math.Sin(x);
        [Differentiable] public static double M(double a)
        {
            double sum = 0;
            for (int k = 1; k <= 3; k++)
            {
                NGradient(a * k, a, out double gx, out _);
                sum += gx * k;
            }
            return sum;
        }");
        var m = run.Method("T.F", "M");
        foreach (double a in new[] { 0.3, -1.1, 2.0 })
        {
            var gradient = ThreeWay.Check(m, new object[] { a }, tapeTolerance: 1e-8);
            double expected = Enumerable.Range(1, 3).Sum(k => 4 * a * k * k - k * k * Math.Sin(a * k));
            Assert.Equal(expected, gradient[0][0], 10);
        }
    }
}
