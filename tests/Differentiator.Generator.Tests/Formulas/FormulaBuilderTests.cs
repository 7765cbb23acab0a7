using System.Linq;
using Differentiator.Generator.Formulas;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;
using Xunit.Abstractions;
using static Differentiator.Generator.Tests.Stages.IrBuilder;
using Differentiator.Generator.Primitives;

namespace Differentiator.Generator.Tests.Formulas;

/// <summary>The Formulas stage on hand-built IR: symbolic execution, derivatives, simplification and printing.</summary>
public class FormulaBuilderTests
{
    private readonly ITestOutputHelper _output;

    public FormulaBuilderTests(ITestOutputHelper output) => _output = output;

    private static readonly Parameter[] Regression =
    {
        new("X", ParameterKind.DoubleArray2D, false), new("y", ParameterKind.DoubleArray, false),
        new("w", ParameterKind.DoubleArray, true), new("b", ParameterKind.Double, true),
    };

    private static Unary Neg(Expr e) => new(UnaryOp.Negate, e, e.Type);

    private static LocalVariable Local(string name) => new(name, ScalarType.Double);

    private string? Lines(MethodIr method)
    {
        var formulas = FormulaBuilder.Build(ControlFlowLowering.Lower(method));
        string? text = formulas is null ? null : string.Join("\n", new[] { formulas.Function }.Concat(formulas.Partials.Select(p => p.Derivative)).Concat(formulas.Definitions.Select(d => "where " + d)));
        _output.WriteLine(text ?? "(null)");
        return text;
    }

    [Fact]
    public void Mse_reads_like_the_textbook()
    {
        Assert.Equal(
            "Mse = (1/n)·Σᵢ (b + Σⱼ X[i,j]·w[j] − y[i])²\n" +
            "∂Mse/∂w[j] = (2/n)·Σᵢ (b + Σₖ X[i,k]·w[k] − y[i])·X[i,j]\n" +
            "∂Mse/∂b = (2/n)·Σᵢ (b + Σⱼ X[i,j]·w[j] − y[i])",
            Lines(Mse()));
    }

    [Fact]
    public void Logistic_loss()
    {
        var method = Method("Logistic", Regression, new[] { Local("s"), Local("z") },
            Set("s", C(0)),
            Loop("i", CI(0), new LengthOf("y", -1),
                Set("z", D("b")),
                Loop("j", CI(0), new LengthOf("w", -1), Set("z", Add(D("z"), Mul(At("X", I("i"), I("j")), At("w", I("j")))))),
                Set("s", Add(D("s"), Call(MathFunction.Log, Add(C(1), Call(MathFunction.Exp, Mul(Neg(At("y", I("i"))), D("z")))))))),
            new Return(D("s")));
        Assert.Equal(
            "Logistic = Σᵢ ln(1 + exp(−y[i]·(b + Σⱼ X[i,j]·w[j])))\n" +
            "∂Logistic/∂w[j] = −Σᵢ y[i]·X[i,j]·exp(−y[i]·(b + Σₖ X[i,k]·w[k]))/(1 + exp(−y[i]·(b + Σₖ X[i,k]·w[k])))\n" +
            "∂Logistic/∂b = −Σᵢ y[i]·exp(−y[i]·(b + Σⱼ X[i,j]·w[j]))/(1 + exp(−y[i]·(b + Σⱼ X[i,j]·w[j])))",
            Lines(method));
    }

    [Fact]
    public void Scalar_chain_rule()
    {
        var method = Method("G", new[] { new Parameter("a", ParameterKind.Double, true), new Parameter("x", ParameterKind.Double, true) }, new LocalVariable[0],
            new Return(Add(Call(MathFunction.Exp, Mul(D("a"), D("x"))), Call(MathFunction.Sin, D("x")))));
        Assert.Equal("G = exp(a·x) + sin(x)\n∂G/∂a = x·exp(a·x)\n∂G/∂x = a·exp(a·x) + cos(x)", Lines(method));
    }

    [Fact]
    public void Overwritten_loop_carried_value_has_no_closed_form()
    {
        var method = Method("Horner", new[] { new Parameter("x", ParameterKind.DoubleArray, false), new Parameter("p0", ParameterKind.Double, true) }, new[] { Local("p") },
            Set("p", D("p0")),
            Loop("i", CI(0), new LengthOf("x", -1), Set("p", Add(Mul(D("p"), At("x", I("i"))), Call(MathFunction.Sin, D("p"))))),
            new Return(D("p")));
        Assert.Null(Lines(method));
    }

    private static Parameter[] Weights(params Parameter[] more) => new[] { new Parameter("w", ParameterKind.DoubleArray, true) }.Concat(more).ToArray();

