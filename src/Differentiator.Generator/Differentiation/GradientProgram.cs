using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Differentiation;

/// <summary>How a differentiated parameter's derivative leaves the gradient method.</summary>
/// <param name="Parameter">The differentiated parameter.</param>
/// <param name="Name">The output parameter's name: <c>d</c> + the parameter's name (uniquified).</param>
internal sealed record GradientOutput(string Parameter, string Name, bool IsArray);

/// <summary>
/// A gradient as IR, ready to optimize and print: the forward sweep (the primal plus the saves the reverse sweep
/// needs) and the reverse sweep (adjoint accumulation). All locals are declared up front with default values.
/// </summary>
internal sealed record GradientProgram(
    LoweredMethod Primal,
    EquatableArray<GradientOutput> Outputs,
    EquatableArray<LocalVariable> Locals,
    Block Forward,
    Block Reverse,
    bool UsesScratch);
