using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Analysis;

/// <summary>
/// Which variables carry a derivative: those that depend on a differentiated parameter (varied) and that the
/// result depends on (useful). Only active variables get adjoints, so data-only code costs nothing in the reverse
/// sweep. The analysis is flow-insensitive: conservative, and simple enough to trust.
/// </summary>
internal sealed class ActivityAnalysis
{
    private readonly HashSet<string> _varied = new(System.StringComparer.Ordinal);
    private readonly HashSet<string> _useful = new(System.StringComparer.Ordinal);

    private ActivityAnalysis()
    {
    }

    /// <summary>Calls that pass a varied value to a parameter the callee does not differentiate (the derivative would be lost).</summary>
    public List<(CallAssign Call, string Parameter)> LostDerivatives { get; } = new();

    public bool IsActive(string name) => _varied.Contains(name) && _useful.Contains(name);

    public bool IsVaried(string name) => _varied.Contains(name);

    public static ActivityAnalysis Run(MethodIr method, string result)
    {
        var analysis = new ActivityAnalysis();
        foreach (var p in method.Parameters.Where(p => p.Differentiated)) analysis._varied.Add(p.Name);
        var statements = StatementWalker.Flatten(method.Body).ToList();

        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach (var s in statements)
            {
                if (s is Assign a && a.Value.Type == ScalarType.Double && DifferentiableReads(a.Value).Any(analysis._varied.Contains))
                    changed |= analysis._varied.Add(a.Target);
                if (s is CallAssign c && CarriedArguments(c).Any(arg => DifferentiableReads(arg).Any(analysis._varied.Contains)))
                    changed |= analysis._varied.Add(c.Target);
                // A local array is one variable here: varied once any element is.
                if (s is AssignElement e && DifferentiableReads(e.Value).Any(analysis._varied.Contains))
                    changed |= analysis._varied.Add(e.Array);
            }
        }

        analysis._useful.Add(result);
        changed = true;
        // Usefulness flows backwards: visiting statements last to first settles a straight chain in one pass.
        statements.Reverse();
        while (changed)
        {
            changed = false;
            foreach (var s in statements)
            {
                IEnumerable<string> reads = s switch
                {
                    Assign a when analysis._useful.Contains(a.Target) => DifferentiableReads(a.Value),
                    CallAssign c when analysis._useful.Contains(c.Target) => CarriedArguments(c).SelectMany(DifferentiableReads),
                    AssignElement e when analysis._useful.Contains(e.Array) => DifferentiableReads(e.Value),
                    _ => Enumerable.Empty<string>(),
                };
                foreach (var r in reads) changed |= analysis._useful.Add(r);
            }
        }

        foreach (var call in statements.OfType<CallAssign>())
        {
            for (int k = 0; k < call.Callee.Parameters.Count && k < call.Arguments.Count; k++)
            {
                var parameter = call.Callee.Parameters[k];
                if (!parameter.Differentiated && parameter.Kind != ParameterKind.Int && DifferentiableReads(call.Arguments[k]).Any(analysis._varied.Contains))
                    analysis.LostDerivatives.Add((call, parameter.Name));
            }
        }
        return analysis;
    }

    /// <summary>The arguments that flow into parameters the callee differentiates, and a nested pushforward's tangents (those after the callee's parameters).</summary>
    public static IEnumerable<Expr> CarriedArguments(CallAssign call) =>
        call.Arguments.Where((arg, k) => k < call.Callee.Parameters.Count ? call.Callee.Parameters[k].Differentiated : call.Nested is not null);

    /// <summary>
    /// Names read where a derivative can flow: not in conditions, indices or integer subexpressions, whose values
    /// steer the computation but have no derivative.
    /// </summary>
    public static IEnumerable<string> DifferentiableReads(Expr e)
    {
        if (e.Type != ScalarType.Double) yield break;
        switch (e)
        {
            case VarRef v:
                yield return v.Name;
                break;
            case ElementRef el:
                yield return el.Array;
                break;
            case ArrayRef array:
                yield return array.Array;
                break;
            case Conditional c:
                foreach (var r in DifferentiableReads(c.WhenTrue)) yield return r;
                foreach (var r in DifferentiableReads(c.WhenFalse)) yield return r;
                break;
            default:
                foreach (var child in ExprWalker.Children(e))
                {
                    foreach (var r in DifferentiableReads(child)) yield return r;
                }
                break;
        }
    }
}
