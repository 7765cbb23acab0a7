using System;
using System.Text.Json.Nodes;

namespace Differentiator.GradBench.Evals;

sealed class SaddleModule : IModule
{
    public Evaluation Prepare(string function, JsonNode input)
    {
        var (outer, inner) = GradientDescent.Modes("saddle", function);
        double[] start = Json.Doubles(Json.Field(input, "start"));
        if (start.Length != 2) throw new ArgumentException("saddle needs a start of two values");
        double[] result = [];
        return new Evaluation(() => result = Saddle.Solve(start[0], start[1], outer, inner), () => Json.Array(result));
    }
}
