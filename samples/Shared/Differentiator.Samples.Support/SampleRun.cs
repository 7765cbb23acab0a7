using System;
using System.Collections.Generic;
using System.IO;
using Differentiator.Training;

namespace Differentiator.Samples.Support;

/// <summary>What every sample shares: its log, its output folder and the list of files it wrote.</summary>
public sealed class SampleRun
{
    private readonly List<string> _files = new();

    /// <summary>A run writing pictures into <paramref name="outputFolder"/> (created) and text to <paramref name="log"/>.</summary>
    public SampleRun(string outputFolder, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        OutputFolder = Path.GetFullPath(outputFolder);
        Directory.CreateDirectory(OutputFolder);
        Log = log;
    }

    /// <summary>Where pictures go.</summary>
    public string OutputFolder { get; }

    /// <summary>Where text goes.</summary>
    public TextWriter Log { get; }

    /// <summary>Every file written so far, in order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>Records files as written and names them in the log.</summary>
    public void Wrote(IEnumerable<string> files)
    {
        foreach (string file in files)
        {
            _files.Add(file);
            Log.WriteLine($"    wrote {Path.GetRelativePath(OutputFolder, file)}");
        }
    }

    /// <summary>Records one file as written.</summary>
    public void Wrote(string file) => Wrote(new[] { file });

    /// <summary>
    /// Training progress: a live line when the log is the console of a terminal outside CI, plain lines every
    /// <paramref name="every"/> epochs otherwise (a test's log, a redirected output, CI).
    /// </summary>
    public ConsoleProgress Progress(string label, int every) =>
        ReferenceEquals(Log, Console.Out)
            ? ConsoleProgress.ForConsole(label, every)
            : new ConsoleProgress(Log, live: false, every, label);
}
