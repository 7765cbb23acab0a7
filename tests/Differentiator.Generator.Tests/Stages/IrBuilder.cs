using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Differentiator.Generator.Primitives;

namespace Differentiator.Generator.Tests.Stages;

/// <summary>Terse constructors for hand-written IR, so the stages after parsing can be tested without Roslyn.</summary>
internal static class IrBuilder
{
    public static VarRef D(string name) => new(name, ScalarType.Double);

    public static VarRef I(string name) => new(name, ScalarType.Int);

    public static Const C(double v) => new(v, ScalarType.Double);

    public static Const CI(int v) => new(v, ScalarType.Int);

    public static ElementRef At(string array, params Expr[] indices) => new(array, indices.ToEquatableArray());

    public static Binary Add(Expr a, Expr b) => new(BinaryOp.Add, a, b, a.Type);

    public static Binary Sub(Expr a, Expr b) => new(BinaryOp.Subtract, a, b, a.Type);

    public static Binary Mul(Expr a, Expr b) => new(BinaryOp.Multiply, a, b, a.Type);

    public static Binary Div(Expr a, Expr b) => new(BinaryOp.Divide, a, b, a.Type);

    public static Binary Less(Expr a, Expr b) => new(BinaryOp.Less, a, b, ScalarType.Bool);

    public static Binary Greater(Expr a, Expr b) => new(BinaryOp.Greater, a, b, ScalarType.Bool);

    public static MathCall Call(MathFunction f, params Expr[] args) => new(f, args.ToEquatableArray());

    public static Assign Set(string target, Expr value) => new(target, value) { Source = target + " = …;" };

    public static Block Body(params Stmt[] statements) => new(statements.ToEquatableArray());

    public static For Loop(string counter, Expr start, Expr bound, params Stmt[] body) => new(counter, start, BinaryOp.Less, bound, 1, Body(body), null);

    public static MethodIr Method(string name, Parameter[] parameters, LocalVariable[] locals, params Stmt[] body) =>
        new(name, parameters.ToEquatableArray(), locals.ToEquatableArray(), Body(body));

    /// <summary>The MSE of the README, as the parser produces it.</summary>
    public static MethodIr Mse() => Method("Mse",
        new[]
        {
            new Parameter("X", ParameterKind.DoubleArray2D, false), new Parameter("y", ParameterKind.DoubleArray, false),
            new Parameter("w", ParameterKind.DoubleArray, true), new Parameter("b", ParameterKind.Double, true),
        },
        new[] { new LocalVariable("n", ScalarType.Int), new LocalVariable("sum", ScalarType.Double), new LocalVariable("pred", ScalarType.Double), new LocalVariable("r", ScalarType.Double) },
        Set("n", new LengthOf("y", -1)),
        Set("sum", C(0)),
        Loop("i", CI(0), I("n"),
            Set("pred", D("b")),
            Loop("j", CI(0), new LengthOf("w", -1), Set("pred", Add(D("pred"), Mul(At("X", I("i"), I("j")), At("w", I("j")))))),
            Set("r", Sub(D("pred"), At("y", I("i")))),
            Set("sum", Add(D("sum"), Mul(D("r"), D("r"))))),
        new Return(Div(D("sum"), new Convert(I("n"), ScalarType.Double))));
}
