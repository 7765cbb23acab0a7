using System;
using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Differentiator;

/// <summary>
/// Vectorized inner loops for generated gradients. The generator's optimizer replaces a counted loop whose whole body
/// is a dot product (<c>s += a[o1 + j] * b[o2 + j]</c>) or an axpy (<c>y[o1 + j] += c * x[o2 + j]</c>) by one call
/// here, on the runs of elements the loop would have touched (<see cref="Slice{T}(T[], int, int)"/>,
/// <see cref="Row{T}(T[,], int, int, int)"/>). Written with <see cref="Vector{T}"/>; no dependency beyond the BCL.
/// </summary>
/// <remarks>
/// <para><see cref="Axpy(double, ReadOnlySpan{double}, Span{double})"/> computes each element exactly as the scalar loop does
/// (one multiplication, one addition, no fused multiply-add), so it is bit-identical to the loop.</para>
/// <para><see cref="Dot(ReadOnlySpan{double}, ReadOnlySpan{double})"/> adds the same products in a different order (several
/// vector accumulators, then their lanes, then the tail), so it may differ from the loop in the last bits: by
/// reassociation only (docs/semantics.md). The order depends only on the length and on
/// <see cref="Vector{T}.Count"/>, so it is deterministic on a given machine.</para>
/// <para>The slicing helpers give an empty span when the count is zero or negative (the loop would not have run)
/// and otherwise throw <see cref="IndexOutOfRangeException"/> when the loop would have read or written outside the
/// array, as the loop would have — but before any element is written.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class Kernels
{
    /// <summary>Σₖ x[k]·y[k], the sum started at −0.0 (the additive identity, so <c>s + Dot(…)</c> is <c>s</c> for empty spans, even for s = −0.0).</summary>
    /// <param name="x">The first operand.</param>
    /// <param name="y">The second operand, of the same length.</param>
    /// <returns>The dot product, its terms added in vector lanes (a reassociation of the sequential sum).</returns>
    /// <exception cref="ArgumentException">The spans have different lengths.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y) => DotCore(x, y);

    /// <summary>Σₖ x[k]·y[k] in single precision; see <see cref="Dot(ReadOnlySpan{double}, ReadOnlySpan{double})"/>.</summary>
    /// <param name="x">The first operand.</param>
    /// <param name="y">The second operand, of the same length.</param>
    /// <returns>The dot product, its terms added in vector lanes.</returns>
    /// <exception cref="ArgumentException">The spans have different lengths.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => DotCore(x, y);

    /// <summary>y[k] = y[k] + a·x[k] for every k, each element exactly as the scalar loop computes it.</summary>
    /// <param name="a">The scale.</param>
    /// <param name="x">The source.</param>
    /// <param name="y">The destination, of the same length; when it overlaps <paramref name="x"/> at a different
    /// offset, the elements are updated one by one in ascending order, as the loop would.</param>
    /// <exception cref="ArgumentException">The spans have different lengths.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y) => AxpyCore(a, x, y);

    /// <summary>y[k] = y[k] + a·x[k] in single precision; see <see cref="Axpy(double, ReadOnlySpan{double}, Span{double})"/>.</summary>
    /// <param name="a">The scale.</param>
    /// <param name="x">The source.</param>
    /// <param name="y">The destination, of the same length.</param>
    /// <exception cref="ArgumentException">The spans have different lengths.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Axpy(float a, ReadOnlySpan<float> x, Span<float> y) => AxpyCore(a, x, y);

    /// <summary><c>array[start .. start + count)</c>: the elements a loop <c>for (k = 0; k &lt; count; k++) … array[start + k]</c> touches.</summary>
    /// <param name="array">The array.</param>
    /// <param name="start">The index of the first element.</param>
    /// <param name="count">The number of elements; zero or negative gives an empty span.</param>
    /// <returns>A span over those elements.</returns>
    /// <exception cref="IndexOutOfRangeException">count &gt; 0 and the run leaves the array.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<T> Slice<T>(T[] array, int start, int count)
    {
        if (count <= 0) return Span<T>.Empty;
        if ((uint)start >= (uint)array.Length || count > array.Length - start) throw new IndexOutOfRangeException();
        return new Span<T>(array, start, count);
    }

    /// <summary>The run of <paramref name="count"/> elements of <paramref name="span"/> from <paramref name="start"/>; see <see cref="Slice{T}(T[], int, int)"/>.</summary>
    /// <param name="span">The span.</param>
    /// <param name="start">The index of the first element.</param>
    /// <param name="count">The number of elements; zero or negative gives an empty span.</param>
    /// <returns>A span over those elements.</returns>
    /// <exception cref="IndexOutOfRangeException">count &gt; 0 and the run leaves the span.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<T> Slice<T>(Span<T> span, int start, int count)
    {
        if (count <= 0) return Span<T>.Empty;
        if ((uint)start >= (uint)span.Length || count > span.Length - start) throw new IndexOutOfRangeException();
        return span.Slice(start, count);
    }

    /// <summary>The run of <paramref name="count"/> elements of <paramref name="span"/> from <paramref name="start"/>; see <see cref="Slice{T}(T[], int, int)"/>.</summary>
    /// <param name="span">The span.</param>
    /// <param name="start">The index of the first element.</param>
    /// <param name="count">The number of elements; zero or negative gives an empty span.</param>
    /// <returns>A span over those elements.</returns>
    /// <exception cref="IndexOutOfRangeException">count &gt; 0 and the run leaves the span.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<T> Slice<T>(ReadOnlySpan<T> span, int start, int count)
    {
        if (count <= 0) return ReadOnlySpan<T>.Empty;
        if ((uint)start >= (uint)span.Length || count > span.Length - start) throw new IndexOutOfRangeException();
        return span.Slice(start, count);
    }

    /// <summary><c>array[row, start .. start + count)</c>: part of one row of a rectangular array (rows are contiguous).</summary>
    /// <param name="array">The array.</param>
    /// <param name="row">The row.</param>
    /// <param name="start">The column of the first element.</param>
    /// <param name="count">The number of elements; zero or negative gives an empty span.</param>
    /// <returns>A span over those elements.</returns>
    /// <exception cref="IndexOutOfRangeException">count &gt; 0 and the run leaves the row or the array.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<T> Row<T>(T[,] array, int row, int start, int count)
    {
        if (count <= 0) return Span<T>.Empty;
        ref T first = ref array[row, start]; // checks row and start
        if (count > array.GetLength(1) - start) throw new IndexOutOfRangeException();
        return MemoryMarshal.CreateSpan(ref first, count);
    }

    /// <summary><c>array[row][start .. start + count)</c>: part of one row of a jagged array.</summary>
    /// <param name="array">The array.</param>
    /// <param name="row">The row.</param>
    /// <param name="start">The index of the first element in the row.</param>
    /// <param name="count">The number of elements; zero or negative gives an empty span (the row is not read).</param>
    /// <returns>A span over those elements.</returns>
    /// <exception cref="IndexOutOfRangeException">count &gt; 0 and the run leaves the row or the array.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<T> Row<T>(T[][] array, int row, int start, int count) =>
        count <= 0 ? Span<T>.Empty : Slice(array[row], start, count);

    /// <summary>
    /// The elements of <c>array[start .. start + count)</c> that exist: the run clamped to the array, empty when count is
    /// zero or negative, the array null, or start outside it. Never throws. For a view taken before a loop that might not
    /// reach every element: the loop, indexing the view, throws <see cref="IndexOutOfRangeException"/> at the first element
    /// the array does not have, where indexing the array would have.
    /// </summary>
    /// <param name="array">The array.</param>
    /// <param name="start">The index of the first element.</param>
    /// <param name="count">The number of elements wanted.</param>
    /// <returns>A span over the elements of the run that the array has, from its first.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<T> SliceWithin<T>(T[]? array, int start, int count) =>
        array is null ? Span<T>.Empty : SliceWithin(array.AsSpan(), start, count);

    /// <summary>The elements of the run of <paramref name="span"/> that exist; see <see cref="SliceWithin{T}(T[], int, int)"/>.</summary>
    /// <param name="span">The span.</param>
    /// <param name="start">The index of the first element.</param>
    /// <param name="count">The number of elements wanted.</param>
    /// <returns>A span over the elements of the run that the span has, from its first.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Span<T> SliceWithin<T>(Span<T> span, int start, int count)
    {
        if (count <= 0 || (uint)start >= (uint)span.Length) return Span<T>.Empty;
        return span.Slice(start, Math.Min(count, span.Length - start));
    }

    /// <summary>The elements of the run of <paramref name="span"/> that exist; see <see cref="SliceWithin{T}(T[], int, int)"/>.</summary>
    /// <param name="span">The span.</param>
    /// <param name="start">The index of the first element.</param>
    /// <param name="count">The number of elements wanted.</param>
    /// <returns>A span over the elements of the run that the span has, from its first.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<T> SliceWithin<T>(ReadOnlySpan<T> span, int start, int count)
    {
        if (count <= 0 || (uint)start >= (uint)span.Length) return ReadOnlySpan<T>.Empty;
        return span.Slice(start, Math.Min(count, span.Length - start));
    }

    private static T DotCore<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y) where T : struct, IFloatingPointIeee754<T>
    {
        if (x.Length != y.Length) throw new ArgumentException("The spans have different lengths (" + x.Length + " and " + y.Length + ").", nameof(y));
        int k = 0;
        T sum = T.NegativeZero;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<T>.Count)
        {
            var vx = MemoryMarshal.Cast<T, Vector<T>>(x);
            var vy = MemoryMarshal.Cast<T, Vector<T>>(y);
            var zero = new Vector<T>(T.NegativeZero);
            Vector<T> a0 = zero, a1 = zero, a2 = zero, a3 = zero;
            int v = 0;
            // Four independent accumulators: the additions of one do not wait for the others'.
            for (; v + 4 <= vx.Length; v += 4)
            {
                a0 += vx[v] * vy[v];
                a1 += vx[v + 1] * vy[v + 1];
                a2 += vx[v + 2] * vy[v + 2];
                a3 += vx[v + 3] * vy[v + 3];
            }
            for (; v < vx.Length; v++) a0 += vx[v] * vy[v];
            var total = (a0 + a1) + (a2 + a3);
            for (int lane = 0; lane < Vector<T>.Count; lane++) sum += total[lane];
            k = vx.Length * Vector<T>.Count;
        }
        for (; k < x.Length; k++) sum += x[k] * y[k];
        return sum;
    }

    private static void AxpyCore<T>(T a, ReadOnlySpan<T> x, Span<T> y) where T : struct, IFloatingPointIeee754<T>
    {
        if (x.Length != y.Length) throw new ArgumentException("The spans have different lengths (" + x.Length + " and " + y.Length + ").", nameof(y));
        if (x.Overlaps(y, out int offset) && offset != 0)
        {
            // A shifted overlap: later elements read earlier results, so keep the loop's order.
            for (int j = 0; j < y.Length; j++) y[j] += a * x[j];
            return;
        }
        int k = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<T>.Count)
        {
            var vx = MemoryMarshal.Cast<T, Vector<T>>(x);
            var vy = MemoryMarshal.Cast<T, Vector<T>>(y);
            var va = new Vector<T>(a);
            for (int v = 0; v < vx.Length; v++) vy[v] += va * vx[v];
            k = vx.Length * Vector<T>.Count;
        }
        for (; k < x.Length; k++) y[k] += a * x[k];
    }
}
