using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using CsCheck;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.Reliability;

/// <summary>
/// Differential testing on generated programs: each random program (see <see cref="RandomProgram"/>) is compiled
/// with the generator in-process and its MGradient compared with MTapeGradient (relative 1e-10) and
/// MNumericalGradient (relative 1e-5, or 1e-4 against a finer quotient where two step sizes agree — a function too ill-conditioned for central differences is not held against the generator) at random points. CsCheck drives it and, on a failure, shrinks the batch to
/// the smallest failing program, which then belongs in <see cref="RegressionTests"/>.
/// MGradient must return the method's value bit for bit, except where it calls <c>Kernels.Dot</c>: a vectorized
/// dot product adds its terms in another order (docs/semantics.md), so there the value is compared like the
/// gradient (relative 1e-10). The second test writes programs with such loops (x of 4 to 21 elements; one loop in
/// four runs x.Length % 4 times, so the short-run versions run too).
/// CI runs a fixed-seed batch; <c>DIFFERENTIATOR_FUZZ_PROGRAMS=100000</c> runs a long one (see docs/reliability.md).
/// </summary>
public class DifferentialTests
{
    private const int ProgramsPerCompilation = 25;

    public static int Programs => int.TryParse(Environment.GetEnvironmentVariable("DIFFERENTIATOR_FUZZ_PROGRAMS"), out int n) ? n : 250;

    [Fact]
    public void Random_programs_agree_three_ways() => Fuzz(vectorLoops: false);

    [Fact]
    public void Random_programs_with_vectorizable_loops_agree_three_ways() => Fuzz(vectorLoops: true);

    /// <summary>Programs that end in <c>while (true)</c>, left only by its returns (RandomProgram.WhileTrue): a fifth as many.</summary>
    [Fact]
    public void Random_programs_ending_in_while_true_agree_three_ways() => Fuzz(vectorLoops: false, whileTrue: true);

    /// <summary>Programs that also read x through int data (RandomProgram's intData): gathers and sentinel tests; a fifth as many.</summary>
    [Fact]
    public void Random_programs_with_int_index_data_agree_three_ways() => Fuzz(vectorLoops: false, intData: true);

    /// <summary>
    /// Programs that call NG's generated gradient or pushforward (RandomProgram.NestedCall): a fifth as many, their tape
    /// compared at 1e-6 (its nested nodes take central differences of NGTapeGradient, docs/nested.md). Most programs of
    /// a batch do call NG (else the test would check nothing new).
    /// </summary>
    [Fact]
    public void Random_programs_with_nested_gradient_calls_agree_three_ways()
    {
        var sources = Enumerable.Range(0, 40).Select(k => new ProgramSpec(2000 + k, 12, Nested: true).Source("P")).ToList();
        Assert.True(sources.Count(s => s.Contains("NGGradient(") || s.Contains("NGPushforward(")) >= 30);
        Fuzz(vectorLoops: false, nested: true);
    }

    /// <summary>
    /// Nested programs that may also call NS's gradient in a span into the local array gs (RandomProgram.NestedCall's
    /// fourth kind), from the scratch array v that later statements overwrite: half as many as the nested batch.
    /// </summary>
    [Fact]
    public void Random_programs_with_nested_span_gradient_calls_agree_three_ways()
    {
        var sources = Enumerable.Range(0, 40).Select(k => new ProgramSpec(3000 + k, 12, Nested: true, NestedSpans: true).Source("P")).ToList();
        Assert.True(sources.Count(s => s.Contains("NSGradient(")) >= 10);
        Fuzz(vectorLoops: false, nested: true, nestedSpans: true);
    }

