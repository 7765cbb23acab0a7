using System;
using System.Text.Json.Nodes;

namespace Differentiator.GradBench.Evals;

/// <summary>
/// GradBench's ode (cmpad's an_ode): y₀′ = x₀, yᵢ′ = xᵢ·yᵢ₋₁, y(0) = 0, solved on [0, 2] by s steps of the classic
/// fourth-order Runge–Kutta, written as the reference loops it. The gradient is that of the last component of y(2).
/// </summary>
public static partial class Ode
{
    static void Derivative(int n, ReadOnlySpan<double> x, ReadOnlySpan<double> y, Span<double> z)
    {
        z[0] = x[0];
        for (int i = 1; i < n; i++) z[i] = x[i] * y[i - 1];
    }

    static void RungeKutta(int n, ReadOnlySpan<double> x, int s, Span<double> y, Span<double> k1, Span<double> k2, Span<double> k3, Span<double> k4, Span<double> yTmp)
    {
        double h = 2.0 / s;
        for (int i = 0; i < n; i++) y[i] = 0;
        for (int step = 0; step < s; step++)
        {
            Derivative(n, x, y, k1);
            for (int i = 0; i < n; i++) yTmp[i] = y[i] + h * k1[i] / 2;
            Derivative(n, x, yTmp, k2);
            for (int i = 0; i < n; i++) yTmp[i] = y[i] + h * k2[i] / 2;
            Derivative(n, x, yTmp, k3);
            for (int i = 0; i < n; i++) yTmp[i] = y[i] + h * k3[i];
            Derivative(n, x, yTmp, k4);
            for (int i = 0; i < n; i++) y[i] += h * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]) / 6;
        }
    }

    /// <summary>The primal: all of y(2).</summary>
    public static void Solve(double[] x, int s, double[] y)
    {
        int n = x.Length;
        RungeKutta(n, x, s, y, new double[n], new double[n], new double[n], new double[n], new double[n]);
    }

    [Differentiable(nameof(x))]
    public static double LastComponent(double[] x, int s)
    {
        int n = x.Length;
        double[] y = new double[n];
        double[] k1 = new double[n];
        double[] k2 = new double[n];
        double[] k3 = new double[n];
        double[] k4 = new double[n];
        double[] yTmp = new double[n];
        RungeKutta(n, x, s, y, k1, k2, k3, k4, yTmp);
        return y[n - 1];
    }
}

sealed class OdeModule : IModule
{
    public Evaluation Prepare(string function, JsonNode input)
    {
        double[] x = Json.Doubles(Json.Field(input, "x"));
        int s = Json.Int(input, "s");
        if (x.Length == 0 || s < 1) throw new ArgumentException("ode needs at least one x and one step");
        switch (function)
        {
            case "primal":
                var y = new double[x.Length];
                return new Evaluation(() => Ode.Solve(x, s, y), () => Json.Array(y));
            case "gradient":
                var gradient = new double[x.Length];
                return new Evaluation(() => Ode.LastComponentGradient(x, s, gradient), () => Json.Array(gradient));
            default:
                throw new ArgumentException($"ode has no function '{function}'");
        }
    }
}
