using System;
using Differentiator;

namespace Differentiator.Objectives;

/// <summary>
/// ADBench's Gaussian-mixture objective (Srajer, Kukelova, Fitzgibbon, "A benchmark of selected algorithmic
/// differentiation tools on some problems in computer vision and machine learning", Optim. Methods Softw. 2018),
/// written from its definition the way its C++ reference is structured — flat arrays, scratch arrays allocated once,
/// the stable log-sum-exp — and differentiated by Differentiator as written.
/// <para>
/// log L = −n·d/2·ln 2π + Σᵢ lse_k(α_k + Σⱼ q_kj − ½‖Q_k(x_i − μ_k)‖²) − n·lse(α) + Wishart prior, where Q_k is lower
/// triangular with diagonal exp(q_k) and, below it, the entries l_k column by column; icf holds, per component, the
/// d log-diagonal values q_k and then the d(d−1)/2 entries l_k.
/// </para>
/// This file is compiled by the tests through the generator (it is read as text at run time, see GmmTests).
/// </summary>
public static partial class Gmm
{
    [Differentiable(nameof(alphas), nameof(means), nameof(icf))]
    public static double Objective(int d, int k, int n, double[] alphas, double[] means, double[] icf, double[] x, double gamma, int m)
    {
        const double LogTwoPi = 1.8378770664093453;
        int icfSize = d * (d + 1) / 2;
        double[] qdiags = new double[d * k];
        double[] sumQs = new double[k];
        double[] xcentered = new double[d];
        double[] qxcentered = new double[d];
        double[] mainTerm = new double[k];

        for (int ik = 0; ik < k; ik++)
        {
            for (int id = 0; id < d; id++)
            {
                sumQs[ik] += icf[ik * icfSize + id];
                qdiags[ik * d + id] = Math.Exp(icf[ik * icfSize + id]);
            }
        }

        double slse = 0;
        for (int ix = 0; ix < n; ix++)
        {
            for (int ik = 0; ik < k; ik++)
            {
                for (int id = 0; id < d; id++) xcentered[id] = x[ix * d + id] - means[ik * d + id];
                // Q·(x − μ): the diagonal, then the strictly lower part column by column.
                for (int id = 0; id < d; id++) qxcentered[id] = qdiags[ik * d + id] * xcentered[id];
                for (int i = 0; i < d; i++)
                {
                    int column = ik * icfSize + d + i * (2 * d - i - 1) / 2 - i - 1;
                    for (int j = i + 1; j < d; j++) qxcentered[j] += icf[column + j] * xcentered[i];
                }
                double squaredNorm = 0;
                for (int id = 0; id < d; id++) squaredNorm += qxcentered[id] * qxcentered[id];
                mainTerm[ik] = alphas[ik] + sumQs[ik] - 0.5 * squaredNorm;
            }
            // The stable log-sum-exp: shift by the largest term.
            double largest = mainTerm[0];
            for (int ik = 1; ik < k; ik++) largest = Math.Max(largest, mainTerm[ik]);
            double sum = 0;
            for (int ik = 0; ik < k; ik++) sum += Math.Exp(mainTerm[ik] - largest);
            slse += Math.Log(sum) + largest;
        }

        double largestAlpha = alphas[0];
        for (int ik = 1; ik < k; ik++) largestAlpha = Math.Max(largestAlpha, alphas[ik]);
        double alphaSum = 0;
        for (int ik = 0; ik < k; ik++) alphaSum += Math.Exp(alphas[ik] - largestAlpha);
        double lseAlphas = Math.Log(alphaSum) + largestAlpha;

        // The Wishart prior: ½γ²‖Q_k‖²_F − m·Σⱼ q_kj per component, minus k times its normalizing constant, in
        // which ln Γ_d(a) = d(d−1)/4·ln π + Σⱼ ln Γ(a + (1 − j)/2) at the half-integers a = (d + m + 1)/2.
        int dof = d + m + 1;
        double prior = 0;
        for (int ik = 0; ik < k; ik++)
        {
            double frobenius = 0;
            for (int id = 0; id < d; id++) frobenius += qdiags[ik * d + id] * qdiags[ik * d + id];
            for (int id = d; id < icfSize; id++) frobenius += icf[ik * icfSize + id] * icf[ik * icfSize + id];
            prior += 0.5 * gamma * gamma * frobenius - m * sumQs[ik];
        }
        double logGamma = 0.25 * d * (d - 1) * Math.Log(Math.PI);
        for (int j = 1; j <= d; j++)
        {
            // ln Γ(t/2) for the integer t = dof + 1 − j: Γ(t/2) = (t/2 − 1)·Γ(t/2 − 1), down to Γ(1) = 1 or Γ(½) = √π.
            int t = dof + 1 - j;
            if (t % 2 == 1) logGamma += 0.5 * Math.Log(Math.PI);
            for (int h = 1; h <= (t - 1) / 2; h++) logGamma += Math.Log(0.5 * (t - 2 * h));
        }
        double constant = dof * d * (Math.Log(gamma) - 0.5 * Math.Log(2)) - logGamma;
        prior -= k * constant;

        return -n * d * 0.5 * LogTwoPi + slse - n * lseAlphas + prior;
    }
}
