namespace DataParallel;

/// <summary>
/// The processes training together and the one collective they need: every rank's vector summed element-wise, the
/// sum given back to every rank (MPI's Allreduce with MPI_SUM). An interface so the training loop runs the same on
/// MPI (<see cref="MpiRanks"/>), alone (<see cref="SingleRank"/>) and on ranks simulated by threads in the tests.
/// </summary>
public interface IRanks
{
    /// <summary>This process's rank, 0 … <see cref="Size"/> − 1.</summary>
    int Rank { get; }

    /// <summary>How many ranks there are.</summary>
    int Size { get; }

    /// <summary>What runs the ranks, for the log ("MPI (MPICH), 2 ranks").</summary>
    string Description { get; }

    /// <summary>Replaces <paramref name="values"/> on every rank by the element-wise sum over all ranks.</summary>
    void SumOverRanks(double[] values);
}

/// <summary>One process, no MPI: the sum over ranks is the values themselves.</summary>
public sealed class SingleRank : IRanks
{
    public SingleRank(string description) => Description = description;

    public int Rank => 0;
    public int Size => 1;
    public string Description { get; }

    public void SumOverRanks(double[] values) { }
}
