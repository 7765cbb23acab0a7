using System;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.Reliability;

/// <summary>
/// IEEE and domain edge cases, decided once (docs/semantics.md) and identical — to the bit, NaN included — in the
/// generated gradient and the tape.
/// </summary>
public class EdgeCaseTests
{
    private const string Source = @"using System;
using Differentiator;
namespace Edge;
public static partial class F
{
    [Differentiable] public static double Sqrt(double x) => Math.Sqrt(x);
    [Differentiable] public static double Log(double x) => Math.Log(x);
    [Differentiable] public static double Square(double x) => Math.Pow(x, 2);
    [Differentiable] public static double Cube(double x) => Math.Pow(x, 3);
    [Differentiable] public static double Power(double x, double y) => Math.Pow(x, y);
    [Differentiable] public static double Reciprocal(double x) => 1 / x;
    [Differentiable] public static double Product(double x, double y) => x * y;
    [Differentiable] public static double Abs(double x) => Math.Abs(x);
    [Differentiable] public static double Max(double x, double y) => Math.Max(x, y);
    [Differentiable] public static double Min(double x, double y) => Math.Min(x, y);
    [Differentiable] public static double Tanh(double x) => Math.Tanh(x);
    [Differentiable] public static double Exp(double x) => Math.Exp(x);
}";

    private static readonly Lazy<GeneratorRun> Run = new(() => GeneratorRun.Compile(Source).AssertClean());

    private static double[] Both(string name, params object[] args)
    {
        var m = Run.Value.Method("Edge.F", name);
        var generated = m.Gradient(args).Gradient;
        var tape = m.Tape(args).Gradient;
        for (int k = 0; k < generated.Length; k++)
            Assert.True(generated[k][0].Equals(tape[k][0]), $"{name}: generated {generated[k][0]} but tape {tape[k][0]} for argument {k}");
        return Array.ConvertAll(generated, g => g[0]);
    }

    [Fact]
    public void Singular_points_give_the_documented_infinities()
    {
        Assert.Equal(double.PositiveInfinity, Both("Sqrt", 0.0)[0]);
        Assert.Equal(double.PositiveInfinity, Both("Log", 0.0)[0]);
        Assert.Equal(double.NegativeInfinity, Both("Reciprocal", 0.0)[0]);
        Assert.True(double.IsNaN(Both("Sqrt", -1.0)[0]));
        Assert.Equal(-1.0, Both("Log", -1.0)[0]); // 1/x is defined even where ln x is NaN
    }

    [Fact]
    public void Powers_with_integer_exponents_are_finite_at_zero_and_for_negative_bases()
    {
        Assert.Equal(0.0, Both("Square", 0.0)[0]);
        Assert.Equal(-6.0, Both("Square", -3.0)[0]);
        Assert.Equal(12.0, Both("Cube", -2.0)[0]);
        var zeroBase = Both("Power", 0.0, 2.5);
        Assert.Equal(0.0, zeroBase[0]);
        Assert.Equal(0.0, zeroBase[1]); // ∂/∂y of 0^y taken as its limit 0, not 0·ln 0 = NaN
    }

    [Fact]
    public void Kinks_follow_the_conventions()
    {
        Assert.Equal(0.0, Both("Abs", 0.0)[0]);
        Assert.Equal(new[] { 1.0, 0.0 }, Both("Max", 2.0, 2.0)); // a tie goes to the first argument
        Assert.Equal(new[] { 1.0, 0.0 }, Both("Min", 2.0, 2.0));
        Assert.Equal(new[] { 0.0, 1.0 }, Both("Max", double.NaN, 1.0)); // NaN compares false: the second argument
    }

    [Fact]
    public void Saturation_NaN_and_infinite_inputs()
    {
        Assert.Equal(0.0, Both("Tanh", 40.0)[0]);
        Assert.Equal(double.PositiveInfinity, Both("Exp", double.PositiveInfinity)[0]);
        var nan = Both("Product", double.NaN, 2.0);
        Assert.Equal(2.0, nan[0]);
        Assert.True(double.IsNaN(nan[1]));
    }
}
