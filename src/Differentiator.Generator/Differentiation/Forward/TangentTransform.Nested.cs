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
            // A span's component is written by the product straight into the tangent array of the local array that receives it.
            var into = active.Where(c => c.WritesArray).ToDictionary(c => c.Nested!.Parameter, c => DeclareTangent(c.Target, isArray: true));
            var prologue = new List<Stmt>();
            var epilogue = new List<Stmt>();
            var hv = HessianAlongTangents(first, into, prologue, epilogue, out var call);
            foreach (var s in prologue) yield return s;
            yield return call;
            foreach (var s in epilogue) yield return s;
            var differentiated = first.Callee.DifferentiatedIndices();
            foreach (var c in active.Where(c => !c.WritesArray))
                yield return new Assign(DeclareTangent(c.Target, isArray: false), _f.Var(hv[differentiated.IndexOf(c.Nested!.Parameter)])) { Source = c.Source };
        }
        foreach (var c in run) yield return c;
    }

    /// <summary>Adjacent pushforwards at one point (or one): one product H·da, and one gradient when a tangent u_i has a tangent of its own.</summary>
    private IEnumerable<Stmt> PushforwardsTangent(IReadOnlyList<CallAssign> run)
    {
        var first = run[0];
        // A callee with spans: alone in its run (Analysis/NestedCalls), its dot products loops.
        if (first.Callee.Parameters.Any(p => p.Differentiated && p.IsArray))
        {
            if (_activity.IsActive(first.Target)) foreach (var s in SpanPushforwardTangent(first)) yield return s;
            else yield return first;
            yield break;
        }
        var active = run.Where(c => _activity.IsActive(c.Target)).ToList();
        if (active.Count > 0)
        {
            var hv = HessianAlongTangents(first, new Dictionary<int, string>(), new List<Stmt>(), new List<Stmt>(), out var call); // no spans here
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

    /// <summary>
    /// <c>NHessianVectorProduct(a…, da…, hv…)</c>, da the tangents of the arguments; the hv names, one per differentiated
    /// parameter. For a span parameter: the direction is the argument's tangent array (zeros, rented, when it has none),
    /// and the output the tangent array in <paramref name="into"/> (by parameter number), else a rented buffer; what is
    /// rented goes in <paramref name="prologue"/> and is given back in <paramref name="epilogue"/>.
    /// </summary>
    private List<string> HessianAlongTangents(CallAssign c, IReadOnlyDictionary<int, string> into, List<Stmt> prologue, List<Stmt> epilogue, out GradientCall call)
    {
        _callsGradients = true;
        var parameters = c.Callee.Parameters;
        var differentiated = c.Callee.DifferentiatedIndices();
        var values = c.Arguments.Take(parameters.Count).ToEquatableArray();
        var hv = new List<string>();
        var outputs = new List<GradientCallOutput>();
        foreach (int k in differentiated)
        {
            if (!parameters[k].IsArray)
            {
                hv.Add(NewLocal("hv" + parameters[k].Name));
                outputs.Add(new GradientCallOutput(hv[hv.Count - 1], null));
                continue;
            }
            string argument = ((ArrayRef)c.Arguments[k]).Array;
            if (into.TryGetValue(k, out var tangent))
            {
                hv.Add(tangent);
                outputs.Add(new GradientCallOutput(tangent, argument, Existing: true));
                continue;
            }
            hv.Add(_names.Allocate("hv" + parameters[k].Name));
            outputs.Add(new GradientCallOutput(hv[hv.Count - 1], argument));
            epilogue.Add(new ReleaseRented(hv[hv.Count - 1]));
        }
        // After the outputs' names, as ever: a tangent named on first use (a local carried around a loop) keeps its name.
        var directions = differentiated.Select(k => parameters[k].IsArray ? SpanTangent(((ArrayRef)c.Arguments[k]).Array, prologue, epilogue) : Tangent(_f.Import(c.Arguments[k]))).ToList();
        call = new GradientCall(c.Callee, values.Concat(directions).ToEquatableArray(), outputs.ToEquatableArray())
            { Member = GradientCall.HessianVectorProductMember, Source = c.Source };
        return hv;
    }

    /// <summary>
    /// <c>t = ∇N(a)·u</c> where N differentiates spans: dt = (H·da)·u + ∇N(a)·du, the product's span outputs (and the
    /// gradient's, when a tangent u has a tangent of its own) rented, their dot products with u (and du) loops.
    /// </summary>
    private IEnumerable<Stmt> SpanPushforwardTangent(CallAssign c)
    {
        var prologue = new List<Stmt>();
        var epilogue = new List<Stmt>();
        var hv = HessianAlongTangents(c, new Dictionary<int, string>(), prologue, epilogue, out var call);
        foreach (var s in prologue) yield return s;
        yield return call;
        var parameters = c.Callee.Parameters;
        var differentiated = c.Callee.DifferentiatedIndices();
        int n = parameters.Count;
        bool IsSpan(int j) => parameters[differentiated[j]].IsArray;
        string Array(int j) => ((ArrayRef)c.Arguments[differentiated[j]]).Array;
        string TangentArray(int j) => ((ArrayRef)c.Arguments[n + j]).Array;
        string dt = DeclareTangent(c.Target, isArray: false);
        Expr scalars = ExprFactory.Zero;
        for (int j = 0; j < differentiated.Count; j++)
            if (!IsSpan(j)) scalars = _f.Add(scalars, _f.Multiply(_f.Var(hv[j]), _f.Import(c.Arguments[n + j])));
        yield return new Assign(dt, scalars) { Source = c.Source };
        for (int j = 0; j < differentiated.Count; j++)
            if (IsSpan(j)) yield return AddDot(dt, hv[j], TangentArray(j), Array(j));
        var du = differentiated.Select((_, j) => IsSpan(j)
            ? (TangentOf(TangentArray(j)) is { } tangent ? new ArrayRef(tangent) : ExprFactory.Zero)
            : Tangent(_f.Import(c.Arguments[n + j]))).ToList();
        if (du.Any(d => !ExprFactory.IsZero(d)))
        {
            var gradient = differentiated.Select((k, j) => IsSpan(j) ? _names.Allocate("g" + parameters[k].Name) : NewLocal("g" + parameters[k].Name)).ToList();
            yield return new GradientCall(c.Callee, c.Arguments.Take(n).ToEquatableArray(),
                gradient.Select((g, j) => new GradientCallOutput(g, IsSpan(j) ? Array(j) : null)).ToEquatableArray()) { Source = c.Source };
            for (int j = 0; j < differentiated.Count; j++)
            {
                if (IsSpan(j))
                {
                    if (du[j] is ArrayRef tangent) yield return AddDot(dt, gradient[j], tangent.Array, Array(j));
                    yield return new ReleaseRented(gradient[j]);
                }
                else if (!ExprFactory.IsZero(du[j])) yield return new Assign(dt, _f.Add(_f.Var(dt), _f.Multiply(_f.Var(gradient[j]), du[j])));
            }
        }
        foreach (var s in epilogue) yield return s;
        yield return c;
    }

    /// <summary><c>for (int i = 0; i &lt; length.Length; i++) sum += a[i] * b[i]</c>.</summary>
    private For AddDot(string sum, string a, string b, string length)
    {
        string counter = _names.Allocate("i");
        var index = new[] { _f.Var(counter, ScalarType.Int) };
        var body = new Assign(sum, _f.Add(_f.Var(sum), _f.Multiply(_f.Element(a, index), _f.Element(b, index))));
        return new For(counter, new Const(0, ScalarType.Int), BinaryOp.Less, new LengthOf(length, -1), 1, new Block(EquatableArray.Of<Stmt>(body)), null);
    }

    /// <summary>The tangent of a whole array argument: its tangent array, or zeros of its length (rented, and given back after the product).</summary>
    private Expr SpanTangent(string array, List<Stmt> prologue, List<Stmt> epilogue)
    {
        if (TangentOf(array) is { } tangent) return new ArrayRef(tangent);
        string zeros = _names.Allocate("zero" + array);
        prologue.Add(new AllocateAdjointArray(zeros, array, OnStack: false));
        epilogue.Add(new ReleaseRented(zeros));
        return new ArrayRef(zeros, SliceTo: array);
    }
}
