using System;
using System.Linq;

namespace Differentiator.Generator.Tests.Infrastructure;

/// <summary>
/// Checks a vector-valued method's derivatives at one input: MJacobian against MTapeJacobian and MNumericalJacobian
/// (|a − b| ≤ tol · max(1, |a|, |b|)), every r they write against M's, and MVjp against rBarᵀ·J for a few weights.
/// </summary>
public static class VectorThreeWay
{
    public static double[][,] Check(VectorMethod method, object[] args, double tapeTolerance = 1e-10, double numericalTolerance = 1e-6, int seed = 1)
    {
        var value = method.Value(args);
        var generated = method.Jacobian("Jacobian", args);
        var tape = method.Jacobian("TapeJacobian", args);
        var numerical = method.Jacobian("NumericalJacobian", args);
        AssertClose("MJacobian's r", value, generated.R, 0);
        AssertClose("MTapeJacobian's r", value, tape.R, method.IsSingle ? tapeTolerance : 0);
        AssertClose("MNumericalJacobian's r", value, numerical.R, 0);
        for (int p = 0; p < generated.J.Length; p++)
        {
            Compare("tape", method.Differentiated[p], generated.J[p], tape.J[p], tapeTolerance);
            Compare("numerical", method.Differentiated[p], generated.J[p], numerical.J[p], numericalTolerance);
        }
        var random = new Random(seed);
        foreach (var weights in new[] { value.Select(_ => random.NextDouble() * 2 - 1).ToArray(), value.Select((_, k) => k == 0 ? 1.0 : 0.0).ToArray() })
        {
            var (r, vjp) = method.Vjp(args, weights);
            AssertClose("MVjp's r", value, r, 0);
            for (int p = 0; p < vjp.Length; p++)
            {
                var j = generated.J[p];
                var expected = Enumerable.Range(0, j.GetLength(1)).Select(c => Enumerable.Range(0, j.GetLength(0)).Sum(i => weights[i] * j[i, c])).ToArray();
                AssertClose("MVjp for " + method.Differentiated[p], expected, vjp[p], tapeTolerance);
            }
        }
        return generated.J;
    }

    public static void AssertClose(string what, double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int k = 0; k < expected.Length; k++)
            Assert.True(Math.Abs(expected[k] - actual[k]) <= tolerance * Math.Max(1, Math.Max(Math.Abs(expected[k]), Math.Abs(actual[k]))),
                $"{what}[{k}]: expected {expected[k]:R}, got {actual[k]:R}");
    }

    private static void Compare(string against, string parameter, double[,] generated, double[,] other, double tolerance)
    {
        Assert.Equal(generated.GetLength(0), other.GetLength(0));
        Assert.Equal(generated.GetLength(1), other.GetLength(1));
        for (int i = 0; i < generated.GetLength(0); i++)
            for (int j = 0; j < generated.GetLength(1); j++)
            {
                double a = generated[i, j], b = other[i, j];
                Assert.True(Math.Abs(a - b) <= tolerance * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b))),
                    $"∂r[{i}]/∂{parameter}[{j}]: MJacobian {a:R}, {against} {b:R}");
            }
    }
}
