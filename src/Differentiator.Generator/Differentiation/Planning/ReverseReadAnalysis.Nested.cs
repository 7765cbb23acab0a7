using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Differentiator.Generator.Optimization;

namespace Differentiator.Generator.Differentiation;

/// <summary>
/// What the reverse of a run of nested calls reads and names, as ReverseModeBuilder.ReverseNestedRun (Nested.cs)
/// builds it: restores (a whole local array's is a <see cref="PopArray"/>, which reads nothing), the Hessian-vector
/// product at the values along the directions, the contributions of what it gives, a pushforward's gradient, and
/// the outputs' adjoints cleared. Spans: a direction is an adjoint array or rented zeros (named, not primal), and
/// what a span's product or gradient gives is accumulated element by element, in a loop up to the argument's length
/// (its counter named); a pushforward along a span scales by the output's adjoint (an adjoint, not primal).
/// </summary>
internal sealed partial class ReverseReadAnalysis
{
    private void NestedRun(IReadOnlyList<CallAssign> run, Reads reads)
    {
        var first = run[0];
        for (int k = run.Count - 1; k >= 0; k--)
        {
            if (!Saves(run[k])) continue;
            if (run[k].WritesArray) reads.Emits = true; // PopArray: no slot, no read
            else Restore(run[k], reads);
        }
        var active = run.Where(IsActiveOutput).ToList();
        if (active.Count == 0) return;
        reads.Emits = true;
        var differentiated = first.Callee.DifferentiatedIndices();
        int n = first.Callee.Parameters.Count;
        var values = first.Arguments.Take(n).Select(_f.Import).ToEquatableArray();
        Expr Tangent(CallAssign c, int j) => _f.Import(c.Arguments[n + j]);
        Expr Bar(CallAssign c) => _f.Var(_context.AdjointNames[c.Target]);
        bool pushforwards = first.Nested!.Kind == NestedKind.Pushforward;
        bool IsSpan(int j) => first.Callee.Parameters[differentiated[j]].IsArray;
        Expr? scale = pushforwards && Enumerable.Range(0, differentiated.Count).Any(IsSpan) ? Bar(first) : null;
        // The Hessian-vector product is taken at the values, along the directions.
        foreach (var value in values) reads.Read(value);
        for (int j = 0; j < differentiated.Count; j++)
        {
            if (scale is not null) reads.Read(Tangent(first, j));
            else if (IsSpan(j))
            {
                // The adjoint of the array that received this gradient, or rented zeros: no primal read but the length.
                if (!active.Any(c => c.Nested!.Parameter == differentiated[j]))
                    reads.Names.Add(new NameRequest(NamePurpose.NestedZeroDirection, Id(first), j));
            }
            else reads.Read(pushforwards
                ? active.Aggregate((Expr)ExprFactory.Zero, (sum, c) => _f.Add(sum, _f.Multiply(Tangent(c, j), Bar(c))))
                : active.Where(c => c.Nested!.Parameter == differentiated[j]).Aggregate((Expr)ExprFactory.Zero, (sum, c) => _f.Add(sum, Bar(c))));
        }
        reads.Names.Add(new NameRequest(NamePurpose.NestedHessianVectorProduct, Id(first)));
        var output = scale is null ? _unnamed : _f.Multiply(scale, _unnamed);
        for (int j = 0; j < differentiated.Count; j++)
        {
            if (IsSpan(j)) AccumulateSpan(first, "hv " + j, ((ArrayRef)values[differentiated[j]]).Array, reads);
            else foreach (var c in _adjoint.Contributions(values[differentiated[j]], output)) Contribution(c, reads);
        }
        if (pushforwards && active.Any(c => c.Arguments.Skip(n).Any(u => ActivityAnalysis.DifferentiableReads(u).Any(_context.Activity.IsActive))))
        {
            reads.Names.Add(new NameRequest(NamePurpose.NestedGradient, Id(first)));
            foreach (var c in active)
                for (int j = 0; j < differentiated.Count; j++)
                {
                    if (IsSpan(j)) AccumulateSpan(first, "gradient " + j, ((ArrayRef)Tangent(c, j)).Array, reads);
                    else foreach (var contribution in _adjoint.Contributions(Tangent(c, j), _f.Multiply(_unnamed, Bar(c)))) Contribution(contribution, reads);
                }
        }
        foreach (var c in active.Where(c => c.WritesArray)) ElementLoop(c, "nested clear", c.Target, reads);
    }

    /// <summary>Whether the nested call's output carries a derivative (ReverseModeBuilder.IsActiveOutput): an active scalar, or an active whole array.</summary>
    private bool IsActiveOutput(CallAssign c) =>
        (c.WritesArray ? _context.ArrayAdjoints.ContainsKey(c.Target) : _context.AdjointNames.ContainsKey(c.Target)) && _context.Activity.IsActive(c.Target);

    /// <summary>A span's output accumulated into the argument's adjoint, when it has one (ReverseModeBuilder.AccumulateSpan).</summary>
    private void AccumulateSpan(CallAssign call, string purpose, string argument, Reads reads)
    {
        if (_context.ArrayAdjoints.ContainsKey(argument) && _context.Activity.IsActive(argument))
            ElementLoop(call, "nested accumulate " + purpose, argument, reads);
    }

    /// <summary>A loop over the array's elements: its counter named, the array's length read; its body reads only adjoints.</summary>
    private void ElementLoop(CallAssign call, string purpose, string array, Reads reads)
    {
        reads.Names.Add(new NameRequest(NamePurpose.NestedCounter, Id(call), Local: purpose + " " + array));
        reads.Read(new LengthOf(array, -1));
    }
}
