using System;
using System.Globalization;
using System.Linq;
using DataParallel;

// dotnet run --project samples/DataParallel [-- --rows N --epochs N --threads N --no-check]
// mpiexec.mpich -n 2 dotnet samples/DataParallel/bin/Debug/net10.0/DataParallel.dll     (README.md: build first)
var options = new TrainingOptions();
bool check = true;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--rows": options = options with { Rows = int.Parse(args[++i], CultureInfo.InvariantCulture) }; break;
        case "--epochs": options = options with { Epochs = int.Parse(args[++i], CultureInfo.InvariantCulture) }; break;
        case "--threads": options = options with { ThreadsPerRank = int.Parse(args[++i], CultureInfo.InvariantCulture) }; break;
        case "--no-check": check = false; break;
        default:
            Console.Error.WriteLine($"Unknown argument {args[i]}. Arguments: --rows N, --epochs N, --threads N (per rank), --no-check.");
            return 2;
    }
}

using var mpi = MpiRanks.TryStart(ref args, out string whyNoMpi);
IRanks ranks = mpi is null ? new SingleRank("one process, no MPI") : mpi;
bool lead = ranks.Rank == 0;
if (lead)
{
    if (whyNoMpi.Length > 0) Console.WriteLine(whyNoMpi);
    Console.WriteLine($"DataParallel: {options.Rows:N0} rows × {options.Features} features, {options.Epochs} epochs of gradient descent " +
                      $"(rate {options.LearningRate}), {ranks.Description}, {options.ThreadsPerRank} thread(s) per rank");
}

var result = DataParallelTraining.Train(options, ranks);

// Each rank's rows and times, gathered to every rank by the same Allreduce (one slot per rank).
var report = new double[4 * ranks.Size];
report[4 * ranks.Rank] = result.LocalRows;
report[4 * ranks.Rank + 1] = result.LocalDataBytes;
report[4 * ranks.Rank + 2] = result.GradientTime.TotalSeconds;
report[4 * ranks.Rank + 3] = result.CommunicationTime.TotalSeconds;
ranks.SumOverRanks(report);
if (!lead) return 0;

for (int r = 0; r < ranks.Size; r++)
    Console.WriteLine($"  rank {r}: {report[4 * r]:N0} rows, {report[4 * r + 1] / 1e6:F1} MB of data; gradient {report[4 * r + 2]:F2} s, " +
                      $"all-reduce {report[4 * r + 3]:F3} s ({options.Epochs} epochs)");
Console.WriteLine($"loss (MSE over all rows): epoch 1 {result.LossHistory[0]:G6}, epoch {options.Epochs} {result.LossHistory[^1]:G6}");
Console.WriteLine($"w = [{string.Join(", ", result.W.Select(v => v.ToString("F6", CultureInfo.InvariantCulture)))}], b = {result.B.ToString("F6", CultureInfo.InvariantCulture)}");
Console.WriteLine($"    (the data were made from w = [{string.Join(", ", SyntheticRegression.TrueWeights.Take(options.Features))}], b = {SyntheticRegression.TrueBias}, plus noise)");

if (!check) return 0;
if (ranks.Size == 1 && options.ThreadsPerRank <= 1)
{
    Console.WriteLine("check: skipped, this run is already the one-process, one-thread training (run with mpiexec or --threads 2 to compare).");
    return 0;
}
// The same training in this process alone, on all rows, one thread: what the ranks must agree with.
var alone = DataParallelTraining.Train(options with { ThreadsPerRank = 1 }, new SingleRank("one process"));
double difference = DataParallelTraining.MaxDifference(result, alone);
bool equal = difference <= 1e-12;
Console.WriteLine($"check: the same training in one process, one thread: max |Δw|, |Δb| = {difference:G3} " +
                  (equal ? "(≤ 1e-12: equal)" : "(> 1e-12: NOT EQUAL)"));
// The sums are added in another order, so single epochs differ in the last bits; gradient descent contracts such
// differences, which is why the final weights usually agree to the bit.
Console.WriteLine($"       epoch 1's loss differs by {Math.Abs(result.LossHistory[0] - alone.LossHistory[0]):G3} (another order of addition)");
return equal ? 0 : 1;
