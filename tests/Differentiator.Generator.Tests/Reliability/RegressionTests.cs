using System;
using System.Linq;
using Differentiator.Generator.Primitives;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.Reliability;

/// <summary>Every crash or wrong gradient a fuzzer found, kept as the minimal program that showed it.</summary>
public class RegressionTests
{
    private static void AssertNoCrash(GeneratorRun run) =>
        Assert.DoesNotContain(run.GeneratorDiagnostics.Concat(run.AnalyzerDiagnostics), d => d.Id is "CS8785" or "AD0001" or "DIFF900");

    /// <summary>
    /// Found by deleting tokens of the MSE sample (HalfTypedCodeTests): with the class braces gone, Roslyn puts the
    /// method in '&lt;invalid-global-code&gt;', and the hint name built from it had '&lt;', which AddSource rejects (CS8785).
    /// </summary>
    [Fact]
    public void A_method_outside_any_type_does_not_crash_the_generator() =>
        AssertNoCrash(GeneratorRun.Compile("using Differentiator;\nnamespace Demo;\n[Differentiable] public static double G(double x) => x * x;\n"));

    /// <summary>
    /// Found by cutting the MSE sample at each token (HalfTypedCodeTests): a whole array where a number belongs
    /// (<c>pred += w</c> while typing <c>w[j]</c>) reached the emitter as an array reference and failed there (DIFF900).
    /// </summary>
    [Fact]
    public void A_whole_array_used_as_a_number_is_a_diagnostic_not_a_crash()
    {
        var run = GeneratorRun.Compile("using Differentiator;\nnamespace Demo;\npublic static partial class F { [Differentiable] public static double G(double[] w) { double s = 0; s += w; return s; } }\n");
        AssertNoCrash(run);
        Assert.Empty(run.Sources);
    }

    /// <summary>
    /// Found by a long fuzz run (DIFFERENTIATOR_FUZZ_PROGRAMS=3000, cut down by hand): the loop versioning named its copies of the sums a
    /// loop carries from the names the method had before common subexpressions were named, so its copy of
    /// <c>tanh</c> (a call result, Differentiation/CallResultLocals.cs) and the shared <c>Math.Tanh(x[1])</c> were both
    /// called <c>tanh_2</c>, one in a scope enclosing the other: CS0136, no gradient.
    /// </summary>
    [Fact]
    public void Copies_of_loop_sums_are_named_apart_from_shared_subexpressions()
    {
        var m = GeneratorRun.Compile(@"using System; using Differentiator; namespace Fuzz; public static partial class F {
[Differentiable] public static double P(double[] x, double a, double b)
{
    double[] u = new double[x.Length];
    for (int i0 = 0; i0 < x.Length; i0++)
    {
        a += 0.25 * Math.Tanh(x[i0]);
        double t13 = 0.5;
        for (int k12 = 1; k12 < x.Length; k12++) t13 += u[k12 - 1] * x[k12];
    }
    b += Math.Tanh(x[1]);
    return Math.Min(0.5, b * a);
}}").AssertClean().Method("Fuzz.F", "P");
        var inputs = new Inputs(20261128);
        foreach (int length in new[] { 3, 6 }) ThreeWay.Check(m, new object[] { inputs.Vector(length), inputs.Scalar(), inputs.Scalar() });
    }

