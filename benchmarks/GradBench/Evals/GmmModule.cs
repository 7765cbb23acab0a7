using System;
using System.Text.Json.Nodes;

namespace Differentiator.GradBench.Evals;

/// <summary>
/// GradBench's gmm: <c>objective</c> is <see cref="Gmm.Objective"/>, <c>jacobian</c> its gradient with respect to
/// alpha, mu, q and l, sent back in the shapes they came in.
/// </summary>
sealed class GmmModule : IModule
{
    public Evaluation Prepare(string function, JsonNode input)
    {
        int d = Json.Int(input, "d"), k = Json.Int(input, "k"), n = Json.Int(input, "n");
        int m = Json.Int(input, "m");
        double gamma = Json.Double(input, "gamma");
        double[] alpha = Json.Doubles(Json.Field(input, "alpha"));
        double[] mu = Json.Rows(Json.Field(input, "mu"), out _);
        double[] q = Json.Rows(Json.Field(input, "q"), out _);
        double[] l = Json.Rows(Json.Field(input, "l"), out _);
        double[] x = Json.Rows(Json.Field(input, "x"), out _);
        int lSize = d * (d - 1) / 2;
        if (d < 1 || k < 1 || alpha.Length != k || mu.Length != k * d || q.Length != k * d || l.Length != k * lSize || x.Length != n * d)
            throw new ArgumentException("gmm's arrays do not have the sizes d, k and n say");
        switch (function)
        {
            case "objective":
                double y = 0;
                return new Evaluation(() => y = Gmm.Objective(d, k, n, alpha, mu, q, l, x, gamma, m), () => y);
            case "jacobian":
                var dAlpha = new double[alpha.Length];
                var dMu = new double[mu.Length];
                var dQ = new double[q.Length];
                var dL = new double[l.Length];
                return new Evaluation(
                    () => Gmm.ObjectiveGradient(d, k, n, alpha, mu, q, l, x, gamma, m, dAlpha, dMu, dQ, dL),
                    () => new JsonObject
                    {
                        ["alpha"] = Json.Array(dAlpha),
                        ["mu"] = Json.Rows(dMu, k),
                        ["q"] = Json.Rows(dQ, k),
                        ["l"] = Json.Rows(dL, k),
                    });
            default:
                throw new ArgumentException($"gmm has no function '{function}'");
        }
    }
}
