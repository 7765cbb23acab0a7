using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Differentiation;

/// <summary>How a differentiated parameter's derivative leaves the gradient method.</summary>
/// <param name="Parameter">The differentiated parameter.</param>
/// <param name="Name">The output parameter's name: <c>d</c> + the parameter's name (uniquified).</param>
/// <param name="Kind">The parameter's kind: a matrix (<c>double[,]</c>, <c>double[][]</c>) gets an output of its own shape.</param>
internal sealed record GradientOutput(string Parameter, string Name, bool IsArray, ParameterKind Kind = ParameterKind.DoubleArray)
{
    public bool IsMatrix => Kind is ParameterKind.DoubleArray2D or ParameterKind.DoubleJagged;
}

/// <summary>
/// A gradient as IR, ready to optimize and print: the forward sweep (the primal plus the saves the reverse sweep
/// needs) and the reverse sweep (adjoint accumulation), marked by <see cref="Section"/> statements; where a loop's
/// sweeps are fused, one loop does both. Locals not declared by their first assignment are declared up front.
/// </summary>
/// <param name="AsWritten">The method before the gradient's rewrites, when there were any (<see cref="Written"/>).</param>
/// <param name="FinalWrites">Scalar outputs whose adjoint the body sums in a local: each is written from its local
/// just before the return, once (an out parameter is memory; a sum through it would cost a store per term).</param>
internal sealed record GradientProgram(
    LoweredMethod Primal,
    EquatableArray<GradientOutput> Outputs,
    EquatableArray<LocalVariable> Locals,
    Block Body,
    bool UsesScratch,
    EquatableArray<OutputWrite> FinalWrites = default,
    LoweredMethod? AsWritten = null,
    ShortRunsVersion? ShortRuns = null)
{
    /// <summary>
    /// The method as the user wrote it (lowered), for what must not see the gradient's rewrites of it
    /// (<see cref="CallResultLocals"/>): the tape and central differences, independent checks, and the formulas.
    /// </summary>
    public LoweredMethod Written => AsWritten ?? Primal;

    /// <summary>Every name the generated method already uses: a new temporary must avoid them all.</summary>
    public System.Collections.Generic.IEnumerable<string> NamesInUse()
    {
        var method = Primal.Method;
        var body = Analysis.StatementWalker.Flatten(Body).ToList();
        return method.Parameters.Select(p => p.Name)
            .Concat(method.Locals.Select(l => l.Name)) // includes local arrays, which are not among Locals below
            .Concat(Locals.Select(l => l.Name))
            .Concat(Outputs.Select(o => o.Name))
            .Concat(Analysis.StatementWalker.Flatten(method.Body).OfType<For>().Select(f => f.Counter))
            .Concat(body.Select(Analysis.StatementWalker.Target).OfType<string>())
            .Concat(body.OfType<For>().Select(f => f.Counter)) // the gradient's loops, should one ever count with a name the method lacks
            .Concat(body.OfType<AllocateAdjointArray>().Select(a => a.Name));
    }
}

/// <summary>
/// The gradient written a second time, with plain loops where <see cref="GradientProgram.Body"/> has vectorized
/// kernels, for the calls where <paramref name="Test"/> holds on entry (<c>w.Length &lt; 4</c>): printed as a method of
/// its own that the gradient calls (<see cref="Optimization.LoopVersioning.RunVersioned"/> says why).
/// </summary>
internal sealed record ShortRunsVersion(Expr Test, Block Body, EquatableArray<LocalVariable> Locals);

/// <summary><c>Output = Adjoint;</c> at the end of a gradient.</summary>
internal sealed record OutputWrite(string Output, string Adjoint);

/// <summary>The section comments of generated gradients.</summary>
internal static class SweepTitles
{
    public const string Forward = "Forward sweep: the function itself.";
    public const string ForwardSaving = "Forward sweep: the function itself, saving the values it overwrites that the reverse sweep needs.";
    public const string Fused = "Forward and reverse sweeps fused: the iterations are independent apart from sums, whose adjoints are known before the loop, so each iteration computes its values and its adjoints in one pass, and keeps nothing for the next.";
    public const string Reverse = "Reverse sweep: adjoints (∂result/∂v) flow back from the result.";
}
