using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Differentiation.Forward;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Differentiation.VectorValued;

/// <summary>
/// A vector-valued method's stages: lower it, make its VJP a scalar method (<see cref="VjpTransform"/>), then the
/// reverse pipeline as for any method; and its JVP by the tangent transform (Forward/), with the output's tangent
/// <c>rDot</c> as a parameter of its own. The Jacobian is rows of VJPs or columns of JVPs (Emission/VectorEmitter.cs).
/// </summary>
internal static class VectorPipeline
{
    public static VectorResult Run(MethodIr method)
    {
        var lowered = ControlFlowLowering.Lower(method);
        var (scalar, weights) = VjpTransform.Apply(lowered);
        var vjp = GradientPipeline.Differentiate(scalar);
        return new VectorResult(lowered, vjp, weights) { Jvp = Jvp(lowered, scalar) };
    }

    /// <summary>MJvp's program, or why there is none (the forward transform's reason, reported as DIFF300).</summary>
    private static JvpResult Jvp(LoweredMethod lowered, LoweredMethod scalar)
    {
        var method = lowered.Method;
        var names = ForwardNames.For(method);
        var allocator = new NameAllocator(method.Parameters.Select(p => p.Name).Concat(method.Locals.Select(l => l.Name)).Concat(names.Tangents));
        string outputTangent = allocator.Allocate(method.Output!.Name + "Dot");
        // Activity of the VJP form: there r is what the result depends on, so whatever reaches r is active.
        var activity = ActivityAnalysis.Run(scalar.Method, scalar.Result);
        try
        {
            var tangent = TangentTransform.Build(lowered, activity, names.Tangents, new string[0], outputTangent);
            return new JvpResult(SecondOrderPipeline.Printable(tangent), names, outputTangent, null);
        }
        catch (ForwardModeUnsupported e)
        {
            return new JvpResult(null, names, outputTangent, e.Message);
        }
    }
}

/// <param name="Vector">The method as written, lowered: what the tape and central differences evaluate.</param>
/// <param name="Vjp">The gradient of the scalar method rBar·r, i.e. MVjp, or its diagnostics.</param>
/// <param name="Weights">The name of MVjp's weights parameter (<c>rBar</c>).</param>
internal sealed record VectorResult(LoweredMethod Vector, GradientResult Vjp, string Weights)
{
    /// <summary>MJvp: the tangent program (M's parameters, the tangents, then <c>rDot</c>), or why there is none.</summary>
    public JvpResult? Jvp { get; init; }
}

/// <param name="Program">The optimized tangent program; null when forward mode could not be built (<paramref name="Unsupported"/> says why).</param>
/// <param name="OutputTangent">The name of <c>rDot</c>, the output's tangent.</param>
internal sealed record JvpResult(GradientProgram? Program, ForwardNames Names, string OutputTangent, string? Unsupported);
