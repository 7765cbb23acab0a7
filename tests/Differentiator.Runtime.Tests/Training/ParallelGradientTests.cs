using System;
using System.Threading;
using Differentiator.Training;

namespace Differentiator.Runtime.Tests.Training;

/// <summary>
/// <see cref="ParallelGradient"/> against the one-thread gradient and against the shards added by hand in shard
/// order. The shard gradient is a hand-written MSE of a linear model (the runtime tests do not run the generator):
/// the fused loop the generator emits for it, mean over the rows it is given.
/// </summary>
public class ParallelGradientTests
{
    private const int Features = 5;

    private sealed class Problem
    {
        public readonly double[,] X;
        public readonly double[] Y, W;
        public readonly double B = 0.25;

        public Problem(int rows, int seed = 7)
        {
            var random = new Random(seed);
            X = new double[rows, Features];
            Y = new double[rows];
            W = new double[Features];
            for (int j = 0; j < Features; j++) W[j] = random.NextDouble() - 0.5;
            for (int i = 0; i < rows; i++)
            {
                for (int j = 0; j < Features; j++) X[i, j] = random.NextDouble() * 4 - 2;
                Y[i] = random.NextDouble() * 10;
            }
        }

        public int Rows => Y.Length;

        /// <summary>The MSE of rows [start, start + count) and its gradient (w then b), as the generator's fused loop computes it.</summary>
        public double MseRows(int start, int count, Span<double> gradient)
        {
            var dw = gradient[..Features];
            dw.Clear();
            double sum = 0, db = 0, dSum = 1.0 / count;
            for (int i = start; i < start + count; i++)
            {
                double pred = B;
                for (int j = 0; j < Features; j++) pred += X[i, j] * W[j];
                double r = pred - Y[i];
                sum += r * r;
                double dPred = 2 * r * dSum;
                for (int j = 0; j < Features; j++) dw[j] += X[i, j] * dPred;
                db += dPred;
            }
            gradient[Features] = db;
            return sum / count;
        }

        /// <summary>The same rows' sum of squares (no division by the count): a loss that is a sum over rows.</summary>
        public double SumRows(int start, int count, Span<double> gradient)
        {
            double mean = MseRows(start, count, gradient);
            for (int j = 0; j < gradient.Length; j++) gradient[j] *= count;
            return mean * count;
        }
    }

    [Fact]
    public void One_shard_is_the_one_thread_gradient_bit_for_bit()
    {
        var p = new Problem(1000);
        var expected = new double[Features + 1];
        double expectedLoss = p.MseRows(0, p.Rows, expected);
        using var parallel = new ParallelGradient(Features + 1, shards: 1);
        var gradient = new double[Features + 1];
        double loss = parallel.Compute(p.Rows, Reduction.Mean, p.MseRows, gradient);
        Assert.Equal(Bits(expectedLoss), Bits(loss));
        Assert.Equal(Bits(expected), Bits(gradient));
    }

    [Theory]
    [InlineData(2, Reduction.Mean)]
    [InlineData(3, Reduction.Mean)]
    [InlineData(8, Reduction.Mean)]
    [InlineData(2, Reduction.Sum)]
    [InlineData(5, Reduction.Sum)]
    public void Several_shards_equal_the_one_thread_gradient_to_rounding(int shards, Reduction reduction)
    {
        var p = new Problem(10_007);
        ShardGradient shard = reduction == Reduction.Mean ? p.MseRows : p.SumRows;
        var expected = new double[Features + 1];
        double expectedLoss = shard(0, p.Rows, expected);
        using var parallel = new ParallelGradient(Features + 1, shards);
        var gradient = new double[Features + 1];
        double loss = parallel.Compute(p.Rows, reduction, shard, gradient);
        // Another order of addition over 10⁴ rows: a few units in the last place, far below 1e-12 relative.
        Assert.Equal(expectedLoss, loss, RelativeTolerance(expectedLoss));
        for (int j = 0; j <= Features; j++) Assert.Equal(expected[j], gradient[j], RelativeTolerance(expected[j]));
        Assert.NotEqual(0, expected[Features]); // a real gradient, not zeros on both sides
    }

