using System;

namespace Differentiator.Training;

/// <summary>How a loss over rows combines its rows, which says how the gradients of row shards add up to the whole.</summary>
public enum Reduction
{
    /// <summary>The loss is a sum over rows: the whole gradient is the sum of the shards' gradients.</summary>
    Sum,

    /// <summary>
    /// The loss is a mean over rows (for example <c>sum / y.Length</c>, each shard dividing by its own row count): the
    /// whole gradient is the shards' gradients weighted by their share of the rows, <c>count / rowCount</c>.
    /// </summary>
    Mean,
}

/// <summary>
/// The split of <c>rowCount</c> rows into contiguous shards that <see cref="ParallelGradient"/> uses, public so that
/// processes (MPI ranks, say) can split rows the same way and weight their gradients the same way.
/// </summary>
public static class RowShards
{
    /// <summary>
    /// Shard <paramref name="index"/> of <paramref name="shards"/>: rows [Start, Start + Count). Shard k starts at
    /// ⌊k·rowCount/shards⌋, so counts differ by at most one and every row is in exactly one shard. A function of its
    /// arguments only, never of timing: the same shards on every run and on every machine.
    /// </summary>
    public static (int Start, int Count) Range(int rowCount, int shards, int index)
    {
        if (rowCount < 0) throw new ArgumentOutOfRangeException(nameof(rowCount), rowCount, "The row count cannot be negative.");
        if (shards < 1) throw new ArgumentOutOfRangeException(nameof(shards), shards, "There must be at least one shard.");
        if ((uint)index >= (uint)shards) throw new ArgumentOutOfRangeException(nameof(index), index, $"The shard index must be in [0, {shards}).");
        int start = (int)((long)rowCount * index / shards);
        int end = (int)((long)rowCount * (index + 1) / shards);
        return (start, end - start);
    }

    /// <summary>
    /// The factor a shard's loss and gradient are multiplied by before the shards are added: 1 for
    /// <see cref="Reduction.Sum"/>, <c>count / rowCount</c> for <see cref="Reduction.Mean"/> (0 for an empty shard,
    /// whose mean is undefined and which is not evaluated).
    /// </summary>
    public static double Weight(Reduction reduction, int count, int rowCount)
    {
        if (count == 0) return 0;
        return reduction switch
        {
            Reduction.Sum => 1.0,
            Reduction.Mean => (double)count / rowCount,
            _ => throw new ArgumentOutOfRangeException(nameof(reduction), reduction, "Unknown reduction."),
        };
    }
}
