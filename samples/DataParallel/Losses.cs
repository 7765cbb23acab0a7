using Differentiator;

namespace DataParallel;

public static partial class Losses
{
    /// <summary>
    /// Mean squared error of the linear model y ≈ X·w + b over rows [start, start + count): the loss of one shard of
    /// rows, so that threads and processes each take a row range of the same arrays (views, no copies). Over all rows
    /// (start 0, count = the row count) it is the ordinary MSE.
    /// </summary>
    [Differentiable(nameof(w), nameof(b))]
    public static double MseRows(double[,] X, double[] y, double[] w, double b, int start, int count)
    {
        double sum = 0;
        for (int i = start; i < start + count; i++)
        {
            double pred = b;
            for (int j = 0; j < w.Length; j++) pred += X[i, j] * w[j];
            double r = pred - y[i];
            sum += r * r;
        }
        return sum / count;
    }
}
