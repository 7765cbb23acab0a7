using System;
using System.Text.Json.Nodes;

namespace Differentiator.GradBench.Evals;

/// <summary>
/// GradBench's llsq (cmpad's llsq_obj): y(x) = ½ Σᵢ (sᵢ − Σⱼ xⱼ tᵢʲ)² with tᵢ = −1 + 2i/(n − 1) and sᵢ = sign(tᵢ),
/// written as GradBench's C++ reference loops it: the powers of tᵢ built up by a running product.
/// </summary>
public static partial class Llsq
{
    [Differentiable(nameof(x))]
    public static double Objective(double[] x, int n)
    {
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double t = -1 + i * 2.0 / (n - 1);
            double inner = t > 0 ? 1 : t < 0 ? -1 : 0;
            double power = 1;
            for (int j = 0; j < x.Length; j++)
            {
                inner -= x[j] * power;
                power *= t;
            }
            sum += inner * inner;
        }
        return sum / 2;
    }
}

sealed class LlsqModule : IModule
{
    public Evaluation Prepare(string function, JsonNode input)
    {
        double[] x = Json.Doubles(Json.Field(input, "x"));
        int n = Json.Int(input, "n");
        switch (function)
        {
            case "primal":
                double y = 0;
                return new Evaluation(() => y = Llsq.Objective(x, n), () => y);
            case "gradient":
                var gradient = new double[x.Length];
                return new Evaluation(() => Llsq.ObjectiveGradient(x, n, gradient), () => Json.Array(gradient));
            default:
                throw new ArgumentException($"llsq has no function '{function}'");
        }
    }
}
