using System;

namespace Differentiator.GradBench.Evals;

/// <summary>
/// GradBench's ba (ADBench's bundle adjustment), written from its C++ reference (cpp/gradbench/evals/ba.hpp) with its
/// helpers: the reprojection error of one observation, a vector-valued method whose Jacobian is one 2 × 15 block of
/// the sparse Jacobian, and the weight error of one observation, a scalar one.
/// </summary>
public static partial class BundleAdjustment
{
    static double SquaredSum(ReadOnlySpan<double> x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++) sum += x[i] * x[i];
        return sum;
    }

    static void Cross(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> result)
    {
        result[0] = a[1] * b[2] - a[2] * b[1];
        result[1] = a[2] * b[0] - a[0] * b[2];
        result[2] = a[0] * b[1] - a[1] * b[0];
    }

    /// <summary>Rotates pt by the angle-axis vector rot (Rodrigues' formula; to first order when rot is zero).</summary>
    /// <remarks>The reference declares w and the cross products inside the branches; the generator wants local arrays
    /// allocated at the top level (DIFF018: an allocation in a branch would hide values the reverse sweep needs).</remarks>
    static void RodriguesRotatePoint(ReadOnlySpan<double> rot, ReadOnlySpan<double> pt, Span<double> rotatedPt)
    {
        Span<double> w = stackalloc double[3];
        Span<double> cross = stackalloc double[3];
        double sqtheta = SquaredSum(rot);
        if (sqtheta != 0)
        {
            double theta = Math.Sqrt(sqtheta);
            double costheta = Math.Cos(theta);
            double sintheta = Math.Sin(theta);
            double thetaInverse = 1.0 / theta;
            for (int i = 0; i < 3; i++) w[i] = rot[i] * thetaInverse;
            Cross(w, pt, cross);
            double tmp = (w[0] * pt[0] + w[1] * pt[1] + w[2] * pt[2]) * (1.0 - costheta);
            for (int i = 0; i < 3; i++) rotatedPt[i] = pt[i] * costheta + cross[i] * sintheta + w[i] * tmp;
        }
        else
        {
            Cross(rot, pt, cross);
            for (int i = 0; i < 3; i++) rotatedPt[i] = pt[i] + cross[i];
        }
    }

    static void RadialDistort(ReadOnlySpan<double> radParams, Span<double> proj)
    {
        double rsq = SquaredSum(proj);
        double l = 1.0 + radParams[0] * rsq + radParams[1] * rsq * rsq;
        proj[0] = proj[0] * l;
        proj[1] = proj[1] * l;
    }

    /// <summary>cam = [r₁ r₂ r₃ C₁ C₂ C₃ f u₀ v₀ k₁ k₂]: Xcam = R(X − C), then the perspective division, the radial
    /// distortion, the focal length and the principal point.</summary>
    static void Project(ReadOnlySpan<double> cam, ReadOnlySpan<double> x, Span<double> proj)
    {
        Span<double> xo = stackalloc double[3];
        for (int i = 0; i < 3; i++) xo[i] = x[i] - cam[3 + i];
        Span<double> xcam = stackalloc double[3];
        RodriguesRotatePoint(cam.Slice(0, 3), xo, xcam);
        proj[0] = xcam[0] / xcam[2];
        proj[1] = xcam[1] / xcam[2];
        RadialDistort(cam.Slice(9, 2), proj);
        proj[0] = proj[0] * cam[6] + cam[7];
        proj[1] = proj[1] * cam[6] + cam[8];
    }

    /// <summary>One observation's reprojection error: w·(project(cam, X) − feat), two entries.</summary>
    [Differentiable(nameof(cam), nameof(x), nameof(w))]
    public static void ReprojectionError(ReadOnlySpan<double> cam, ReadOnlySpan<double> x, double w, ReadOnlySpan<double> feat, Span<double> err)
    {
        Span<double> proj = stackalloc double[2];
        Project(cam, x, proj);
        err[0] = w * (proj[0] - feat[0]);
        err[1] = w * (proj[1] - feat[1]);
    }

    /// <summary>One observation's weight error (Zach's robustifier), 1 − w².</summary>
    [Differentiable(nameof(w))]
    public static double WeightError(double w) => 1 - w * w;
}
