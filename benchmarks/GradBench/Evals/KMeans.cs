using System;

namespace Differentiator.GradBench.Evals;

/// <summary>
/// GradBench's kmeans: the cost Σᵢ minⱼ ‖Cⱼ − Pᵢ‖² written as the reference (cpp/gradbench/evals/kmeans.hpp) loops, a
/// running <c>Math.Min</c> over the centroids per point.
/// </summary>
public static partial class KMeans
{
    static double SquaredDistance(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double distance = 0;
        for (int i = 0; i < a.Length; i++) distance += (a[i] - b[i]) * (a[i] - b[i]);
        return distance;
    }

    [Differentiable(nameof(centroids))]
    public static double Cost(int n, int k, int d, double[] points, double[] centroids)
    {
        double cost = 0;
        for (int i = 0; i < n; i++)
        {
            double closest = double.PositiveInfinity;
            for (int j = 0; j < k; j++)
                closest = Math.Min(closest, SquaredDistance(points.AsSpan(i * d, d), centroids.AsSpan(j * d, d)));
            cost += closest;
        }
        return cost;
    }
}
