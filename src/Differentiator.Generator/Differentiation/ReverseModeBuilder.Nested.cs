using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Differentiator.Generator.Optimization;

namespace Differentiator.Generator.Differentiation;

internal sealed partial class ReverseModeBuilder
{
    /// <summary>
    /// A nested derivative call backwards (<see cref="NestedDerivative"/>), N's Hessian H taken at the call's arguments a:
    /// <list type="bullet">
    /// <item><c>g = ∂N/∂p(a)</c>: aBar += H·(gBar·e_p), one <c>NHessianVectorProduct</c> with the tangent gBar at p, 0 elsewhere;</item>
    /// <item><c>t = ∇N(a)·u</c>: aBar += tBar·H·u (<c>NHessianVectorProduct</c> along u) and uBar += tBar·∇N(a) (<c>NGradient</c>).</item>
    /// </list>
    /// The arguments are read at their values before the call (the reversal plan restores what the loop overwrote); the
    /// target is restored first, like any assignment's.
    /// </summary>
    private void ReverseNestedCall(CallAssign call, NestedDerivative nested, List<Stmt> output)
    {
        var group = new List<Stmt>();
        if (MustSave(call)) group.Add(Restore(call.Target, call));
        if (_adjointNames.TryGetValue(call.Target, out var adjointName) && _activity.IsActive(call.Target))
        {
            var differentiated = call.Callee.Parameters.Select((p, k) => (p, k)).Where(x => x.p.Differentiated).Select(x => x.k).ToList();
            int n = call.Callee.Parameters.Count;
            var args = call.Arguments.Select(_f.Import).ToList();
            var values = args.Take(n).ToEquatableArray();
            var adjoint = _f.Var(adjointName);
            var hv = _names.Once(("nested hvp", IdOf(call)), () => differentiated
                .Select(k => AddLocal("_hv_" + call.Target + "_" + call.Callee.Parameters[k].Name, ScalarType.Double)).ToArray());
            var directions = nested.Kind == NestedKind.GradientComponent
                ? differentiated.Select(k => k == nested.Parameter ? adjoint : ExprFactory.Zero)
                : args.Skip(n).Select(u => _f.Multiply(u, adjoint));
            group.Add(new GradientCall(call.Callee, values.Concat(directions).ToEquatableArray(), hv.Select(h => new GradientCallOutput(h, null)).ToEquatableArray())
                { Member = GradientCall.HessianVectorProductMember });
            for (int j = 0; j < differentiated.Count; j++)
                EmitContributions(_adjoint.Contributions(values[differentiated[j]], _f.Var(hv[j])), group);
            if (nested.Kind == NestedKind.Pushforward)
            {
                var g = _names.Once(("nested gradient", IdOf(call)), () => differentiated
                    .Select(k => AddLocal("_g_" + call.Target + "_" + call.Callee.Parameters[k].Name, ScalarType.Double)).ToArray());
                group.Add(new GradientCall(call.Callee, values, g.Select(x => new GradientCallOutput(x, null)).ToEquatableArray()));
                for (int j = 0; j < differentiated.Count; j++)
                    EmitContributions(_adjoint.Contributions(args[n + j], _f.Multiply(_f.Var(g[j]), adjoint)), group);
            }
            group.Add(new Assign(adjointName, ExprFactory.Zero));
        }
        AddGroup(call, group, output);
    }
}
