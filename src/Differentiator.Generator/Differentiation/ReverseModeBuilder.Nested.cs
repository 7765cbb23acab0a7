using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Differentiator.Generator.Optimization;

namespace Differentiator.Generator.Differentiation;

/// <summary>
/// Nested derivative calls backwards (<see cref="NestedDerivative"/>), N's Hessian H taken at the call's arguments a,
/// which are read at their values before the call (the reversal plan restores what a loop overwrote); each target is
/// restored first, like any assignment's.
/// </summary>
internal sealed partial class ReverseModeBuilder
{
    /// <summary>
    /// A run of nested calls at one point a (<see cref="Analysis.NestedCalls"/>), or one call; by linearity one
    /// <c>NHessianVectorProduct</c> serves the whole run, aBar += H·v:
    /// <list type="bullet">
    /// <item>components <c>g_p = ∂N/∂p(a)</c>: v_p = g_pBar (0 for the parameters whose component is not computed or not active);</item>
    /// <item>pushforwards <c>t_i = ∇N(a)·u_i</c>: v = Σ t_iBar·u_i, and u_iBar += t_iBar·∇N(a) (one <c>NGradient</c>, only
    /// when a tangent is differentiated: constant unit tangents, as for partials one at a time, need none).</item>
    /// </list>
    /// </summary>
    private void ReverseNestedRun(IReadOnlyList<CallAssign> run, List<Stmt> output)
    {
        var group = new List<Stmt>();
        var first = run[0];
        for (int k = run.Count - 1; k >= 0; k--)
            if (MustSave(run[k])) group.Add(Restore(run[k].Target, run[k]));
        var active = run.Where(c => _adjointNames.ContainsKey(c.Target) && _activity.IsActive(c.Target)).ToList();
        if (active.Count > 0)
        {
            var differentiated = first.Callee.DifferentiatedIndices();
            int n = first.Callee.Parameters.Count;
            var values = first.Arguments.Take(n).Select(_f.Import).ToEquatableArray();
            Expr Tangent(CallAssign c, int j) => _f.Import(c.Arguments[n + j]);
            Expr Bar(CallAssign c) => _f.Var(_adjointNames[c.Target]);
            bool pushforwards = first.Nested!.Kind == NestedKind.Pushforward;
            var directions = Enumerable.Range(0, differentiated.Count).Select(j => pushforwards
                ? active.Aggregate((Expr)ExprFactory.Zero, (sum, c) => _f.Add(sum, _f.Multiply(Tangent(c, j), Bar(c))))
                : active.Where(c => c.Nested!.Parameter == differentiated[j]).Aggregate((Expr)ExprFactory.Zero, (sum, c) => _f.Add(sum, Bar(c))));
            var hv = HessianVectorProduct(first, values, directions, group);
            for (int j = 0; j < differentiated.Count; j++)
                EmitContributions(_adjoint.Contributions(values[differentiated[j]], _f.Var(hv[j])), group);
            if (pushforwards && active.Any(c => c.Arguments.Skip(n).Any(u => Analysis.ActivityAnalysis.DifferentiableReads(u).Any(_activity.IsActive))))
            {
                var g = NestedGradient(first);
                group.Add(new GradientCall(first.Callee, values, g.Select(x => new GradientCallOutput(x, null)).ToEquatableArray()));
                foreach (var c in active)
                    for (int j = 0; j < differentiated.Count; j++)
                        EmitContributions(_adjoint.Contributions(Tangent(c, j), _f.Multiply(_f.Var(g[j]), Bar(c))), group);
            }
            foreach (var c in active) group.Add(new Assign(_adjointNames[c.Target], ExprFactory.Zero));
        }
        AddGroup(first, group, output);
    }

    /// <summary>Adds <c>NHessianVectorProduct(values…, directions…, out hv…)</c> to the group; returns the hv locals, one per differentiated parameter.</summary>
    private string[] HessianVectorProduct(CallAssign call, EquatableArray<Expr> values, IEnumerable<Expr> directions, List<Stmt> group)
    {
        var hv = NestedHessianVectorProduct(call);
        group.Add(new GradientCall(call.Callee, values.Concat(directions).ToEquatableArray(), hv.Select(h => new GradientCallOutput(h, null)).ToEquatableArray())
            { Member = GradientCall.HessianVectorProductMember });
        return hv;
    }

    private string[] NestedHessianVectorProduct(CallAssign call) =>
        _names.Once(new NameRequest(NamePurpose.NestedHessianVectorProduct, IdOf(call)), () => call.Callee.DifferentiatedIndices()
            .Select(k => AddLocal("_hv_" + call.Target + "_" + call.Callee.Parameters[k].Name, ScalarType.Double)).ToArray());

    private string[] NestedGradient(CallAssign first) =>
        _names.Once(new NameRequest(NamePurpose.NestedGradient, IdOf(first)), () => first.Callee.DifferentiatedIndices()
            .Select(k => AddLocal("_g_" + first.Target + "_" + first.Callee.Parameters[k].Name, ScalarType.Double)).ToArray());
}