    [Fact]
    public void Delta_is_eliminated_term_by_term_over_a_whole_range()
    {
        var method = Method("S", Weights(new Parameter("b", ParameterKind.Double, true)), new[] { Local("s") },
            Set("s", C(0)),
            Loop("i", CI(0), new LengthOf("w", -1), Set("s", Add(D("s"), Add(At("w", I("i")), Mul(At("w", I("i")), D("b")))))),
            new Return(D("s")));
        Assert.Equal("S = Σᵢ (w[i] + w[i]·b)\n∂S/∂w[i] = 1 + b\n∂S/∂b = Σᵢ w[i]", Lines(method));
    }

    [Fact]
    public void Delta_stays_when_the_range_is_not_the_whole_array()
    {
        var method = Method("Smooth", Weights(), new[] { Local("s"), Local("d") },
            Set("s", C(0)),
            new For("i", CI(1), BinaryOp.Less, new LengthOf("w", -1), 1, Body(
                Set("d", Sub(At("w", I("i")), At("w", Sub(I("i"), CI(1))))),
                Set("s", Add(D("s"), Mul(D("d"), D("d"))))), null),
            new Return(D("s")));
        Assert.Equal(
            "Smooth = Σ_{1≤i&lt;w.Length} (w[i] − w[i − 1])²\n" +
            "∂Smooth/∂w[i] = 2·Σ_{1≤j&lt;w.Length} (w[j] − w[j − 1])·(δ(j,i) − δ(j − 1,i))",
            Lines(method));
    }

    [Fact]
    public void Constant_indices_give_deltas_outside_sums()
    {
        var method = Method("W", Weights(), new LocalVariable[0], new Return(Mul(At("w", CI(0)), At("w", CI(1)))));
        Assert.Equal("W = w[0]·w[1]\n∂W/∂w[j] = δ(0,j)·w[1] + w[0]·δ(1,j)", Lines(method));
    }

    [Fact]
    public void Kinks_are_piecewise_and_xml_escaped()
    {
        var method = Method("A", new[] { new Parameter("b", ParameterKind.Double, true) }, new LocalVariable[0],
            new Return(Add(Add(Call(MathFunction.Abs, D("b")), Call(MathFunction.Max, D("b"), C(0))), new Conditional(Less(D("b"), C(0)), Neg(D("b")), Mul(D("b"), D("b")), ScalarType.Double))));
        Assert.Equal("A = |b| + max(b, 0) + (b &lt; 0 ? −b : b²)\n∂A/∂b = sign(b) + (b ≥ 0 ? 1 : 0) + (b &lt; 0 ? −1 : 2·b)", Lines(method));
    }

    [Fact]
    public void Every_primitive_has_a_derivative()
    {
        var functions = new[] { MathFunction.Exp, MathFunction.Log, MathFunction.Sqrt, MathFunction.Sin, MathFunction.Cos, MathFunction.Tan, MathFunction.Tanh, MathFunction.Sinh, MathFunction.Cosh, MathFunction.Atan, MathFunction.Asin, MathFunction.Acos, MathFunction.Log10, MathFunction.Log2, MathFunction.Cbrt };
        var lines = functions.Select(f => Lines(Method("F", new[] { new Parameter("x", ParameterKind.Double, true) }, new LocalVariable[0], new Return(Call(f, Mul(C(2), D("x"))))))!.Split('\n')[1]);
        Assert.Equal(
            "∂F/∂x = 2·exp(2·x)\n∂F/∂x = 1/x\n∂F/∂x = 1/√(2·x)\n∂F/∂x = 2·cos(2·x)\n∂F/∂x = −2·sin(2·x)\n" +
            "∂F/∂x = 2/cos(2·x)²\n∂F/∂x = 2·(1 − tanh(2·x)²)\n∂F/∂x = 2·cosh(2·x)\n∂F/∂x = 2·sinh(2·x)\n" +
            "∂F/∂x = 2/(1 + 4·x²)\n∂F/∂x = 2/√(1 − 4·x²)\n∂F/∂x = −2/√(1 − 4·x²)\n" +
            "∂F/∂x = 1/(x·ln(10))\n∂F/∂x = 1/(x·ln(2))\n∂F/∂x = 2/(3·∛(2·x)²)",
            string.Join("\n", lines));
        Assert.Equal("P = x³ + a^x\n∂P/∂x = 3·x² + a^x·ln(a)\n∂P/∂a = x·a^(x − 1)", Lines(Method("P", new[] { new Parameter("x", ParameterKind.Double, true), new Parameter("a", ParameterKind.Double, true) }, new LocalVariable[0], new Return(Add(Call(MathFunction.Pow, D("x"), C(3)), Call(MathFunction.Pow, D("a"), D("x")))))));
        Assert.Equal("Q = 1/(1 + exp(−x))\n∂Q/∂x = exp(−x)/(1 + exp(−x))²", Lines(Method("Q", new[] { new Parameter("x", ParameterKind.Double, true) }, new LocalVariable[0], new Return(Div(C(1), Add(C(1), Call(MathFunction.Exp, Neg(D("x")))))))));
    }

