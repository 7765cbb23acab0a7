using System;
using System.Reflection;
using System.Runtime.InteropServices;

namespace DataParallel;

/// <summary>
/// The ranks of an MPI job, through MPI.NET on MPICH. MPI.NET 1.4.0 is built against Microsoft MPI's
/// <c>msmpi.dll</c>, which has MPICH's ABI (handles are ints, the same constants), so on Linux its calls are routed to
/// MPICH's <c>libmpich.so.12</c> by a DLL-import resolver. Open MPI has another ABI and does not work.
/// </summary>
public sealed class MpiRanks : IRanks, IDisposable
{
    private const string MpichLibrary = "libmpich.so.12";
    private readonly MPI.Environment _environment;
    private readonly MPI.Intracommunicator _world;
    private double[] _sum = Array.Empty<double>();

    private MpiRanks(ref string[] args)
    {
        _environment = new MPI.Environment(ref args);
        _world = MPI.Communicator.world;
        Description = $"MPI (MPI.NET on {(OperatingSystem.IsWindows() ? "Microsoft MPI" : "MPICH")}), {_world.Size} rank{(_world.Size == 1 ? "" : "s")}";
    }

    public int Rank => _world.Rank;
    public int Size => _world.Size;
    public string Description { get; }

    /// <summary>
    /// Starts MPI when its native library is there, else returns null and says why: the sample then runs as one rank.
    /// </summary>
    public static MpiRanks? TryStart(ref string[] args, out string whyNot)
    {
        string library = OperatingSystem.IsWindows() ? "msmpi.dll" : MpichLibrary;
        if (!NativeLibrary.TryLoad(library, out IntPtr handle))
        {
            whyNot = $"MPI is not installed ({library} not found): running as one rank. To run on several, install MPICH " +
                     "(Debian/Ubuntu: apt-get install mpich libmpich-dev) and start with mpiexec.mpich -n 2 (samples/DataParallel/README.md).";
            return null;
        }
        if (!OperatingSystem.IsWindows()) RouteMsmpiTo(handle);
        whyNot = "";
        return new MpiRanks(ref args);
    }

    /// <summary>Allreduce with MPI_SUM. MPICH adds two ranks' values as a + b, the same on both: every rank gets the same bits.</summary>
    public void SumOverRanks(double[] values)
    {
        _world.Allreduce(values, MPI.Operation<double>.Add, ref _sum);
        Array.Copy(_sum, values, values.Length);
    }

    public void Dispose() => _environment.Dispose();

    // MPI.NET declares its imports from "msmpi.dll"; the resolver hands it MPICH instead. Set once per process, before
    // the first MPI call (setting a resolver twice on one assembly throws).
    private static void RouteMsmpiTo(IntPtr mpich)
    {
        Assembly mpiNet = typeof(MPI.Environment).Assembly;
        NativeLibrary.SetDllImportResolver(mpiNet, (name, _, _) =>
            name.StartsWith("msmpi", StringComparison.OrdinalIgnoreCase) ? mpich : IntPtr.Zero);
    }
}
