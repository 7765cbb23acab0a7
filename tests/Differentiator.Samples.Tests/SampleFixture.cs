using System;
using System.IO;

namespace Differentiator.Samples.Tests;

/// <summary>Runs a sample once for all the tests of a class, in a temporary folder, keeping its log.</summary>
public abstract class SampleFixture<TResult> : IDisposable
{
    private readonly TemporaryFolder _folder;

    /// <summary>Runs <paramref name="run"/> into a fresh folder.</summary>
    protected SampleFixture(string name, Func<string, TextWriter, TResult> run)
    {
        _folder = new TemporaryFolder(name);
        var log = new StringWriter();
        Result = run(_folder.Path, log);
        Log = log.ToString();
    }

    /// <summary>Where the sample wrote.</summary>
    public string Folder => _folder.Path;

    /// <summary>What the sample returned.</summary>
    public TResult Result { get; }

    /// <summary>What it printed.</summary>
    public string Log { get; }

    /// <inheritdoc/>
    public void Dispose() => _folder.Dispose();
}