    /// <summary>The vector-loop programs do reach the kernels and their versioning (else the second test would cover nothing new).</summary>
    [Fact]
    public void Programs_with_vectorizable_loops_call_both_kernels()
    {
        var specs = Enumerable.Range(0, ProgramsPerCompilation).Select(k => new ProgramSpec(1000 + k, 20, VectorLoops: true)).ToArray();
        var source = new StringBuilder("using System;\nusing Differentiator;\nnamespace Fuzz;\npublic static partial class F\n{\n").Append(RandomProgram.Helper).Append('\n');
        for (int k = 0; k < specs.Length; k++) source.Append(specs[k].Source("P" + k));
        var run = GeneratorRun.Compile(source.Append("}\n").ToString());
        var gradients = Enumerable.Range(0, specs.Length).Select(k => run.Sources["Fuzz.F.P" + k + ".g.cs"]).ToList();
        Assert.Contains(gradients, g => g.Contains("global::Differentiator.Kernels.Dot("));
        Assert.Contains(gradients, g => g.Contains("global::Differentiator.Kernels.Axpy("));
        // … and the versioning: short runs kept as loops, and a test moved out of an enclosing loop (which is then
        // written twice), so the fuzz runs both versions.
        Assert.Contains(gradients, g => g.Contains("x.Length % 4 >= 4"));
        Assert.Contains(gradients, g => System.Text.RegularExpressions.Regex.IsMatch(g, @"if \(x\.Length >= 4\)\s*\{\s*(//[^\n]*\s*(double \w+ = \w+;\s*)*)?for \(int "));
        // … and the whole gradient written twice, the short runs' version in a method of its own (LoopVersioning.RunVersioned).
        Assert.Contains(gradients, g => g.Contains(Emission.GradientEmitter.ShortRunsSuffix + "("));
        // … and loops written twice inside the method, whose versions carry sums in copies of their own (LoopVersioning.OwnSums).
        Assert.Contains(gradients, g => g.Contains(Optimization.LoopVersioning.OwnSumsComment));
        Assert.Contains(gradients, g => g.Contains(Optimization.LoopVersioning.KernelSumsComment));
        // … and sums into one element of a local array's adjoint, and reads of one element, kept in locals (ScalarReplacement).
        Assert.Contains(gradients, g => g.Contains(Optimization.ScalarReplacement.SumComment));
        Assert.Contains(gradients, g => g.Contains(Optimization.ScalarReplacement.ReadComment));
        // … and last loops fused with their reverse (RandomProgram.SampleLoop), so the fuzz checks fusion too.
        Assert.Contains(gradients, g => g.Contains(Differentiation.SweepTitles.Fused));
        // … and the per-iteration snapshots of SampleLoop's array r, both in place and on the stack (Snapshots.cs).
        Assert.Contains(gradients, g => g.Contains("double[] r_saved = "));
        Assert.Contains(gradients, g => g.Contains("scratch.PushAll(r);"));
        // … and overwritten scalars saved in their iteration's slot of a buffer (Snapshots.cs SlotFor) as well as on the stack.
        Assert.Contains(gradients, g => System.Text.RegularExpressions.Regex.IsMatch(g, @"\b(\w+)_saved\[\w+\] = \1;"));
        Assert.Contains(gradients, g => System.Text.RegularExpressions.Regex.IsMatch(g, @"scratch\.Push\([a-z]\w*\);"));
    }

    /// <summary>
    /// Found by a 10000-setting run (eighth session): b = sin(b)·t7 + c, run x.Length = 17 times with a vectorized
    /// t7, gave a value 1.3·10⁻⁸ from the method's. Rounding amplified, not a bug: a change of x in its last bits
    /// moves the method's own value as much, and the generated value is right to 10⁻⁷.
    /// </summary>
    [Fact]
    public void A_program_that_amplifies_rounding_is_not_held_to_the_value_tolerance()
    {
        var spec = new ProgramSpec(534955, 29, VectorLoops: true);
        var source = "using System;\nusing Differentiator;\nnamespace Fuzz;\npublic static partial class F\n{\n" + RandomProgram.Helper + "\n" + spec.Source("P") + "}\n";
        var method = GeneratorRun.Compile(source).Method("Fuzz.F", "P");
        var inputs = new Inputs(spec.Seed);
        var args = new object[] { inputs.Vector(4 + spec.Seed % 18), inputs.Scalar(), inputs.Scalar() };
        double value = method.Value(args);
        double generated = method.Gradient(args).Value;
        Assert.NotEqual(value, generated);
        Assert.Equal(value, generated, 1e-7);
        Assert.True(AmplifiesRounding(method, args, value));
        CheckBatch(new[] { spec });
    }

