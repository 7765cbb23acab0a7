using System;
using System.Collections.Generic;

namespace CurveFit;

/// <summary>One iteration of the fit: the parameters it reached, half the sum of squared residuals, the damping.</summary>
/// <param name="Parameters">a, b, c after the iteration.</param>
/// <param name="Cost">½·Σ r² at those parameters.</param>
/// <param name="Damping">λ after the iteration (smaller: closer to Gauss–Newton).</param>
public sealed record Iteration(double[] Parameters, double Cost, double Damping);

/// <summary>
/// Levenberg–Marquardt for a small least-squares problem: at each step, with J = ∂r/∂p from the generated
/// <see cref="DecayModel.ResidualsJacobian"/>, solve (JᵀJ + λ·diag(JᵀJ))·δ = −Jᵀr; take the step if it lowers the
/// cost (and trust Gauss–Newton more: λ/3), else raise λ (×2) and try again. Nothing here knows the model's formula.
/// </summary>
public static class LevenbergMarquardt
{
    /// <summary>Fits from <paramref name="start"/>; the first entry is the start itself.</summary>
    public static IReadOnlyList<Iteration> Fit(double[] t, double[] y, double[] start, int maxIterations = 100, double tolerance = 1e-12)
    {
        int m = t.Length, n = start.Length;
        var p = (double[])start.Clone();
        var r = new double[m];
        var trial = new double[n];
        var rTrial = new double[m];
        var jacobian = new double[m, n];
        double lambda = 1e-3;
        DecayModel.Residuals(p, t, y, r);
        var history = new List<Iteration> { new((double[])p.Clone(), HalfSquares(r), lambda) };
        for (int k = 0; k < maxIterations; k++)
        {
            DecayModel.ResidualsJacobian(p, t, y, r, jacobian);
            double cost = HalfSquares(r);
            var (a, g) = NormalEquations(jacobian, r);
            if (Norm(g) < tolerance) break;
            bool stepped = false;
            for (int attempt = 0; attempt < 30 && !stepped; attempt++)
            {
                var damped = (double[,])a.Clone();
                for (int j = 0; j < n; j++) damped[j, j] += lambda * Math.Max(a[j, j], 1e-12);
                var delta = Solve(damped, g);
                for (int j = 0; j < n; j++) trial[j] = p[j] - delta[j];
                DecayModel.Residuals(trial, t, y, rTrial);
                double trialCost = HalfSquares(rTrial);
                if (trialCost < cost)
                {
                    Array.Copy(trial, p, n);
                    lambda = Math.Max(lambda / 3, 1e-12);
                    stepped = true;
                    history.Add(new((double[])p.Clone(), trialCost, lambda));
                    if (cost - trialCost <= tolerance * Math.Max(1, cost)) return history;
                }
                else lambda *= 2;
            }
            if (!stepped) break; // no damping lowers the cost: a minimum, to rounding
        }
        return history;
    }

    /// <summary>½·Σ r².</summary>
    public static double HalfSquares(ReadOnlySpan<double> r)
    {
        double s = 0;
        foreach (double v in r) s += v * v;
        return 0.5 * s;
    }

    /// <summary>JᵀJ and Jᵀr.</summary>
    private static (double[,] A, double[] G) NormalEquations(double[,] j, double[] r)
    {
        int m = j.GetLength(0), n = j.GetLength(1);
        var a = new double[n, n];
        var g = new double[n];
        for (int i = 0; i < m; i++)
            for (int p = 0; p < n; p++)
            {
                g[p] += j[i, p] * r[i];
                for (int q = 0; q < n; q++) a[p, q] += j[i, p] * j[i, q];
            }
        return (a, g);
    }

    /// <summary>Solves the small symmetric positive definite system A·x = b by Gaussian elimination with partial pivoting.</summary>
    private static double[] Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var x = (double[])b.Clone();
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int row = col + 1; row < n; row++) if (Math.Abs(m[row, col]) > Math.Abs(m[pivot, col])) pivot = row;
            for (int k = 0; k < n; k++) (m[col, k], m[pivot, k]) = (m[pivot, k], m[col, k]);
            (x[col], x[pivot]) = (x[pivot], x[col]);
            for (int row = col + 1; row < n; row++)
            {
                double f = m[row, col] / m[col, col];
                for (int k = col; k < n; k++) m[row, k] -= f * m[col, k];
                x[row] -= f * x[col];
            }
        }
        for (int row = n - 1; row >= 0; row--)
        {
            double s = x[row];
            for (int k = row + 1; k < n; k++) s -= m[row, k] * x[k];
            x[row] = s / m[row, row];
        }
        return x;
    }

    private static double Norm(double[] v)
    {
        double s = 0;
        foreach (double e in v) s += e * e;
        return Math.Sqrt(s);
    }
}
