using System;
using System.Linq;
using System.Text;

namespace Differentiator.Generator.Tests.Infrastructure;

/// <summary>
/// Checks the three answers for one input: generated vs tape within <c>tapeTolerance</c> and generated vs central
/// differences within <c>numericalTolerance</c>, both as |a − b| ≤ tol · max(1, |a|, |b|); all three return M's value.
/// </summary>
public static class ThreeWay
{
    public static double[][] Check(DifferentiableMethod method, object[] args, double tapeTolerance = 1e-10, double numericalTolerance = 1e-6)
    {
        double value = method.Value(args);
        var generated = method.Gradient(args);
        var tape = method.Tape(args);
        var numerical = method.Numerical(args);
        Assert.Equal(value, generated.Value, 12);
        Assert.Equal(value, tape.Value, 12);
        Assert.Equal(value, numerical.Value, 12);
        Compare("tape", generated.Gradient, tape.Gradient, tapeTolerance, method, args);
        Compare("numerical", generated.Gradient, numerical.Gradient, numericalTolerance, method, args);
        CheckShortRuns(method, args, generated, tapeTolerance);
        return generated.Gradient;
    }

    /// <summary>
    /// <c>MGradient__ShortRuns</c>, where there is one, at the same arguments: the same gradient with plain loops, so
    /// it agrees with <c>MGradient</c> up to the reassociation of vectorized dot products (semantics.md) whatever the
    /// length, including the lengths at which <c>MGradient</c> keeps its kernels.
    /// </summary>
    public static void CheckShortRuns(DifferentiableMethod method, object[] args, (double Value, double[][] Gradient) generated, double tolerance)
    {
        if (!method.HasShortRuns) return;
        var plain = method.ShortRuns(args);
        Assert.True(Math.Abs(plain.Value - generated.Value) <= tolerance * Math.Max(1, Math.Abs(generated.Value)), $"value {generated.Value:R}, short runs' version {plain.Value:R}");
        Compare("short runs' version", generated.Gradient, plain.Gradient, tolerance, method, args);
    }

    /// <summary>
    /// For a method that computes in float: the generated value is the method's, bit for bit (the same float operations in
    /// the same order); the tape's value is computed in double and rounded once, so it is close, not equal; the numerical
    /// gradient calls the method itself. <paramref name="exactValue"/> false: the gradient vectorizes a dot product of
    /// the forward sweep (<c>Kernels.Dot</c> adds in another order, docs/semantics.md), so its value is compared with
    /// the tape's tolerance instead.
    /// </summary>
    public static double[][] CheckSingle(DifferentiableMethod method, object[] args, double tapeTolerance, double numericalTolerance, bool exactValue = true)
    {
        Assert.True(method.IsSingle);
        double value = method.Value(args);
        var generated = method.Gradient(args);
        var tape = method.Tape(args);
        var numerical = method.Numerical(args);
        if (exactValue) Assert.Equal(value, generated.Value);
        else Assert.True(Math.Abs(value - generated.Value) <= tapeTolerance * Math.Max(1, Math.Abs(value)), $"value {value:R}, generated {generated.Value:R}");
        Assert.Equal(value, numerical.Value);
        Assert.True(Math.Abs(value - tape.Value) <= tapeTolerance * Math.Max(1, Math.Abs(value)), $"value {value:R}, tape {tape.Value:R}");
        Compare("tape", generated.Gradient, tape.Gradient, tapeTolerance, method, args);
        Compare("numerical", generated.Gradient, numerical.Gradient, numericalTolerance, method, args);
        CheckShortRuns(method, args, generated, tapeTolerance);
        return generated.Gradient;
    }

    private static void Compare(string name, double[][] generated, double[][] other, double tolerance, DifferentiableMethod method, object[] args)
    {
        var problems = new StringBuilder();
        for (int p = 0; p < generated.Length; p++)
        {
            for (int k = 0; k < generated[p].Length; k++)
            {
                double a = generated[p][k];
                double b = other[p][k];
                double scale = Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));
                if (!(Math.Abs(a - b) <= tolerance * scale))
                    problems.AppendLine($"  {method.Differentiated[p]}[{k}]: generated {a:R}, {name} {b:R}");
            }
        }
        if (problems.Length > 0)
            throw new Xunit.Sdk.XunitException($"Generated gradient disagrees with the {name} gradient (tolerance {tolerance}) at {Describe(args)}:\n{problems}");
    }

    private static string Describe(object[] args) => string.Join(", ", args.Select(a => a switch
    {
        double[] v => "[" + string.Join(", ", v.Take(6).Select(x => x.ToString("G6"))) + (v.Length > 6 ? ", …" : "") + "]",
        float[] v => "[" + string.Join(", ", v.Take(6).Select(x => x.ToString("G6"))) + (v.Length > 6 ? ", …" : "") + "]f",
        double[,] m => $"double[{m.GetLength(0)},{m.GetLength(1)}]",
        double d => d.ToString("G6"),
        var o => o?.ToString() ?? "null",
    }));
}