    private static void Fuzz(bool vectorLoops, bool whileTrue = false, bool intData = false, bool nested = false, bool nestedSpans = false)
    {
        var batches = Gen.Select(Gen.Int[0, 1_000_000], Gen.Int[2, 30], (seed, size) => new ProgramSpec(seed, size, vectorLoops, whileTrue, intData, nested, nestedSpans)).Array[1, ProgramsPerCompilation];
        string Print(ProgramSpec[] batch) => string.Join("\n", batch.Select(p => p.Source("P")));
        string? replay = Environment.GetEnvironmentVariable("DIFFERENTIATOR_FUZZ_SEED");
        if (!string.IsNullOrEmpty(replay))
        {
            batches.Sample(CheckBatch, seed: replay, iter: 1, threads: 1, print: Print);
            return;
        }
        int count = Math.Max(1, Programs / ProgramsPerCompilation / (nestedSpans ? 10 : whileTrue || intData || nested ? 5 : 1));
        if (Programs <= 1000)
        {
            // CI: the same batches on every run. CsCheck takes a seed for its first iteration only, so each batch
            // is one sample with a seed of its own (still shrunk on failure).
            int compared = _hessianVectorCompared;
            for (int b = 0; b < count; b++)
                batches.Sample(CheckBatch, seed: new PCG(1, (ulong)b + 1).ToString(), iter: 1, threads: 1, print: Print);
            // The second-order check is not skipped away: most programs reach the comparison of H·v with the tape
            // (not nested ones, which have no Hessian-vector product: that would be NG's third order, DIFF301).
            if (!nested) Assert.True(_hessianVectorCompared - compared >= count * 5, $"only {_hessianVectorCompared - compared} Hessian-vector products compared in {count} batches");
            return;
        }
        batches.Sample(CheckBatch, iter: count, print: Print); // long runs: random seeds, all cores
    }

