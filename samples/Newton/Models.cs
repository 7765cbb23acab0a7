using System;
using Differentiator;

namespace Newton;

public static partial class Models
{
    /// <summary>
    /// Logistic regression's mean log-loss, log(1 + eᶻ) − y·z with z = x·w + b, plus a small ridge term 0.5·λ·|w|²
    /// (λ = 10⁻³) that keeps the Hessian positive definite even when the classes separate.
    /// </summary>
    [Differentiable(nameof(w), nameof(b))] // X and y are data
    public static double LogisticLoss(double[,] X, double[] y, double[] w, double b)
    {
        double loss = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double z = b;
            for (int j = 0; j < w.Length; j++) z += X[i, j] * w[j];
            loss += Math.Log(1 + Math.Exp(z)) - y[i] * z;
        }
        double ridge = 0;
        for (int j = 0; j < w.Length; j++) ridge += w[j] * w[j];
        return loss / y.Length + 0.5e-3 * ridge;
    }
}
