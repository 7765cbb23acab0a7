using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;

namespace Differentiator.Generator.Tests.Infrastructure;

/// <summary>
/// When <c>DIFFERENTIATOR_DUMP_GENERATED</c> names a folder, every generator run of the tests writes its generated files
/// there, one folder per distinct input (named by a hash of the input sources). Two dumps, before and after a change
/// to the generator's internals, compared with <c>diff -r</c> (<c>tests/generated-corpus.sh</c>), show every
/// difference in the generated code over all the programs the tests compile — far more than the snapshot files.
/// </summary>
public static class GeneratedCorpus
{
    public const string Variable = "DIFFERENTIATOR_DUMP_GENERATED";

    public static void Record(IReadOnlyList<string> sources, IReadOnlyDictionary<string, string> generated)
    {
        string? root = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(root)) return;
        string key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n\u0000\n", sources))))[..16];
        string folder = Path.Combine(root, key);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "input.cs.txt"), string.Join("\n// ----- next source -----\n", sources));
        foreach (var (hint, text) in generated.OrderBy(g => g.Key, StringComparer.Ordinal))
            File.WriteAllText(Path.Combine(folder, hint + ".txt"), text.Replace("\r\n", "\n"));
    }
}
