using System;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>Each construct of the supported subset, compiled with the generator and checked three ways on random inputs.</summary>
public class SubsetTests
{
    private const string Prelude = "using System;\nusing Differentiator;\nnamespace T;\n";

    private static DifferentiableMethod Compile(string body, string method) =>
        GeneratorRun.Compile(Prelude + "public static partial class F\n{\n" + body + "\n}\n").AssertClean().Method("T.F", method);

    private static void CheckScalars(DifferentiableMethod m, int parameters, int seed = 1, double low = -1.5, double high = 1.5)
    {
        var inputs = new Inputs(seed);
        for (int trial = 0; trial < 10; trial++)
        {
            var args = new object[parameters];
            for (int k = 0; k < parameters; k++) args[k] = inputs.Scalar(low, high);
            ThreeWay.Check(m, args);
        }
    }

    [Fact]
    public void Expression_body_with_math_functions()
    {
        var m = Compile("[Differentiable] public static double G(double a, double x) => Math.Exp(a * x) + Math.Sin(x) * Math.Cos(a) - Math.Tanh(x / 3) + Math.Pow(a, 3);", "G");
        CheckScalars(m, 2);
        // d/dx at a = 0.5, x = 1: 0.5·e^0.5 + cos(1)·cos(0.5) − (1 − tanh²(1/3))/3
        var g = m.Gradient(0.5, 1.0).Gradient;
        double expected = 0.5 * Math.Exp(0.5) + Math.Cos(1) * Math.Cos(0.5) - (1 - Math.Pow(Math.Tanh(1.0 / 3), 2)) / 3;
        Assert.Equal(expected, g[1][0], 12);
        Assert.Equal(1.0 * Math.Exp(0.5) - Math.Sin(1) * Math.Sin(0.5) + 3 * 0.25, g[0][0], 12);
    }

