using System;
using System.Text.Json.Nodes;

namespace Differentiator.GradBench.Evals;

sealed class ParticleModule : IModule
{
    public Evaluation Prepare(string function, JsonNode input)
    {
        var (outer, inner) = GradientDescent.Modes("particle", function);
        double w = Json.Double(input, "w");
        double result = 0;
        return new Evaluation(() => result = Particle.Argmin(w, outer, inner), () => result);
    }
}
