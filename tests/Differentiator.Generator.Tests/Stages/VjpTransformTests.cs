using System.Linq;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Differentiation.VectorValued;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;
using static Differentiator.Generator.Tests.Stages.IrBuilder;

namespace Differentiator.Generator.Tests.Stages;

/// <summary>
/// <see cref="VjpTransform"/> on hand-written IR: the vector-valued method becomes the scalar Σ rBar[k]·r[k] with r an
/// active local array on the caller's storage; interpreted, its value is that sum, and its gradient (the unchanged
/// reverse pipeline) matches central differences of the interpreted sum and rBarᵀ·J of the closed form.
/// </summary>
public class VjpTransformTests
{
    /// <summary><c>void Map(double[] x, double a, Span&lt;double&gt; r) { for (i &lt; r.Length) r[i] = a·exp(x[i]); r[0] += x[1]·r[1]; }</c></summary>
    private static MethodIr Map() => Method("Map",
        new[] { new Parameter("x", ParameterKind.DoubleArray, true), new Parameter("a", ParameterKind.Double, true), new Parameter("r", ParameterKind.Output, false) },
        new LocalVariable[0],
        Loop("i", CI(0), new LengthOf("r", -1), new AssignElement("r", EquatableArrayOf(I("i")), Mul(D("a"), Call(Primitives.MathFunction.Exp, At("x", I("i")))))),
        new AssignElement("r", EquatableArrayOf(CI(0)), Add(At("r", CI(0)), Mul(At("x", CI(1)), At("r", CI(1))))));

    private static Model.EquatableArray<Expr> EquatableArrayOf(params Expr[] e) => Model.EquatableArray.Of(e);

    [Fact]
    public void Output_becomes_an_external_local_array_and_the_weighted_sum_is_appended()
    {
        var vector = ControlFlowLowering.Lower(Map());
        var (scalar, weights) = VjpTransform.Apply(vector);
        var method = scalar.Method;
        Assert.Equal("rBar", weights);
        Assert.Equal(new[] { "x", "a", "rBar" }, method.Parameters.Select(p => p.Name));
        Assert.Null(method.Output);
        Assert.Contains(method.Locals, l => l is { Name: "r", IsArray: true });
        var first = Assert.IsType<AllocateArray>(method.Body.Statements[0]);
        Assert.True(first.External);
        Assert.Equal("r", first.Name);
        // r.Length reads rBar's length (equal, checked on entry), so the reverse sweep's loop bounds do not read r.
        Assert.DoesNotContain(IrWalker.Flatten(method.Body).SelectMany(IrWalker.Expressions).SelectMany(IrWalker.Descendants), e => e is LengthOf { Array: "r" });
        var sum = Assert.IsType<For>(method.Body.Statements[^1]);
        var add = Assert.IsType<Assign>(sum.Body.Statements.Single());
        Assert.Equal(scalar.Result, add.Target);
        Assert.Equal(new Binary(BinaryOp.Add, D(scalar.Result), Mul(At("rBar", I("k")), At("r", I("k"))), ScalarType.Double), add.Value);
        Assert.Equal(new LengthOf("rBar", -1), sum.Bound);
        Assert.Equal(C(0), Assert.IsType<Assign>(method.Body.Statements[^2]).Value);
        // The vector method itself is left as it was.
        Assert.Equal(Map().Parameters, vector.Method.Parameters);
    }

    [Fact]
    public void Gradient_of_the_transformed_method_is_the_vector_jacobian_product()
    {
        var (scalar, _) = VjpTransform.Apply(ControlFlowLowering.Lower(Map()));
        var program = GradientPipeline.Differentiate(scalar).Program!;
        double[] x = { 0.3, -0.7, 0.2, 0.5 };
        double a = 1.3;
        double[] rBar = { 0.5, -2, 1.5, 0.25 };

        IrInterpreter Setup(double[] xs, double scale)
        {
            var run = new IrInterpreter();
            run.SetArray("x", xs);
            run.SetArray("rBar", rBar);
            run.SetArray("r", new double[4]);
            run.SetArray("dx", new double[4]);
            run["a"] = scale;
            foreach (var local in program.Locals) run[local.Name] = 0;
            return run;
        }
        double Sum(double[] xs, double scale)
        {
            var run = Setup(xs, scale);
            run.Run(program.Primal.Method.Body);
            return run[program.Primal.Result];
        }

        var gradient = Setup(x, a);
        gradient.Run(program);
        // r as the method writes it, then rBar·r and its gradient in closed form.
        var e = x.Select(System.Math.Exp).ToArray();
        var r = e.Select(v => a * v).ToArray();
        r[0] += x[1] * r[1];
        Assert.Equal(rBar.Zip(r, (w, v) => w * v).Sum(), Sum(x, a), 12);
        var expected = e.Select((v, i) => rBar[i] * a * v).ToArray();
        expected[1] += rBar[0] * (a * e[1] + x[1] * a * e[1]);
        double expectedA = rBar[0] * (e[0] + x[1] * e[1]) + Enumerable.Range(1, 3).Sum(i => rBar[i] * e[i]);
        Assert.Equal(expectedA, gradient["da"], 10);
        for (int j = 0; j < 4; j++)
        {
            Assert.Equal(expected[j], gradient.Array("dx")[j], 10);
            var up = (double[])x.Clone();
            var down = (double[])x.Clone();
            up[j] += 1e-6;
            down[j] -= 1e-6;
            Assert.Equal((Sum(up, a) - Sum(down, a)) / 2e-6, gradient.Array("dx")[j], 6);
        }
        Assert.Equal((Sum(x, a + 1e-6) - Sum(x, a - 1e-6)) / 2e-6, gradient["da"], 6);
    }
}
