using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Differentiation.Forward;
using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Emission;

/// <summary>
/// Prints <c>MPushforward</c> (forward mode) and <c>MHessianVectorProduct</c> (reverse over forward) from their
/// programs, through the same printer as <c>MGradient</c>: both are closed form, with no tape.
/// </summary>
internal static class PushforwardEmitter
{
    public static void EmitPushforward(SourceWriter w, string modifiers, bool isStatic, MethodIr method, ForwardResult result)
    {
        var program = result.Pushforward;
        var tangentMethod = program.Primal.Method;
        string real = ParameterText.Real(method.Precision);
        string tangent = result.Names.TangentOutput;
        string parameters = Parameters(tangentMethod) + ", out " + real + " " + tangent;
        var arguments = tangentMethod.Parameters.Select(p => p.Name).Append("out " + tangent).ToList();
        var docs = new[]
        {
            "<summary>Forward mode of <c>" + method.Name + "</c>: returns its value and sets <paramref name=\"" + tangent + "\"/> to the directional",
            "derivative Σ ∂" + method.Name + "/∂p·dp along the tangents " + TangentList(method, result.Names) + " (closed form: no tape, nothing allocated",
            "beyond the method's own local arrays and their tangents). One call gives a Jacobian-vector product; see docs/forward-mode.md.</summary>",
        };
        var checks = TangentChecks(method, result.Names);
        GradientEmitter.Emit(w, modifiers, isStatic, program, docs,
            new GradientHeader(method.Name + "Pushforward", real, parameters, arguments, w => ParameterText.LengthChecks(w, checks)));
    }

    public static void EmitHessianVectorProduct(SourceWriter w, string modifiers, bool isStatic, MethodIr method, ForwardResult result)
    {
        var program = result.HessianVector!;
        var tangentMethod = program.Primal.Method;
        var arguments = tangentMethod.Parameters.Select(p => p.Name)
            .Concat(program.Outputs.Select(o => o.IsArray ? o.Name : "out " + o.Name)).ToList();
        var docs = new[]
        {
            "<summary>The Hessian of <c>" + method.Name + "</c> times the vector " + TangentList(method, result.Names) + ", written to "
                + string.Join(", ", program.Outputs.Select(o => "<paramref name=\"" + o.Name + "\"/>")) + "; returns <c>" + method.Name + "</c>'s value.",
            "Closed form, reverse mode over the forward mode of <c>" + method.Name + "Pushforward</c>: the gradient of ∇" + method.Name + "·v with v held fixed",
            "(docs/jacobians-and-hessians.md).</summary>",
        };
        var checks = TangentChecks(method, result.Names).Concat(program.Outputs).ToList();
        GradientEmitter.Emit(w, modifiers, isStatic, program, docs,
            new GradientHeader(method.Name + "HessianVectorProduct", ParameterText.Real(method.Precision), ParameterText.GradientSignature(tangentMethod, program.Outputs), arguments,
                w => ParameterText.LengthChecks(w, checks)) { Returned = result.HessianVectorValue! });
    }

    private static string Parameters(MethodIr method) =>
        string.Join(", ", method.Parameters.Select(p => ParameterText.TypeOf(p.Kind, method.Precision) + " " + p.Name));

    /// <summary>Each tangent span or matrix must have its parameter's shape (checked like a gradient output).</summary>
    internal static IEnumerable<GradientOutput> TangentChecks(MethodIr method, ForwardNames names) =>
        method.Parameters.Where(p => p.Differentiated)
            .Select((p, k) => new GradientOutput(p.Name, names.Tangents[k], p.IsArray, p.Kind))
            .Where(o => o.IsArray)
            .ToList();

    private static string TangentList(MethodIr method, ForwardNames names) =>
        "(" + string.Join(", ", names.Tangents.Select(t => "<paramref name=\"" + t + "\"/>")) + ")";
}
