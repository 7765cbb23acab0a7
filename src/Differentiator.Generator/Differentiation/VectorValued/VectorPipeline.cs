using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;

namespace Differentiator.Generator.Differentiation.VectorValued;

/// <summary>
/// A vector-valued method's stages: lower it, make its VJP a scalar method (<see cref="VjpTransform"/>), then the
/// reverse pipeline as for any method. The Jacobian is rows of VJPs (Emission/JacobianEmitter.cs).
/// </summary>
internal static class VectorPipeline
{
    public static VectorResult Run(MethodIr method)
    {
        var lowered = ControlFlowLowering.Lower(method);
        var (scalar, weights) = VjpTransform.Apply(lowered);
        return new VectorResult(lowered, GradientPipeline.Differentiate(scalar), weights);
    }
}

/// <param name="Vector">The method as written, lowered: what the tape and central differences evaluate.</param>
/// <param name="Vjp">The gradient of the scalar method rBar·r, i.e. MVjp, or its diagnostics.</param>
/// <param name="Weights">The name of MVjp's weights parameter (<c>rBar</c>).</param>
internal sealed record VectorResult(LoweredMethod Vector, GradientResult Vjp, string Weights);
