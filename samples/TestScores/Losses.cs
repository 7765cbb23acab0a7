using Differentiator;

namespace TestScores;

public static partial class Losses
{
    /// <summary>Mean squared error of the linear model y ≈ X·w + b.</summary>
    [Differentiable(nameof(w), nameof(b))] // differentiate with respect to w and b; X and y are data
    public static double Mse(double[,] X, double[] y, double[] w, double b)
    {
        int n = y.Length;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double pred = b;
            for (int j = 0; j < w.Length; j++) pred += X[i, j] * w[j];
            double r = pred - y[i];
            sum += r * r;
        }
        return sum / n;
    }
}
