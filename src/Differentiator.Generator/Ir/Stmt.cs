using Differentiator.Generator.Model;

namespace Differentiator.Generator.Ir;

/// <summary>A statement of the IR. Bodies are structured: no goto; after Lowering/, every loop is a counted <c>for</c> loop and every exit a flag.</summary>
internal abstract record Stmt
{
    /// <summary>
    /// Which place in the source the statement came from, for diagnostics found after parsing: a number resolved
    /// through the parse's <see cref="SourcePositions"/>, never an absolute position (which would make every
    /// edit above the method look like a change of the method).
    /// </summary>
    public SourceRef? Location { get; init; }

    /// <summary>The source statement's text (one line), quoted in the generated code's comments.</summary>
    public string? Source { get; init; }
}

/// <summary><c>Target = Value</c>; compound assignments, <c>++</c> and declarations with initializers lower to this.</summary>
internal sealed record Assign(string Target, Expr Value) : Stmt;

/// <summary>
/// <c>Target = Callee(Arguments)</c>: a call to another <c>[Differentiable]</c> method. Calls are statements of
/// their own (parsing hoists them out of expressions into temporaries) so the reverse sweep can call the
/// callee's generated gradient once.
/// </summary>
internal sealed record CallAssign(string Target, CalleeInfo Callee, EquatableArray<Expr> Arguments) : Stmt
{
    /// <summary>
    /// Null for the callee's value. Otherwise the statement computes one of the callee's derivatives, by calling the
    /// member the generator writes for it (nested differentiation, <see cref="NestedDerivative"/>).
    /// </summary>
    public NestedDerivative? Nested { get; init; }

    /// <summary>
    /// Whether <see cref="Target"/> is a whole local array: the gradient of a span N differentiates, which
    /// <c>NGradient</c> writes element by element. The statement overwrites every element of the target and reads
    /// every element of its array arguments; the plan saves the array as one block where a loop overwrites it.
    /// </summary>
    public bool WritesArray => Nested is { Kind: NestedKind.GradientComponent } nested && Callee.Parameters[nested.Parameter].IsArray;
}

/// <summary>
/// What a <see cref="CallAssign"/> computes when the method calls a generated derivative of another
/// <c>[Differentiable]</c> method N (Parsing/NestedCallParser.cs). One statement per value written, so that every
/// statement keeps one target and the reversal plan saves and restores each output like any other assignment:
/// <list type="bullet">
/// <item><see cref="NestedKind.GradientComponent"/>: <c>Target = ∂N/∂p(a)</c>, p the callee's parameter number
/// <see cref="Parameter"/> — one out argument of <c>NGradient(a…, out g…)</c>. Its derivative is row p of N's Hessian,
/// which the reverse sweep gets from <c>NHessianVectorProduct</c>. For a span p the target is a whole local array
/// (<see cref="CallAssign.WritesArray"/>): g = ∇_p N(a), every element, rows p of the Hessian.</item>
/// <item><see cref="NestedKind.Pushforward"/>: <c>Target = ∇N(a)·u</c>, the out argument of <c>NPushforward(a…, u…, out t)</c>;
/// the arguments are a… followed by u… (one per differentiated parameter of N).</item>
/// </list>
/// </summary>
internal sealed record NestedDerivative(NestedKind Kind, int Parameter);

internal enum NestedKind
{
    GradientComponent,
    Pushforward,
}

internal sealed record If(Expr Condition, Block Then, Block Else) : Stmt;

/// <summary>
/// <c>for (int Counter = Start; Counter Compare Bound; Counter += Step)</c>, Step being +1 or -1 and the counter
/// never assigned in the body. <see cref="ExitFlag"/>, when set, is a Bool local that also ends the loop when true
/// (introduced by return lowering).
/// </summary>
internal sealed record For(string Counter, Expr Start, BinaryOp Compare, Expr Bound, int Step, Block Body, string? ExitFlag) : Stmt;

/// <summary>
/// <c>double[] Name = new double[Length];</c> or, when <see cref="OnStack"/>, <c>Span&lt;double&gt; Name = stackalloc double[Length];</c>:
/// a local scratch array, zeroed. Only at the top level of the body, so each array is allocated once per call.
/// </summary>
internal sealed record AllocateArray(string Name, Expr Length, bool OnStack) : Stmt
{
    /// <summary>Declared as a span, which a <c>ViewSnapshot</c> later points at its snapshots (gradient code only).</summary>
    public bool Viewed { get; init; }

    /// <summary>
    /// The array is the caller's: its storage is the parameter of the same name, so nothing is allocated or zeroed and
    /// it is never pointed elsewhere (a vector-valued method's output seen as an active local array, Differentiation/VectorValued/).
    /// </summary>
    public bool External { get; init; }
}

/// <summary><c>while (Condition) Body</c> — removed by Lowering/: it becomes a counted loop that breaks when the condition fails.</summary>
internal sealed record While(Expr Condition, Block Body) : Stmt;

/// <summary><c>do Body while (Condition);</c> — removed by Lowering/ like <see cref="While"/>.</summary>
internal sealed record DoWhile(Block Body, Expr Condition) : Stmt;

/// <summary><c>break;</c> — removed by Lowering/: a flag that ends the enclosing loop and guards the rest of its body.</summary>
internal sealed record Break : Stmt;

/// <summary><c>continue;</c> — removed by Lowering/: a flag, reset every iteration, that guards the rest of the body.</summary>
internal sealed record Continue : Stmt;

/// <summary><c>return Value;</c> — removed by Lowering/ before differentiation.</summary>
internal sealed record Return(Expr Value) : Stmt;

internal sealed record Block(EquatableArray<Stmt> Statements)
{
    public static readonly Block Empty = new(EquatableArray<Stmt>.Empty);
}
