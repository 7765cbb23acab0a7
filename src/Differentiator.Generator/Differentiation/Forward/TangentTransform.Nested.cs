using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Differentiator.Generator.Optimization;

namespace Differentiator.Generator.Differentiation.Forward;

/// <summary>
/// Tangents of nested derivative calls (<see cref="NestedDerivative"/>), from the callee's generated Hessian-vector
/// product along the arguments' tangents da: <c>g = ∂N/∂p(a)</c> has dg = (H·da)_p; <c>t = ∇N(a)·u</c> has
/// dt = (H·da)·u + ∇N(a)·du. A call's own statements follow their tangents (its arguments never read its targets:
/// the parser copies them first).
/// </summary>
internal sealed partial class TangentTransform
{
    /// <summary>Components of one call (<see cref="Analysis.NestedCalls"/>), or one: one product H·da for all.</summary>
    private IEnumerable<Stmt> NestedComponentsTangent(IReadOnlyList<CallAssign> run)
    {
        var first = run[0];
        var active = run.Where(c => _activity.IsActive(c.Target)).ToList();
        if (active.Count > 0)
        {
            var hv = HessianAlongTangents(first, out var call);
            yield return call;
            var differentiated = first.Callee.DifferentiatedIndices();
            foreach (var c in active)
                yield return new Assign(DeclareTangent(c.Target, isArray: false), _f.Var(hv[differentiated.IndexOf(c.Nested!.Parameter)])) { Source = c.Source };
        }
        foreach (var c in run) yield return c;
    }

    /// <summary>Adjacent pushforwards at one point (or one): one product H·da, and one gradient when a tangent u_i has a tangent of its own.</summary>
    private IEnumerable<Stmt> PushforwardsTangent(IReadOnlyList<CallAssign> run)
    {
        var first = run[0];
        var active = run.Where(c => _activity.IsActive(c.Target)).ToList();
        if (active.Count > 0)
        {
            var hv = HessianAlongTangents(first, out var call);
            yield return call;
            var differentiated = first.Callee.DifferentiatedIndices();
            int n = first.Callee.Parameters.Count;
            var du = active.Select(c => differentiated.Select((_, j) => Tangent(_f.Import(c.Arguments[n + j]))).ToList()).ToList();
            List<string>? gradient = null;
            if (du.Any(d => d.Any(x => !ExprFactory.IsZero(x))))
            {
                gradient = differentiated.Select(k => NewLocal("g" + first.Callee.Parameters[k].Name)).ToList();
                yield return new GradientCall(first.Callee, first.Arguments.Take(n).ToEquatableArray(), gradient.Select(g => new GradientCallOutput(g, null)).ToEquatableArray()) { Source = first.Source };
            }
            for (int i = 0; i < active.Count; i++)
            {
                Expr sum = ExprFactory.Zero;
                for (int j = 0; j < differentiated.Count; j++)
                {
                    sum = _f.Add(sum, _f.Multiply(_f.Var(hv[j]), _f.Import(active[i].Arguments[n + j])));
                    if (!ExprFactory.IsZero(du[i][j])) sum = _f.Add(sum, _f.Multiply(_f.Var(gradient![j]), du[i][j]));
                }
                yield return new Assign(DeclareTangent(active[i].Target, isArray: false), sum) { Source = active[i].Source };
            }
        }
        foreach (var c in run) yield return c;
    }

    /// <summary><c>NHessianVectorProduct(a…, da…, out hv…)</c>, da the tangents of the arguments; the hv locals, one per differentiated parameter.</summary>
    private List<string> HessianAlongTangents(CallAssign c, out GradientCall call)
    {
        _callsGradients = true;
        var differentiated = c.Callee.DifferentiatedIndices();
        var values = c.Arguments.Take(c.Callee.Parameters.Count).ToEquatableArray();
        var directions = differentiated.Select(k => Tangent(_f.Import(c.Arguments[k])));
        var hv = differentiated.Select(k => NewLocal("hv" + c.Callee.Parameters[k].Name)).ToList();
        call = new GradientCall(c.Callee, values.Concat(directions).ToEquatableArray(), hv.Select(h => new GradientCallOutput(h, null)).ToEquatableArray())
            { Member = GradientCall.HessianVectorProductMember, Source = c.Source };
        return hv;
    }
}
