using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;
using Differentiator.Generator.Model;
using Differentiator.Generator.Optimization;

namespace Differentiator.Generator.Differentiation;

/// <summary>The stages after parsing, in order: lower returns → activity → name reused call results → reverse mode → optimize. No Roslyn types.</summary>
internal static class GradientPipeline
{
    public static GradientResult Run(MethodIr method) => Differentiate(ControlFlowLowering.Lower(method));

    /// <summary>The stages after lowering, for a lowered method (a vector-valued method's VJP is one, Differentiation/VectorValued/).</summary>
    public static GradientResult Differentiate(LoweredMethod lowered)
    {
        var activity = ActivityAnalysis.Run(lowered.Method, lowered.Result);
        var diagnostics = activity.LostDerivatives
            .Select(x => new DiagnosticInfo(Diagnostics.DiagnosticIds.LostDerivative, x.Call.Location, EquatableArray.Of(x.Parameter, x.Call.Callee.Name)))
            .ToEquatableArray();
        if (diagnostics.Count > 0) return new GradientResult(null, diagnostics, lowered, activity);

        // Results of exp, tanh… named, so the reverse sweep reuses them instead of calling again (activity anew: new locals).
        var named = CallResultLocals.Apply(lowered, activity);
        var namedActivity = ReferenceEquals(named, lowered) ? activity : ActivityAnalysis.Run(named.Method, named.Result);
        var outputs = ReverseModeBuilder.NameOutputs(named.Method);
        var program = ReverseModeBuilder.Build(named, namedActivity, outputs);
        var optimized = GradientOptimizer.Optimize(program);
        return new GradientResult(ReferenceEquals(named, lowered) ? optimized : optimized with { AsWritten = lowered }, diagnostics, lowered, activity);
    }
}

/// <summary>The optimized gradient, or null with the diagnostics that prevented it; with the analyses the analyzer reuses.</summary>
internal sealed record GradientResult(GradientProgram? Program, EquatableArray<DiagnosticInfo> Diagnostics, LoweredMethod Lowered, ActivityAnalysis Activity);
