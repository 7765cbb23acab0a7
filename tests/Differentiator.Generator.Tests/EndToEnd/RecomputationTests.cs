using System;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>
/// Locals a loop body writes before reading them in every iteration are recomputed at the top of the reversed body
/// instead of saved and restored (ReverseModeBuilder.Recompute.cs). Each test checks the gradient three ways and
/// what was saved: the positive cases save nothing of the recomputed local; the negative ones are programs where the
/// old value IS needed, so recomputing would give a wrong gradient, and the value must still be saved.
/// </summary>
public class RecomputationTests
{
    private const string Prelude = "using System;\nusing Differentiator;\nnamespace T;\n";

    private static (DifferentiableMethod Method, string Gradient) Compile(string body, string name)
    {
        var run = GeneratorRun.Compile(Prelude + "public static partial class F\n{\n" + body + "\n}\n").AssertClean();
        string code = run.Sources["T.F." + name + ".g.cs"];
        return (run.Method("T.F", name), code.Substring(0, code.IndexOf(name + "__Tape", StringComparison.Ordinal)));
    }

    private static void Check(DifferentiableMethod m, Func<Inputs, object[]> args, int seed)
    {
        var inputs = new Inputs(seed);
        for (int trial = 0; trial < 8; trial++) ThreeWay.Check(m, args(inputs));
    }

    /// <summary>Three-way checks of <see cref="ScratchVectors"/> at each dimension d: x of 4d elements, mu of d, l of d².</summary>
    private static void CheckScratchVectors(DifferentiableMethod m, int seed, params int[] dimensions)
    {
        foreach (int d in dimensions)
        {
            var inputs = new Inputs(seed + d);
            for (int trial = 0; trial < 4; trial++)
                ThreeWay.Check(m, new object[] { inputs.Vector(4 * d), inputs.Vector(d), inputs.Vector(d * d), d });
        }
    }

    private const string ScratchVectors = @"[Differentiable(nameof(mu), nameof(l))] public static double Q(double[] x, double[] mu, double[] l, int d)
        {
            double[] c = new double[d];
            double[] q = new double[d];
            double total = 0;
            for (int i = 0; i < x.Length / d; i++)
            {
                for (int j = 0; j < d; j++) c[j] = x[i * d + j] - mu[j];
                for (int j = 0; j < d; j++) q[j] = l[j] * c[j];
                TRIANGLE
                double norm = 0;
                for (int j = 0; j < d; j++) norm += q[j] * q[j];
                total += Math.Log(1 + norm);
            }
            // Through a function: the sum's adjoint is known only after the loop, so the loop is not fused with its
            // reverse (ReverseModeBuilder.Fusion.cs), which then runs after the whole forward sweep.
            return Math.Sqrt(total);
        }";

