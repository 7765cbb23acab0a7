using System;
using CsCheck;

namespace Differentiator.Runtime.Tests;

/// <summary>
/// The tape against central differences on random inputs and random straight-line programs: the two share no code
/// beyond the forward arithmetic, so a wrong local derivative or a wrong accumulation shows up as a mismatch.
/// </summary>
public class TapePropertyTests
{
    private static Value Composite(Value x, Value y) =>
        TapeMath.Exp(TapeMath.Sin(x) * y) / (1 + x * x) + TapeMath.Sqrt(x * y) - TapeMath.Log(y) * TapeMath.Tanh(x - y)
        + TapeMath.Pow(x, y) + TapeMath.Atan(x / y) + TapeMath.Cbrt(x - 3) * TapeMath.Cosh(y) - TapeMath.Log2(x) * TapeMath.Asin(y / 3);

    [Fact]
    public void A_composite_function_matches_central_differences()
    {
        Gen.Select(Gen.Double[0.5, 2], Gen.Double[0.5, 2]).Sample(point =>
        {
            var (x, y) = point;
            var tape = new Tape();
            var vx = tape.Variable(x);
            var vy = tape.Variable(y);
            var f = Composite(vx, vy);
            Assert.Equal(Composite(x, y).Data, f.Data); // constants compute the same forward values
            tape.Backward(f);
            double dx = Derivatives.Numerical(t => Composite(t, y).Data, x);
            double dy = Derivatives.Numerical(t => Composite(x, t).Data, y);
            var report = GradientCheck.Compare(new Gradient { { "x", dx }, { "y", dy } }, new Gradient { { "x", vx.Grad }, { "y", vy.Grad } }, 1e-6, 1e-7);
            Assert.True(report.Passed, report.ToString());
        }, iter: 300);
    }

    /// <summary>One step of a random program: register <c>Target</c> = op(register A, register B).</summary>
    private readonly record struct Step(int Op, int A, int B, int Target);

    // Smooth operations only (central differences are meaningless at a kink), chosen so values stay bounded.
    private static Value Apply(int op, Value a, Value b) => op switch
    {
        0 => (a + b) * 0.5,
        1 => a - b * 0.5,
        2 => a * TapeMath.Tanh(b),
        3 => TapeMath.Sin(a) + b,
        4 => TapeMath.Cos(a) * b,
        5 => TapeMath.Atan(a * b),
        6 => TapeMath.Sqrt(a * a + 1) - TapeMath.Exp(-b * b),
        _ => a / (1 + b * b),
    };

    private static Value Run(Step[] program, Value[] registers)
    {
        var r = (Value[])registers.Clone();
        foreach (var s in program) r[s.Target] = Apply(s.Op, r[s.A], r[s.B]);
        return r[0] + r[1] * 2 + r[2] * 3;
    }

    [Fact]
    public void Random_programs_match_central_differences()
    {
        var step = Gen.Select(Gen.Int[0, 7], Gen.Int[0, 2], Gen.Int[0, 2], Gen.Int[0, 2]).Select(t => new Step(t.Item1, t.Item2, t.Item3, t.Item4));
        Gen.Select(step.Array[1, 25], Gen.Double[-1, 1].Array[3]).Sample(sample =>
        {
            var (program, inputs) = sample;
            var tape = new Tape();
            var x = tape.Variables(inputs);
            tape.Backward(Run(program, x));
            var numerical = new double[3];
            for (int k = 0; k < 3; k++)
            {
                int at = k;
                numerical[k] = Derivatives.Numerical(t =>
                {
                    var shifted = Tape.Constants(inputs);
                    shifted[at] = t;
                    return Run(program, shifted).Data;
                }, inputs[k]);
            }
            var report = GradientCheck.Compare(new Gradient { { "x", numerical } }, new Gradient { { "x", Array.ConvertAll(x, tape.GradientOf) } }, 1e-6, 1e-7);
            // The program and inputs in full (round-trip precision): a failure seen once in ~30 CI-sized runs on
            // 2026-12-07 printed only the report, and 200,000 programs of a plain random generator did not find it again.
            Assert.True(report.Passed, report + "\nprogram: " + string.Join(" ", Array.ConvertAll(program, s => $"r{s.Target} = op{s.Op}(r{s.A}, r{s.B})"))
                + "\ninputs: " + string.Join(", ", Array.ConvertAll(inputs, v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))
                + "\ntape: " + string.Join(", ", Array.ConvertAll(x, v => tape.GradientOf(v).ToString("R", System.Globalization.CultureInfo.InvariantCulture)))
                + "\nnumerical: " + string.Join(", ", Array.ConvertAll(numerical, v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
        }, iter: 500);
    }

    [Fact]
    public void Backward_is_linear_in_the_output()
    {
        // d(α·f + g) = α·df + dg: the reverse sweep must add contributions, never overwrite them.
        Gen.Select(Gen.Double[-2, 2], Gen.Double[-2, 2], Gen.Double[-3, 3]).Sample(t =>
        {
            var (a, b, alpha) = t;
            var tape = new Tape();
            var x = tape.Variable(a);
            var y = tape.Variable(b);
            var f = TapeMath.Sin(x * y);
            var g = TapeMath.Exp(x) - y * y * x;
            tape.Backward(f);
            var (fx, fy) = (x.Grad, y.Grad);
            tape.Backward(g);
            var (gx, gy) = (x.Grad, y.Grad);
            tape.Backward(alpha * f + g);
            Assert.Equal(alpha * fx + gx, x.Grad, 12);
            Assert.Equal(alpha * fy + gy, y.Grad, 12);
        }, iter: 300);
    }
}
