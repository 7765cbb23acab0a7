using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Analysis;

/// <summary>
/// Runs of adjacent nested calls at one point a. The parser splits <c>NGradient(a…, out gx, out gy)</c> into one
/// statement per out argument (<see cref="NestedKind.GradientComponent"/>), so the plan treats each like any assignment;
/// where they are still adjacent, the printer calls <c>NGradient</c> once for all and the reverse sweep calls
/// <c>NHessianVectorProduct</c> once, along (gxBar, gyBar): the same values, by linearity, for one call instead of several.
/// Likewise adjacent <c>NPushforward(a…, u_i…, out t_i)</c> at the same a (two unit tangents for two partials): one
/// product along Σ t_iBar·u_i and one gradient for all of them.
/// </summary>
internal static class NestedCalls
{
    /// <summary>The statements from <paramref name="first"/> on that are components of the same call: at least one (itself) if it is a component, else none.</summary>
    public static List<CallAssign> RunFrom(EquatableArray<Stmt> statements, int first)
    {
        var run = new List<CallAssign>();
        for (int k = first; k < statements.Count && Joins(run, statements[k]) is { } component; k++) run.Add(component);
        return run;
    }

    /// <summary>The statements up to <paramref name="last"/> that are components of the same call, in program order.</summary>
    public static List<CallAssign> RunTo(EquatableArray<Stmt> statements, int last)
    {
        var run = new List<CallAssign>();
        for (int k = last; k >= 0 && Joins(run, statements[k]) is { } component; k--) run.Insert(0, component);
        return run;
    }

    /// <summary><paramref name="s"/> as a nested call that computes together with <paramref name="run"/> (of the same kind, at the same point), or null.</summary>
    private static CallAssign? Joins(List<CallAssign> run, Stmt s)
    {
        if (s is not CallAssign { Nested: { } nested } c) return null;
        if (run.Count == 0) return c;
        var other = run[0];
        // Pushforwards of a callee that differentiates a span each take a product along their own tangent array: no run.
        if (nested.Kind == NestedKind.Pushforward && c.Callee.Parameters.Any(p => p.Differentiated && p.IsArray)) return null;
        if (nested.Kind != other.Nested!.Kind || !c.Callee.Equals(other.Callee)) return null;
        int n = c.Callee.Parameters.Count;
        bool samePoint = nested.Kind == NestedKind.GradientComponent
            ? c.Arguments.Equals(other.Arguments)
            : c.Arguments.Take(n).SequenceEqual(other.Arguments.Take(n));
        if (!samePoint) return null;
        if (run.Any(r => r.Target == c.Target || nested.Kind == NestedKind.GradientComponent && r.Nested!.Parameter == nested.Parameter)) return null;
        // One call reads its arguments once, before any out argument is written: no argument may read a target of the run.
        var reads = new HashSet<string>(run.Append(c).SelectMany(r => r.Arguments).SelectMany(ExprWalker.Reads), System.StringComparer.Ordinal);
        return reads.Contains(c.Target) || run.Any(r => reads.Contains(r.Target)) ? null : c;
    }
}
