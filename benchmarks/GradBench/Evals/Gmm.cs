using System;

namespace Differentiator.GradBench.Evals;

/// <summary>
/// GradBench's gmm objective, the log-posterior of a Gaussian mixture with a Wishart prior, written from GradBench's
/// C++ reference (cpp/gradbench/evals/gmm.hpp) with its helpers: q (log-diagonals) and l (strictly-lower entries,
/// column by column) as GradBench sends them. GradBench's prior enters with the opposite sign to ADBench's (the
/// tests' <c>Objectives/Gmm.cs</c> reproduces ADBench's figures), which is why this is a file of its own.
/// </summary>
public static partial class Gmm
{
    static double LogSumExp(ReadOnlySpan<double> v)
    {
        double largest = v[0];
        for (int i = 1; i < v.Length; i++) largest = Math.Max(largest, v[i]);
        double sum = 0;
        for (int i = 0; i < v.Length; i++) sum += Math.Exp(v[i] - largest);
        return Math.Log(sum) + largest;
    }

    static double SquaredNorm(ReadOnlySpan<double> v)
    {
        double sum = 0;
        for (int i = 0; i < v.Length; i++) sum += v[i] * v[i];
        return sum;
    }

    /// <summary>Q·x for Q lower triangular: diagonal qDiag, then the strictly lower part column by column.</summary>
    static void QTimesX(int d, ReadOnlySpan<double> qDiag, ReadOnlySpan<double> lower, ReadOnlySpan<double> x, Span<double> result)
    {
        for (int i = 0; i < d; i++) result[i] = qDiag[i] * x[i];
        int index = 0;
        for (int i = 0; i < d; i++)
        {
            for (int j = i + 1; j < d; j++)
            {
                result[j] += lower[index] * x[i];
                index++;
            }
        }
    }

    /// <summary>
    /// The Wishart prior's normalizing constant, n·d·(ln γ − ½ ln 2) − ln Γ_d(n/2) with n = d + m + 1; ln Γ at the
    /// half-integers n/2 + (1 − j)/2 by Γ(t/2) = (t/2 − 1)·Γ(t/2 − 1) down to Γ(1) = 1 or Γ(½) = √π.
    /// </summary>
    static double WishartConstant(int d, int m, double gamma)
    {
        int n = d + m + 1;
        double logGamma = 0.25 * d * (d - 1) * Math.Log(Math.PI);
        for (int j = 1; j <= d; j++)
        {
            int t = n + 1 - j;
            if (t % 2 == 1) logGamma += 0.5 * Math.Log(Math.PI);
            for (int h = 1; h <= (t - 1) / 2; h++) logGamma += Math.Log(0.5 * (t - 2 * h));
        }
        return n * d * (Math.Log(gamma) - 0.5 * Math.Log(2)) - logGamma;
    }

    [Differentiable(nameof(alpha), nameof(mu), nameof(q), nameof(l))]
    public static double Objective(int d, int k, int n, double[] alpha, double[] mu, double[] q, double[] l, double[] x, double gamma, int m)
    {
        int lSize = d * (d - 1) / 2;
        double[] qDiags = new double[d * k];
        double[] sumQs = new double[k];
        for (int i = 0; i < d * k; i++) qDiags[i] = Math.Exp(q[i]);
        for (int i = 0; i < k; i++)
        {
            for (int j = 0; j < d; j++) sumQs[i] += q[i * d + j];
        }

        double[] xCentered = new double[d];
        double[] qxCentered = new double[d];
        double[] mainTerm = new double[k];
        double slse = 0;
        for (int ix = 0; ix < n; ix++)
        {
            for (int ik = 0; ik < k; ik++)
            {
                for (int id = 0; id < d; id++) xCentered[id] = x[ix * d + id] - mu[ik * d + id];
                QTimesX(d, qDiags.AsSpan(ik * d, d), l.AsSpan(ik * lSize, lSize), xCentered, qxCentered);
                mainTerm[ik] = alpha[ik] + sumQs[ik] - 0.5 * SquaredNorm(qxCentered);
            }
            slse += LogSumExp(mainTerm);
        }
        double lseAlpha = LogSumExp(alpha);

        // The log Wishart prior: −Σ_k (½γ²‖Q_k‖²_F − m·Σⱼ q_kj) + k·C.
        double prior = 0;
        for (int ik = 0; ik < k; ik++)
        {
            double frobenius = SquaredNorm(qDiags.AsSpan(ik * d, d)) + SquaredNorm(l.AsSpan(ik * lSize, lSize));
            prior += 0.5 * gamma * gamma * frobenius - m * sumQs[ik];
        }
        double constant = -n * d * 0.5 * Math.Log(2 * Math.PI);
        return constant + slse - n * lseAlpha - prior + k * WishartConstant(d, m, gamma);
    }
}
