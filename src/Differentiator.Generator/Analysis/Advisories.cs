using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;
using Differentiator.Generator.Primitives;

namespace Differentiator.Generator.Analysis;

/// <summary>A warning or note about a method that does differentiate: the IR node or parameter it concerns, and message arguments.</summary>
internal sealed record Advisory(string Id, object Subject, string[] Arguments);

/// <summary>
/// What users should know about a gradient that will be generated: parameters whose gradient is identically zero,
/// kinks (Abs, Max, Min, comparisons on differentiated values), derivatives lost to int conversion, NaN/∞ hazards
/// (Sqrt or Log of a value that can be 0), and per-call scratch storage. No AD tool we know of warns about these
/// before running.
/// </summary>
internal static class Advisories
{
    public const string ZeroGradient = Diagnostics.DiagnosticIds.ZeroGradient;
    public const string NonSmooth = Diagnostics.DiagnosticIds.NonSmooth;
    public const string IntegerConversion = Diagnostics.DiagnosticIds.IntegerConversion;
    public const string NaNHazard = Diagnostics.DiagnosticIds.NaNHazard;
    public const string Scratch = Diagnostics.DiagnosticIds.ScratchStorage;

    public static List<Advisory> For(MethodIr method, LoweredMethod lowered, ActivityAnalysis activity, GradientProgram? program, object methodKey)
    {
        var found = new List<Advisory>();
        foreach (var p in method.Parameters.Where(p => p.Differentiated && !activity.IsActive(p.Name)))
            found.Add(new Advisory(ZeroGradient, p, new[] { p.Name, method.Name }));

        var signs = new SignAnalysis(lowered.Method);
        bool Varied(Expr e) => ActivityAnalysis.DifferentiableReads(e).Any(activity.IsVaried);
        bool ConditionVaried(Expr condition)
        {
            var reads = new HashSet<string>(System.StringComparer.Ordinal);
            ExprWalker.CollectReads(condition, reads, reads);
            return reads.Any(activity.IsVaried);
        }

        // Running maxima that only shift (the stable softmax's): picking them is no kink of the result (ShiftInvariance.cs).
        var exempt = ShiftInvariance.ExemptKinks(lowered.Method, lowered.Result);
        var seen = new HashSet<Expr>(Model.ReferenceEqualityComparer.Instance);
        // Lowered: returns are assignments, whose values count too. Each statement comes with what the ifs around it
        // guarantee (if (x > 0) … Math.Sqrt(x) is no hazard).
        foreach (var (s, guards) in Guards.Flatten(lowered.Method.Body))
        {
            if (s is If branch && ConditionVaried(branch.Condition) && !exempt.Contains(branch.Condition))
                found.Add(new Advisory(NonSmooth, branch.Condition, new[] { "the comparison in this if", "the branch taken (a one-sided derivative at the boundary)" }));
            foreach (var root in IrWalker.Expressions(s))
            {
                foreach (var e in IrWalker.Descendants(root).Where(seen.Add))
                {
                    switch (e)
                    {
                        case Conditional c when ConditionVaried(c.Condition) && !exempt.Contains(c.Condition):
                            found.Add(new Advisory(NonSmooth, c.Condition, new[] { "the comparison in this ?:", "the branch taken (a one-sided derivative at the boundary)" }));
                            break;
                        case MathCall m when PrimitiveTable.Of(m.Function).Kink is { } kink && m.Arguments.Any(Varied) && !exempt.Contains(m):
                            found.Add(new Advisory(NonSmooth, m, new[] { PrimitiveTable.Of(m.Function).Display, kink }));
                            break;
                        case Convert { Type: ScalarType.Int } c when Varied(c.Operand):
                            found.Add(new Advisory(IntegerConversion, c, new[] { "(int)" }));
                            break;
                        case MathCall m when Varied(m) && Hazard(m, signs, guards) is { } hazard:
                            found.Add(new Advisory(NaNHazard, m, hazard));
                            break;
                    }
                }
            }
        }

        // Saves on the scratch stack, or in place in pooled buffers (Differentiation/ReverseModeBuilder.Snapshots.cs).
        var saves = program is null ? new List<Stmt>() : StatementWalker.Flatten(program.Body).Where(s => s is Push or PushArray or ViewSnapshot).ToList();
        if (program is not null && saves.Count > 0)
        {
            var pushed = saves.OfType<Push>().Select(p => p.Value).ToList();
            var saved = pushed.OfType<VarRef>().Select(v => v.Name)
                .Where(n => lowered.Method.Locals.Any(l => l.Name == n && l.Type == ScalarType.Double) || method.Parameters.Any(p => p.Name == n))
                .Concat(pushed.OfType<ElementRef>().Select(e => e.Array + "[…]"))
                .Distinct().OrderBy(n => n, System.StringComparer.Ordinal).ToList();
            // Locals the gradient added (Differentiation/CallResultLocals.cs) hold the results of calls it reuses.
            var calls = StatementWalker.Flatten(program.Primal.Method.Body).OfType<Assign>()
                .Where(a => a.Value is MathCall && pushed.OfType<VarRef>().Any(v => v.Name == a.Target) && !lowered.Method.Locals.Any(l => l.Name == a.Target))
                .Select(a => PrimitiveTable.Of(((MathCall)a.Value).Function).Display + "(…)")
                .Distinct().OrderBy(n => n, System.StringComparer.Ordinal).ToList();
            var parts = new List<string>();
            if (saved.Count > 0) parts.Add("the overwritten values of " + string.Join(", ", saved));
            if (calls.Count > 0) parts.Add("the results of " + string.Join(", ", calls) + " (cheaper than calling again)");
            string what = parts.Count > 0 ? string.Join(" and ", parts) : "loop trip counts and branches taken";
            found.Add(new Advisory(Scratch, methodKey, new[] { method.Name, what }));
        }
        return found;
    }

    /// <summary>DIFF104's arguments when the call's row names a hazard the code does not rule out (the ifs around it included).</summary>
    private static string[]? Hazard(MathCall m, SignAnalysis signs, IReadOnlyDictionary<string, Guard> guards)
    {
        var row = PrimitiveTable.Of(m.Function);
        return row.Hazard?.Reason(m, e => signs.Of(e, guards)) is { } reason ? new[] { row.Display, reason, row.Hazard.Derivative, row.Hazard.Advice } : null;
    }
}
