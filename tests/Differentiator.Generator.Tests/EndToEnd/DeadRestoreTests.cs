using System;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>
/// A restore nobody reads is dropped with its save (ReverseModeBuilder.DeadRestores.cs); one somebody reads stays.
/// Each program is checked three ways, so keeping too few saves shows up as a wrong gradient.
/// </summary>
public class DeadRestoreTests
{
    private const string Prelude = "using System;\nusing Differentiator;\nnamespace T;\npublic static partial class F\n{\n";

    private static (DifferentiableMethod Method, string Gradient) Compile(string body, string name)
    {
        var run = GeneratorRun.Compile(Prelude + body + "\n}\n").AssertClean();
        string code = run.Sources["T.F." + name + ".g.cs"];
        return (run.Method("T.F", name), code.Substring(0, code.IndexOf(name + "__Tape", StringComparison.Ordinal)));
    }

    [Fact]
    public void Partial_sums_overwritten_by_the_next_restore_are_not_saved()
    {
        // Per row: the reverse of the inner loop never reads s, and the restore for s = 0 comes right after it, so
        // only that one (the row before's total, which 1/s needs) is saved: one value per row, not one per element.
        var (m, code) = Compile(@"[Differentiable(nameof(w))] public static double L(double[] w, int rows)
        {
            double total = 0;
            double s = 0;
            int n = w.Length / rows;
            for (int r = 0; r < rows; r++)
            {
                s = 0;
                for (int j = 0; j < n; j++) s += Math.Exp(w[r * n + j]);
                total += Math.Log(s);
            }
            return total * total; // not a plain sum: the rows' loop is not fused with its reverse
        }", "L");
        var inputs = new Inputs(71);
        for (int trial = 0; trial < 8; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(12), 3 });
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(code, @"scratch\.Push\(s\)"));
    }

    [Fact]
    public void A_restore_read_by_the_next_reverse_iteration_is_kept()
    {
        // The restore of s ends each reversed iteration; the next one (the iteration before) reads it in sin(s).
        var (m, code) = Compile(@"[Differentiable(nameof(w), nameof(x))] public static double K(double[] w, double x)
        {
            double s = x;
            double z = 0;
            for (int i = 0; i < w.Length; i++)
            {
                s = s + w[i] * x;
                z += Math.Sin(s) * w[i];
            }
            return z;
        }", "K");
        var inputs = new Inputs(72);
        for (int trial = 0; trial < 8; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(6), inputs.Scalar() });
        // Saved in its iteration's slot (the loop runs once, from 0 to a bound nothing changes), and restored from it.
        Assert.Contains("s_saved[i] = s;", code);
        Assert.Contains("s = s_saved[i];", code);
    }
}
