using System;
using System.Threading;
using System.Threading.Tasks;
using DataParallel;

namespace Differentiator.Samples.Tests;

/// <summary>
/// The DataParallel sample's training without MPI: ranks simulated by threads, each holding only its rows, their
/// gradients summed by an in-memory all-reduce that adds in rank order (what MPICH's Allreduce does for two ranks).
/// The MPI run itself is checked by the sample (it compares with the one-process training and fails if they differ).
/// </summary>
public class DataParallelSampleTests
{
    private static readonly TrainingOptions Small = new(Rows: 20_011, Features: 6, Epochs: 60, LearningRate: 0.5);

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 1)]
    [InlineData(2, 2)]
    public void Ranks_train_the_same_weights_as_one_process_to_1e_12(int size, int threadsPerRank)
    {
        var alone = DataParallelTraining.Train(Small, new SingleRank("one process"));
        var ranks = SimulatedRanks.Train(Small with { ThreadsPerRank = threadsPerRank }, size);
        foreach (var rank in ranks)
        {
            Assert.True(DataParallelTraining.MaxDifference(rank, alone) <= 1e-12,
                $"rank {rank.Rank} of {size}: max difference {DataParallelTraining.MaxDifference(rank, alone):G3}");
            Assert.Equal(alone.LossHistory[0], rank.LossHistory[0], 1e-12);
        }
        // Every rank held only its share of the rows, and the shares cover the data.
        Assert.Equal(Small.Rows, ranks[^1].FirstRow + ranks[^1].LocalRows);
        Assert.All(ranks, r => Assert.InRange(r.LocalRows, Small.Rows / size, Small.Rows / size + 1));
    }

    [Fact]
    public void One_process_learns_the_weights_the_data_were_made_from()
    {
        var alone = DataParallelTraining.Train(Small, new SingleRank("one process"));
        for (int j = 0; j < Small.Features; j++) Assert.Equal(SyntheticRegression.TrueWeights[j], alone.W[j], 0.01);
        Assert.Equal(SyntheticRegression.TrueBias, alone.B, 0.01);
        Assert.True(alone.LossHistory[^1] < alone.LossHistory[0] / 1000);
    }

    [Fact]
    public void A_row_is_the_same_whichever_shard_makes_it()
    {
        var (Xall, yall) = SyntheticRegression.Rows(0, 100, 4);
        var (Xpart, ypart) = SyntheticRegression.Rows(37, 20, 4);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(yall[37 + i], ypart[i]);
            for (int j = 0; j < 4; j++) Assert.Equal(Xall[37 + i, j], Xpart[i, j]);
        }
    }

    /// <summary>Ranks as threads of this process, with an all-reduce over shared memory.</summary>
    private sealed class SimulatedRanks : IRanks
    {
        private readonly double[][] _contributions;
        private readonly Barrier _barrier;

        private SimulatedRanks(int rank, double[][] contributions, Barrier barrier)
        {
            Rank = rank;
            _contributions = contributions;
            _barrier = barrier;
        }

        public int Rank { get; }
        public int Size => _contributions.Length;
        public string Description => $"{Size} simulated ranks";

        public static TrainingResult[] Train(TrainingOptions options, int size)
        {
            var contributions = new double[size][];
            using var barrier = new Barrier(size);
            var tasks = new Task<TrainingResult>[size];
            for (int r = 0; r < size; r++)
            {
                var ranks = new SimulatedRanks(r, contributions, barrier);
                tasks[r] = Task.Factory.StartNew(() => DataParallelTraining.Train(options, ranks), TaskCreationOptions.LongRunning);
            }
            return Task.WhenAll(tasks).GetAwaiter().GetResult();
        }

        public void SumOverRanks(double[] values)
        {
            _contributions[Rank] = (double[])values.Clone();
            _barrier.SignalAndWait(); // every rank's contribution is in
            Array.Clear(values);
            for (int r = 0; r < Size; r++)
                for (int k = 0; k < values.Length; k++) values[k] += _contributions[r][k];
            _barrier.SignalAndWait(); // every rank has read them: the next call may overwrite
        }
    }
}