    [Fact]
    public void The_shards_are_added_in_shard_order_whatever_the_timing()
    {
        // The expected value is the shards computed one after another here and added in order 0, 1, 2, 3. The shards
        // finish in a different order on each call (shard k sleeps a random time), which must not change a bit.
        var p = new Problem(4099);
        const int shards = 4;
        var expected = new double[Features + 1];
        double expectedLoss = 0;
        var partial = new double[Features + 1];
        for (int k = 0; k < shards; k++)
        {
            var (start, count) = RowShards.Range(p.Rows, shards, k);
            double weight = (double)count / p.Rows;
            expectedLoss += weight * p.MseRows(start, count, partial);
            for (int j = 0; j <= Features; j++) expected[j] += weight * partial[j];
        }

        var random = new Random(3);
        var delays = new int[shards];
        ShardGradient slowShard = (start, count, g) =>
        {
            Thread.Sleep(delays[start * shards / p.Rows]);
            return p.MseRows(start, count, g);
        };
        using var parallel = new ParallelGradient(Features + 1, shards);
        var gradient = new double[Features + 1];
        for (int call = 0; call < 12; call++)
        {
            for (int k = 0; k < shards; k++) delays[k] = random.Next(0, 6);
            double loss = parallel.Compute(p.Rows, Reduction.Mean, slowShard, gradient);
            Assert.Equal(Bits(expectedLoss), Bits(loss));
            Assert.Equal(Bits(expected), Bits(gradient));
        }
    }

    [Fact]
    public void Fewer_rows_than_shards_leaves_the_empty_shards_out()
    {
        var p = new Problem(3);
        var expected = new double[Features + 1];
        double expectedLoss = p.MseRows(0, 3, expected);
        int calls = 0;
        ShardGradient counting = (start, count, g) =>
        {
            Assert.True(count > 0, "an empty shard was evaluated");
            Interlocked.Increment(ref calls);
            return p.MseRows(start, count, g);
        };
        using var parallel = new ParallelGradient(Features + 1, shards: 5);
        var gradient = new double[Features + 1];
        double loss = parallel.Compute(3, Reduction.Mean, counting, gradient);
        Assert.Equal(3, calls);
        Assert.Equal(expectedLoss, loss, RelativeTolerance(expectedLoss));
        for (int j = 0; j <= Features; j++) Assert.Equal(expected[j], gradient[j], RelativeTolerance(expected[j]));
    }

    [Fact]
    public void Calls_after_warm_up_allocate_nothing_on_any_thread()
    {
        // Each shard records its thread's allocation counter when it starts: between two calls the difference is
        // what the worker's loop (and the caller, for shard 0) allocated in between.
        var p = new Problem(2000);
        const int shards = 3;
        var atStart = new long[shards];
        ShardGradient recording = (start, count, g) =>
        {
            atStart[start * shards / p.Rows] = GC.GetAllocatedBytesForCurrentThread();
            return p.MseRows(start, count, g);
        };
        using var parallel = new ParallelGradient(Features + 1, shards);
        var gradient = new double[Features + 1];
        for (int call = 0; call < 50; call++) parallel.Compute(p.Rows, Reduction.Mean, recording, gradient);
        var before = (long[])atStart.Clone();
        long callerBefore = GC.GetAllocatedBytesForCurrentThread();
        for (int call = 0; call < 200; call++) parallel.Compute(p.Rows, Reduction.Mean, recording, gradient);
        long callerAfter = GC.GetAllocatedBytesForCurrentThread();
        // Nothing per call: 200 calls that allocated anything each would show thousands of bytes. Under heavy load a
        // thread's first blocking wait can still create a lazy object once (24 B, seen once in a parallel CI run on 2
        // cores), which is not a per-call cost, so the bound is "less than one byte per call", not zero.
        Assert.True(callerAfter - callerBefore < 200, "caller allocated " + (callerAfter - callerBefore) + " B in 200 calls");
        for (int k = 0; k < shards; k++) Assert.True(atStart[k] - before[k] < 200, "shard " + k + " allocated " + (atStart[k] - before[k]) + " B in 200 calls");
    }