    [Fact]
    public void Every_math_function_inside_its_domain()
    {
        var m = Compile(@"[Differentiable] public static double G(double x, double y)
        {
            double a = Math.Log(x) + Math.Sqrt(x) + Math.Tan(y) + Math.Sinh(y) + Math.Cosh(x);
            double b = Math.Atan(y) + Math.Asin(y / 2) + Math.Acos(y / 3) + Math.Log10(x) + Math.Log2(x) + Math.Cbrt(x);
            return a * b + Math.Pow(x, y) + Math.Abs(y - 2) + Math.Max(x, y) + Math.Min(x, 0.25 * y);
        }", "G");
        CheckScalars(m, 2, seed: 2, low: 0.3, high: 1.2);
    }

    [Fact]
    public void Generic_math_functions_on_double_compute_bit_for_bit_as_dotnet_does()
    {
        var m = Compile(@"[Differentiable] public static double G(double x, double y)
            => double.LogP1(x * x) + double.ExpM1(y) * double.Exp2(x) + double.Exp10(0.5 * y) + double.Log2P1(y * y) + double.Log10P1(Math.Abs(x));", "G");
        CheckScalars(m, 2, seed: 3);
        double x0 = 0.7, y0 = -0.4;
        Assert.Equal(double.LogP1(x0 * x0) + double.ExpM1(y0) * double.Exp2(x0) + double.Exp10(0.5 * y0) + double.Log2P1(y0 * y0) + double.Log10P1(Math.Abs(x0)), m.Gradient(x0, y0).Value);
        // ∂/∂y: e^y·2^x + ln 10·10^(y/2)/2 + 2y/((1 + y²)·ln 2)
        double dy = Math.Exp(y0) * Math.Pow(2, x0) + Math.Log(10) * Math.Pow(10, 0.5 * y0) / 2 + 2 * y0 / ((1 + y0 * y0) * Math.Log(2));
        Assert.Equal(dy, m.Gradient(x0, y0).Gradient[1][0], 12);
    }

    [Fact]
    public void Locals_reassignment_and_compound_operators()
    {
        var m = Compile(@"[Differentiable] public static double G(double x, double y)
        {
            var t = x * y;
            double u = t;
            u += x; u -= 0.5 * y; u *= t; u /= 1.5 + y * y;
            t = u * u - t;
            int k = 3;
            k++; k--; k += 2;
            return t * k - u;
        }", "G");
        CheckScalars(m, 2, seed: 3);
    }

    [Fact]
    public void Loop_carried_value_overwritten_every_iteration()
    {
        var m = Compile(@"[Differentiable] public static double Horner(double[] x, double p0)
        {
            double p = p0;
            for (int i = 0; i < x.Length; i++) p = p * x[i] + Math.Sin(p);
            return p;
        }", "Horner");
        var inputs = new Inputs(4);
        for (int trial = 0; trial < 10; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(6, -1, 1), inputs.Scalar() });
    }

    [Fact]
    public void Branches_and_conditional_expressions_follow_the_branch_taken()
    {
        var m = Compile(@"[Differentiable] public static double G(double x, double y)
        {
            double r;
            if (x > y) { r = x * x; }
            else if (x > 0) r = Math.Exp(y) * x;
            else { r = y - x; r *= r; }
            double s = r > 1 ? r * y : -r;
            return s + (x < 0 && y < 0 ? x * y : 0);
        }", "G");
        CheckScalars(m, 2, seed: 5);
        Assert.Equal(2 * 2.0, m.Gradient(2.0, 0.5).Gradient[0][0] / 0.5, 12); // x > y: s = x²·y, ∂x = 2xy
    }

    [Fact]
    public void Early_returns_inside_loops_and_branches()
    {
        var m = Compile(@"[Differentiable] public static double G(double[] x, double limit)
        {
            double sum = 0;
            for (int i = 0; i < x.Length; i++)
            {
                sum += x[i] * x[i] * limit;
                if (sum > limit) return sum * 2;
            }
            if (sum < 0.1) return -sum;
            return sum + limit;
        }", "G");
        var inputs = new Inputs(6);
        for (int trial = 0; trial < 20; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(5, -1, 1), inputs.Scalar(0.2, 3) });
    }

    [Fact]
    public void Nested_loops_with_bounds_from_lengths_ints_and_GetLength()
    {
        var m = Compile(@"[Differentiable(nameof(w))] public static double G(double[,] A, double[] w, int steps)
        {
            double total = 0;
            for (int s = 1; s <= steps; s++)
                for (int i = A.GetLength(0) - 1; i >= 0; i--)
                {
                    double row = 0;
                    for (int j = 0; j < A.GetLength(1); j++) row += A[i, j] * w[j];
                    total += Math.Tanh(row) / s;
                }
            return total;
        }", "G");
        var inputs = new Inputs(7);
        for (int trial = 0; trial < 5; trial++) ThreeWay.Check(m, new object[] { inputs.Matrix(4, 3), inputs.Vector(3), 3 });
    }

    [Fact]
    public void Spans_and_default_attribute_differentiate_every_floating_point_parameter()
    {
        var m = Compile(@"[Differentiable] public static double G(ReadOnlySpan<double> x, Span<double> y, double c, int n)
        {
            double s = 0;
            for (int i = 0; i < n; i++) s += x[i] * y[i] * c;
            return s;
        }", "G");
        Assert.Equal(new[] { "x", "y", "c" }, m.Differentiated);
        var inputs = new Inputs(8);
        var x = inputs.Vector(4);
        var y = inputs.Vector(4);
        var g = ThreeWay.Check(m, new object[] { x, y, 0.5, 4 });
        for (int i = 0; i < 4; i++) Assert.Equal(y[i] * 0.5, g[0][i], 14);
    }

    [Fact]
    public void Calls_between_differentiable_methods_chain_through_the_callee_gradient()
    {
        var m = Compile(@"
        [Differentiable] public static double Sq(double x) => x * x;
        [Differentiable(nameof(a))] public static double Scaled(double a, double k) => Math.Sin(a) * k;
        [Differentiable] public static double G(double[] v, double b)
        {
            double s = 0;
            for (int i = 0; i < v.Length; i++) s += Sq(v[i] - b) + Scaled(v[i] * b, 2);
            return Sq(s);
        }", "G");
        var inputs = new Inputs(9);
        for (int trial = 0; trial < 5; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(4), inputs.Scalar() });
    }

    [Fact]
    public void Whole_arrays_passed_to_differentiable_helpers_chain_element_by_element()
    {
        var m = Compile(@"
        [Differentiable] public static double SumOfSquares(ReadOnlySpan<double> v)
        {
            double s = 0;
            for (int i = 0; i < v.Length; i++) s += v[i] * v[i];
            return s;
        }
        [Differentiable(nameof(w))] public static double Dot(double[] w, double[] x)
        {
            double s = 0;
            for (int i = 0; i < w.Length; i++) s += w[i] * x[i];
            return s;
        }
        [Differentiable(nameof(w), nameof(b))] public static double Regularized(double[] x, double[] w, double b, double lambda)
        {
            double fit = Dot(w, x) + b - 1;
            return fit * fit + lambda * SumOfSquares(w) + SumOfSquares(x) * b;
        }", "Regularized");
        var inputs = new Inputs(21);
        for (int trial = 0; trial < 5; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(4), inputs.Vector(4), inputs.Scalar(), 0.1 });
    }

    [Fact]
    public void Parameters_not_named_in_the_attribute_are_constants()
    {
        var m = Compile("[Differentiable(nameof(x))] public static double G(double x, double c) => c * x * x;", "G");
        Assert.Equal(new[] { "x" }, m.Differentiated);
        Assert.Equal(2 * 3.0 * 1.5, m.Gradient(1.5, 3.0).Gradient[0][0], 14);
    }

    [Theory]
    [InlineData("Gradient")]
    [InlineData("TapeGradient")]
    [InlineData("NumericalGradient")]
    public void A_gradient_output_of_the_wrong_length_throws_naming_the_output(string kind)
    {
        var m = Compile("[Differentiable] public static double G(double[] w) => w[0] * w[1];", "G");
        var e = Assert.Throws<ArgumentException>(() => m.CallWithOutputs(kind, new object[] { new[] { 1.0, 2.0 } }, new[] { new double[3] }));
        Assert.Equal("dw", e.ParamName);
    }

    [Fact]
    public void Instance_methods_in_nested_partial_types()
    {
        string source = Prelude + @"
public partial class Outer
{
    public partial struct Inner
    {
        [Differentiable] public double G(double x) => x * Math.Exp(x);

        [Differentiable(nameof(w))]
        public double H(double[,] X, double[] w)
        {
            double sum = 0;
            for (int i = 0; i < X.GetLength(0); i++)
            {
                double p = 0;
                for (int j = 0; j < w.Length; j++) p += X[i, j] * w[j];
                sum += p * p;
            }
            return sum;
        }
    }
}";
        var run = GeneratorRun.Compile(source).AssertClean();
        Assert.Contains("T.Outer.Inner.G.g.cs", run.Sources.Keys);
        Assert.Contains("public double GGradient(double x, out double dx)", run.Sources["T.Outer.Inner.G.g.cs"]);
        // Its version for short rows is an instance method too (Emission/GradientEmitter.cs).
        Assert.Contains("return HGradient__ShortRuns(X, w, dw);", run.Sources["T.Outer.Inner.H.g.cs"]);
        Assert.Contains("private double HGradient__ShortRuns(double[,] X, double[] w, global::System.Span<double> dw)", run.Sources["T.Outer.Inner.H.g.cs"]);
    }
}
