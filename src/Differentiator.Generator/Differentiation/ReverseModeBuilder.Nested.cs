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
            if (MustSave(run[k])) group.Add(run[k].WritesArray ? new PopArray(run[k].Target) : Restore(run[k].Target, run[k]));
        var active = run.Where(IsActiveOutput).ToList();
        if (active.Count > 0)
        {
            var differentiated = first.Callee.DifferentiatedIndices();
            int n = first.Callee.Parameters.Count;
            var values = first.Arguments.Take(n).Select(_f.Import).ToEquatableArray();
            Expr Tangent(CallAssign c, int j) => _f.Import(c.Arguments[n + j]);
            Expr Bar(CallAssign c) => _f.Var(_adjointNames[c.Target]);
            bool pushforwards = first.Nested!.Kind == NestedKind.Pushforward;
            bool IsSpan(int j) => first.Callee.Parameters[differentiated[j]].IsArray;
            // A pushforward of a callee with spans (alone in its run, Analysis/NestedCalls): the product runs along u
            // itself, a span not being scaled in place, and tBar scales what it gives: tBar·(H·u) = H·(tBar·u).
            Expr? scale = pushforwards && Enumerable.Range(0, differentiated.Count).Any(IsSpan) ? Bar(first) : null;
            Expr Scaled(Expr e) => scale is null ? e : _f.Multiply(scale, e);
            var released = new List<Stmt>();
            var directions = Enumerable.Range(0, differentiated.Count).Select(j => scale is not null
                ? Tangent(first, j)
                : IsSpan(j)
                ? SpanDirection(first, j, active, group, released)
                : pushforwards
                ? active.Aggregate((Expr)ExprFactory.Zero, (sum, c) => _f.Add(sum, _f.Multiply(Tangent(c, j), Bar(c))))
                : active.Where(c => c.Nested!.Parameter == differentiated[j]).Aggregate((Expr)ExprFactory.Zero, (sum, c) => _f.Add(sum, Bar(c)))).ToList();
            var hv = HessianVectorProduct(first, values, directions, group);
            for (int j = 0; j < differentiated.Count; j++)
            {
                if (IsSpan(j)) AccumulateSpan(first, "hv " + j, ((ArrayRef)values[differentiated[j]]).Array, hv[j], scale, group);
                else EmitContributions(_adjoint.Contributions(values[differentiated[j]], Scaled(_f.Var(hv[j]))), group);
            }
            group.AddRange(released);
            if (pushforwards && active.Any(c => c.Arguments.Skip(n).Any(u => Analysis.ActivityAnalysis.DifferentiableReads(u).Any(_activity.IsActive))))
            {
                var parameters = first.Callee.Parameters;
                var g = NestedGradient(first);
                group.Add(new GradientCall(first.Callee, values, differentiated.Select((k, j) => new GradientCallOutput(g[j], parameters[k].IsArray ? ((ArrayRef)values[k]).Array : null)).ToEquatableArray()));
                foreach (var c in active)
                    for (int j = 0; j < differentiated.Count; j++)
                    {
                        // uBar += tBar·∇N(a): for a span tangent, element by element from the gradient's rented output.
                        if (IsSpan(j)) AccumulateSpan(first, "gradient " + j, ((ArrayRef)Tangent(c, j)).Array, g[j], Bar(c), group);
                        else EmitContributions(_adjoint.Contributions(Tangent(c, j), _f.Multiply(_f.Var(g[j]), Bar(c))), group);
                    }
            }
            foreach (var c in active)
            {
                if (c.WritesArray) group.Add(ElementLoop(c, "nested clear", c.Target, k => new AssignElement(_arrayAdjoints[c.Target], k, ExprFactory.Zero)));
                else group.Add(new Assign(_adjointNames[c.Target], ExprFactory.Zero));
            }
        }
        AddGroup(first, group, output);
    }

    /// <summary>Whether the output of the nested call carries a derivative: an active scalar, or an active whole array (<see cref="CallAssign.WritesArray"/>).</summary>
    private bool IsActiveOutput(CallAssign c) =>
        (c.WritesArray ? _arrayAdjoints.ContainsKey(c.Target) : _adjointNames.ContainsKey(c.Target)) && _activity.IsActive(c.Target);

    /// <summary>
    /// The direction for the span argument of N's differentiated parameter number <paramref name="j"/>: the adjoint
    /// of the local array that received its gradient, at the array's length (a rented adjoint may be longer), or,
    /// when that gradient carries no derivative, zeros of the argument's length (rented, given back after the product).
    /// </summary>
    private Expr SpanDirection(CallAssign call, int j, List<CallAssign> active, List<Stmt> group, List<Stmt> released)
    {
        int parameter = call.Callee.DifferentiatedIndices()[j];
        if (active.FirstOrDefault(c => c.Nested!.Parameter == parameter) is { } component)
            return new ArrayRef(_arrayAdjoints[component.Target], SliceTo: component.Target);
        string argument = ((ArrayRef)call.Arguments[parameter]).Array;
        string zeros = NestedZeroDirection(call, j);
        group.Add(new AllocateAdjointArray(zeros, argument, OnStack: false));
        released.Add(new ReleaseRented(zeros));
        return new ArrayRef(zeros, SliceTo: argument);
    }

    /// <summary>
    /// xBar += scale·output for a span argument x: element by element from a rented output (of the product, or of the
    /// gradient) into x's adjoint (when x carries a derivative), then the output given back.
    /// </summary>
    private void AccumulateSpan(CallAssign call, string purpose, string argument, string output, Expr? scale, List<Stmt> group)
    {
        if (_arrayAdjoints.TryGetValue(argument, out var adjoint) && _activity.IsActive(argument))
            group.Add(ElementLoop(call, "nested accumulate " + purpose, argument, k =>
            {
                Expr term = _f.Element(output, k);
                return new AssignElement(adjoint, k, _f.Add(_f.Element(adjoint, k), scale is null ? term : _f.Multiply(scale, term)));
            }));
        group.Add(new ReleaseRented(output));
    }

    /// <summary><c>for (int k = 0; k &lt; array.Length; k++) body(k)</c>, its counter named once per call and purpose.</summary>
    private For ElementLoop(CallAssign call, string purpose, string array, System.Func<EquatableArray<Expr>, Stmt> body)
    {
        string counter = NestedCounter(call, purpose + " " + array);
        var index = EquatableArray.Of<Expr>(new VarRef(counter, ScalarType.Int));
        return new For(counter, new Const(0, ScalarType.Int), BinaryOp.Less, new LengthOf(array, -1), 1, new Block(EquatableArray.Of(body(index))), null);
    }

    /// <summary>
    /// Adds <c>NHessianVectorProduct(values…, directions…, hv…)</c> to the group; returns the hv names, one per
    /// differentiated parameter: locals for scalars, rented arrays (at the argument's length) for spans.
    /// </summary>
    private string[] HessianVectorProduct(CallAssign call, EquatableArray<Expr> values, IEnumerable<Expr> directions, List<Stmt> group)
    {
        var parameters = call.Callee.Parameters;
        var hv = NestedHessianVectorProduct(call);
        var outputs = call.Callee.DifferentiatedIndices().Select((k, j) => new GradientCallOutput(hv[j], parameters[k].IsArray ? ((ArrayRef)values[k]).Array : null));
        group.Add(new GradientCall(call.Callee, values.Concat(directions).ToEquatableArray(), outputs.ToEquatableArray())
            { Member = GradientCall.HessianVectorProductMember });
        return hv;
    }

    /// <summary>The hv outputs of the call's <c>NHessianVectorProduct</c>: locals for scalars, rented arrays for spans.</summary>
    private string[] NestedHessianVectorProduct(CallAssign call) => NestedOutputs(NamePurpose.NestedHessianVectorProduct, "_hv_", call);

    /// <summary>The outputs of a nested pushforward's <c>NGradient</c>: locals for scalars, rented arrays for spans.</summary>
    private string[] NestedGradient(CallAssign first) => NestedOutputs(NamePurpose.NestedGradient, "_g_", first);

    private string[] NestedOutputs(NamePurpose purpose, string prefix, CallAssign call)
    {
        var parameters = call.Callee.Parameters;
        return _names.Once(new NameRequest(purpose, IdOf(call)), () => call.Callee.DifferentiatedIndices()
            .Select(k => parameters[k].IsArray ? _names.Allocate(prefix + call.Target + "_" + parameters[k].Name) : AddLocal(prefix + call.Target + "_" + parameters[k].Name, ScalarType.Double)).ToArray());
    }

    private string NestedZeroDirection(CallAssign call, int j) =>
        _names.Once(new NameRequest(NamePurpose.NestedZeroDirection, IdOf(call), j),
            () => _names.Allocate("_zero_" + call.Callee.Parameters[call.Callee.DifferentiatedIndices()[j]].Name));

    /// <summary>The counter of a nested call's element loop; <paramref name="loop"/> says which (its purpose and array).</summary>
    private string NestedCounter(CallAssign call, string loop) =>
        _names.Once(new NameRequest(NamePurpose.NestedCounter, IdOf(call), Local: loop), () => _names.Allocate("k"));
}
