using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace Differentiator.Samples.Support;

/// <summary>
/// Writes a Graphviz DOT graph, and renders it to SVG and PNG when Graphviz's <c>dot</c> is installed. Graphviz is
/// not a .NET package, so the samples never require it: without it they say how to render the file.
/// </summary>
public static class Graphviz
{
    /// <summary>Writes name.dot and, with <c>dot</c> on the PATH, name.svg and name.png.</summary>
    /// <returns>The files written; the .dot file first.</returns>
    public static IReadOnlyList<string> Write(string folder, string name, string dot, TextWriter log)
    {
        string dotPath = Path.Combine(folder, name + ".dot");
        File.WriteAllText(dotPath, dot);
        var files = new List<string> { dotPath };
        string? executable = FindDot();
        if (executable is null)
        {
            log.WriteLine($"    Graphviz is not installed, so {Path.GetFileName(dotPath)} is not rendered. To see it:");
            log.WriteLine($"      sudo apt-get install graphviz   (macOS: brew install graphviz; Windows: winget install graphviz)");
            log.WriteLine($"      dot -Tsvg \"{dotPath}\" -o \"{Path.ChangeExtension(dotPath, ".svg")}\"");
            return files;
        }
        foreach (string format in new[] { "svg", "png" })
        {
            string target = Path.ChangeExtension(dotPath, format);
            Run(executable, $"-T{format} \"{dotPath}\" -o \"{target}\"");
            files.Add(target);
        }
        log.WriteLine($"    rendered {Path.GetFileName(dotPath)} with Graphviz to .svg and .png");
        return files;
    }

    /// <summary>The full path of Graphviz's <c>dot</c> on the PATH, or null.</summary>
    public static string? FindDot()
    {
        string name = OperatingSystem.IsWindows() ? "dot.exe" : "dot";
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static void Run(string executable, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(executable, arguments) { RedirectStandardError = true, UseShellExecute = false })
            ?? throw new InvalidOperationException($"Could not start {executable}.");
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"dot {arguments} failed ({process.ExitCode}): {errors}");
    }
}
