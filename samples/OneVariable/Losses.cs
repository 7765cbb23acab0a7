using Differentiator;

namespace OneVariable;

public static partial class Losses
{
    /// <summary>Mean squared error of the line ŷ = w·x + b on the points (x[i], y[i]).</summary>
    [Differentiable(nameof(w), nameof(b))]
    public static double Mse(double[] x, double[] y, double w, double b)
    {
        int n = x.Length;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double r = w * x[i] + b - y[i];
            sum += r * r;
        }
        return sum / n;
    }
}
