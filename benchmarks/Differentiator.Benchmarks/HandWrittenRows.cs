using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Differentiator.Benchmarks;

/// <summary>
/// The strongest references for the MSE gradient over a flat row-major X (row i is <c>X[i * d .. i * d + d)</c>),
/// issue 23: the memory floor (read X and y once), the fused scalar loop a careful programmer writes with spans, and
/// hand SIMD. The generated gradient is measured against these, not against <c>double[,]</c> indexing.
/// </summary>
public static class HandWrittenRows
{
    /// <summary>The memory floor: every element of X and y read once (a vectorized sum), nothing computed from them.</summary>
    public static double ReadOnce(double[] Xflat, double[] y) => TensorPrimitives.Sum(Xflat) + TensorPrimitives.Sum(y);

    /// <summary>One pass, scalar: each row as a span (bounds checked once per row), w and dw as spans.</summary>
    public static double MseFusedSpan(double[] Xflat, double[] y, double[] w, double b, Span<double> dw, out double db)
    {
        int n = y.Length, d = w.Length;
        ReadOnlySpan<double> ws = w;
        Span<double> g = dw[..d];
        g.Clear();
        double sum = 0, gb = 0, scale = 2.0 / n;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> row = Xflat.AsSpan(i * d, d);
            double pred = b;
            for (int j = 0; j < row.Length; j++) pred += row[j] * ws[j];
            double r = pred - y[i];
            sum += r * r;
            double gi = scale * r;
            for (int j = 0; j < row.Length; j++) g[j] += gi * row[j];
            gb += gi;
        }
        db = gb;
        return sum / n;
    }

    /// <summary>
    /// Hand SIMD (fused multiply-add allowed: this is the practical limit, not an exactness reference). Rows that fit one
    /// vector (d ≤ lanes) are blocked: one unaligned load per row covers the row (and the head of the next, multiplied
    /// by w's zero padding), two rows per iteration in independent registers, and dw is accumulated in one vector
    /// register for the whole call (lanes past d collect garbage, dropped at the end). Longer rows: a row-wise dot
    /// product with two accumulators and a vector axpy.
    /// </summary>
    public static double MseSimd(double[] Xflat, double[] y, double[] w, double b, Span<double> dw, out double db)
    {
        int d = w.Length;
        // Too few rows to fill a vector: the scalar loop is the faster hand-written code.
        if (y.Length * d < 2 * Vector256<double>.Count) return MseFusedSpan(Xflat, y, w, b, dw, out db);
        if (Vector512.IsHardwareAccelerated && d <= Vector512<double>.Count) return MseSmallRows512(Xflat, y, w, b, dw, out db);
        if (Vector256.IsHardwareAccelerated && d <= Vector256<double>.Count) return MseSmallRows256(Xflat, y, w, b, dw, out db);
        return MseLongRows(Xflat, y, w, b, dw, out db);
    }

    private static double MseSmallRows512(double[] Xflat, double[] y, double[] w, double b, Span<double> dw, out double db)
    {
        int n = y.Length, d = w.Length, lanes = Vector512<double>.Count;
        Span<double> padded = stackalloc double[lanes];
        padded.Clear();
        w.CopyTo(padded);
        var wv = Vector512.Create((ReadOnlySpan<double>)padded);
        ref double x = ref MemoryMarshal.GetArrayDataReference(Xflat);
        if (Xflat.Length < n * d) throw new ArgumentException("X is shorter than n × d.");
        var acc0 = Vector512<double>.Zero;
        var acc1 = Vector512<double>.Zero;
        double sum0 = 0, sum1 = 0, gb = 0, scale = 2.0 / n;
        // Rows whose 8-wide load stays inside X.
        int blocked = n * d >= lanes ? (n * d - lanes) / d + 1 : 0;
        int i = 0;
        for (; i + 1 < blocked; i += 2)
        {
            var x0 = Vector512.LoadUnsafe(ref x, (nuint)(i * d));
            var x1 = Vector512.LoadUnsafe(ref x, (nuint)(i * d + d));
            double r0 = Vector512.Sum(x0 * wv) + b - y[i];
            double r1 = Vector512.Sum(x1 * wv) + b - y[i + 1];
            sum0 += r0 * r0;
            sum1 += r1 * r1;
            double g0 = scale * r0, g1 = scale * r1;
            acc0 = Vector512.FusedMultiplyAdd(Vector512.Create(g0), x0, acc0);
            acc1 = Vector512.FusedMultiplyAdd(Vector512.Create(g1), x1, acc1);
            gb += g0 + g1;
        }
        var acc = acc0 + acc1;
        dw = dw[..d];
        for (int j = 0; j < d; j++) dw[j] = acc[j];
        for (; i < n; i++)
        {
            ReadOnlySpan<double> row = Xflat.AsSpan(i * d, d);
            double pred = b;
            for (int j = 0; j < d; j++) pred += row[j] * w[j];
            double r = pred - y[i];
            sum0 += r * r;
            double gi = scale * r;
            for (int j = 0; j < d; j++) dw[j] += gi * row[j];
            gb += gi;
        }
        db = gb;
        return (sum0 + sum1) / n;
    }

    private static double MseSmallRows256(double[] Xflat, double[] y, double[] w, double b, Span<double> dw, out double db)
    {
        int n = y.Length, d = w.Length, lanes = Vector256<double>.Count;
        Span<double> padded = stackalloc double[lanes];
        padded.Clear();
        w.CopyTo(padded);
        var wv = Vector256.Create((ReadOnlySpan<double>)padded);
        ref double x = ref MemoryMarshal.GetArrayDataReference(Xflat);
        if (Xflat.Length < n * d) throw new ArgumentException("X is shorter than n × d.");
        var acc0 = Vector256<double>.Zero;
        var acc1 = Vector256<double>.Zero;
        double sum0 = 0, sum1 = 0, gb = 0, scale = 2.0 / n;
        int blocked = n * d >= lanes ? (n * d - lanes) / d + 1 : 0;
        int i = 0;
        for (; i + 1 < blocked; i += 2)
        {
            var x0 = Vector256.LoadUnsafe(ref x, (nuint)(i * d));
            var x1 = Vector256.LoadUnsafe(ref x, (nuint)(i * d + d));
            double r0 = Vector256.Sum(x0 * wv) + b - y[i];
            double r1 = Vector256.Sum(x1 * wv) + b - y[i + 1];
            sum0 += r0 * r0;
            sum1 += r1 * r1;
            double g0 = scale * r0, g1 = scale * r1;
            acc0 = Vector256.FusedMultiplyAdd(Vector256.Create(g0), x0, acc0);
            acc1 = Vector256.FusedMultiplyAdd(Vector256.Create(g1), x1, acc1);
            gb += g0 + g1;
        }
        var acc = acc0 + acc1;
        dw = dw[..d];
        for (int j = 0; j < d; j++) dw[j] = acc[j];
        for (; i < n; i++)
        {
            ReadOnlySpan<double> row = Xflat.AsSpan(i * d, d);
            double pred = b;
            for (int j = 0; j < d; j++) pred += row[j] * w[j];
            double r = pred - y[i];
            sum0 += r * r;
            double gi = scale * r;
            for (int j = 0; j < d; j++) dw[j] += gi * row[j];
            gb += gi;
        }
        db = gb;
        return (sum0 + sum1) / n;
    }

    private static double MseLongRows(double[] Xflat, double[] y, double[] w, double b, Span<double> dw, out double db)
    {
        int n = y.Length, d = w.Length, lanes = Vector256<double>.Count;
        dw = dw[..d];
        dw.Clear();
        ref double wr = ref MemoryMarshal.GetArrayDataReference(w);
        ref double gr = ref MemoryMarshal.GetReference(dw);
        double sum = 0, gb = 0, scale = 2.0 / n;
        int whole = d - d % lanes;
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<double> row = Xflat.AsSpan(i * d, d);
            ref double xr = ref MemoryMarshal.GetReference(row);
            var a0 = Vector256<double>.Zero;
            var a1 = Vector256<double>.Zero;
            int j = 0;
            for (; j + 2 * lanes <= whole; j += 2 * lanes)
            {
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref xr, (nuint)j), Vector256.LoadUnsafe(ref wr, (nuint)j), a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref xr, (nuint)(j + lanes)), Vector256.LoadUnsafe(ref wr, (nuint)(j + lanes)), a1);
            }
            for (; j < whole; j += lanes)
                a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref xr, (nuint)j), Vector256.LoadUnsafe(ref wr, (nuint)j), a0);
            double pred = b + Vector256.Sum(a0 + a1);
            for (; j < d; j++) pred += row[j] * w[j];
            double r = pred - y[i];
            sum += r * r;
            double gi = scale * r;
            var gv = Vector256.Create(gi);
            for (j = 0; j < whole; j += lanes)
                Vector256.FusedMultiplyAdd(gv, Vector256.LoadUnsafe(ref xr, (nuint)j), Vector256.LoadUnsafe(ref gr, (nuint)j)).StoreUnsafe(ref gr, (nuint)j);
            for (; j < d; j++) dw[j] += gi * row[j];
            gb += gi;
        }
        db = gb;
        return sum / n;
    }
}
