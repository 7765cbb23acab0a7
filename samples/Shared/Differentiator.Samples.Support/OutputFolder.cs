using System;
using System.IO;

namespace Differentiator.Samples.Support;

/// <summary>Where a sample writes its pictures.</summary>
public static class OutputFolder
{
    /// <summary>
    /// The folder named by the first command-line argument, else <c>samples/&lt;Name&gt;/output</c> beside the
    /// sample's project file (found by walking up from the executable, so it does not depend on the current
    /// directory), else <c>output</c> under the current directory. Created if missing; returned as a full path.
    /// </summary>
    /// <param name="args">The sample's command-line arguments.</param>
    /// <param name="sampleName">The sample's project name, e.g. <c>TestScores</c>.</param>
    public static string Resolve(string[] args, string sampleName)
    {
        ArgumentNullException.ThrowIfNull(args);
        string folder = args.Length > 0 && !string.IsNullOrWhiteSpace(args[0])
            ? args[0]
            : Path.Combine(FindProjectFolder(sampleName) ?? Directory.GetCurrentDirectory(), "output");
        folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(folder);
        return folder;
    }

    private static string? FindProjectFolder(string sampleName)
    {
        // bin/<Configuration>/<TargetFramework>/ sits under the project folder.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, sampleName + ".csproj"))) return dir.FullName;
        return null;
    }
}
