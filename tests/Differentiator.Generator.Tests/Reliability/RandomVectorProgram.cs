using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace Differentiator.Generator.Tests.Reliability;

/// <summary>
/// A random vector-valued method, made from the scalar <see cref="RandomProgram"/> of the same (seed, size): the method
/// becomes <c>void P(double[] x, double a, double b, Span&lt;double&gt; o)</c>; o[0] is written first, every
/// <c>return e;</c> writes o[1] = e and o[2] from it (reading o[1] back) before a bare <c>return;</c>, and every update
/// <c>t += …</c> / <c>t -= …</c> also adds into o[3] — in loops and branches, reading the caller's o[3] first. o[4] is
/// never written (the caller's value stays). So the outputs are written at the top, in loops, on early exits, and
/// read after writing: every way a vector-valued method's output flows through the reverse sweep.
/// </summary>
public static class RandomVectorProgram
{
    /// <summary>The length of o.</summary>
    public const int Outputs = 5;

    private static readonly Regex Return = new(@"return (?<value>[^;]+);", RegexOptions.Compiled);
    private static readonly Regex Update = new(@"^(?<indent>\s+)(?<target>[a-z]\w*) (\+|-)= [^;]+;$", RegexOptions.Compiled | RegexOptions.Multiline);

    public static string Write(int seed, int size, string name)
    {
        string scalar = RandomProgram.Write(seed, size, name);
        string header = "[Differentiable] public static double " + name + "(double[] x, double a, double b)\n{\n";
        var text = new StringBuilder("[Differentiable] public static void " + name + "(double[] x, double a, double b, Span<double> o)\n{\n    o[0] = a * x[1] - b;\n");
        string body = scalar.Substring(header.Length);
        body = Update.Replace(body, m => m.Value + "\n" + m.Groups["indent"].Value + "o[3] += 0.125 * " + m.Groups["target"].Value + ";");
        body = Return.Replace(body, m => "{ o[1] = " + m.Groups["value"].Value + "; o[2] = Math.Sin(o[1]) * b + o[0]; return; }");
        return text.Append(body).ToString();
    }
}
