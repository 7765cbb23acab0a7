using System;
using System.Threading;

namespace Differentiator.Training;

/// <summary>
/// A gradient over rows <c>[start, start + count)</c>, written (not accumulated) into <paramref name="gradient"/>, the
/// loss of those rows returned: typically one call of a generated <c>MGradient</c> on views of the rows, its outputs
/// slices of <paramref name="gradient"/>.
/// </summary>
/// <example><code>
/// // MseRows(X, y, w, b, start, count): the MSE of rows [start, start + count), differentiated in w and b.
/// ShardGradient shard = (start, count, g) =&gt; Losses.MseRowsGradient(X, y, w, b, start, count, g[..d], out g[d]);
/// </code></example>
public delegate double ShardGradient(int start, int count, Span<double> gradient);

/// <summary>
/// Evaluates a loss's gradient over row shards on several threads and adds the shards' gradients in a fixed order
/// (shard 0, 1, 2, …), so the result is the same bit for bit on every run whatever the threads' timing, and equals
/// the one-thread gradient up to the rounding of a different order of addition (docs/scale.md).
/// </summary>
/// <remarks>
/// <para>The rows are split by <see cref="RowShards.Range"/>: <see cref="Shards"/> contiguous shards, fixed at
/// construction, so the result depends on the row count and the shard count only. With one shard the delegate is
/// called once on all rows, directly into the caller's buffer: exactly the one-thread gradient.</para>
/// <para>The loss must be a sum or a mean over rows (<see cref="Reduction"/>): that is what makes the shards'
/// gradients add up to the whole one. Shards are whatever views the delegate takes of its rows (spans, or a row
/// range passed to the loss); nothing is copied.</para>
/// <para>The threads (<see cref="Shards"/> − 1 of them; the calling thread takes shard 0) and one buffer per shard
/// are made at construction and reused: a call allocates nothing. One call at a time per instance. Dispose it to end
/// its threads.</para>
/// </remarks>
public sealed class ParallelGradient : IDisposable
{
    // A buffer's first element sits this many doubles into its array, and as many follow its last: two shards' buffers
    // never share a 64-byte cache line, which the threads would otherwise fight over on every row (false sharing).
    private const int Padding = 8;

    private readonly double[][] _partials;
    private readonly double[] _losses;
    private readonly ShardWorkers? _workers;
    private ShardGradient? _shardGradient;
    private int _rowCount;
    private int _busy;
    private bool _disposed;

    /// <summary>Prepares <paramref name="shards"/> shards (default <see cref="Environment.ProcessorCount"/>) for gradients of <paramref name="gradientLength"/> components.</summary>
    public ParallelGradient(int gradientLength, int shards = 0)
    {
        if (gradientLength < 1) throw new ArgumentOutOfRangeException(nameof(gradientLength), gradientLength, "A gradient has at least one component.");
        if (shards < 0) throw new ArgumentOutOfRangeException(nameof(shards), shards, "The shard count cannot be negative (0 means one per processor).");
        GradientLength = gradientLength;
        Shards = shards == 0 ? Environment.ProcessorCount : shards;
        _partials = new double[Shards][];
        for (int k = 0; k < Shards; k++) _partials[k] = new double[gradientLength + 2 * Padding];
        _losses = new double[Shards];
        if (Shards > 1) _workers = new ShardWorkers(Shards, RunShard);
    }

    /// <summary>How many shards the rows are split into, and threads used (the calling thread is one of them).</summary>
    public int Shards { get; }

    /// <summary>The length of the gradient buffers the shards write.</summary>
    public int GradientLength { get; }

    /// <summary>
    /// The gradient over <paramref name="rowCount"/> rows, written into <paramref name="gradient"/>: each shard's
    /// gradient by <paramref name="shardGradient"/> on its own thread, then the shards' gradients and losses weighted
    /// by <see cref="RowShards.Weight"/> and added in shard order. Returns the loss over all rows, combined the same way.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="gradient"/> is not <see cref="GradientLength"/> long.</exception>
    /// <exception cref="InvalidOperationException">Another call on this instance is running.</exception>
    /// <remarks>An exception thrown by a shard is rethrown here, after every shard has finished (the lowest shard's
    /// first). Empty shards (fewer rows than shards) are not evaluated.</remarks>
    public double Compute(int rowCount, Reduction reduction, ShardGradient shardGradient, Span<double> gradient)
    {
        if (shardGradient is null) throw new ArgumentNullException(nameof(shardGradient));
        if (rowCount < 0) throw new ArgumentOutOfRangeException(nameof(rowCount), rowCount, "The row count cannot be negative.");
        if (gradient.Length != GradientLength)
            throw new ArgumentException($"The gradient must have GradientLength ({GradientLength}) components, but has {gradient.Length}.", nameof(gradient));
        if (reduction is not (Reduction.Sum or Reduction.Mean)) throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Unknown reduction.");
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Interlocked.Exchange(ref _busy, 1) != 0)
            throw new InvalidOperationException("This ParallelGradient is already computing a gradient: use one instance per concurrent caller.");
        try
        {
            if (_workers is null) return shardGradient(0, rowCount, gradient);
            _shardGradient = shardGradient;
            _rowCount = rowCount;
            try
            {
                _workers.RunAll();
            }
            finally
            {
                _shardGradient = null; // the workers are idle again: drop the caller's delegate and what it captured
            }
            return AddInShardOrder(reduction, gradient);
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Ends the worker threads. Calls after this throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        _disposed = true;
        _workers?.Dispose();
    }

    private void RunShard(int k)
    {
        var (start, count) = RowShards.Range(_rowCount, Shards, k);
        var partial = _partials[k].AsSpan(Padding, GradientLength);
        if (count == 0)
        {
            partial.Clear();
            _losses[k] = 0;
            return;
        }
        _losses[k] = _shardGradient!(start, count, partial);
    }

    // The fixed order is the point: floating-point addition is not associative, so adding the shards as they finish
    // would make the last bits depend on the threads' timing.
    private double AddInShardOrder(Reduction reduction, Span<double> gradient)
    {
        gradient.Clear();
        double loss = 0;
        for (int k = 0; k < Shards; k++)
        {
            var (_, count) = RowShards.Range(_rowCount, Shards, k);
            double weight = RowShards.Weight(reduction, count, _rowCount);
            if (weight == 0) continue;
            loss += weight * _losses[k];
            ReadOnlySpan<double> partial = _partials[k].AsSpan(Padding, GradientLength);
            for (int j = 0; j < gradient.Length; j++) gradient[j] += weight * partial[j];
        }
        return loss;
    }
}
