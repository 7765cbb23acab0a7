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

    /// <summary>The runs the kernel reads or writes, in its call's argument order.</summary>
    public abstract IReadOnlyList<ElementRun> Runs { get; }

    /// <summary>
    /// Empty: printed as a call to the kernel. Otherwise printed as the loop it replaced, over its runs as the spans
    /// these names hold (one per run of <see cref="Runs"/>, each declared by a <see cref="RunView"/> before the kernel):
    /// the loop's own arithmetic in its own order, bit-identical to it, with one bounds check per view instead of one
    /// per element — the form for short rows, where a call and its vector set-up cost more than they save
    /// (Optimization/LoopVectorizer.cs).
    /// </summary>
    public EquatableArray<string> SpanNames { get; init; } = EquatableArray<string>.Empty;

    /// <summary>Which of <see cref="SpanNames"/> bounds the printed loop: a row's view (<see cref="RunView"/>), never clamped.</summary>
    public int BoundRun { get; init; }

    /// <summary>The replaced loop counted down (the reverse sweep's <c>for (j = last; j &gt;= first; j--)</c>); its ascending range is still [<see cref="LoopStart"/>, <see cref="LoopBound"/>).</summary>
    public bool Descending { get; init; }

    /// <summary>A run as expressions: its first element (so walkers see the array and the indices) and its count.</summary>
    internal static IEnumerable<Expr> Of(ElementRun run) => new Expr[] { new ElementRef(run.Array, run.Leading.Append(run.Start).ToEquatableArray(), run.Jagged), run.Count };
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

    public override IReadOnlyList<ElementRun> Runs => new[] { Left, Right };
}

/// <summary><c>Kernels.Axpy(Scale, Source, Destination)</c>: the loop <c>y[o1 + j] += c * x[o2 + j]</c>, every element computed as the loop computes it.</summary>
internal sealed record AxpyUpdate(Expr Scale, ElementRun Input, ElementRun Destination, string Counter, Expr LoopStart, Expr LoopBound, Stmt Original)
    : VectorKernel(Counter, LoopStart, LoopBound, Original)
{
    public override IEnumerable<Expr> Expressions => new[] { Scale }.Concat(Of(Input)).Concat(Of(Destination));

    public override Expr Count => Input.Count;

    public override IReadOnlyList<ElementRun> Runs => new[] { Input, Destination };
}

/// <summary>
/// <c>var Name = Kernels.Slice(…)</c> or <c>Kernels.Row(…)</c>: a run taken as a span once, for the kernels printed as
/// loops over spans (<see cref="VectorKernel.SpanNames"/>) to index. <see cref="Clamped"/> (flat runs only): the view holds
/// only the run's elements that exist (<c>Kernels.SliceWithin</c>), so that taken before a loop that might not
/// have reached them (Optimization/RunViews.cs hoists it there) it throws nothing, and the loop indexing past its end
/// throws where the loop over the array would have.
/// </summary>
internal sealed record RunView(string Name, ElementRun Run, bool Clamped) : Stmt;
