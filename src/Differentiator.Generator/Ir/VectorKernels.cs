using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Ir;

// Statements that Optimization/LoopVectorizer.cs puts in place of a counted inner loop; printed as calls to
// Differentiator.Kernels (Emission/KernelCallPrinter.cs).

/// <summary>
/// A run of <see cref="Count"/> consecutive elements of an array, span or row: <c>Array[Leading…, Start + k]</c> for
/// k = 0 … Count − 1 (<c>Array[Row][Start + k]</c> when <see cref="Jagged"/>). Empty when Count ≤ 0.
/// </summary>
internal sealed record ElementRun(string Array, EquatableArray<Expr> Leading, bool Jagged, Expr Start, Expr Count);

/// <summary>
/// A kernel call replacing the loop <c>for (int Counter = LoopStart; Counter &lt; LoopBound; Counter++) Original</c>
/// (or one statement of it, when the loop's statements are independent).
/// </summary>
internal abstract record VectorKernel(string Counter, Expr LoopStart, Expr LoopBound, Stmt Original) : Stmt
{
    /// <summary>Every expression the call evaluates, for the walkers that collect what a statement mentions.</summary>
    public abstract IEnumerable<Expr> Expressions { get; }

    /// <summary>How many elements the call visits: the replaced loop's trip count.</summary>
    public abstract Expr Count { get; }

    /// <summary>A run as expressions: its first element (so walkers see the array and the indices) and its count.</summary>
    protected static IEnumerable<Expr> Of(ElementRun run) => new Expr[] { new ElementRef(run.Array, run.Leading.Append(run.Start).ToEquatableArray(), run.Jagged), run.Count };
}

/// <summary>
/// <c>Destination += Kernels.Dot(Left, Right)</c>: the loop <c>Destination += a[o1 + j] * b[o2 + j]</c>, its products
/// added in another order. The destination is a variable (<see cref="VarRef"/>) or an element at an index the loop
/// does not change (<see cref="ElementRef"/>).
/// </summary>
internal sealed record DotAccumulate(Expr Destination, ScalarType Type, ElementRun Left, ElementRun Right, string Counter, Expr LoopStart, Expr LoopBound, Stmt Original)
    : VectorKernel(Counter, LoopStart, LoopBound, Original)
{
    public override IEnumerable<Expr> Expressions => new[] { Destination }.Concat(Of(Left)).Concat(Of(Right));

    public override Expr Count => Left.Count;
}

/// <summary><c>Kernels.Axpy(Scale, Source, Destination)</c>: the loop <c>y[o1 + j] += c * x[o2 + j]</c>, every element computed as the loop computes it.</summary>
internal sealed record AxpyUpdate(Expr Scale, ElementRun Input, ElementRun Destination, string Counter, Expr LoopStart, Expr LoopBound, Stmt Original)
    : VectorKernel(Counter, LoopStart, LoopBound, Original)
{
    public override IEnumerable<Expr> Expressions => new[] { Scale }.Concat(Of(Input)).Concat(Of(Destination));

    public override Expr Count => Input.Count;
}
