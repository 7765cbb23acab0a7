using System;
using System.Linq;
using System.Text;
using CsCheck;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.Reliability;

/// <summary>
/// Differential testing of vector-valued methods (<see cref="RandomVectorProgram"/>): MJacobian against
/// MTapeJacobian (relative 1e-10), MVjp against rBarᵀ·J at random weights (1e-10), and MJacobian against
/// MNumericalJacobian (1e-5, or 1e-4 against a finer quotient where two step sizes agree — as for the scalar programs,
/// a function too ill-conditioned for central differences is not held against the generator); every r they write
/// equals the method's. Fixed seeds in CI; <c>DIFFERENTIATOR_FUZZ_PROGRAMS</c> scales it like the scalar fuzz.
/// </summary>
public class VectorDifferentialTests
{
    private const int ProgramsPerCompilation = 25;

    [Fact]
    public void Random_vector_valued_programs_agree_three_ways()
    {
        int count = Math.Max(1, DifferentialTests.Programs / ProgramsPerCompilation / 2);
        var batches = Gen.Select(Gen.Int[0, 1_000_000], Gen.Int[2, 30], (seed, size) => new ProgramSpec(seed, size)).Array[1, ProgramsPerCompilation];
        string Print(ProgramSpec[] batch) => string.Join("\n", batch.Select(p => RandomVectorProgram.Write(p.Seed, p.Size, "P")));
        for (int b = 0; b < count; b++)
            batches.Sample(CheckBatch, seed: new PCG(3, (ulong)b + 1).ToString(), iter: 1, threads: 1, print: Print);
    }

    [Fact]
    public void Vector_programs_write_outputs_in_loops_on_returns_and_read_them_back()
    {
        var source = string.Join("\n", Enumerable.Range(0, 40).Select(k => RandomVectorProgram.Write(k, 20, "P" + k)));
        Assert.Contains("o[3] += 0.125 * ", source);
        Assert.Contains("o[2] = Math.Sin(o[1]) * b + o[0]; return; }", source);
        Assert.Matches(@"if \([^\n]*\) \{ o\[1\] = ", source);
    }

    internal static void CheckBatch(ProgramSpec[] batch)
    {
        var source = new StringBuilder("using System;\nusing Differentiator;\nnamespace Fuzz;\npublic static partial class F\n{\n").Append(RandomProgram.Helper).Append('\n');
        for (int k = 0; k < batch.Length; k++) source.Append(RandomVectorProgram.Write(batch[k].Seed, batch[k].Size, "P" + k));
        source.Append("}\n");
        string file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "differentiator-vector-fuzz-failure.cs");
        try
        {
            var run = GeneratorRun.Compile(source.ToString());
            var errors = run.AllDiagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error || d.Id is "CS8785" or "AD0001").ToList();
            if (errors.Count > 0) throw new InvalidOperationException("Does not compile:\n" + string.Join("\n", errors.Take(5)));
            for (int k = 0; k < batch.Length; k++)
            {
                try
                {
                    CheckProgram(run.VectorMethod("Fuzz.F", "P" + k), batch[k]);
                }
                catch (InvalidOperationException e)
                {
                    throw new InvalidOperationException("P" + k + " " + batch[k] + ": " + e.Message, e);
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            System.IO.File.WriteAllText(file, source + "\n// " + e.Message.Replace("\n", "\n// ") + "\n");
            throw new InvalidOperationException(e.Message + " (program: " + file + ")", e);
        }
    }

    private static void CheckProgram(VectorMethod method, ProgramSpec spec)
    {
        var inputs = new Inputs(spec.Seed);
        var args = new object[] { inputs.Vector(4), inputs.Scalar(), inputs.Scalar(), inputs.Vector(RandomVectorProgram.Outputs) };
        var value = method.Value(args);
        var generated = method.Jacobian("Jacobian", args);
        if (value.Any(v => !double.IsFinite(v)) || generated.J.Any(j => j.Cast<double>().Any(v => !double.IsFinite(v)))) return;
        Same("MJacobian's r", value, generated.R, 0);
        var tape = method.Jacobian("TapeJacobian", args);
        Same("MTapeJacobian's r", value, tape.R, 0);
        Compare("tape", generated.J, tape.J, 1e-10);
        var weights = inputs.Vector(RandomVectorProgram.Outputs);
        var (r, vjp) = method.Vjp(args, weights);
        Same("MVjp's r", value, r, 0);
        for (int p = 0; p < vjp.Length; p++)
        {
            var j = generated.J[p];
            var expected = Enumerable.Range(0, j.GetLength(1)).Select(c => Enumerable.Range(0, j.GetLength(0)).Sum(i => weights[i] * j[i, c])).ToArray();
            Same("MVjp for " + method.Differentiated[p], expected, vjp[p], 1e-10);
        }
        var numerical = method.Jacobian("NumericalJacobian", args);
        Same("MNumericalJacobian's r", value, numerical.R, 0);
        if (Agree(generated.J, numerical.J, 1e-5)) return;
        var coarse = CentralDifferences(method, args, 1e-4);
        var fine = CentralDifferences(method, args, 2.5e-5);
        if (!Agree(coarse, fine, 1e-5)) return; // a kink or ill-conditioning within a step: the quotient says nothing
        Compare("numerical", generated.J, fine, 1e-4);
    }

    /// <summary>∂o[i]/∂(x, a, b) by central differences with a relative step, as the Jacobians lay them out.</summary>
    private static double[][,] CentralDifferences(VectorMethod method, object[] args, double relativeStep)
    {
        var x = (double[])args[0];
        int m = RandomVectorProgram.Outputs;
        var result = new[] { new double[m, x.Length], new double[m, 1], new double[m, 1] };
        void Column(double[,] into, int column, Func<double, object[]> at, double v)
        {
            double h = relativeStep * Math.Max(1, Math.Abs(v));
            var up = method.Value(at(v + h));
            var down = method.Value(at(v - h));
            for (int i = 0; i < m; i++) into[i, column] = (up[i] - down[i]) / ((v + h) - (v - h));
        }
        for (int k = 0; k < x.Length; k++)
            Column(result[0], k, v => { var xs = (double[])x.Clone(); xs[k] = v; return new[] { xs, args[1], args[2], args[3] }; }, x[k]);
        Column(result[1], 0, v => new[] { x, v, args[2], args[3] }, (double)args[1]);
        Column(result[2], 0, v => new[] { x, args[1], v, args[3] }, (double)args[2]);
        return result;
    }

    private static bool Close(double a, double b, double tolerance) => Math.Abs(a - b) <= tolerance * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));

    private static bool Agree(double[][,] a, double[][,] b, double tolerance) =>
        a.Zip(b).All(p => p.First.Cast<double>().Zip(p.Second.Cast<double>()).All(v => Close(v.First, v.Second, tolerance)));

    private static void Same(string what, double[] expected, double[] actual, double tolerance)
    {
        for (int k = 0; k < expected.Length; k++)
            if (!(expected[k].Equals(actual[k]) || Close(expected[k], actual[k], tolerance)))
                throw new InvalidOperationException($"{what}[{k}]: expected {expected[k]:R}, got {actual[k]:R}");
    }

    private static void Compare(string name, double[][,] a, double[][,] b, double tolerance)
    {
        if (!Agree(a, b, tolerance))
            throw new InvalidOperationException("MJacobian and the " + name + " Jacobian differ: [" + string.Join("; ", a.Select(j => string.Join(", ", j.Cast<double>()))) + "] vs [" + string.Join("; ", b.Select(j => string.Join(", ", j.Cast<double>()))) + "]");
    }
}