    [Fact]
    public void Reverse_loops_subtraction_and_int_locals_inside_loops()
    {
        var method = Method("R", Weights(new Parameter("c", ParameterKind.Double, true)), new[] { Local("s"), new LocalVariable("k", ScalarType.Int) },
            Set("s", C(0)),
            new For("i", Sub(new LengthOf("w", -1), CI(1)), BinaryOp.GreaterOrEqual, CI(0), -1, Body(
                Set("k", I("i")),
                Set("s", Sub(D("s"), Mul(D("c"), Mul(At("w", I("k")), At("w", I("k"))))))), null),
            new Return(D("s")));
        Assert.Equal("R = −c·Σᵢ w[i]²\n∂R/∂w[i] = −2·c·w[i]\n∂R/∂c = −Σᵢ w[i]²", Lines(method));
    }

    [Fact]
    public void Counting_loops_sum_to_the_length()
    {
        var method = Method("Mean", new[] { new Parameter("x", ParameterKind.DoubleArray, false), new Parameter("b", ParameterKind.Double, true) }, new[] { Local("s"), new LocalVariable("count", ScalarType.Int) },
            Set("s", C(0)),
            Set("count", CI(0)),
            Loop("i", CI(0), new LengthOf("x", -1), Set("s", Add(D("s"), Mul(D("b"), At("x", I("i"))))), Set("count", Add(I("count"), CI(1)))),
            new Return(Div(D("s"), new Convert(I("count"), ScalarType.Double))));
        Assert.Equal("Mean = (1/x.Length)·b·Σᵢ x[i]\n∂Mean/∂b = (1/x.Length)·Σᵢ x[i]", Lines(method));
    }

    [Fact]
    public void Shapes_without_closed_form_give_null()
    {
        var x = new Parameter("x", ParameterKind.DoubleArray, false);
        var b = new Parameter("b", ParameterKind.Double, true);
        // Early return: lowering introduces a flag.
        Assert.Null(Lines(Method("E", new[] { b }, new LocalVariable[0], new If(Less(D("b"), C(0)), Body(new Return(C(0))), Block.Empty), new Return(D("b")))));
        // A branch that assigns.
        Assert.Null(Lines(Method("B", new[] { b }, new[] { Local("t") }, Set("t", D("b")), new If(Less(D("b"), C(0)), Body(Set("t", C(0))), Block.Empty), new Return(D("t")))));
        // A call to another differentiable method.
        Assert.Null(Lines(Method("C", new[] { b }, new[] { Local("t") }, new CallAssign("t", new CalleeInfo("", "F", Model.EquatableArray<Parameter>.Empty), Model.EquatableArray.Of<Expr>(D("b"))), new Return(D("t")))));
        // The last iteration's value, read after the loop.
        Assert.Null(Lines(Method("L", new[] { x, b }, new[] { Local("last") }, Set("last", C(0)), Loop("i", CI(0), new LengthOf("x", -1), Set("last", Mul(D("b"), At("x", I("i"))))), new Return(D("last")))));
        // A sum that reads another accumulator of the same loop.
        Assert.Null(Lines(Method("T", new[] { x, b }, new[] { Local("s"), Local("t") }, Set("s", C(0)), Set("t", C(0)),
            Loop("i", CI(0), new LengthOf("x", -1), Set("s", Add(D("s"), At("x", I("i")))), Set("t", Add(D("t"), Mul(D("s"), D("b"))))), new Return(D("t")))));
        // A product accumulator.
        Assert.Null(Lines(Method("P", new[] { x, b }, new[] { Local("p") }, Set("p", D("b")), Loop("i", CI(0), new LengthOf("x", -1), Set("p", Mul(D("p"), At("x", I("i"))))), new Return(D("p")))));
        // A double remainder, and an element read with the wrong number of indices.
        Assert.Null(Lines(Method("M", new[] { b }, new LocalVariable[0], new Return(new Binary(BinaryOp.Modulo, D("b"), C(2), ScalarType.Double)))));
        Assert.Null(Lines(Method("I", Weights(), new LocalVariable[0], new Return(At("w", CI(0), CI(1))))));
    }

    [Fact]
    public void Straight_line_growth_is_cut_off_not_printed()
    {
        var statements = new System.Collections.Generic.List<Stmt> { Set("a", D("x")) };
        for (int k = 0; k < 60; k++) statements.Add(Set("a", Add(D("a"), Call(MathFunction.Sin, D("a")))));
        statements.Add(new Return(D("a")));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Null(Lines(Method("Grow", new[] { new Parameter("x", ParameterKind.Double, true) }, new[] { Local("a") }, statements.ToArray())));
        Assert.True(watch.ElapsedMilliseconds < 2000, watch.ElapsedMilliseconds + " ms");
    }
}
