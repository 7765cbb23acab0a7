using System;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>
/// Functions written the way users write them, that no other test was shaped around: logistic loss, Rosenbrock,
/// a one-hidden-layer tanh network. Each is checked three ways and against a hand-derived gradient.
/// </summary>
public class HeldBackFunctionTests
{
    private const string Source = @"using System;
using Differentiator;
namespace Held.Back;

public static partial class Models
{
    [Differentiable(nameof(w), nameof(b))]
    public static double LogisticLoss(double[,] X, double[] y, double[] w, double b)
    {
        double loss = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double z = b;
            for (int j = 0; j < w.Length; j++) z += X[i, j] * w[j];
            double p = 1 / (1 + Math.Exp(-z));
            loss -= y[i] * Math.Log(p) + (1 - y[i]) * Math.Log(1 - p);
        }
        return loss / y.Length;
    }

    [Differentiable]
    public static double Rosenbrock(double[] x)
    {
        double f = 0;
        for (int i = 0; i + 1 < x.Length; i++)
        {
            double a = 1 - x[i];
            double c = x[i + 1] - x[i] * x[i];
            f += a * a + 100 * c * c;
        }
        return f;
    }

    // y ≈ Σₕ v[h]·tanh(W1[h]·x + b1[h]) + c, squared error over the samples.
    [Differentiable(nameof(W1), nameof(b1), nameof(v), nameof(c))]
    public static double TanhNetwork(double[] xs, double[] ys, double[] W1, double[] b1, double[] v, double c)
    {
        double loss = 0;
        for (int i = 0; i < xs.Length; i++)
        {
            double output = c;
            for (int h = 0; h < v.Length; h++)
            {
                double hidden = Math.Tanh(W1[h] * xs[i] + b1[h]);
                output += v[h] * hidden;
            }
            double error = output - ys[i];
            loss += 0.5 * error * error;
        }
        return loss;
    }
}";

    private static readonly Lazy<GeneratorRun> Run = new(() => GeneratorRun.Compile(Source).AssertClean());

    [Fact]
    public void Logistic_loss_agrees_three_ways_and_with_the_textbook_gradient()
    {
        var m = Run.Value.Method("Held.Back.Models", "LogisticLoss");
        var inputs = new Inputs(11);
        var X = inputs.Matrix(30, 3);
        var y = new double[30];
        for (int i = 0; i < 30; i++) y[i] = inputs.Scalar(0, 1) > 0.5 ? 1 : 0;
        var w = inputs.Vector(3);
        double b = inputs.Scalar();
        var g = ThreeWay.Check(m, new object[] { X, y, w, b });

        // ∂/∂w[j] = (1/n) Σᵢ (σ(zᵢ) − yᵢ)·X[i,j], ∂/∂b = (1/n) Σᵢ (σ(zᵢ) − yᵢ)
        var expectedW = new double[3];
        double expectedB = 0;
        for (int i = 0; i < 30; i++)
        {
            double z = b;
            for (int j = 0; j < 3; j++) z += X[i, j] * w[j];
            double residual = 1 / (1 + Math.Exp(-z)) - y[i];
            for (int j = 0; j < 3; j++) expectedW[j] += residual * X[i, j] / 30;
            expectedB += residual / 30;
        }
        for (int j = 0; j < 3; j++) Assert.Equal(expectedW[j], g[0][j], 12);
        Assert.Equal(expectedB, g[1][0], 12);
    }

    [Fact]
    public void Rosenbrock_gradient_matches_the_closed_form_and_vanishes_at_the_minimum()
    {
        var m = Run.Value.Method("Held.Back.Models", "Rosenbrock");
        var inputs = new Inputs(12);
        for (int trial = 0; trial < 5; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(5, -2, 2) });

        var x = new[] { -1.2, 1.0 };
        var g = m.Gradient(new object[] { x }).Gradient[0];
        Assert.Equal(-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] * x[0]), g[0], 10);
        Assert.Equal(200 * (x[1] - x[0] * x[0]), g[1], 10);
        Assert.All(m.Gradient(new object[] { new[] { 1.0, 1.0, 1.0 } }).Gradient[0], d => Assert.Equal(0, d));
    }

    [Fact]
    public void Tanh_network_agrees_three_ways()
    {
        var m = Run.Value.Method("Held.Back.Models", "TanhNetwork");
        var inputs = new Inputs(13);
        for (int trial = 0; trial < 5; trial++)
        {
            var xs = inputs.Vector(12, -2, 2);
            var ys = Array.ConvertAll(xs, Math.Sin);
            ThreeWay.Check(m, new object[] { xs, ys, inputs.Vector(6), inputs.Vector(6), inputs.Vector(6), inputs.Scalar() });
        }
    }
}
