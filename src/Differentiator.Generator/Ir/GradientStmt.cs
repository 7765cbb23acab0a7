using Differentiator.Generator.Model;

namespace Differentiator.Generator.Ir;

// Statements that derivative code uses (AssignElement also in the primal, on local arrays).

/// <summary>
/// <c>Array[Indices] = Value</c>: a write to a local array, or an adjoint update such as <c>dw[j] += …</c> (printed as
/// <c>+=</c> when Value is <c>Array[Indices] + e</c>). <see cref="Jagged"/>: an element <c>Array[i][j]</c> of a jagged
/// array (the adjoint output of a differentiated <c>double[][]</c>).
/// </summary>
internal sealed record AssignElement(string Array, EquatableArray<Expr> Indices, Expr Value, bool Jagged = false) : Stmt;

/// <summary>
/// Saves a value the reverse sweep needs before the forward sweep overwrites it (LIFO scratch storage), or, with a
/// <see cref="Slot"/>, in the slot of a buffer of its own (<c>Buffer[Index] = Value</c>).
/// </summary>
internal sealed record Push(Expr Value) : Stmt
{
    public ScalarSlot? Slot { get; init; }
}

/// <summary>
/// Where an overwritten scalar is saved in place of the scratch stack: its loop iteration's slot of a rented buffer
/// (Differentiation/ReverseModeBuilder.Snapshots.cs), which the matching <see cref="Pop"/> reads back.
/// </summary>
internal sealed record ScalarSlot(string Buffer, Expr Index);

/// <summary>
/// <c>T[] Name = ArrayPool&lt;T&gt;.Shared.Rent(max(0, Count))</c>: one slot per iteration of a loop for a scalar it
/// overwrites (<see cref="ScalarSlot"/>), given back by a <see cref="ReleaseRented"/>.
/// </summary>
internal sealed record RentScalarSlots(string Name, Expr Count) : Stmt;

/// <summary>Restores an element of a local array saved by the matching <see cref="Push"/>.</summary>
internal sealed record PopElement(string Array, EquatableArray<Expr> Indices) : Stmt;

/// <summary>Saves every element of a local array, as one block (a loop iteration's snapshot, Differentiation/ReverseModeBuilder.Snapshots.cs).</summary>
internal sealed record PushArray(string Array) : Stmt;

/// <summary>Restores every element of a local array from the block the matching <see cref="PushArray"/> saved.</summary>
internal sealed record PopArray(string Array) : Stmt;

/// <summary>
/// <c>T[] Name = ArrayPool&lt;T&gt;.Shared.Rent(max(0, Count) · Array.Length)</c>: room for a local array as each of a
/// loop's Count iterations leaves it (Differentiation/ReverseModeBuilder.Snapshots.cs), given back by a <see cref="ReleaseRented"/>.
/// </summary>
internal sealed record RentSnapshots(string Name, string Array, Expr Count) : Stmt;

/// <summary>
/// <c>Array = new Span&lt;T&gt;(Snapshots, Index · Array.Length, Array.Length)</c>: the local array becomes iteration Index's own
/// part of the snapshots, which the forward iteration writes and the reversed one reads as it was left, in place of a
/// <see cref="PushArray"/>/<see cref="PopArray"/> pair.
/// </summary>
internal sealed record ViewSnapshot(string Array, string Snapshots, Expr Index) : Stmt;

/// <summary>
/// The adjoint of a local array: zeroed scratch of the primal array's length — <c>stackalloc</c> when the primal is
/// on the stack, else rented from the array pool (given back by a <see cref="ReleaseRented"/>).
/// </summary>
internal sealed record AllocateAdjointArray(string Name, string PrimalArray, bool OnStack) : Stmt;

/// <summary>Restores the value saved by the matching <see cref="Push"/> (from the same <see cref="Slot"/> when it has one).</summary>
internal sealed record Pop(string Target, ScalarType Type) : Stmt
{
    public ScalarSlot? Slot { get; init; }
}

/// <summary>A temporary declared and computed where it is used: shared subexpressions are computed once.</summary>
internal sealed record Let(string Name, Expr Value) : Stmt;

/// <summary>
/// Sets every element of an adjoint output to zero (outputs are written, not accumulated). <see cref="Kind"/> is the
/// differentiated parameter's: a span, a <c>double[,]</c> or every row of a <c>double[][]</c>.
/// </summary>
internal sealed record ClearArray(string Array, ParameterKind Kind = ParameterKind.DoubleSpan) : Stmt;

/// <summary>
/// Calls the closed-form gradient of another <c>[Differentiable]</c> method: <c>CalleeGradient(args…, outputs…)</c>.
/// <see cref="Outputs"/> names one local per differentiated callee parameter (a double for scalars, a rented
/// span for arrays), in the callee's declaration order.
/// </summary>
internal sealed record GradientCall(CalleeInfo Callee, EquatableArray<Expr> Arguments, EquatableArray<GradientCallOutput> Outputs) : Stmt
{
    /// <summary>
    /// The callee's member called: <c>Gradient</c>, or <c>HessianVectorProduct</c> (Arguments then end with one tangent
    /// per differentiated parameter), which the reverse sweep of a nested derivative call needs.
    /// </summary>
    public string Member { get; init; } = GradientMember;

    public const string GradientMember = "Gradient";
    public const string HessianVectorProductMember = "HessianVectorProduct";
}

/// <param name="Name">The local that receives the partial derivative(s).</param>
/// <param name="LengthOf">For an array parameter, the array whose length sizes the output span; null for scalars.</param>
/// <param name="Existing">An array the call writes as it is (a tangent array of the right length): nothing rented.</param>
internal sealed record GradientCallOutput(string Name, string? LengthOf, bool Existing = false);

/// <summary>Gives back to the pool the array a <see cref="GradientCall"/> rented for an array output.</summary>
internal sealed record ReleaseRented(string Name) : Stmt;

/// <summary>A comment line in the generated code (quotes the source statement an adjoint block belongs to).</summary>
internal sealed record Comment(string Text) : Stmt;

/// <summary>A blank line and a comment that names the part of the gradient that follows (forward sweep, reverse sweep).</summary>
internal sealed record Section(string Title) : Stmt;
