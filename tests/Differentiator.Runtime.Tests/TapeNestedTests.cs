using System;

namespace Differentiator.Runtime.Tests;

/// <summary>
/// <see cref="Tape.GradientComponent(ReadOnlySpan{Value}, int, GradientFunction)"/> and
/// <see cref="Tape.Pushforward(ReadOnlySpan{Value}, ReadOnlySpan{Value}, GradientFunction)"/>: the tape nodes of nested
/// differentiation, checked on their own against a callee whose gradient and Hessian are known in closed form:
/// N(x, y) = x²·y + sin y, ∇N = (2xy, x² + cos y), H = [[2y, 2x], [2x, −sin y]]. The partials are central differences
/// of the gradient (accurate to about ε^⅔), so the tolerance is 1e-8, not the 1e-14 of exact nodes.
/// </summary>
public class TapeNestedTests
{
    private const double Tolerance = 1e-8;

    private static void Gradient(ReadOnlySpan<double> p, Span<double> g)
    {
        g[0] = 2 * p[0] * p[1];
        g[1] = p[0] * p[0] + Math.Cos(p[1]);
    }

    private static void Near(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance * Math.Max(1, Math.Abs(expected)), $"expected {expected}, got {actual}");

    [Theory]
    [InlineData(0, 1.5, -0.75)]
    [InlineData(1, 1.5, -0.75)]
    [InlineData(0, -2.0, 3.0)]
    [InlineData(1, 0.25, 10.0)]
    public void A_gradient_component_has_the_gradients_value_and_the_Hessians_row_as_partials(int k, double x0, double y0)
    {
        var tape = new Tape();
        Value x = tape.Variable(x0), y = tape.Variable(y0);
        var g = Tape.GradientComponent(new[] { x, y }, k, Gradient);
        double[] gradient = { 2 * x0 * y0, x0 * x0 + Math.Cos(y0) };
        double[][] hessian = { new[] { 2 * y0, 2 * x0 }, new[] { 2 * x0, -Math.Sin(y0) } };
        Assert.Equal(gradient[k], g.Data);
        // Through a nonlinear use: d(g²)/dp = 2g·H[k, p].
        tape.Backward(g * g);
        Near(2 * gradient[k] * hessian[k][0], x.Grad);
        Near(2 * gradient[k] * hessian[k][1], y.Grad);
    }

    [Fact]
    public void A_pushforward_sends_H_u_to_the_point_and_the_gradient_to_the_direction()
    {
        var tape = new Tape();
        double x0 = 0.8, y0 = -1.3, u0 = 0.4, u1 = -2.5;
        Value x = tape.Variable(x0), y = tape.Variable(y0), u = tape.Variable(u0), v = tape.Variable(u1);
        var t = Tape.Pushforward(new[] { x, y }, new[] { u, v }, Gradient);
        double gx = 2 * x0 * y0, gy = x0 * x0 + Math.Cos(y0);
        Near(gx * u0 + gy * u1, t.Data);
        tape.Backward(t);
        Near(2 * y0 * u0 + 2 * x0 * u1, x.Grad);           // (H·u)_x
        Near(2 * x0 * u0 - Math.Sin(y0) * u1, y.Grad);     // (H·u)_y
        Near(gx, u.Grad);
        Near(gy, v.Grad);
    }

    [Fact]
    public void Constant_arguments_get_no_adjoint_and_a_constant_point_gives_a_constant()
    {
        var tape = new Tape();
        Value y = tape.Variable(0.5);
        var g = Tape.GradientComponent(new Value[] { 2.0, y }, 0, Gradient);
        tape.Backward(g);
        Near(4.0, y.Grad); // ∂(2xy)/∂y at x = 2
        var constant = Tape.GradientComponent(new Value[] { 2.0, 0.5 }, 1, Gradient);
        Assert.Equal(4 + Math.Cos(0.5), constant.Data);
        Assert.Equal(0.0, constant.Grad);
    }

    [Fact]
    public void The_data_overloads_pass_the_data_unchanged_and_differentiate_the_point_only()
    {
        var tape = new Tape();
        Value x = tape.Variable(1.5);
        var data = new[] { new[] { 3.0, -1.0 } };
        // N(x; a) = a0·x³ + a1·x: ∂N/∂x = 3·a0·x² + a1, ∂²N/∂x² = 6·a0·x.
        void WithData(ReadOnlySpan<double> p, double[][] d, Span<double> g)
        {
            Assert.Same(data, d);
            g[0] = 3 * d[0][0] * p[0] * p[0] + d[0][1];
        }
        var g = Tape.GradientComponent(new[] { x }, 0, data, WithData);
        Assert.Equal(3 * 3 * 1.5 * 1.5 - 1, g.Data);
        tape.Backward(g);
        Near(6 * 3 * 1.5, x.Grad);
        var tape2 = new Tape();
        Value x2 = tape2.Variable(1.5), w = tape2.Variable(2.0);
        var t = Tape.Pushforward(new[] { x2 }, new[] { w }, data, WithData);
        tape2.Backward(t);
        Near(6 * 3 * 1.5 * 2.0, x2.Grad);
        Near(3 * 3 * 1.5 * 1.5 - 1, w.Grad);
    }

    [Fact]
    public void A_component_outside_the_point_or_a_direction_of_another_length_is_an_error()
    {
        var tape = new Tape();
        var point = new[] { tape.Variable(1), tape.Variable(2) };
        Assert.Throws<ArgumentOutOfRangeException>(() => Tape.GradientComponent(point, 2, Gradient));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tape.GradientComponent(point, -1, Gradient));
        Assert.Throws<ArgumentException>(() => Tape.Pushforward(point, new[] { tape.Variable(1) }, Gradient));
    }
}