    /// <summary>
    /// Found by the random-program differential test (CsCheck, ProgramSpec(198821, 9), shrunk): a parameter's first
    /// reassignment was treated like a local's first definition and not saved, so the reverse sweep read the new
    /// value where it needed the argument: ∂/∂x[0] came out 1.099 instead of −0.535.
    /// </summary>
    [Fact]
    public void Reassigning_a_parameter_saves_the_argument_for_the_reverse_sweep()
    {
        var m = GeneratorRun.Compile(@"using System; using Differentiator; namespace Fuzz; public static partial class F {
[Differentiable] public static double P9(double[] x, double a, double b)
{
    double t0 = x[0] * (a - b);
    a = t0 * t0;
    a -= b;
    return Math.Exp(Math.Sin(Math.Max(x[3], a)));
}}").AssertClean().Method("Fuzz.F", "P9");
        var inputs = new Inputs(198821);
        for (int trial = 0; trial < 5; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(4), inputs.Scalar(), inputs.Scalar() });
    }

    /// <summary>
    /// Found by the random-program differential test (ProgramSpec(97447, 24), then cut down by hand): a parameter
    /// assigned once (<c>a += …</c>) was not saved, since one assignment of a local needs no save; but a parameter
    /// already held the argument, which the reverse sweep of earlier statements reads.
    /// </summary>
    [Fact]
    public void A_parameter_assigned_once_is_saved_for_the_reverse_sweep()
    {
        var m = GeneratorRun.Compile(@"using System; using Differentiator; namespace Fuzz; public static partial class F {
[Differentiable] public static double P(double a, double b)
{
    double t0 = Math.Exp(Math.Sin(a));
    a += t0 * Math.Min(a, b);
    return a * a;
}}").AssertClean().Method("Fuzz.F", "P");
        ThreeWay.Check(m, new object[] { 0.4, -0.6 });
        ThreeWay.Check(m, new object[] { -0.9, 0.3 });
    }

    /// <summary>
    /// Found by the random-program differential test (generated code failed with CS0841): common-subexpression
    /// naming counts no uses inside ?: branches (hoisting out of a branch could evaluate what the branch guards), yet
    /// replaced such a use by the temporary even when it stood before the temporary's declaration.
    /// </summary>
    [Fact]
    public void A_shared_subexpression_inside_an_earlier_branch_is_not_replaced_before_its_declaration()
    {
        var t = new Ir.MathCall(MathFunction.Tanh, Model.EquatableArray.Of<Ir.Expr>(new Ir.VarRef("b", Ir.ScalarType.Double)));
        var condition = new Ir.Binary(Ir.BinaryOp.Greater, new Ir.VarRef("a", Ir.ScalarType.Double), new Ir.Const(0, Ir.ScalarType.Double), Ir.ScalarType.Bool);
        var block = new Ir.Block(Model.EquatableArray.Of<Ir.Stmt>(
            new Ir.Assign("x", new Ir.Conditional(condition, t, new Ir.Const(0, Ir.ScalarType.Double), Ir.ScalarType.Double)),
            new Ir.Assign("y", new Ir.Binary(Ir.BinaryOp.Multiply, t, t, Ir.ScalarType.Double))));
        var method = new Ir.MethodIr("G", Model.EquatableArray.Of(new Ir.Parameter("a", Ir.ParameterKind.Double, true), new Ir.Parameter("b", Ir.ParameterKind.Double, true)),
            Model.EquatableArray.Of(new Ir.LocalVariable("x", Ir.ScalarType.Double), new Ir.LocalVariable("y", Ir.ScalarType.Double)), block);
        var program = new Differentiation.GradientProgram(new Lowering.LoweredMethod(method, "y", null), Model.EquatableArray<Differentiation.GradientOutput>.Empty,
            method.Locals, block, false);

        var rewritten = Optimization.CommonSubexpressions.Apply(block, program).Statements;

        var let = Assert.Single(rewritten.OfType<Ir.Let>());
        int declaredAt = rewritten.Items.IndexOf(let);
        Assert.True(declaredAt > 0, "the temporary is declared after the statement with the branch");
        var first = Assert.IsType<Ir.Assign>(rewritten[0]);
        Assert.Equal(t, ((Ir.Conditional)first.Value).WhenTrue); // the earlier, guarded use keeps computing its own value, not the later temporary
    }

    /// <summary>
    /// Found by the random-program differential test on a fresh clone (MGradient returned 1.66 where the method
    /// returns 1.21): a loop was fused although the sum it accumulates (the parameter a) is read by the reverse
    /// sweep of code before the loop; restoring it inside the fused iteration undid the forward accumulation.
    /// </summary>
    [Fact]
    public void A_loop_is_not_fused_when_its_sum_must_be_restored()
    {
        var m = GeneratorRun.Compile(@"using System; using Differentiator; namespace Fuzz; public static partial class F {
[Differentiable] public static double P17(double[] x, double a, double b)
{
    double t0 = Math.Exp(Math.Sin((0.75 - b)));
    for (int i0 = 0; i0 < x.Length; i0++)
    {
        b -= 0.25 * Math.Tanh(Math.Sin((x[i0] + a)));
    }
    for (int i0 = x.Length - 1; i0 >= 0; i0--)
    {
        a -= 0.25 * Math.Tanh(Math.Log(1 + Math.Atan(t0) * Math.Atan(t0)));
    }
    return Math.Tanh(1.5) + a + b;
}}").AssertClean().Method("Fuzz.F", "P17");
        var inputs = new Inputs(0);
        for (int trial = 0; trial < 5; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(4), inputs.Scalar(), inputs.Scalar() });
    }

    /// <summary>
    /// Found by reading Differentiation/ReverseModeBuilder.Fusion.cs (the fuzzer never wrote a loop whose local is
    /// written before it is read and then read after the loop; it does now): the loop was fused although the
    /// statement after it reads t, which is the last iteration's. The value came out 1.96 instead of 2.80 (t
    /// restored to its value before the loop) and t's adjoint went to the first iteration instead of the last.
    /// </summary>
    [Fact]
    public void A_loop_is_not_fused_when_the_code_after_it_reads_its_local()
    {
        var m = GeneratorRun.Compile(@"using System; using Differentiator; namespace Fuzz; public static partial class F {
[Differentiable(nameof(a))] public static double G(double[] x, double a)
{
    double s = 0;
    double t = 0;
    for (int i = 0; i < x.Length; i++) { t = a * x[i]; s += t * t; t = Math.Sin(t); s += t; }
    return s + t;
}}").AssertClean().Method("Fuzz.F", "G");
        var x = new[] { 0.3, -0.7, 1.1 };
        const double a = 0.9;
        var (value, gradient) = m.Gradient(x, a);
        // Σ (a·xᵢ)² + sin(a·xᵢ), plus sin(a·x_last); the derivative by hand.
        double expected = x.Sum(xi => a * xi * a * xi + Math.Sin(a * xi)) + Math.Sin(a * x[^1]);
        double slope = x.Sum(xi => 2 * a * xi * xi + xi * Math.Cos(a * xi)) + x[^1] * Math.Cos(a * x[^1]);
        Assert.Equal(expected, value, 12);
        Assert.Equal(slope, Assert.Single(Assert.Single(gradient)), 12);
        ThreeWay.Check(m, new object[] { x, a });
    }

    /// <summary>
    /// Found by reading Differentiation/ReverseModeBuilder.Fusion.cs, like the test above: the parameter a, overwritten
    /// before it is read in each iteration of a fused loop, was not saved, so the reverse of <c>t0 = a * a</c> before
    /// the loop read the last iteration's a (∂/∂a 4.4 instead of 1.8).
    /// </summary>
    [Fact]
    public void A_fused_loop_keeps_the_argument_the_code_before_it_reads_in_reverse()
    {
        var m = GeneratorRun.Compile(@"using System; using Differentiator; namespace Fuzz; public static partial class F {
[Differentiable(nameof(a))] public static double G(double[] x, double a)
{
    double t0 = a * a;
    double s = 0;
    for (int i = 0; i < x.Length; i++) { a = x[i] * 2; s += a * a; }
    return s + t0;
}}").AssertClean().Method("Fuzz.F", "G");
        var (_, gradient) = m.Gradient(new[] { 0.3, -0.7, 1.1 }, 0.9);
        Assert.Equal(2 * 0.9, Assert.Single(Assert.Single(gradient)), 14); // only t0 depends on the argument
        ThreeWay.Check(m, new object[] { new[] { 0.3, -0.7, 1.1 }, 0.9 });
    }

    /// <summary>
    /// Found by the long random-program run (30,000 programs, ProgramSpec(320612, 23)): which values to save was
    /// decided from a first reverse sweep without restores; adding the restores made an early-return guard
    /// (<c>if (!returned)</c>) appear in the reverse sweep, whose flag then was read but never saved, so the restores
    /// were skipped and the stack went out of step (∂/∂b −0.100 instead of −0.359). The set is now a fixed point.
    /// </summary>
    [Fact]
    public void Values_read_only_because_of_restores_are_saved_too()
    {
        var m = GeneratorRun.Compile(@"using System; using Differentiator; namespace Fuzz; public static partial class F {
" + RandomProgram.Helper + @"
[Differentiable] public static double P10(double[] x, double a, double b)
{
    double t0 = Math.Sin((b + x[1]));
    t0 -= Math.Atan(Math.Sin(x[3]));
    if (Math.Sin(t0) > (t0 > x[2] ? 0.5 : a))
    {
        b -= b;
        double t1 = Math.Pow(1.5 + Math.Sin(0.5), 1.5);
    }
    else
    {
        double t2 = t0 * Math.Log(1 + x[3] * x[3]);
    }
    double t3 = (t0 - x[0]);
    if (Math.Tanh(3.0) > x[1] * x[2])
    {
        t3 += Math.Sin(Math.Log(1 + x[0] * x[0]));
    }
    else
    {
        if ((2.0 + t0) > a)
        {
            double t4 = H(Math.Sin(a));
            double t5 = (x[3] > x[3] ? Math.Log(1 + a * a) : t4);
        }
        else
        {
            a += Math.Log(1 + (x[3] + t0) * (x[3] + t0));
        }
    }
    b = Math.Cos(Math.Tanh(b));
    for (int i0 = 0; i0 < x.Length; i0++)
    {
        t3 -= 0.25 * Math.Tanh(t0);
        if ((x[i0] - a) > 1.5) return Math.Max(x[i0], b) * -(3.0);
        a = Math.Sin(a) * Math.Atan(b) + 0.25 * Math.Tanh(t3);
    }
    return b;
}
}").AssertClean().Method("Fuzz.F", "P10");
        var inputs = new Inputs(320612);
        for (int trial = 0; trial < 5; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(4), inputs.Scalar(), inputs.Scalar() });
    }

    /// <summary>
    /// Found by the long random-program run (ProgramSpec(421220, 8)): a shared subexpression's temporary also
    /// replaced an uncounted use inside a ?: branch that stood after the value it reads was restored (b = pop), so
    /// the branch's derivative used exp(sin(new b)) where it needed exp(sin(old b)).
    /// </summary>
    [Fact]
    public void A_temporary_is_not_used_after_a_value_it_reads_is_restored()
    {
        var m = GeneratorRun.Compile(@"using System; using Differentiator; namespace Fuzz; public static partial class F {
[Differentiable] public static double P8(double[] x, double a, double b)
{
    double t0 = (a * x[3] > a * x[0] ? Math.Exp(Math.Sin(a)) : Math.Exp(Math.Sin(b)));
    b = t0;
    return Math.Exp(Math.Sin(b));
}}").AssertClean().Method("Fuzz.F", "P8");
        var inputs = new Inputs(421220);
        for (int trial = 0; trial < 8; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(4), inputs.Scalar(), inputs.Scalar() });
    }

    /// <summary>
    /// Found by the long random-program run (MGradient returned 0.8237988290471976, the method 0.8237988290471978):
    /// adjoint constant propagation rebuilt every expression with simplifying constructors, the user's forward code
    /// included, folding <c>1.5 * x[0] * 1.5 * x[0]</c> into <c>2.25 * x[0] * x[0]</c>. The value must be bit-identical.
    /// </summary>
    [Fact]
    public void The_forward_sweep_computes_the_value_exactly_as_written()
    {
        var m = GeneratorRun.Compile(@"using System; using Differentiator; namespace Fuzz; public static partial class F {
[Differentiable] public static double P(double[] x) => Math.Log(1 + 1.5 * x[0] * 1.5 * x[0]);
}").AssertClean().Method("Fuzz.F", "P");
        var inputs = new Inputs(1);
        for (int trial = 0; trial < 50; trial++)
        {
            var args = new object[] { inputs.Vector(4) };
            Assert.Equal(m.Value(args), m.Gradient(args).Value); // exact: no tolerance
        }
    }

    /// <summary>
    /// Found by a long fuzz run (ProgramSpec(192620, 17)): a branch whose condition reads a local array that the
    /// branch itself writes was taken as recomputable, so the reverse sweep re-tested the condition on the array as
    /// the loop had left it and took the other branch (gradient off, e.g. 0.17 instead of −1.72). Element writes now
    /// count as assignments to their array: the branch taken is saved.
    /// </summary>
    [Fact]
    public void A_branch_that_writes_the_array_its_condition_reads_is_replayed_as_taken()
    {
        var m = GeneratorRun.Compile(@"using System;
using Differentiator;
namespace T;
public static partial class F
{
    [Differentiable]
    public static double G(double[] x, double a)
    {
        double[] v = new double[2];
        v[0] = a;
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (v[i % 2] > 0.5) s += x[i] * v[i % 2];
            else v[i % 2] += x[i] * a;
        }
        return s + v[1];
    }
}").AssertClean().Method("T.F", "G");
        // x = (1, 1, 1, 1), a = 0.3: v[0] = 0.3 → 0.6, then s += x[2]·0.6; v[1] = 0.3 → 0.6, then s += x[3]·0.6.
        ThreeWay.Check(m, new object[] { new[] { 1.0, 1.0, 1.0, 1.0 }, 0.3 });
        var inputs = new Inputs(41);
        for (int trial = 0; trial < 20; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(7, 0, 1), inputs.Scalar(0, 1) });
    }

    /// <summary>
    /// Found by a new user (issue 22): a method whose only <c>return</c> is inside <c>while (true)</c> passed the
    /// analyzer, but the emitters declared the result local by its only assignment, inside the loop, and returned it
    /// after the loop: CS0103 "The name 'result' does not exist" in <c>MGradient</c> and <c>M__Tape</c>.
    /// </summary>
    [Fact]
    public void A_method_whose_only_return_is_inside_while_true_compiles_and_agrees_three_ways()
    {
        var m = GeneratorRun.Compile(@"using System;
using Differentiator;
namespace T;
public static partial class F
{
    [Differentiable]
    public static double Settle(double x, double a)
    {
        double s = x * x + 1;
        while (true)
        {
            s = s * a;
            if (s < 1) return s + x;
        }
    }
}").AssertClean().Method("T.F", "Settle");
        // x = 1, a = 0.5: s = 2 → 1 → 0.5 (two halvings, k = 2), so the value is (x² + 1)·a² + x = 1.5,
        // ∂/∂x = 2x·a² + 1 = 1.5, ∂/∂a = (x² + 1)·2a = 2.
        var (value, g) = m.Gradient(1.0, 0.5);
        Assert.Equal(1.5, value, 14);
        Assert.Equal(1.5, g[0][0], 14);
        Assert.Equal(2.0, g[1][0], 14);
        var inputs = new Inputs(22);
        for (int trial = 0; trial < 20; trial++) ThreeWay.Check(m, new object[] { inputs.Scalar(-2, 2), inputs.Scalar(0.2, 0.8) });
    }
}
