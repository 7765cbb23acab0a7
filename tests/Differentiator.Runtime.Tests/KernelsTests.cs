using System;
using System.Linq;

namespace Differentiator.Runtime.Tests;

/// <summary>The vectorized kernels of generated gradients: agreement with the scalar loops they replace, at lengths around the vector width.</summary>
public class KernelsTests
{
    public static TheoryData<int> Lengths => new() { 0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 1001 };

    private static double[] Random(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Dot_equals_the_sequential_sum_up_to_reassociation(int n)
    {
        var x = Random(n, n);
        var y = Random(n, n + 1000);
        double sequential = 0, magnitude = 0;
        for (int k = 0; k < n; k++)
        {
            sequential += x[k] * y[k];
            magnitude += Math.Abs(x[k] * y[k]);
        }
        // Any order of summation is within n·ε·Σ|x·y| of the exact sum, so two orders within twice that.
        Assert.True(Math.Abs(Kernels.Dot(x, y) - sequential) <= 2 * n * Math.Pow(2, -53) * magnitude, $"n = {n}");
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Dot_of_exactly_representable_products_is_exact(int n)
    {
        // Small integers: every partial sum is exact, so every order gives the same result.
        var x = Enumerable.Range(0, n).Select(k => (double)(k % 7 - 3)).ToArray();
        var y = Enumerable.Range(0, n).Select(k => (double)(k % 5 + 1)).ToArray();
        double expected = 0;
        for (int k = 0; k < n; k++) expected += x[k] * y[k];
        Assert.Equal(expected, Kernels.Dot(x, y));
        Assert.Equal((float)expected, Kernels.Dot(x.Select(v => (float)v).ToArray(), y.Select(v => (float)v).ToArray()));
    }

    [Fact]
    public void Dot_of_nothing_is_negative_zero_so_adding_it_changes_nothing()
    {
        double s = -0.0;
        s += Kernels.Dot(ReadOnlySpan<double>.Empty, ReadOnlySpan<double>.Empty);
        Assert.True(double.IsNegative(s));
        var minusZeros = new double[9];
        Array.Fill(minusZeros, -0.0);
        Assert.True(double.IsNegative(Kernels.Dot(minusZeros, Enumerable.Repeat(1.0, 9).ToArray()))); // −0 + −0 + … = −0, as the loop from s = −0
    }

    [Fact]
    public void Dot_propagates_NaN_and_infinities()
    {
        var x = Enumerable.Repeat(1.0, 9).ToArray();
        var y = Enumerable.Repeat(1.0, 9).ToArray();
        y[6] = double.NaN;
        Assert.True(double.IsNaN(Kernels.Dot(x, y)));
        y[6] = double.PositiveInfinity;
        Assert.Equal(double.PositiveInfinity, Kernels.Dot(x, y));
    }

    [Fact]
    public void Dot_rejects_spans_of_different_lengths() =>
        Assert.Throws<ArgumentException>(() => Kernels.Dot(new double[3], new double[4]));

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Axpy_is_bit_identical_to_the_loop(int n)
    {
        var x = Random(n, n);
        var y = Random(n, n + 1000);
        double a = 0.37;
        var expected = (double[])y.Clone();
        for (int k = 0; k < n; k++) expected[k] += a * x[k];
        Kernels.Axpy(a, x, y);
        Assert.Equal(expected, y);

        var xf = x.Select(v => (float)v).ToArray();
        var yf = Random(n, n + 2000).Select(v => (float)v).ToArray();
        var expectedF = (float[])yf.Clone();
        for (int k = 0; k < n; k++) expectedF[k] += 0.37f * xf[k];
        Kernels.Axpy(0.37f, xf, yf);
        Assert.Equal(expectedF, yf);
    }

    [Fact]
    public void Dot_below_one_vector_is_the_sequential_sum_bit_for_bit()
    {
        // Below one vector the kernel is its scalar tail: the loop's order, from −0.0.
        for (int n = 0; n < System.Numerics.Vector<double>.Count; n++)
        {
            var x = Random(n, 50 + n);
            var y = Random(n, 60 + n);
            double sequential = -0.0;
            for (int k = 0; k < n; k++) sequential += x[k] * y[k];
            Assert.Equal(sequential, Kernels.Dot(x, y));
        }
    }

    [Theory]
    [InlineData(1, 20)]
    [InlineData(-1, 20)]
    [InlineData(3, 20)]
    [InlineData(0, 20)]
    [InlineData(1, 2)]   // below one vector: the scalar tail
    [InlineData(-1, 3)]
    public void Axpy_on_overlapping_spans_follows_the_loop(int shift, int n)
    {
        var data = Random(40, 7);
        var expected = (double[])data.Clone();
        int xStart = 10, yStart = 10 + shift;
        for (int k = 0; k < n; k++) expected[yStart + k] += 2.5 * expected[xStart + k];
        Kernels.Axpy(2.5, new ReadOnlySpan<double>(data, xStart, n), new Span<double>(data, yStart, n));
        Assert.Equal(expected, data);
    }

    [Fact]
    public void Slices_are_empty_for_loops_that_do_not_run_and_throw_for_loops_that_would()
    {
        var a = new double[5];
        Assert.True(Kernels.Slice(a, 99, 0).IsEmpty);  // the loop would not have run: no access, no exception
        Assert.True(Kernels.Slice(a, -3, -2).IsEmpty);
        Assert.Equal(5, Kernels.Slice(a, 0, 5).Length);
        Assert.Equal(2, Kernels.Slice(a, 3, 2).Length);
        Assert.Throws<IndexOutOfRangeException>(() => Kernels.Slice(a, 3, 3));
        Assert.Throws<IndexOutOfRangeException>(() => Kernels.Slice(a, -1, 2));
        Assert.Throws<IndexOutOfRangeException>(() => Kernels.Slice(a, 5, 1));
        Assert.Throws<IndexOutOfRangeException>(() => Kernels.Slice(new Span<double>(a), 4, 2));
        Assert.Throws<IndexOutOfRangeException>(() => Kernels.Slice(new ReadOnlySpan<double>(a), 4, 2));
        Assert.Equal(1, Kernels.Slice(new ReadOnlySpan<double>(a), 4, 1).Length);
    }

    [Fact]
    public void Clamped_slices_hold_the_elements_that_exist_and_never_throw()
    {
        var a = new double[] { 1, 2, 3, 4, 5 };
        Assert.Equal(new double[] { 4, 5 }, Kernels.SliceWithin(a, 3, 9).ToArray());   // clamped at the end
        Assert.Equal(new double[] { 2, 3 }, Kernels.SliceWithin(a, 1, 2).ToArray());   // inside: the run itself
        Assert.True(Kernels.SliceWithin(a, 5, 1).IsEmpty);                             // starts past the end
        Assert.True(Kernels.SliceWithin(a, -1, 3).IsEmpty);                            // starts before the array: a loop would throw at its first element
        Assert.True(Kernels.SliceWithin(a, 0, 0).IsEmpty);
        Assert.True(Kernels.SliceWithin<double>(null, 0, 3).IsEmpty);
        Assert.Equal(new double[] { 3, 4, 5 }, Kernels.SliceWithin(a.AsSpan(), 2, 7).ToArray());
        Assert.Equal(new double[] { 5 }, Kernels.SliceWithin((ReadOnlySpan<double>)a, 4, 2).ToArray());
        // A view of the same memory: a write through it is a write to the array.
        Kernels.SliceWithin(a, 3, 9)[1] = 50;
        Assert.Equal(50, a[4]);
    }

    [Fact]
    public void Rows_of_rectangular_and_jagged_arrays()
    {
        var m = new double[3, 4];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 4; j++)
                m[i, j] = 10 * i + j;
        Assert.Equal(new[] { 21.0, 22, 23 }, Kernels.Row(m, 2, 1, 3).ToArray());
        Assert.True(Kernels.Row(m, 7, 9, 0).IsEmpty);
        Assert.Throws<IndexOutOfRangeException>(() => Kernels.Row(m, 1, 2, 3)); // would run into the next row: the loop throws there
        Assert.Throws<IndexOutOfRangeException>(() => Kernels.Row(m, 3, 0, 1));
        Assert.Throws<IndexOutOfRangeException>(() => Kernels.Row(m, 0, -1, 1));

        var jagged = new[] { new[] { 1.0, 2 }, new[] { 3.0, 4, 5 } };
        Assert.Equal(new[] { 4.0, 5 }, Kernels.Row(jagged, 1, 1, 2).ToArray());
        Assert.True(Kernels.Row(jagged, 5, 0, 0).IsEmpty); // the row is not even read
        Assert.Throws<IndexOutOfRangeException>(() => Kernels.Row(jagged, 0, 1, 2));
        Assert.Throws<IndexOutOfRangeException>(() => Kernels.Row(jagged, 2, 0, 1));
    }

    [Fact]
    public void Kernels_are_hidden_from_the_editor()
    {
        var attribute = (System.ComponentModel.EditorBrowsableAttribute?)Attribute.GetCustomAttribute(typeof(Kernels), typeof(System.ComponentModel.EditorBrowsableAttribute));
        Assert.Equal(System.ComponentModel.EditorBrowsableState.Never, attribute?.State);
    }
}
