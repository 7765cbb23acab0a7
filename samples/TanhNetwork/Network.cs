using System;
using Differentiator;

namespace TanhNetwork;

/// <summary>
/// A network with one hidden layer of tanh units, for one input and one output:
/// ŷ(x) = b₂ + Σₕ w₂[h]·tanh(w₁[h]·x + b₁[h]). Not linear in its parameters, so the loss has no closed-form
/// minimum — but to the generator it is just another method of loops, products and Math.Tanh.
/// </summary>
public static partial class Network
{
    /// <summary>The network's output for one input.</summary>
    public static double Predict(double x, double[] w1, double[] b1, double[] w2, double b2)
    {
        double output = b2;
        for (int h = 0; h < w1.Length; h++) output += w2[h] * Math.Tanh(w1[h] * x + b1[h]);
        return output;
    }

    /// <summary>Mean squared error of the network on the points (x[i], y[i]).</summary>
    [Differentiable(nameof(w1), nameof(b1), nameof(w2), nameof(b2))]
    public static double Mse(double[] x, double[] y, double[] w1, double[] b1, double[] w2, double b2)
    {
        int n = x.Length;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double output = b2;
            for (int h = 0; h < w1.Length; h++) output += w2[h] * Math.Tanh(w1[h] * x[i] + b1[h]);
            double r = output - y[i];
            sum += r * r;
        }
        return sum / n;
    }
}
