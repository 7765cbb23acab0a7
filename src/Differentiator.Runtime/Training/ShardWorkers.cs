using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace Differentiator.Training;

/// <summary>
/// The threads behind <see cref="ParallelGradient"/>: shards 1 … n−1 each on a dedicated thread, started once and
/// parked between calls; shard 0 on the caller's thread. A call signals each worker, runs shard 0, and waits for
/// the rest: no task, closure or array per call (the thread pool's <c>Parallel.For</c> allocates on every call and
/// does not fix which thread runs which shard).
/// </summary>
internal sealed class ShardWorkers : IDisposable
{
    private readonly Action<int> _runShard;
    private readonly SemaphoreSlim[] _go;
    private readonly CountdownEvent _done;
    private readonly ExceptionDispatchInfo?[] _errors;
    private volatile bool _disposed;

    public ShardWorkers(int shards, Action<int> runShard)
    {
        _runShard = runShard;
        _go = new SemaphoreSlim[shards];
        _errors = new ExceptionDispatchInfo?[shards];
        _done = new CountdownEvent(shards - 1);
        for (int k = 1; k < shards; k++)
        {
            _go[k] = new SemaphoreSlim(0);
            int shard = k;
            new Thread(() => Work(shard)) { IsBackground = true, Name = $"Differentiator shard {shard}" }.Start();
        }
        // The first wait that has to block (not just spin) creates the event's lock object, 24 B: on a loaded machine
        // that first happens in some later call. One short blocking wait now (no shard has run, so it times out) makes
        // it happen here, so that calls allocate nothing from the first on.
        if (shards > 1) _done.Wait(10);
    }

    /// <summary>Runs every shard once and returns when all have finished; rethrows the lowest failed shard's exception.</summary>
    public void RunAll()
    {
        _done.Reset();
        for (int k = 1; k < _go.Length; k++) _go[k].Release();
        Run(0);
        _done.Wait();
        for (int k = 0; k < _errors.Length; k++)
        {
            if (_errors[k] is { } error)
            {
                Array.Clear(_errors);
                error.Throw();
            }
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        for (int k = 1; k < _go.Length; k++) _go[k].Release();
    }

    private void Work(int shard)
    {
        while (true)
        {
            _go[shard].Wait();
            if (_disposed) return;
            Run(shard);
            _done.Signal();
        }
    }

    private void Run(int shard)
    {
        try
        {
            _runShard(shard);
        }
        catch (Exception e)
        {
            // Kept, not swallowed: RunAll rethrows it on the caller's thread once every shard has finished.
            _errors[shard] = ExceptionDispatchInfo.Capture(e);
        }
    }
}
