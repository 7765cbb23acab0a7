using System;
using System.Text.Json.Nodes;
using Differentiator.Objectives;

namespace Differentiator.GradBench.Evals;

/// <summary>
/// GradBench's gmm on the generator tests' ADBench GMM objective (<see cref="Gmm.Objective"/>, shared source). That
/// objective takes ADBench's packed <c>icf</c> — per component the d log-diagonal entries q then the d(d−1)/2
/// strictly-lower entries l, column by column — and GradBench sends q and l apart in that same order, so decoding
/// interleaves them and encoding the gradient splits them again.
/// </summary>
sealed class GmmModule : IModule
{
    public Evaluation Prepare(string function, JsonNode input)
    {
        int d = Json.Int(input, "d"), k = Json.Int(input, "k"), n = Json.Int(input, "n");
        int m = Json.Int(input, "m");
        double gamma = Json.Double(input, "gamma");
        double[] alphas = Json.Doubles(Json.Field(input, "alpha"));
        double[] means = Json.Rows(Json.Field(input, "mu"), out _);
        double[] q = Json.Rows(Json.Field(input, "q"), out _);
        double[] l = Json.Rows(Json.Field(input, "l"), out _);
        double[] x = Json.Rows(Json.Field(input, "x"), out _);
        int lowerSize = d * (d - 1) / 2, icfSize = d + lowerSize;
        if (alphas.Length != k || means.Length != k * d || q.Length != k * d || l.Length != k * lowerSize || x.Length != n * d)
            throw new ArgumentException("gmm's arrays do not have the sizes d, k and n say");
        var icf = new double[k * icfSize];
        for (int ik = 0; ik < k; ik++)
        {
            q.AsSpan(ik * d, d).CopyTo(icf.AsSpan(ik * icfSize));
            l.AsSpan(ik * lowerSize, lowerSize).CopyTo(icf.AsSpan(ik * icfSize + d));
        }
        switch (function)
        {
            case "objective":
                double y = 0;
                return new Evaluation(() => y = Gmm.Objective(d, k, n, alphas, means, icf, x, gamma, m), () => y);
            case "jacobian":
                var dAlphas = new double[k];
                var dMeans = new double[k * d];
                var dIcf = new double[k * icfSize];
                return new Evaluation(
                    () => Gmm.ObjectiveGradient(d, k, n, alphas, means, icf, x, gamma, m, dAlphas, dMeans, dIcf),
                    () => Encode(d, k, dAlphas, dMeans, dIcf));
            default:
                throw new ArgumentException($"gmm has no function '{function}'");
        }
    }

    static JsonObject Encode(int d, int k, double[] dAlphas, double[] dMeans, double[] dIcf)
    {
        int lowerSize = d * (d - 1) / 2, icfSize = d + lowerSize;
        var q = new JsonArray();
        var l = new JsonArray();
        for (int ik = 0; ik < k; ik++)
        {
            q.Add(Json.Array(dIcf.AsSpan(ik * icfSize, d)));
            l.Add(Json.Array(dIcf.AsSpan(ik * icfSize + d, lowerSize)));
        }
        return new JsonObject
        {
            ["alpha"] = Json.Array(dAlphas),
            ["mu"] = Json.Rows(dMeans, k),
            ["q"] = q,
            ["l"] = l,
        };
    }
}
