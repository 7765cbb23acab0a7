using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;
using Differentiator.Generator.Model;
using Differentiator.Generator.Optimization;

namespace Differentiator.Generator.Differentiation.Forward;

/// <summary>
/// The stages behind <c>MPushforward</c> and <c>MHessianVectorProduct</c>: the front stages of
/// <see cref="GradientPipeline"/> (lower, activity, reused call results), then the tangent transform; the tangent
/// program optimized as it stands is the pushforward, and reverse mode applied to it, with its tangent result as the
/// result and the tangents as data, is the Hessian-vector product (∇(∇f·v) = H·v for fixed v).
/// <para>
/// Why reverse over forward rather than forward over reverse: the tangent program is plain IR with one scalar result,
/// which is exactly what the existing reverse mode takes (plan, saves, fusion, optimizer), whereas forward over
/// reverse would need forward mode through the gradient's own bookkeeping (scratch stack, rented buffers, kernels).
/// Both cost a small constant times the function.
/// </para>
/// </summary>
internal static class SecondOrderPipeline
{
    public static ForwardResult Run(MethodIr method)
    {
        var lowered = ControlFlowLowering.Lower(method);
        var activity = ActivityAnalysis.Run(lowered.Method, lowered.Result);
        var named = CallResultLocals.Apply(lowered, activity);
        var namedActivity = ReferenceEquals(named, lowered) ? activity : ActivityAnalysis.Run(named.Method, named.Result);

        var names = ForwardNames.For(named.Method);
        var tangent = TangentTransform.Build(named, namedActivity, names.Tangents, names.HessianVector.Append(names.TangentOutput));
        var tangentMethod = tangent.Method.Method;
        var pushforward = Printable(tangent, EquatableArray.Of(new OutputWrite(names.TangentOutput, tangent.TangentResult)));

        if (tangent.CallsGradients)
            return new ForwardResult(names, pushforward, null, IrWalker.Flatten(lowered.Method.Body).OfType<CallAssign>().Any(c => c.Nested is not null)
                ? "it calls another method's generated gradient or pushforward (nested differentiation), whose second order would be that method's third"
                : "it calls another [Differentiable] method, whose Hessian-vector product reverse mode cannot call yet");

        // The tangent program as a scalar function of M's parameters (tangents are data): its gradient is H·v. M's value
        // is copied at the end of the primal into a local of its own: the reverse sweep may restore the result local
        // to an earlier value (it reads it, e.g. tanh′ = 1 − tanh²), so that one is not what remains after it.
        var taken = new NameAllocator(tangentMethod.Parameters.Select(p => p.Name).Concat(tangentMethod.Locals.Select(l => l.Name))
            .Concat(IrWalker.Flatten(tangentMethod.Body).OfType<For>().Select(f => f.Counter))
            .Concat(names.HessianVector).Append(names.TangentOutput).Append(method.Name));
        string value = taken.Allocate("value");
        var keepValue = new Assign(value, new VarRef(tangent.Method.Result, ScalarType.Double));
        var hvPrimal = tangent.Method with
        {
            Result = tangent.TangentResult,
            Method = tangentMethod with
            {
                Locals = tangentMethod.Locals.Append(new LocalVariable(value, ScalarType.Double)).ToEquatableArray(),
                Body = new Block(tangentMethod.Body.Statements.Append(keepValue).ToEquatableArray()),
            },
        };
        var hvActivity = ActivityAnalysis.Run(hvPrimal.Method, hvPrimal.Result);
        var hvNamed = CallResultLocals.Apply(hvPrimal, hvActivity);
        var hvNamedActivity = ReferenceEquals(hvNamed, hvPrimal) ? hvActivity : ActivityAnalysis.Run(hvNamed.Method, hvNamed.Result);
        var differentiated = method.Parameters.Where(p => p.Differentiated).ToList();
        var outputs = differentiated.Select((p, k) => new GradientOutput(p.Name, names.HessianVector[k], p.IsArray, p.Kind)).ToList();
        var program = ReverseModeBuilder.Build(hvNamed, hvNamedActivity, outputs);
        var hessianVector = UnreadValues.Remove(GradientOptimizer.Optimize(program), new[] { value });
        return new ForwardResult(names, pushforward, hessianVector, null, value);
    }

    /// <summary>A tangent program as a program the gradient's printer prints (no outputs of its own), optimized: <c>MPushforward</c>, <c>MJvp</c>.</summary>
    public static GradientProgram Printable(TangentProgram tangent, EquatableArray<OutputWrite> finalWrites = default)
    {
        var method = tangent.Method.Method;
        return GradientOptimizer.Optimize(new GradientProgram(tangent.Method, EquatableArray<GradientOutput>.Empty,
            method.Locals.Where(l => !l.IsArray).ToEquatableArray(), method.Body, UsesScratch: false, FinalWrites: finalWrites));
    }
}

/// <summary>The names the new members' parameters take, chosen once so that none collides with the method's own.</summary>
/// <param name="Tangents"><c>d</c> + each differentiated parameter's name (as <c>MGradient</c>'s outputs).</param>
/// <param name="HessianVector"><c>hv</c> + each differentiated parameter's name: the outputs receiving H·v.</param>
/// <param name="TangentOutput"><c>tangent</c>, <c>MPushforward</c>'s out parameter.</param>
internal sealed record ForwardNames(IReadOnlyList<string> Tangents, IReadOnlyList<string> HessianVector, string TangentOutput)
{
    public static ForwardNames For(MethodIr method)
    {
        var allocator = new NameAllocator(method.Parameters.Select(p => p.Name).Concat(method.Locals.Select(l => l.Name))
            .Concat(IrWalker.Flatten(method.Body).OfType<For>().Select(f => f.Counter)).Append(method.Name));
        var differentiated = method.Parameters.Where(p => p.Differentiated).ToList();
        var tangents = differentiated.Select(p => allocator.Allocate("d" + p.Name)).ToList();
        var hv = differentiated.Select(p => allocator.Allocate("hv" + p.Name)).ToList();
        return new ForwardNames(tangents, hv, allocator.Allocate("tangent"));
    }
}

/// <summary>The optimized pushforward, and the Hessian-vector product or why there is none.</summary>
/// <param name="Pushforward">Its <c>Primal</c> is the tangent program (M's parameters, then the tangents); its final write sets <c>tangent</c>.</param>
/// <param name="HessianVector">Reverse mode of the tangent program; its <c>Primal.Result</c> is the tangent of the result, not M's value.</param>
/// <param name="HessianVectorValue">The local of <see cref="HessianVector"/> that holds M's value once the body has run.</param>
internal sealed record ForwardResult(ForwardNames Names, GradientProgram Pushforward, GradientProgram? HessianVector, string? NoSecondOrder, string? HessianVectorValue = null);
