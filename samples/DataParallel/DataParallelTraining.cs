using System;
using System.Diagnostics;
using Differentiator.Training;

namespace DataParallel;

/// <summary>What to train: the data set's size, the epochs of gradient descent, the threads per rank.</summary>
public sealed record TrainingOptions(int Rows = 1_000_000, int Features = 8, int Epochs = 40, double LearningRate = 0.5, int ThreadsPerRank = 1);

/// <summary>One rank's view of a finished training: the weights (the same on every rank), its rows, and where its time went.</summary>
public sealed record TrainingResult(
    double[] W, double B, double[] LossHistory, int Rank, int Size, int FirstRow, int LocalRows,
    TimeSpan GradientTime, TimeSpan CommunicationTime, long LocalDataBytes);

/// <summary>
/// Data-parallel gradient descent: each rank holds only its shard of the rows, computes its shard's gradient with
/// the generated <c>MseRowsGradient</c> (on <see cref="TrainingOptions.ThreadsPerRank"/> threads through
/// <see cref="ParallelGradient"/>), weights it by its share of the rows, and the ranks sum their gradients
/// (Allreduce). Every rank then holds the gradient of the MSE over all rows and takes the same step, so the weights
/// stay identical on every rank without being sent.
/// </summary>
public static class DataParallelTraining
{
    public static TrainingResult Train(TrainingOptions options, IRanks ranks)
    {
        int d = options.Features;
        var (firstRow, localRows) = RowShards.Range(options.Rows, ranks.Size, ranks.Rank);
        var (X, y) = SyntheticRegression.Rows(firstRow, localRows, d);
        double share = RowShards.Weight(Reduction.Mean, localRows, options.Rows);

        var w = new double[d];
        double b = 0;
        var sgd = new Sgd(options.LearningRate, new[] { d, 1 });
        // The gradient (w then b) and the loss, in one vector: one Allreduce per epoch carries both.
        var reduced = new double[d + 2];
        var lossHistory = new double[options.Epochs];
        using var parallel = new ParallelGradient(d + 1, Math.Max(1, options.ThreadsPerRank));
        ShardGradient shard = (start, count, g) => Losses.MseRowsGradient(X, y, w, b, start, count, g[..d], out g[d]);

        var gradientClock = new Stopwatch();
        var communicationClock = new Stopwatch();
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            gradientClock.Start();
            Array.Clear(reduced);
            if (localRows > 0)
            {
                // This rank's mean over its rows, times its share of all rows: the ranks' terms add up to the mean over all rows.
                double localLoss = parallel.Compute(localRows, Reduction.Mean, shard, reduced.AsSpan(0, d + 1));
                for (int k = 0; k <= d; k++) reduced[k] *= share;
                reduced[d + 1] = share * localLoss;
            }
            gradientClock.Stop();

            communicationClock.Start();
            ranks.SumOverRanks(reduced);
            communicationClock.Stop();

            lossHistory[epoch] = reduced[d + 1];
            sgd.Step(0, w, reduced.AsSpan(0, d));
            sgd.Step(1, ref b, reduced[d]);
        }
        return new TrainingResult(w, b, lossHistory, ranks.Rank, ranks.Size, firstRow, localRows,
            gradientClock.Elapsed, communicationClock.Elapsed, (long)localRows * (d + 1) * sizeof(double));
    }

    /// <summary>The largest difference between two trainings' weights and biases.</summary>
    public static double MaxDifference(TrainingResult a, TrainingResult b)
    {
        double max = Math.Abs(a.B - b.B);
        for (int j = 0; j < a.W.Length; j++) max = Math.Max(max, Math.Abs(a.W[j] - b.W[j]));
        return max;
    }
}
