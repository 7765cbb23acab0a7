using System;
using System.Text.Json.Nodes;

namespace Differentiator.GradBench.Evals;

/// <summary>
/// <c>cost</c> is <see cref="KMeans.Cost"/>; <c>dir</c> is the Newton direction J·H⁻¹ the eval defines, with J the
/// gradient and H the Hessian with respect to the centroids. H is diagonal (the eval's README says so: each centroid
/// coordinate enters its own points' squared distances alone), so its diagonal is H·1, one Hessian-vector product with
/// the all-ones direction — what GradBench's PyTorch tool does with <c>vhp</c> — rather than the (kd)² full Hessian.
/// </summary>
sealed class KMeansModule : IModule
{
    public Evaluation Prepare(string function, JsonNode input)
    {
        double[] points = Json.Rows(Json.Field(input, "points"), out int n);
        double[] centroids = Json.Rows(Json.Field(input, "centroids"), out int k);
        if (n == 0 || k == 0 || points.Length / n != centroids.Length / k)
            throw new ArgumentException("kmeans needs points and centroids of one dimension");
        int d = points.Length / n;
        switch (function)
        {
            case "cost":
                double y = 0;
                return new Evaluation(() => y = KMeans.Cost(n, k, d, points, centroids), () => y);
            case "dir":
                var gradient = new double[centroids.Length];
                var ones = new double[centroids.Length];
                Array.Fill(ones, 1.0);
                var diagonal = new double[centroids.Length];
                var direction = new double[centroids.Length];
                return new Evaluation(
                    () =>
                    {
                        KMeans.CostGradient(n, k, d, points, centroids, gradient);
                        KMeans.CostHessianVectorProduct(n, k, d, points, centroids, ones, diagonal);
                        for (int i = 0; i < direction.Length; i++) direction[i] = gradient[i] / diagonal[i];
                    },
                    () => Json.Rows(direction, k));
            default:
                throw new ArgumentException($"kmeans has no function '{function}'");
        }
    }
}
