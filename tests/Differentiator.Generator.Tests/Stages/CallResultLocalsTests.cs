using System.Linq;
using System.Text.RegularExpressions;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Emission;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using static Differentiator.Generator.Tests.Stages.IrBuilder;
using Differentiator.Generator.Primitives;

namespace Differentiator.Generator.Tests.Stages;

/// <summary>Differentiation/CallResultLocals.cs and the reverse sweep's reuse of a call's result, on hand-written IR.</summary>
public class CallResultLocalsTests
{
    private static readonly Parameter[] NetworkParameters =
    {
        new("xs", ParameterKind.DoubleArray, false), new("ys", ParameterKind.DoubleArray, false),
        new("W1", ParameterKind.DoubleArray, true), new("b1", ParameterKind.DoubleArray, true),
        new("v", ParameterKind.DoubleArray, true), new("c", ParameterKind.Double, true),
    };

    /// <summary>The README's tanh network: loss = Σᵢ ½(c + Σₕ v[h]·tanh(W1[h]·xs[i] + b1[h]) − ys[i])².</summary>
    private static MethodIr Network() => Method("Network", NetworkParameters,
        new[] { new LocalVariable("loss", ScalarType.Double), new LocalVariable("output", ScalarType.Double), new LocalVariable("error", ScalarType.Double) },
        Set("loss", C(0)),
        Loop("i", CI(0), new LengthOf("xs", -1),
            Set("output", D("c")),
            Loop("h", CI(0), new LengthOf("v", -1),
                Set("output", Add(D("output"), Mul(At("v", I("h")), Call(MathFunction.Tanh, Add(Mul(At("W1", I("h")), At("xs", I("i"))), At("b1", I("h")))))))),
            Set("error", Sub(D("output"), At("ys", I("i")))),
            Set("loss", Add(D("loss"), Mul(Mul(C(0.5), D("error")), D("error"))))),
        new Return(D("loss")));

    private static string Emit(GradientProgram program, MethodIr ir)
    {
        var model = new MethodModel("Demo", EquatableArray.Of(new ContainingType("class", "Nets", true)), "public", true, "Demo.Nets." + ir.Name + ".g.cs", ir, EquatableArray<DiagnosticInfo>.Empty);
        return SourceFileEmitter.Emit(model, program);
    }

    [Fact]
    public void The_gradient_calls_tanh_once_per_element_and_the_tape_still_differentiates_the_method_as_written()
    {
        var ir = Network();
        var program = GradientPipeline.Run(ir).Program!;
        string code = Emit(program, ir);
        int tape = code.IndexOf("Network__Tape", System.StringComparison.Ordinal);
        string gradient = code.Substring(0, tape);
        // Before: once in the forward loop over h and again in the reverse one.
        Assert.Single(Regex.Matches(gradient, @"Math\.Tanh\("));
        Assert.Contains("tanh = global::System.Math.Tanh(W1[h] * xs_i + b1[h]);", gradient); // xs[i] read once per sample (ScalarReplacement)
        Assert.Contains("tanh * tanh", gradient); // the derivative 1 − tanh², written with the value
        // The loops stay fused: the values are saved within the iteration, each in its own slot of a buffer (the loop
        // over h runs and is reversed once per sample), and restored by the reverse loop over h.
        Assert.Single(Regex.Matches(gradient, @"for \(int i"));
        Assert.Contains("double[] tanh_saved = global::System.Buffers.ArrayPool<double>.Shared.Rent(global::System.Math.Max(0, v.Length));", gradient);
        Assert.Contains("tanh_saved[h] = tanh;", gradient);
        Assert.Contains("tanh = tanh_saved[h];", gradient);
        Assert.DoesNotContain("scratch", gradient);
        // The tape and central differences see the user's statement, not the gradient's rewrite of it.
        string checks = code.Substring(tape);
        Assert.Contains("output += v[h] * global::Differentiator.TapeMath.Tanh(W1[h] * xs[i] + b1[h]);", checks);
        Assert.DoesNotContain(" tanh ", checks);
    }