    [Fact]
    public void A_shard_that_throws_rethrows_on_the_caller_and_the_instance_stays_usable()
    {
        var p = new Problem(100);
        using var parallel = new ParallelGradient(Features + 1, shards: 3);
        var gradient = new double[Features + 1];
        ShardGradient failing = (start, count, g) => start > 0 ? throw new InvalidOperationException("shard at " + start) : p.MseRows(start, count, g);
        var error = Assert.Throws<InvalidOperationException>(() => parallel.Compute(p.Rows, Reduction.Mean, failing, gradient));
        Assert.Equal("shard at 33", error.Message); // the lowest failing shard's, though shard 2 failed too

        var expected = new double[Features + 1];
        p.MseRows(0, p.Rows, expected);
        parallel.Compute(p.Rows, Reduction.Mean, p.MseRows, gradient);
        for (int j = 0; j <= Features; j++) Assert.Equal(expected[j], gradient[j], RelativeTolerance(expected[j]));
    }

    [Fact]
    public void A_second_call_while_one_runs_is_refused()
    {
        var p = new Problem(100);
        using var parallel = new ParallelGradient(Features + 1, shards: 2);
        var gradient = new double[Features + 1];
        Exception? inner = null;
        ShardGradient reentrant = (start, count, g) =>
        {
            if (start == 0) inner = Record.Exception(() => parallel.Compute(p.Rows, Reduction.Mean, p.MseRows, new double[Features + 1]));
            return p.MseRows(start, count, g);
        };
        parallel.Compute(p.Rows, Reduction.Mean, reentrant, gradient);
        Assert.IsType<InvalidOperationException>(inner);
    }

    [Fact]
    public void Wrong_buffer_length_and_use_after_dispose_throw()
    {
        var p = new Problem(10);
        var parallel = new ParallelGradient(Features + 1, shards: 2);
        var error = Assert.Throws<ArgumentException>(() => parallel.Compute(p.Rows, Reduction.Mean, p.MseRows, new double[Features]));
        Assert.Equal("gradient", error.ParamName);
        parallel.Dispose();
        Assert.Throws<ObjectDisposedException>(() => parallel.Compute(p.Rows, Reduction.Mean, p.MseRows, new double[Features + 1]));
        var single = new ParallelGradient(Features + 1, shards: 1); // no threads to end, but disposed all the same
        single.Dispose();
        Assert.Throws<ObjectDisposedException>(() => single.Compute(p.Rows, Reduction.Mean, p.MseRows, new double[Features + 1]));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 4)]
    [InlineData(10, 3)]
    [InlineData(1_000_000, 7)]
    [InlineData(int.MaxValue, 64)]
    public void Row_shards_cover_every_row_once_in_near_equal_parts(int rows, int shards)
    {
        int next = 0, smallest = int.MaxValue, largest = 0;
        for (int k = 0; k < shards; k++)
        {
            var (start, count) = RowShards.Range(rows, shards, k);
            Assert.Equal(next, start);
            next = start + count;
            smallest = Math.Min(smallest, count);
            largest = Math.Max(largest, count);
        }
        Assert.Equal(rows, next);
        Assert.InRange(largest - smallest, 0, 1);
    }

    [Fact]
    public void Mean_shards_weigh_their_share_of_the_rows()
    {
        Assert.Equal(0.25, RowShards.Weight(Reduction.Mean, 25, 100));
        Assert.Equal(1.0, RowShards.Weight(Reduction.Sum, 25, 100));
        Assert.Equal(0.0, RowShards.Weight(Reduction.Mean, 0, 100));
        Assert.Throws<ArgumentOutOfRangeException>(() => RowShards.Range(10, 2, 2));
    }

    private static long Bits(double x) => BitConverter.DoubleToInt64Bits(x);

    private static long[] Bits(double[] xs) => Array.ConvertAll(xs, Bits);

    private static double RelativeTolerance(double x) => 1e-12 * Math.Max(1, Math.Abs(x));
}
