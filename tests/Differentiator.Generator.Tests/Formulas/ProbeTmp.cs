using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;
using static Differentiator.Generator.Tests.Stages.IrBuilder;
using Xunit.Abstractions;
namespace Differentiator.Generator.Tests.Formulas;
public class ProbeTmp
{
    private readonly ITestOutputHelper _o; public ProbeTmp(ITestOutputHelper o) => _o = o;
    void Show(MethodIr m) { try { var f = Differentiator.Generator.Formulas.FormulaBuilder.Build(ReturnLowering.Lower(m)); if (f is null) { _o.WriteLine("null"); return; } _o.WriteLine(f.Function); foreach (var p in f.Partials) _o.WriteLine(p.Derivative); } catch (System.Exception e) { _o.WriteLine("THROW " + e.GetType().Name + " " + e.Message); } }
    [Fact] public void Probe()
    {
        var ps = new[] { new Parameter("X", ParameterKind.DoubleArray2D, false), new Parameter("y", ParameterKind.DoubleArray, false), new Parameter("w", ParameterKind.DoubleArray, true), new Parameter("b", ParameterKind.Double, true) };
        var ls = new[] { new LocalVariable("s", ScalarType.Double), new LocalVariable("z", ScalarType.Double) };
        // logistic
        Show(Method("L", ps, ls, Set("s", C(0)), Loop("i", CI(0), new LengthOf("y", -1), Set("z", D("b")), Loop("j", CI(0), new LengthOf("w", -1), Set("z", Add(D("z"), Mul(At("X", I("i"), I("j")), At("w", I("j")))))), Set("s", Add(D("s"), Call(MathFunction.Log, Add(C(1), Call(MathFunction.Exp, Mul(new Unary(UnaryOp.Negate, At("y", I("i")), ScalarType.Double), D("z")))))))), new Return(D("s"))));
        // sum of w[i] + w[i]*x
        Show(Method("S", ps, ls, Set("s", C(0)), Loop("i", CI(0), new LengthOf("w", -1), Set("s", Add(D("s"), Add(At("w", I("i")), Mul(At("w", I("i")), D("b")))))), new Return(D("s"))));
        // abs, max
        Show(Method("A", ps, ls, new Return(Add(Call(MathFunction.Abs, D("b")), Call(MathFunction.Max, D("b"), C(0))))));
        // empty ElementRef
        Show(Method("E", ps, ls, new Return(new ElementRef("w", Differentiator.Generator.Model.EquatableArray<Expr>.Empty))));
        // w[0]*w[1]
        Show(Method("W", ps, ls, new Return(Mul(At("w", CI(0)), At("w", CI(1))))));
        // x*x structurally
        Show(Method("Q", ps, ls, new Return(Mul(Add(D("b"),C(1)), Add(D("b"),C(1))))));
        // pow, sqrt
        Show(Method("P", ps, ls, new Return(Add(Call(MathFunction.Pow, D("b"), C(3)), Call(MathFunction.Sqrt, D("b"))))));
        // pred loop-local in w derivative where w indexed by i+1
        Show(Method("R", ps, ls, Set("s", C(0)), Loop("i", CI(0), CI(3), Set("s", Add(D("s"), Mul(At("w", Add(I("i"), CI(1))), At("w", I("i")))))), new Return(D("s"))));
        Show(Method("T", ps, ls, new Return(Div(C(1), Add(C(1), Call(MathFunction.Exp, new Unary(UnaryOp.Negate, D("b"), ScalarType.Double)))))));
    }
}
