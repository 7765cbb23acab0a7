using System;

namespace Differentiator.Benchmarks;

/// <summary>
/// A careful person's gradient of ADBench's GMM objective (the very <c>Gmm.Objective</c> the generator
/// differentiates), derived by hand the way ADBench's manual C++ gradient is: per point, the forward pass keeps every
/// component's x − μ_k, Q_k(x − μ_k) and main term in buffers; then, with w_k = softmax_k(main term), each component
/// adds w_k into ∂α_k, w_k·Q_kᵀQ_k(x − μ_k) into ∂μ_k, and −w_k·(Q_k(x − μ_k))_j·(x − μ_k)_i into ∂L_k(j, i) — one
/// pass over the triangle that also forms Q_kᵀ(Q_k(x − μ_k)). Scalar loops, no saves, no exp recomputed.
/// It is the reference the generated gradient's time is compared with (docs/performance.md); GmmBenchmarks checks
/// that the two agree before timing anything.
/// </summary>
public static class HandWrittenGmm
{
    public static double Gradient(int d, int k, int n, double[] alphas, double[] means, double[] icf, double[] x, double gamma, int m,
        Span<double> dalphas, Span<double> dmeans, Span<double> dicf)
    {
        const double LogTwoPi = 1.8378770664093453;
        int icfSize = d * (d + 1) / 2;
        var qdiags = new double[d * k];
        var sumQs = new double[k];
        var xcentered = new double[d * k];   // every component's x − μ_k for the current point
        var qxcentered = new double[d * k];  // and Q_k(x − μ_k)
        var mainTerm = new double[k];
        var weightSums = new double[k];      // Σ over points of w_k: the diagonal's and sumQs' share, added once at the end
        dalphas.Clear();
        dmeans.Clear();
        dicf.Clear();

        for (int ik = 0; ik < k; ik++)
            for (int id = 0; id < d; id++)
            {
                sumQs[ik] += icf[ik * icfSize + id];
                qdiags[ik * d + id] = Math.Exp(icf[ik * icfSize + id]);
            }

        double slse = 0;
        for (int ix = 0; ix < n; ix++)
        {
            for (int ik = 0; ik < k; ik++)
            {
                int o = ik * d;
                for (int id = 0; id < d; id++)
                {
                    double c = x[ix * d + id] - means[o + id];
                    xcentered[o + id] = c;
                    qxcentered[o + id] = qdiags[o + id] * c;
                }
                for (int i = 0; i < d; i++)
                {
                    int column = ik * icfSize + d + i * (2 * d - i - 1) / 2 - i - 1;
                    double xi = xcentered[o + i];
                    for (int j = i + 1; j < d; j++) qxcentered[o + j] += icf[column + j] * xi;
                }
                double squaredNorm = 0;
                for (int id = 0; id < d; id++) squaredNorm += qxcentered[o + id] * qxcentered[o + id];
                mainTerm[ik] = alphas[ik] + sumQs[ik] - 0.5 * squaredNorm;
            }
            double largest = mainTerm[0];
            for (int ik = 1; ik < k; ik++) largest = Math.Max(largest, mainTerm[ik]);
            double sum = 0;
            for (int ik = 0; ik < k; ik++)
            {
                double e = Math.Exp(mainTerm[ik] - largest);
                mainTerm[ik] = e; // kept: the softmax weight is e / sum
                sum += e;
            }
            slse += Math.Log(sum) + largest;

            double inverseSum = 1 / sum;
            for (int ik = 0; ik < k; ik++)
            {
                double w = mainTerm[ik] * inverseSum;
                int o = ik * d;
                dalphas[ik] += w;
                weightSums[ik] += w;
                for (int i = 0; i < d; i++)
                {
                    // ∂/∂q_i of −½‖Qx‖² through the diagonal exp(q_i), and (Qᵀ Qx)_i for ∂μ, one pass over column i.
                    double qx = qxcentered[o + i], xi = xcentered[o + i], qd = qdiags[o + i];
                    dicf[ik * icfSize + i] -= w * qx * qd * xi;
                    double transposed = qd * qx;
                    int column = ik * icfSize + d + i * (2 * d - i - 1) / 2 - i - 1;
                    double wxi = w * xi;
                    for (int j = i + 1; j < d; j++)
                    {
                        double qxj = qxcentered[o + j];
                        dicf[column + j] -= wxi * qxj;
                        transposed += icf[column + j] * qxj;
                    }
                    dmeans[o + i] += w * transposed;
                }
            }
        }

        // −n·lse(α): its softmax, subtracted n times.
        double largestAlpha = alphas[0];
        for (int ik = 1; ik < k; ik++) largestAlpha = Math.Max(largestAlpha, alphas[ik]);
        double alphaSum = 0;
        for (int ik = 0; ik < k; ik++) alphaSum += Math.Exp(alphas[ik] - largestAlpha);
        double lseAlphas = Math.Log(alphaSum) + largestAlpha;
        for (int ik = 0; ik < k; ik++) dalphas[ik] -= n * Math.Exp(alphas[ik] - largestAlpha) / alphaSum;

        // The Wishart prior and the sumQs term of every point's main term.
        int dof = d + m + 1;
        double prior = 0, gammaSquared = gamma * gamma;
        for (int ik = 0; ik < k; ik++)
        {
            double frobenius = 0;
            for (int id = 0; id < d; id++)
            {
                double qd = qdiags[ik * d + id];
                frobenius += qd * qd;
                dicf[ik * icfSize + id] += weightSums[ik] + gammaSquared * qd * qd - m;
            }
            for (int id = d; id < icfSize; id++)
            {
                double l = icf[ik * icfSize + id];
                frobenius += l * l;
                dicf[ik * icfSize + id] += gammaSquared * l;
            }
            prior += 0.5 * gammaSquared * frobenius - m * sumQs[ik];
        }
        double logGamma = 0.25 * d * (d - 1) * Math.Log(Math.PI);
        for (int j = 1; j <= d; j++)
        {
            int t = dof + 1 - j;
            if (t % 2 == 1) logGamma += 0.5 * Math.Log(Math.PI);
            for (int h = 1; h <= (t - 1) / 2; h++) logGamma += Math.Log(0.5 * (t - 2 * h));
        }
        double constant = dof * d * (Math.Log(gamma) - 0.5 * Math.Log(2)) - logGamma;
        prior -= k * constant;
        return -n * d * 0.5 * LogTwoPi + slse - n * lseAlphas + prior;
    }
}
