using System;
using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>
/// The primitives added through the table (Primitives/PrimitiveTable.cs), each compiled in double and in float and
/// checked three ways (generated, tape, central differences) on random inputs inside its domain.
/// </summary>
public class PrimitiveFunctionTests
{
    private const string Prelude = "using System;\nusing Differentiator;\nnamespace T;\npublic static partial class F\n{\n";

    private static DifferentiableMethod Compile(string type, string body) =>
        GeneratorRun.Compile(Prelude + "[Differentiable] public static " + type + " G(" + type + " x, " + type + " y) => " + body + ";\n}\n")
            .AssertClean().Method("T.F", "G");

    [Theory]
    [InlineData("Math.Asinh(x * y) + x", "MathF.Asinh(x * y) + x", -1.5, 1.5)]
    [InlineData("Math.Acosh(1.5 + x * x) * y", "MathF.Acosh(1.5f + x * x) * y", -1.5, 1.5)]
    [InlineData("Math.Atanh(0.4 * x) * y", "MathF.Atanh(0.4f * x) * y", -1.5, 1.5)]
    [InlineData("Math.Sign(x) * x * y + Math.Sign(y - 2)", "MathF.Sign(x) * x * y + MathF.Sign(y - 2)", -1.5, 1.5)]
    [InlineData("Math.Clamp(x, -0.5, 0.8) * y + Math.Clamp(y, x - 1, x + 1)", "Math.Clamp(x, -0.5f, 0.8f) * y + Math.Clamp(y, x - 1, x + 1)", -1.5, 1.5)]
    [InlineData("Math.FusedMultiplyAdd(x, y, x * x) * y", "MathF.FusedMultiplyAdd(x, y, x * x) * y", -1.5, 1.5)]
    [InlineData("Math.Log(x, 2) + Math.Log(x + 2, y + 2) * y", "MathF.Log(x, 2) + MathF.Log(x + 2, y + 2) * y", 0.3, 1.2)]
    [InlineData("Math.Pow(x, 3) + Math.Pow(y, 2) * x - Math.Pow(x * y, -1)", "MathF.Pow(x, 3) + MathF.Pow(y, 2) * x - MathF.Pow(x * y, -1)", 0.3, 1.2)]
    [InlineData("double.Hypot(x, y) * x", "float.Hypot(x, y) * x", -1.5, 1.5)]
    public void Primitive_agrees_three_ways_in_double_and_float(string inDouble, string inFloat, double low, double high)
    {
        var m = Compile("double", inDouble);
        var single = Compile("float", inFloat);
        var inputs = new Inputs(17);
        for (int trial = 0; trial < 8; trial++)
        {
            double x = inputs.Scalar(low, high), y = inputs.Scalar(low, high);
            ThreeWay.Check(m, new object[] { x, y });
            ThreeWay.CheckSingle(single, new object[] { (float)x, (float)y }, 1e-5, 2e-3);
        }
    }

    [Fact]
    public void Clamp_sends_the_gradient_to_the_argument_it_returns()
    {
        var m = Compile("double", "Math.Clamp(x, y, 1) + Math.Clamp(2 * y, -1, x)");
        // x = 0.5, y = -0.2: the first Clamp returns x; the second 2y (inside [−1, x]).
        var g = m.Gradient(0.5, -0.2).Gradient;
        Assert.Equal(1.0, g[0][0]);
        Assert.Equal(2.0, g[1][0]);
        // x = 0.1, y = 0.3: the first returns its lower bound y; the second x, its upper bound (2y = 0.6 > 0.1).
        g = m.Gradient(0.1, 0.3).Gradient;
        Assert.Equal(1.0, g[0][0]);
        Assert.Equal(1.0, g[1][0]);
    }

    [Fact]
    public void Log_with_a_base_and_hypot_have_their_textbook_partials()
    {
        var m = Compile("double", "Math.Log(x, y) + double.Hypot(x, y)");
        double x = 0.7, y = 3.0, h = Math.Sqrt(x * x + y * y);
        var (value, g) = m.Gradient(x, y);
        Assert.Equal(Math.Log(x, y) + double.Hypot(x, y), value);
        Assert.Equal(1 / (x * Math.Log(y)) + x / h, g[0][0], 14);
        Assert.Equal(-Math.Log(x) / (y * Math.Log(y) * Math.Log(y)) + y / h, g[1][0], 14);
    }
}
