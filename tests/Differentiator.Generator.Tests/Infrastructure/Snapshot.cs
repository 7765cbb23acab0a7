using System;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;

namespace Differentiator.Generator.Tests.Infrastructure;

/// <summary>
/// Expected-output files for generated code, committed beside the tests as <c>Snapshots/Expected/NAME.g.cs.txt</c>.
/// A mismatch fails with a readable line diff. To accept new output, run the tests with
/// <c>DIFFERENTIATOR_ACCEPT_SNAPSHOTS=1</c> and review the changed files in git.
/// </summary>
public static class Snapshot
{
    public const string AcceptVariable = "DIFFERENTIATOR_ACCEPT_SNAPSHOTS";

    public static void Match(string name, string actual, [CallerFilePath] string callerPath = "")
    {
        string folder = Path.Combine(Path.GetDirectoryName(callerPath)!, "Expected");
        string path = Path.Combine(folder, name + ".g.cs.txt");
        actual = actual.Replace("\r\n", "\n");
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(path, actual);
            return;
        }
        if (!File.Exists(path))
            throw new Xunit.Sdk.XunitException($"No snapshot {path}. Run the tests with {AcceptVariable}=1 to create it, then review it.\nActual:\n{actual}");
        string expected = File.ReadAllText(path).Replace("\r\n", "\n");
        if (expected != actual)
            throw new Xunit.Sdk.XunitException($"Generated code differs from {path} (set {AcceptVariable}=1 to accept):\n{Diff(expected, actual)}");
    }

    /// <summary>The changed lines with two lines of context, marked - (expected) and + (actual).</summary>
    public static string Diff(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        int prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix]) prefix++;
        int suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[a.Length - 1 - suffix] == b[b.Length - 1 - suffix]) suffix++;
        var text = new StringBuilder();
        for (int k = Math.Max(0, prefix - 2); k < prefix; k++) text.AppendLine($"  {k + 1,4}   {a[k]}");
        for (int k = prefix; k < a.Length - suffix; k++) text.AppendLine($"- {k + 1,4}   {a[k]}");
        for (int k = prefix; k < b.Length - suffix; k++) text.AppendLine($"+ {k + 1,4}   {b[k]}");
        for (int k = a.Length - suffix; k < Math.Min(a.Length, a.Length - suffix + 2); k++) text.AppendLine($"  {k + 1,4}   {a[k]}");
        return text.ToString();
    }
}
