using Differentiator.Generator.Model;
using Differentiator.Generator.Primitives;

namespace Differentiator.Generator.Ir;

/// <summary>The scalar types the subset computes with. Only <see cref="Double"/> values carry derivatives.</summary>
internal enum ScalarType
{
    Double,
    Int,
    Bool,
}

internal enum UnaryOp
{
    Negate,
    Not,
}

internal enum BinaryOp
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
    And,
    Or,
}

/// <summary>
/// An expression of the IR: a pure tree over parameters, locals and array elements. Records give structural
/// equality, which the incremental pipeline relies on to cache unchanged methods.
/// </summary>
internal abstract record Expr(ScalarType Type);

/// <summary>A numeric or boolean literal; booleans are 0/1.</summary>
internal sealed record Const(double Value, ScalarType Type) : Expr(Type);

/// <summary>A scalar parameter or local variable.</summary>
internal sealed record VarRef(string Name, ScalarType Type) : Expr(Type);

/// <summary>
/// An element of an array or span: <c>w[j]</c>, <c>X[i, j]</c>, or of a jagged array, <c>x[i][j]</c> (<see cref="Jagged"/>).
/// <see cref="ElementType"/> is <see cref="ScalarType.Int"/> for the elements of int data (<c>labels[i]</c>), which carry no derivative.
/// </summary>
internal sealed record ElementRef(string Array, EquatableArray<Expr> Indices, bool Jagged = false, ScalarType ElementType = ScalarType.Double) : Expr(ElementType);

/// <summary><c>x[Row].Length</c>: the length of one row of a jagged array.</summary>
internal sealed record RowLength(string Array, Expr Row) : Expr(ScalarType.Int);

/// <summary><c>a.Length</c> (Dimension -1) or <c>a.GetLength(d)</c>.</summary>
internal sealed record LengthOf(string Array, int Dimension) : Expr(ScalarType.Int);

internal sealed record Unary(UnaryOp Op, Expr Operand, ScalarType ResultType) : Expr(ResultType);

/// <summary>A binary operation. Comparisons and logical operators have type Bool; int op int stays Int (C# semantics).</summary>
internal sealed record Binary(BinaryOp Op, Expr Left, Expr Right, ScalarType ResultType) : Expr(ResultType);

/// <summary><c>c ? a : b</c>; the derivative follows the branch taken.</summary>
internal sealed record Conditional(Expr Condition, Expr WhenTrue, Expr WhenFalse, ScalarType ResultType) : Expr(ResultType);

/// <summary>A call of a primitive (Primitives/PrimitiveTable.cs); its type is the row's (int for <c>Math.Sign</c>, else double).</summary>
internal sealed record MathCall(MathFunction Function, EquatableArray<Expr> Arguments) : Expr(PrimitiveTable.Of(Function).ResultType);

/// <summary>An explicit or implicit numeric conversion, e.g. <c>(double)i</c> or <c>(int)x</c> (the latter has no derivative).</summary>
internal sealed record Convert(Expr Operand, ScalarType Target) : Expr(Target);

/// <summary>
/// A whole array or span, as an argument to a called <c>[Differentiable]</c> method (or its generated members).
/// <see cref="SliceTo"/>, when set, names the array whose length it is seen at: a rented buffer (an adjoint) may be
/// longer than the array it stands for, and a span argument's length must match.
/// </summary>
internal sealed record ArrayRef(string Array, string? SliceTo = null) : Expr(ScalarType.Double);
