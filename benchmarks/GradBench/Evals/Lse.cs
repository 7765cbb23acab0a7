using System;
using System.Text.Json.Nodes;

namespace Differentiator.GradBench.Evals;

/// <summary>GradBench's lse: log Σᵢ exp(xᵢ) by the stable trick, a = max x, then a + log Σᵢ exp(xᵢ − a).</summary>
public static partial class Lse
{
    [Differentiable(nameof(x))]
    public static double Objective(double[] x)
    {
        double largest = x[0];
        for (int i = 1; i < x.Length; i++) largest = Math.Max(largest, x[i]);
        double sum = 0;
        for (int i = 0; i < x.Length; i++) sum += Math.Exp(x[i] - largest);
        return Math.Log(sum) + largest;
    }
}

sealed class LseModule : IModule
{
    public Evaluation Prepare(string function, JsonNode input)
    {
        double[] x = Json.Doubles(Json.Field(input, "x"));
        if (x.Length == 0) throw new ArgumentException("lse needs at least one value");
        switch (function)
        {
            case "primal":
                double y = 0;
                return new Evaluation(() => y = Lse.Objective(x), () => y);
            case "gradient":
                var gradient = new double[x.Length];
                return new Evaluation(() => Lse.ObjectiveGradient(x, gradient), () => Json.Array(gradient));
            default:
                throw new ArgumentException($"lse has no function '{function}'");
        }
    }
}
