using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Differentiation.Forward;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;
using Differentiator.Generator.Model;
using Differentiator.Generator.Primitives;
using static Differentiator.Generator.Tests.Stages.IrBuilder;

namespace Differentiator.Generator.Tests.Stages;

/// <summary>The tangent transform alone, on hand-written IR, checked by interpretation against central differences.</summary>
public class TangentTransformTests
{
    private static readonly Parameter[] XAndA = { new("x", ParameterKind.DoubleArray, true), new("a", ParameterKind.Double, true) };

    /// <summary>s = a; for i: s = s·x[i] + sin(s) — a self-update read before it is overwritten.</summary>
    private static MethodIr Horner() => Method("Horner", XAndA,
        new[] { new LocalVariable("s", ScalarType.Double) },
        Set("s", D("a")),
        Loop("i", CI(0), new LengthOf("x", -1), Set("s", Add(Mul(D("s"), At("x", I("i"))), Call(MathFunction.Sin, D("s"))))),
        new Return(Mul(D("s"), Call(MathFunction.Exp, D("a")))));

    private static (TangentProgram Program, LoweredMethod Lowered) Transform(MethodIr ir)
    {
        var lowered = ControlFlowLowering.Lower(ir);
        var activity = ActivityAnalysis.Run(lowered.Method, lowered.Result);
        return (TangentTransform.Build(lowered, activity, new[] { "dx", "da" }, new string[0]), lowered);
    }

    private static double Run(Block body, string result, double[] x, double a, double[]? dx = null, double da = 0, TangentProgram? program = null)
    {
        var run = new IrInterpreter();
        run.SetArray("x", x);
        run.SetArray("dx", dx ?? new double[x.Length]);
        run["a"] = a;
        run["da"] = da;
        foreach (var local in (program?.Method.Method.Locals ?? default).Where(l => !l.IsArray)) run[local.Name] = 0;
        run["s"] = 0;
        run.Run(body);
        return run[result];
    }

    [Fact]
    public void The_tangent_of_a_self_updating_loop_matches_central_differences()
    {
        var (program, lowered) = Transform(Horner());
        var x = new[] { 0.4, -0.3, 0.8 };
        var dx = new[] { 0.2, 0.5, -0.1 };
        double a = 0.7, da = -0.3;
        double tangent = Run(program.Method.Method.Body, program.TangentResult, x, a, dx, da, program);
        double h = 1e-6;
        double Primal(double step) => Run(lowered.Method.Body, lowered.Result, x.Select((v, k) => v + step * dx[k]).ToArray(), a + step * da);
        Assert.Equal((Primal(h) - Primal(-h)) / (2 * h), tangent, 7);
        // The primal result is computed unchanged beside the tangents.
        Assert.Equal(Primal(0), Run(program.Method.Method.Body, lowered.Result, x, a, dx, da, program), 14);
    }

    [Fact]
    public void Tangents_are_computed_before_the_assignment_they_belong_to_and_only_for_active_values()
    {
        var (program, _) = Transform(Horner());
        var statements = IrWalker.Flatten(program.Method.Method.Body).OfType<Assign>().Select(s => s.Target).ToList();
        Assert.True(statements.IndexOf("ds") < statements.IndexOf("s"), string.Join(", ", statements));
        // The tangent parameters are data, added after M's own.
        Assert.Equal(new[] { "x", "a", "dx", "da" }, program.Method.Method.Parameters.Select(p => p.Name));
        Assert.All(program.Method.Method.Parameters.Skip(2), p => Assert.False(p.Differentiated));
        Assert.Equal(ParameterKind.ReadOnlyDoubleSpan, program.Method.Method.Parameters[2].Kind);
    }

    [Fact]
    public void A_call_result_reused_by_its_derivative_is_read_not_called_again()
    {
        var ir = Method("E", XAndA, new[] { new LocalVariable("e", ScalarType.Double) },
            Set("e", Call(MathFunction.Exp, Mul(D("a"), At("x", CI(0))))),
            new Return(Mul(D("e"), D("e"))));
        var (program, _) = Transform(ir);
        var body = program.Method.Method.Body.Statements.OfType<Assign>().ToList();
        var de = body.Single(s => s.Target == "de");
        Assert.True(body.IndexOf(de) > body.FindIndex(s => s.Target == "e"), "the tangent of e = exp(u) follows it");
        Assert.DoesNotContain(IrWalker.Descendants(de.Value), n => n is MathCall);
    }

    [Fact]
    public void A_statement_forward_mode_does_not_handle_is_reported_not_thrown_past_the_generator()
    {
        // Written elements of a parameter never come from the parser (DIFF009); built by hand they stop forward mode
        // with a reason, which the generation step turns into DIFF300 while the gradient is still written.
        var ir = Method("W", new[] { new Parameter("x", ParameterKind.DoubleArray, true) }, new LocalVariable[0],
            new AssignElement("x", EquatableArray.Of<Expr>(CI(0)), Mul(At("x", CI(0)), C(2))),
            new Return(At("x", CI(0))));
        var lowered = ControlFlowLowering.Lower(ir);
        var activity = ActivityAnalysis.Run(lowered.Method, lowered.Result);
        var e = Assert.Throws<ForwardModeUnsupported>(() => TangentTransform.Build(lowered, activity, new[] { "dx" }, new string[0]));
        Assert.Contains("'x'", e.Message);
        var model = new MethodModel("Demo", EquatableArray.Of(new ContainingType("class", "C", true)), "public", true, "Demo.C.W.g.cs", ir, EquatableArray<DiagnosticInfo>.Empty);
        var file = GenerationStep.Generate(model, System.Threading.CancellationToken.None);
        Assert.NotNull(file.Source); // reverse mode takes the element write: only forward mode refuses it
        Assert.Contains("WGradient(", file.Source);
        Assert.DoesNotContain("WPushforward", file.Source);
        var info = Assert.Single(file.Diagnostics, d => d.Id == Generator.Diagnostics.DiagnosticIds.ForwardModeNotGenerated);
        Assert.Contains("'x'", info.Arguments[1]);
    }
}
