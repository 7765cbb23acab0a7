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

    [Fact]
    public void A_pushforward_with_differentiated_tangents_and_its_value_used()
    {
        // t = ∇N(a, b)·(ab, cos a): the reverse sweep sends tBar·H·u to (a, b) and tBar·∇N to the tangents' operands.
        var run = Compile(@"[Differentiable] public static double N(double x, double y) => x * x * y + Math.Sin(x) * y;
        [Differentiable] public static double M(double a, double b)
        {
            double v = NPushforward(a, b, b * a, Math.Cos(a), out double t);
            return v * t + t * t;
        }");
        var m = run.Method("T.F", "M");
        foreach (var (a, b) in new[] { (0.3, 1.2), (-1.1, 0.4), (2.0, -0.7) })
            ThreeWay.Check(m, new object[] { a, b }, tapeTolerance: 1e-8);
    }

    [Fact]
    public void Outputs_into_the_arguments_own_variables_and_a_parameter()
    {
        // NGradient(x * 0.5, y, out x, out y): C# reads both arguments before writing either output, so the split
        // statements read copies; out b writes the differentiated parameter itself.
        var run = Compile(@"[Differentiable] public static double N(double x, double y) => x * x * y + Math.Exp(0.3 * y) * x;
        [Differentiable] public static double M(double a, double b)
        {
            double x = a, y = b;
            for (int k = 0; k < 3; k++)
                NGradient(x * 0.5, y, out x, out y);
            NGradient(a, x, out _, out b);
            return x + y * b;
        }");
        var m = run.Method("T.F", "M");
        // The primal follows C#'s order: compare with the same steps computed by hand.
        static (double, double) Grad(double x, double y) => (2 * x * y + Math.Exp(0.3 * y), x * x + 0.3 * Math.Exp(0.3 * y) * x);
        foreach (var (a, b) in new[] { (0.3, 0.2), (-0.4, 0.5) })
        {
            double x = a, y = b;
            for (int k = 0; k < 3; k++) (x, y) = Grad(x * 0.5, y);
            double bb = Grad(a, x).Item2;
            Assert.Equal(x + y * bb, m.Value(a, b), 12);
            ThreeWay.Check(m, new object[] { a, b }, tapeTolerance: 1e-8);
        }
    }

    [Fact]
    public void A_callee_with_a_data_parameter()
    {
        // Only x is differentiated in N: its gradient has one output; c carries data (a constant, or a data parameter).
        var run = Compile(@"[Differentiable(nameof(x))] public static double N(double x, double c) => Math.Sin(c * x) * x;
        [Differentiable(nameof(a))] public static double M(double a, double c)
        {
            double sum = 0;
            for (int k = 0; k < 4; k++)
            {
                NGradient(a + k, c, out double g);
                sum += g * g;
            }
            return sum;
        }");
        var m = run.Method("T.F", "M");
        ThreeWay.Check(m, new object[] { 0.7, 1.3 }, tapeTolerance: 1e-8);
        ThreeWay.Check(m, new object[] { -0.2, 0.4 }, tapeTolerance: 1e-8);
    }

    [Fact]
    public void Pushforward_of_a_nested_method_agrees_with_its_gradient()
    {
        // MPushforward takes the tangent of a nested gradient from the callee's Hessian-vector product along da.
        var run = Compile(@"[Differentiable] public static double N(double x, double y) => x * x * y + Math.Sin(x) * y * y;
        [Differentiable] public static double M(double a, double b)
        {
            double x = a, y = b;
            for (int k = 0; k < 3; k++)
            {
                NGradient(x, y, out double gx, out double gy);
                x -= 0.1 * gx;
                y -= 0.1 * gy;
            }
            return x * y;
        }");
        var m = run.Method("T.F", "M");
        var (_, gradient) = m.Gradient(0.4, 0.9);
        Assert.True(m.HasPushforward);
        var (_, tangent) = m.Pushforward(new object[] { 0.4, 0.9 }, new[] { new[] { 0.3 }, new[] { -0.8 } });
        Assert.Equal(0.3 * gradient[0][0] - 0.8 * gradient[1][0], tangent, 10);
    }

    [Fact]
    public void Adjacent_pushforwards_at_one_point_share_one_Hessian_vector_product()
    {
        // Two pushforwards at (a·k, b) with differentiated tangents: the reverse sweep sends H·(t1Bar·u1 + t2Bar·u2) to
        // the point with one product and t_iBar·∇N to each tangent with one gradient; forward mode likewise.
        var run = Compile(@"[Differentiable] public static double N(double x, double y) => x * x * y + Math.Sin(x) * y * y;
        [Differentiable] public static double M(double a, double b)
        {
            double s = 0;
            for (int k = 0; k < 3; k++)
            {
                NPushforward(a * k, b, b, a * a, out double t1);
                NPushforward(a * k, b, Math.Sin(a), 1, out double t2);
                s += t1 * t2 + t1;
            }
            return s;
        }");
        var source = run.Sources["T.F.M.g.cs"];
        var gradient = source.Substring(source.IndexOf("public static double MGradient(", StringComparison.Ordinal));
        gradient = gradient.Substring(0, gradient.IndexOf("public static", 10, StringComparison.Ordinal));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(gradient, @"NHessianVectorProduct\("));
        var m = run.Method("T.F", "M");
        foreach (var (a, b) in new[] { (0.3, 1.2), (-0.8, 0.5) })
        {
            var g = ThreeWay.Check(m, new object[] { a, b }, tapeTolerance: 1e-8);
            var (_, tangent) = m.Pushforward(new object[] { a, b }, new[] { new[] { 0.6 }, new[] { -0.4 } });
            Assert.Equal(0.6 * g[0][0] - 0.4 * g[1][0], tangent, 10);
        }
    }
}