    [Fact]
    public void The_gradient_by_interpretation_matches_central_differences()
    {
        var program = GradientPipeline.Run(Network()).Program!;
        var random = new System.Random(7);
        double[] Random(int n) => Enumerable.Range(0, n).Select(_ => 2 * random.NextDouble() - 1).ToArray();
        double[] xs = Random(5), ys = Random(5), W1 = Random(3), b1 = Random(3), v = Random(3);
        const double c = 0.2;

        IrInterpreter Setup(double[] weights)
        {
            var run = new IrInterpreter { ["c"] = c };
            run.SetArray("xs", xs);
            run.SetArray("ys", ys);
            run.SetArray("W1", weights);
            run.SetArray("b1", b1);
            run.SetArray("v", v);
            foreach (var output in program.Outputs.Where(o => o.IsArray)) run.SetArray(output.Name, new double[3]);
            foreach (var local in program.Locals) run[local.Name] = 0;
            return run;
        }

        var gradient = Setup(W1);
        gradient.Run(program);
        var primal = program.Written;
        for (int h = 0; h < 3; h++)
        {
            double Loss(double delta)
            {
                var weights = (double[])W1.Clone();
                weights[h] += delta;
                var run = Setup(weights);
                run.Run(primal.Method.Body);
                return run[primal.Result];
            }
            Assert.Equal((Loss(1e-6) - Loss(-1e-6)) / 2e-6, gradient.Array("dW1")[h], 7);
        }
    }

    [Fact]
    public void Only_active_calls_outside_conditionals_in_loops_are_named()
    {
        // for (i…) { s += Math.Exp(x[i]) + Math.Exp(c) + (x[i] > 0 ? Math.Exp(a) : 0) + Math.Exp(a) * Math.Exp(a); } outside: t = Math.Exp(a)
        var parameters = new[] { new Parameter("x", ParameterKind.DoubleArray, false), new Parameter("a", ParameterKind.Double, true), new Parameter("c", ParameterKind.Double, false) };
        var locals = new[] { new LocalVariable("s", ScalarType.Double), new LocalVariable("t", ScalarType.Double) };
        var exp = (Expr e) => Call(MathFunction.Exp, e);
        var ir = Method("Sums", parameters, locals,
            Set("s", C(0)),
            Loop("i", CI(0), new LengthOf("x", -1),
                Set("s", Add(D("s"), Add(Add(Add(exp(At("x", I("i"))), exp(D("c"))), new Conditional(Greater(At("x", I("i")), C(0)), exp(D("a")), C(0), ScalarType.Double)), Mul(exp(D("a")), exp(D("a"))))))),
            Set("t", exp(D("a"))),
            new Return(Add(D("s"), D("t"))));
        var lowered = Lowering.ControlFlowLowering.Lower(ir);
        var named = CallResultLocals.Apply(lowered, Analysis.ActivityAnalysis.Run(lowered.Method, lowered.Result));
        var loop = named.Method.Body.Statements.OfType<For>().Single();
        // exp(x[i]) and exp(c) carry no derivative; the conditional's exp(a) may not be evaluated; exp(a)·exp(a) is named once.
        var naming = Assert.IsType<Assign>(loop.Body.Statements[0]);
        Assert.Equal(new Assign("exp_a", exp(D("a"))), naming);
        Assert.Equal(2, loop.Body.Statements.Count);
        var sum = Assert.IsType<Assign>(loop.Body.Statements[1]);
        Assert.Equal(2, CountReads(sum.Value, "exp_a"));
        Assert.Equal(3, CountExp(sum.Value)); // exp(x[i]), exp(c), the conditional's exp(a)
        // Outside loops nothing changes: t = Math.Exp(a) is evaluated once either way.
        Assert.Equal(lowered.Method.Body.Statements.Last(s => s is Assign { Target: "t" }), named.Method.Body.Statements.Last(s => s is Assign { Target: "t" }));
        Assert.Contains(named.Method.Locals, l => l.Name == "exp_a");
    }

    private static int CountReads(Expr e, string name) => (e is VarRef v && v.Name == name ? 1 : 0) + Analysis.ExprWalker.Children(e).Sum(c => CountReads(c, name));

    private static int CountExp(Expr e) => (e is MathCall { Function: MathFunction.Exp } ? 1 : 0) + Analysis.ExprWalker.Children(e).Sum(CountExp);
}