    internal static void CheckBatch(ProgramSpec[] batch)
    {
        var source = new StringBuilder("using System;\nusing Differentiator;\nnamespace Fuzz;\npublic static partial class F\n{\n")
            .Append(RandomProgram.Helper).Append('\n');
        if (batch.Any(p => p.Nested)) source.Append(RandomProgram.NestedHelper);
        if (batch.Any(p => p.NestedSpans)) source.Append(RandomProgram.NestedSpanHelper);
        for (int k = 0; k < batch.Length; k++) source.Append(batch[k].Source("P" + k));
        source.Append("}\n");
        // The last failing batch is kept on disk in full (CsCheck's message shortens long programs).
        string file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "differentiator-fuzz-failure.cs");
        try
        {
            var run = GeneratorRun.Compile(source.ToString());
            var errors = run.AllDiagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error || d.Id is "CS8785" or "AD0001").ToList();
            if (errors.Count > 0) throw new InvalidOperationException("Does not compile:\n" + string.Join("\n", errors.Take(5)));
            for (int k = 0; k < batch.Length; k++)
            {
                try
                {
                    bool vectorizedDot = run.Sources["Fuzz.F.P" + k + ".g.cs"].Contains("global::Differentiator.Kernels.Dot(");
                    CheckProgram(run.Method("Fuzz.F", "P" + k), batch[k], exactValue: !vectorizedDot);
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

    private static void CheckProgram(DifferentiableMethod method, ProgramSpec spec, bool exactValue)
    {
        var inputs = new Inputs(spec.Seed);
        var args = new object[] { inputs.Vector(spec.VectorLoops ? 4 + spec.Seed % 18 : 4), inputs.Scalar(), inputs.Scalar() };
        if (spec.IntData) args = args.Append(RandomProgram.Indices(spec.Seed)).ToArray();
        double value = method.Value(args);
        var generated = method.Gradient(args);
        var tape = method.Tape(args);
        if (!double.IsFinite(value) || generated.Gradient.Any(g => g.Any(v => !double.IsFinite(v)))) return; // outside the domain: nothing to compare
        if (exactValue ? !value.Equals(generated.Value) : !Agree(new[] { new[] { value } }, new[] { new[] { generated.Value } }, 1e-10))
        {
            // A vectorized dot product adds in another order (semantics.md): a difference in the last bits, which a
            // program that amplifies such differences (b = sin(b)·t + c, run x.Length times) can make larger than
            // any tolerance. Only there is a disagreement no evidence of a bug.
            if (!exactValue && AmplifiesRounding(method, args, value)) return;
            throw new InvalidOperationException($"MGradient returns {generated.Value:R}, the method {value:R}");
        }
        // A nested call's tape node takes central differences of NGTapeGradient (docs/nested.md): accurate to about 1e-10 each, adding up.
        Compare("tape", generated.Gradient, tape.Gradient, spec.Nested ? 1e-6 : 1e-10);
        // The version with plain loops (MGradient__ShortRuns), called directly: x is never short enough here to reach it through MGradient.
        if (method.HasShortRuns)
        {
            var plain = method.ShortRuns(args);
            if (!Agree(new[] { new[] { generated.Value } }, new[] { new[] { plain.Value } }, 1e-10))
                throw new InvalidOperationException($"MGradient returns {generated.Value:R}, MGradient__ShortRuns {plain.Value:R}");
            Compare("short runs' version", generated.Gradient, plain.Gradient, 1e-10);
        }
        CheckForwardAndSecondOrder(method, args, spec, generated, value);
        if (Agree(generated.Gradient, method.Numerical(args).Gradient, 1e-5)) return;
        // Disagreement with central differences is a bug only where central differences are themselves reliable:
        // the same quotient with two other steps must agree (else the function is too ill-conditioned or has a
        // kink within a step of this point, and the numerical estimate says nothing).
        var coarse = CentralDifferences(method, args, 1e-4);
        var fine = CentralDifferences(method, args, 2.5e-5);
        if (!Agree(coarse, fine, 1e-5)) return;
        Compare("numerical", generated.Gradient, fine, 1e-4);
    }

    /// <summary>
    /// Forward mode and second order on the same program, once its gradient has agreed with the tape: MPushforward's
    /// tangent against MGradient·v (relative 1e-9 of Σ|∂ᵢ·vᵢ|) and its value against the method's; MHessianVectorProduct's
    /// value likewise, and H·v against central differences of MTapeGradient along v (relative 1e-4), where two step sizes
    /// agree (else a kink or ill-conditioning within a step makes the difference say nothing). A program that calls
    /// H or K has no Hessian-vector product yet (DIFF301).
    /// </summary>
    private static void CheckForwardAndSecondOrder(DifferentiableMethod method, object[] args, ProgramSpec spec, (double Value, double[][] Gradient) generated, double value)
    {
        var directions = new Inputs(spec.Seed + 7);
        var v = generated.Gradient.Select(g => directions.Vector(g.Length)).ToArray();
        var (pushedValue, tangent) = method.Pushforward(args, v);
        double gv = SecondOrderChecks.Dot(generated.Gradient, v);
        double scale = generated.Gradient.Zip(v, (g, d) => g.Zip(d, (p, q) => Math.Abs(p * q)).Sum()).Sum();
        bool amplifies = AmplifiesRounding(method, args, value);
        if (!(Math.Abs(pushedValue - value) <= 1e-10 * Math.Max(1, Math.Abs(value))) && !amplifies)
            throw new InvalidOperationException($"MPushforward returns {pushedValue:R}, the method {value:R}");
        if (double.IsFinite(tangent) && !(Math.Abs(tangent - gv) <= 1e-9 * Math.Max(1, scale)) && !amplifies)
            throw new InvalidOperationException($"MPushforward's tangent {tangent:R}, MGradient·v {gv:R}");
        if (!method.HasHessianVectorProduct) return;
        var (hvValue, hv) = method.HessianVectorProduct(args, v);
        if (!(Math.Abs(hvValue - value) <= 1e-10 * Math.Max(1, Math.Abs(value))) && !amplifies)
            throw new InvalidOperationException($"MHessianVectorProduct returns {hvValue:R}, the method {value:R}");
        if (hv.Any(h => h.Any(x => !double.IsFinite(x)))) return;
        double[][] TapeDifferences(double step)
        {
            var up = method.Tape(method.Moved(args, v, step)).Gradient;
            var down = method.Tape(method.Moved(args, v, -step)).Gradient;
            return up.Zip(down, (u, d) => u.Zip(d, (p, q) => (p - q) / (2 * step)).ToArray()).ToArray();
        }
        var coarse = TapeDifferences(1e-4);
        var fine = TapeDifferences(2.5e-5);
        if (!Agree(coarse, fine, 1e-5)) return;
        Compare("tape-gradient differences along v (H·v)", hv, fine, 1e-4);
        System.Threading.Interlocked.Increment(ref _hessianVectorCompared);
    }

    private static int _hessianVectorCompared;

    /// <summary>
    /// The same random programs written in float (<c>float</c>, <c>MathF</c>, <c>0.5f</c>) beside their double originals:
    /// the generated float code must compile cleanly, return the float method's value bit for bit, and agree with the
    /// tape (which computes in double) to float accuracy wherever float evaluates the program itself accurately — its
    /// value within 10⁻⁵ of the double program's (an ill-conditioned program loses its digits in float whatever the gradient does).
    /// </summary>
    [Fact]
    public void Random_programs_in_float_compile_return_their_value_and_agree_with_the_tape()
    {
        int count = Math.Max(1, Math.Min(Programs, 1000) / ProgramsPerCompilation / 2);
        var batches = Gen.Select(Gen.Int[0, 1_000_000], Gen.Int[2, 30], (seed, size) => new ProgramSpec(seed, size)).Array[1, ProgramsPerCompilation];
        for (int b = 0; b < count; b++)
            batches.Sample(CheckFloatBatch, seed: new PCG(2, (ulong)b + 1).ToString(), iter: 1, threads: 1, print: batch => string.Join("\n", batch.Select(p => p.Source("P"))));
    }

    private static void CheckFloatBatch(ProgramSpec[] batch)
    {
        string Class(string name, Func<string, string> convert)
        {
            var text = new StringBuilder("public static partial class " + name + "\n{\n").Append(convert(RandomProgram.Helper)).Append('\n');
            for (int k = 0; k < batch.Length; k++) text.Append(convert(batch[k].Source("P" + k)));
            return text.Append("}\n").ToString();
        }
        string source = "using System;\nusing Differentiator;\nnamespace Fuzz;\n" + Class("F", s => s) + Class("FS", Sources.ToFloat);
        var run = GeneratorRun.Compile(source);
        var errors = run.AllDiagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error || d.Id is "CS8785" or "AD0001").ToList();
        if (errors.Count > 0) throw new InvalidOperationException("Does not compile:\n" + string.Join("\n", errors.Take(5)));
        for (int k = 0; k < batch.Length; k++)
        {
            var inputs = new Inputs(batch[k].Seed);
            float[] x = inputs.Vector(4).Select(v => (float)v).ToArray();
            float a = (float)inputs.Scalar(), b = (float)inputs.Scalar();
            var single = run.Method("Fuzz.FS", "P" + k);
            double value = single.Value(x, a, b);
            double exact = run.Method("Fuzz.F", "P" + k).Value(x.Select(v => (double)v).ToArray(), (double)a, (double)b);
            var generated = single.Gradient(x, a, b);
            if (!double.IsFinite(value) || generated.Gradient.Any(g => g.Any(v => !double.IsFinite(v)))) continue;
            bool vectorizedDot = run.Sources["Fuzz.FS.P" + k + ".g.cs"].Contains("global::Differentiator.Kernels.Dot("); // reassociates: see the class summary
            if (vectorizedDot ? !(Math.Abs(value - generated.Value) <= 1e-5 * Math.Max(1, Math.Abs(value))) : !value.Equals(generated.Value))
                throw new InvalidOperationException($"P{k} {batch[k]}: MGradient returns {generated.Value:R}, the float method {value:R}");
            if (!(Math.Abs(value - exact) <= 1e-5 * Math.Max(1, Math.Abs(exact)))) continue;
            if (!Agree(generated.Gradient, single.Tape(x, a, b).Gradient, 1e-3))
                throw new InvalidOperationException($"P{k} {batch[k]}: float gradient and tape differ beyond 1e-3: [" + string.Join("; ", generated.Gradient.Select(v => string.Join(", ", v))) + "] vs [" + string.Join("; ", single.Tape(x, a, b).Gradient.Select(v => string.Join(", ", v))) + "]");
        }
    }

    /// <summary>
    /// Whether changing x in its last bits (relative 10⁻¹⁴, about what reassociating a dot product of ≤ 21 terms
    /// changes) moves the method's value by more than the value tolerance, 10⁻¹⁰ relative: an amplification of 10⁴ or
    /// more, which a different order of additions can expose as a disagreement without any bug.
    /// </summary>
    internal static bool AmplifiesRounding(DifferentiableMethod method, object[] args, double value)
    {
        var nudged = (object[])args.Clone();
        nudged[0] = ((double[])args[0]).Select(v => v * (1 + 1e-14)).ToArray();
        double moved = method.Value(nudged);
        return !(Math.Abs(moved - value) <= 1e-10 * Math.Max(1, Math.Abs(value)));
    }

    private static double[][] CentralDifferences(DifferentiableMethod method, object[] args, double relativeStep)
    {
        var x = (double[])args[0];
        var result = new[] { new double[x.Length], new double[1], new double[1] };
        double Value(double[] xs, double a, double b) => method.Value(new object[] { xs, a, b }.Concat(args.Skip(3)).ToArray());
        for (int k = 0; k < x.Length; k++)
        {
            double h = relativeStep * Math.Max(1, Math.Abs(x[k]));
            var up = (double[])x.Clone(); up[k] += h;
            var down = (double[])x.Clone(); down[k] -= h;
            result[0][k] = (Value(up, (double)args[1], (double)args[2]) - Value(down, (double)args[1], (double)args[2])) / (up[k] - down[k]);
        }
        for (int p = 1; p <= 2; p++)
        {
            double v = (double)args[p];
            double h = relativeStep * Math.Max(1, Math.Abs(v));
            var up = (object[])args.Clone(); up[p] = v + h;
            var down = (object[])args.Clone(); down[p] = v - h;
            result[p][0] = (Value(x, (double)up[1], (double)up[2]) - Value(x, (double)down[1], (double)down[2])) / ((v + h) - (v - h));
        }
        return result;
    }

    private static bool Agree(double[][] a, double[][] b, double tolerance) =>
        a.Zip(b).All(p => p.First.Zip(p.Second).All(v => Math.Abs(v.First - v.Second) <= tolerance * Math.Max(1, Math.Max(Math.Abs(v.First), Math.Abs(v.Second)))));

    private static void Compare(string name, double[][] a, double[][] b, double tolerance)
    {
        if (!Agree(a, b, tolerance))
            throw new InvalidOperationException("Generated and " + name + " gradients differ: [" + string.Join("; ", a.Select(v => string.Join(", ", v))) + "] vs [" + string.Join("; ", b.Select(v => string.Join(", ", v))) + "]");
    }
}

/// <summary>One random program: its seed and its size (CsCheck shrinks both toward zero).</summary>
public sealed record ProgramSpec(int Seed, int Size, bool VectorLoops = false, bool WhileTrue = false, bool IntData = false, bool Nested = false, bool NestedSpans = false)
{
    public string Source(string name) => RandomProgram.Write(Seed, Size, name, VectorLoops, WhileTrue, IntData, Nested, NestedSpans);

    public override string ToString() => "ProgramSpec(" + Seed + ", " + Size + (VectorLoops ? ", VectorLoops: true" : "") + (WhileTrue ? ", WhileTrue: true" : "") + (IntData ? ", IntData: true" : "") + (Nested ? ", Nested: true" : "") + (NestedSpans ? ", NestedSpans: true" : "") + ")";
}