    /// <summary><see cref="ScratchVectors"/> with GMM's triangular product in place: a loop nest, so its values are saved, not recomputed.</summary>
    private static readonly string WithTriangle = ScratchVectors.Replace("TRIANGLE", @"for (int a = 0; a < d; a++)
                    for (int b = a + 1; b < d; b++) q[b] += l[a * d + b] * c[a];");

    [Fact]
    public void A_scratch_vector_filled_every_iteration_is_recomputed_not_saved()
    {
        // Two scratch vectors, each filled by one loop: replaying them costs about what saving them would.
        var (m, code) = Compile(ScratchVectors.Replace("TRIANGLE", ""), "Q");
        Check(m, r => new object[] { r.Vector(12), r.Vector(3), r.Vector(9), 3 }, 61);
        Assert.Contains("Recomputed, not saved: c, norm, q", code);
        Assert.DoesNotContain("scratch.Push", code);
    }

    [Fact]
    public void A_scratch_vector_built_by_a_loop_nest_is_saved_at_the_end_of_the_iteration_instead()
    {
        // Like GMM's x − μ and Q·(x − μ): the second vector is updated in a triangular loop nest, d(d−1)/2
        // multiply-adds to replay against 2d + 1 values to save (ReverseModeBuilder.Snapshots.cs).
        var (m, code) = Compile(ScratchVectors.Replace("TRIANGLE", @"for (int a = 0; a < d; a++)
                {
                    int start = a * d;
                    for (int b = a + 1; b < d; b++) q[b] += l[start + b] * c[a];
                }"), "Q");
        CheckScratchVectors(m, 61, 1, 3, 5); // including rows of the triangle long enough for the kernels
        Assert.Contains("Restored, not recomputed: c, norm, q", code);
        Assert.DoesNotContain("Recomputed, not saved: c", code);
        // Saved once per iteration, not at every overwrite (q[b] += … would push each old q[b]): the arrays in place,
        // each iteration writing its own part of a buffer of x.Length / d of them (Snapshots.cs), the scalar on the stack.
        Assert.Contains("double[] c_saved = global::System.Buffers.ArrayPool<double>.Shared.Rent(global::System.Math.Max(0, x.Length / d) * c.Length);", code);
        Assert.Contains("global::System.Span<double> q = new double[d];", code);
        Assert.Contains("q = new global::System.Span<double>(q_saved, i * q.Length, q.Length);", code);
        Assert.Contains("global::System.Buffers.ArrayPool<double>.Shared.Return(q_saved);", code);
        Assert.DoesNotContain("scratch.PushAll(", code);
        Assert.Contains("scratch.Push(norm);", code);
        Assert.DoesNotContain("scratch.Push(q[b])", code);
        Assert.DoesNotContain("scratch.Push(q[j])", code);
    }

    [Fact]
    public void Snapshots_of_an_array_written_after_the_loop_are_copied_to_the_stack()
    {
        // q[0] = 7 after the loop would land in the last iteration's part of an in-place buffer, which that
        // iteration's reverse still reads (nothing saves q's element: the reverse sweep reads q only in the loop).
        var (m, code) = Compile(WithTriangle
            .Replace("return Math.Sqrt(total);", "q[0] = 7;\n            return Math.Sqrt(total) + q[0];"), "Q");
        CheckScratchVectors(m, 81, 1, 3);
        Assert.Contains("scratch.PushAll(q);", code);
        Assert.Contains("c = new global::System.Span<double>(c_saved, i * c.Length, c.Length);", code); // c is written only in the loop
    }

    [Fact]
    public void Snapshots_of_a_loop_that_runs_again_before_its_reverse_are_copied_to_the_stack()
    {
        // The same loop run twice by an enclosing loop that is not fused with its reverse: the second run would
        // overwrite the first run's part of an in-place buffer before its reverse read it, so each iteration's
        // arrays go to the scratch stack as one block copy each.
        var (m, code) = Compile(WithTriangle
            .Replace("for (int i = 0; i < x.Length / d; i++)", "for (int pass = 1; pass <= 2; pass++)\n            for (int i = 0; i < x.Length / d; i++)")
            .Replace("total += Math.Log(1 + norm);", "total += pass * Math.Log(1 + norm);"), "Q");
        CheckScratchVectors(m, 71, 1, 3, 5);
        Assert.Contains("Restored, not recomputed: c, norm, q", code);
        Assert.Contains("scratch.PushAll(c);", code);
        Assert.Contains("scratch.PushAll(q);", code);
        Assert.Contains("scratch.PopAll(q);", code);
        Assert.DoesNotContain("_saved", code);
    }

    [Fact]
    public void Overwritten_scalars_go_to_their_iterations_slots_only_when_each_run_of_the_loop_is_reversed_before_the_next()
    {
        // Horner's p inside a loop over passes that is not fused (total *= … is no sum): the second pass would
        // overwrite the first pass's slots before the first pass's reverse read them, so p goes to the scratch stack.
        var (m, code) = Compile(@"[Differentiable(nameof(w), nameof(x))] public static double H(double[] w, double x)
        {
            double total = 1;
            for (int pass = 1; pass <= 2; pass++)
            {
                double p = x * pass;
                for (int i = 0; i < w.Length; i++) p = p * w[i] + Math.Sin(p);
                total *= p;
            }
            return total;
        }", "H");
        Check(m, r => new object[] { r.Vector(5), r.Scalar() }, 67);
        Assert.Contains("scratch.Push(p);", code);
        Assert.DoesNotContain("p_saved", code);

        // The same loop at the top of the method runs once: each iteration's p in its own slot.
        var (top, topCode) = Compile(@"[Differentiable(nameof(w), nameof(x))] public static double T(double[] w, double x)
        {
            double p = x;
            for (int i = 0; i < w.Length; i++) p = p * w[i] + Math.Sin(p);
            return p * p;
        }", "T");
        Check(top, r => new object[] { r.Vector(5), r.Scalar() }, 68);
        Assert.Contains("p_saved[i] = p;", topCode);
        Assert.Contains("p = p_saved[i];", topCode);
    }

    [Fact]
    public void A_loop_whose_bound_is_set_inside_a_branch_saves_on_the_stack()
    {
        // The buffer of slots is rented before the top-level statement holding the loop, sized by the loop's bound:
        // a bound set inside that statement (m, in the branch) is not known there yet.
        var (m, code) = Compile(@"[Differentiable(nameof(w), nameof(x))] public static double B(double[] w, double x)
        {
            double p = x;
            if (x > -100)
            {
                int count = w.Length - 1;
                for (int i = 0; i < count; i++) p = p * w[i] + Math.Sin(p);
            }
            return p * p;
        }", "B");
        Check(m, r => new object[] { r.Vector(5), r.Scalar() }, 69);
        Assert.Contains("scratch.Push(p);", code);
        Assert.DoesNotContain("p_saved", code);
    }

    [Fact]
    public void Snapshots_of_a_loop_whose_bound_is_set_inside_a_branch_are_copied_to_the_stack()
    {
        // The arrays' buffer, like the scalars' slots, would be rented before the branch, sized by a bound set in it.
        var (m, code) = Compile(WithTriangle
            .Replace("for (int i = 0; i < x.Length / d; i++)", "if (d > 0)\n            {\n            int rows = x.Length / d;\n            for (int i = 0; i < rows; i++)")
            .Replace("total += Math.Log(1 + norm);\n            }", "total += Math.Log(1 + norm);\n            }\n            }"), "Q");
        CheckScratchVectors(m, 73, 1, 3, 5);
        Assert.Contains("scratch.PushAll(q);", code);
        Assert.DoesNotContain("_saved", code);
    }

    [Fact]
    public void A_local_computed_with_exp_is_saved_not_recomputed()
    {
        // Recomputing would call Math.Exp once more per element; a save is a store and a load.
        var (m, code) = Compile(@"[Differentiable(nameof(w))] public static double E(double[] w, int rows)
        {
            double[] e = new double[w.Length / rows];
            double total = 0;
            for (int r = 0; r < rows; r++)
            {
                for (int j = 0; j < e.Length; j++) e[j] = Math.Exp(w[r * e.Length + j]);
                for (int j = 0; j < e.Length; j++) total += e[j] * e[j];
            }
            return total;
        }", "E");
        Check(m, r => new object[] { r.Vector(12), 3 }, 66);
        Assert.DoesNotContain("Recomputed", code);
        Assert.Contains("scratch.Push(e[", code);
    }

    [Fact]
    public void A_local_written_only_on_one_branch_carries_its_value_and_is_saved()
    {
        // t is not written when w[i] <= 0: the iteration reads the previous one's t, which only a save can give back.
        var (m, code) = Compile(@"[Differentiable(nameof(w))] public static double B(double[] w, double x)
        {
            double t = x;
            double s = 0;
            for (int i = 0; i < w.Length; i++)
            {
                if (w[i] > 0) t = Math.Sin(w[i] * t);
                s += t * t * w[i];
            }
            return s;
        }", "B");
        Check(m, r => new object[] { r.Vector(7), r.Scalar() }, 62);
        Assert.DoesNotContain("Recomputed", code);
        Assert.Contains("scratch.Push(t)", code);
    }

    [Fact]
    public void A_scratch_vector_filled_only_in_part_carries_the_rest_and_is_saved()
    {
        // Iteration i writes a[0..i) only: a[i..n) still hold earlier iterations' values, which the sum reads.
        var (m, code) = Compile(@"[Differentiable(nameof(w))] public static double P(double[] w, double[] x)
        {
            double[] a = new double[x.Length];
            double s = 0;
            for (int i = 0; i < w.Length; i++)
            {
                for (int j = 0; j < i % x.Length; j++) a[j] = w[i] * x[j] + a[j + 1];
                for (int j = 0; j < x.Length; j++) s += a[j] * a[j] * w[i];
            }
            return s;
        }", "P");
        Check(m, r => new object[] { r.Vector(6), r.Vector(4) }, 63);
        Assert.DoesNotContain("Recomputed, not saved: a", code);
        Assert.Contains("scratch.Push(a[", code);
    }

    [Fact]
    public void A_local_overwritten_after_a_statement_whose_reverse_reads_it_is_saved()
    {
        // The first sum's reverse needs t as first computed; recomputing the body's writes would leave it doubled.
        var (m, code) = Compile(@"[Differentiable(nameof(w))] public static double D(double[] w, double x)
        {
            double s = 0;
            for (int i = 0; i < w.Length; i++)
            {
                double t = w[i] * x;
                s += Math.Sin(t) * t;
                t = t * t + w[i];
                s += Math.Cos(t);
            }
            return s;
        }", "D");
        Check(m, r => new object[] { r.Vector(6), r.Scalar() }, 64);
        Assert.DoesNotContain("Recomputed", code);
        Assert.Contains("scratch.Push(t)", code);
    }

    [Fact]
    public void A_recomputation_reading_what_the_body_changes_later_is_not_used()
    {
        // c[j] reads u, which the body changes after filling c: at the top of the reversed body u holds the value
        // the iteration ended with, not the one c was computed from.
        var (m, code) = Compile(@"[Differentiable(nameof(w))] public static double U(double[] w, double x)
        {
            double[] c = new double[3];
            double u = x;
            double s = 0;
            for (int i = 0; i < w.Length; i++)
            {
                for (int j = 0; j < 3; j++) c[j] = u * w[i] + j;
                u = Math.Sin(u + w[i]);
                for (int j = 0; j < 3; j++) s += c[j] * c[j] * u;
            }
            return s;
        }", "U");
        Check(m, r => new object[] { r.Vector(5), r.Scalar() }, 65);
        Assert.DoesNotContain("Recomputed, not saved: c", code);
        Assert.Contains("scratch.Push(c[", code);
    }
}
