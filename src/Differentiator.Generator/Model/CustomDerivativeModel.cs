using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Model;

/// <summary>
/// A custom derivative that fits its method: <c>[DerivativeOf(nameof(Function))] static void Vjp(…)</c> in the type
/// <see cref="ContainingTypes"/> of <see cref="Namespace"/>. <see cref="Parameters"/> are the function's, differentiated by
/// the default rule (reals, real arrays and spans), in its precision. The generator writes the function's tape form,
/// <c>Function__Tape</c>, from it; callers call <see cref="Vjp"/> in their closed-form gradients (<see cref="Ir.CalleeInfo.CustomVjp"/>).
/// </summary>
internal sealed record CustomDerivativeModel(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string HintName,
    string Function,
    string Vjp,
    EquatableArray<Parameter> Parameters,
    Precision Precision);
