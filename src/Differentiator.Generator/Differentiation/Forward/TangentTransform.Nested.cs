using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Differentiator.Generator.Optimization;

namespace Differentiator.Generator.Differentiation.Forward;

internal sealed partial class TangentTransform
{
    /// <summary>
    /// The tangent of a nested derivative call (<see cref="NestedDerivative"/>), from the callee's generated
    /// Hessian-vector product along the arguments' tangents da:
    /// <c>g = ∂N/∂p(a)</c> has dg = (H·da)_p; <c>t = ∇N(a)·u</c> has dt = (H·da)·u + ∇N(a)·du.
    /// The call's own statement follows its tangent (its arguments never read its target: the parser copies them first).
    /// </summary>
    private IEnumerable<Stmt> NestedTangent(CallAssign c, NestedDerivative nested)
    {
        _callsGradients = true;
        string tangent = DeclareTangent(c.Target, isArray: false);
        var differentiated = c.Callee.Parameters.Select((p, k) => (p, k)).Where(x => x.p.Differentiated).Select(x => x.k).ToList();
        var values = c.Arguments.Take(c.Callee.Parameters.Count).ToEquatableArray();
        var directions = differentiated.Select(k => Tangent(_f.Import(c.Arguments[k]))).ToList();
        var hv = differentiated.Select(k => NewLocal("hv" + c.Callee.Parameters[k].Name)).ToList();
        yield return new GradientCall(c.Callee, values.Concat(directions).ToEquatableArray(), hv.Select(h => new GradientCallOutput(h, null)).ToEquatableArray())
            { Member = GradientCall.HessianVectorProductMember, Source = c.Source };
        if (nested.Kind == NestedKind.GradientComponent)
        {
            yield return new Assign(tangent, _f.Var(hv[differentiated.IndexOf(nested.Parameter)])) { Source = c.Source };
            yield return c;
            yield break;
        }
        var gradient = differentiated.Select(k => NewLocal("g" + c.Callee.Parameters[k].Name)).ToList();
        yield return new GradientCall(c.Callee, values, gradient.Select(g => new GradientCallOutput(g, null)).ToEquatableArray()) { Source = c.Source };
        Expr sum = ExprFactory.Zero;
        for (int j = 0; j < differentiated.Count; j++)
        {
            var u = _f.Import(c.Arguments[values.Count + j]);
            sum = _f.Add(sum, _f.Multiply(_f.Var(hv[j]), u));
            var du = Tangent(u);
            if (!ExprFactory.IsZero(du)) sum = _f.Add(sum, _f.Multiply(_f.Var(gradient[j]), du));
        }
        yield return new Assign(tangent, sum) { Source = c.Source };
        yield return c;
    }
}
