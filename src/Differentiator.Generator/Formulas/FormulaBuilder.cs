using System;
using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;

namespace Differentiator.Generator.Formulas;

/// <summary>
/// The readable formulas of a method and of its partial derivatives, or null when it has no closed form.
/// <see cref="Function"/> is the whole line <c>Mse = …</c>; each derivative is the whole line <c>∂Mse/∂w[j] = …</c>;
/// <see cref="Definitions"/> the names long formulas use for what they repeat, each the whole line <c>z[i] = …</c>.
/// </summary>
internal sealed record Formulas(string Function, IReadOnlyList<(string Parameter, string Derivative)> Partials, IReadOnlyList<string> Definitions);

/// <summary>The function as a term, and for each differentiated parameter its derivative (free indices for arrays).</summary>
/// <param name="SourceNames">The loop bodies' locals and their values, which the printed formulas may use as names.</param>
internal sealed record FormulaTerms(Term Function, IReadOnlyList<PartialTerm> Partials, IReadOnlyList<SourceName>? SourceNames = null);

internal sealed record PartialTerm(Parameter Parameter, IReadOnlyList<string> FreeIndices, Term Derivative);

/// <summary>
/// Builds the doc-comment formulas: symbolic execution to one term (<see cref="SymbolicEvaluator"/>), symbolic
/// derivatives (<see cref="SymbolicDerivative"/>), then printing (<see cref="TermPrinter"/>). Total: any IR gives
/// formulas or null, never an exception.
/// </summary>
internal static class FormulaBuilder
{
    /// <summary>A derivative may grow past its function; past this it is no longer a formula anyone reads.</summary>
    private const int DerivativeSizeLimit = 4 * SymbolicEvaluator.SizeLimit;

    private static readonly string[] IndexNames = { "j", "k", "l", "m", "p", "q", "r", "s", "t", "u", "v" };

    public static Formulas? Build(LoweredMethod method) => Print(method, Derive(method));

    public static Formulas? Print(LoweredMethod method, FormulaTerms? terms)
    {
        if (terms is null) return null;
        string name = method.Method.Name;
        var ir = method.Method;
        var (named, definitions) = SubtermNames.Apply(
            new[] { terms.Function }.Concat(terms.Partials.Select(p => p.Derivative)).ToList(),
            ir.Parameters.Select(p => p.Name).Concat(ir.Locals.Select(l => l.Name)).Append(name),
            terms.SourceNames ?? Array.Empty<SourceName>());
        var partials = terms.Partials.Select((p, k) =>
        {
            string wrt = p.Parameter.IsArray ? p.Parameter.Name + "[" + string.Join(",", p.FreeIndices) + "]" : p.Parameter.Name;
            return (p.Parameter.Name, "∂" + name + "/∂" + wrt + " = " + TermPrinter.Print(named[k + 1]));
        }).ToList();
        return new Formulas(name + " = " + TermPrinter.Print(named[0]), partials,
            definitions.Select(d => TermPrinter.Print(d.Name) + " = " + TermPrinter.Print(d.Definition)).ToList());
    }

    /// <summary>The terms behind <see cref="Build"/>, before printing (tests evaluate them numerically).</summary>
    internal static FormulaTerms? Derive(LoweredMethod method)
    {
        // A running maximum the result does not depend on (a stable softmax's) is taken as 0: same function, no branch.
        method = method with { Method = Analysis.ShiftInvariance.WithoutShifts(method.Method, method.Result) };
        if (SymbolicEvaluator.EvaluateWithNames(method) is not var (term, sourceNames)) return null;
        var ir = method.Method;
        var taken = new HashSet<string>(TermWalk.Names(term), StringComparer.Ordinal);
        taken.UnionWith(ir.Parameters.Select(p => p.Name));
        taken.UnionWith(ir.Locals.Select(l => l.Name));

        var partials = new List<PartialTerm>();
        foreach (var p in ir.Parameters.Where(p => p.Differentiated))
        {
            if (p.Kind == ParameterKind.Int) return null;
            IReadOnlyList<string> free = Array.Empty<string>();
            Term derivative;
            if (p.IsArray)
            {
                free = FreeIndices(term, p, taken);
                var renamed = RenameClashes(term, free, taken);
                if (free.Any(index => TermWalk.Involves(renamed, index)))
                {
                    // The source's index name is also free in the formula (an unrelated local): use fresh names.
                    free = FreshIndices(free.Count, taken);
                    renamed = term;
                }
                var d = new SymbolicDerivative(p.Name, free);
                derivative = d.Differentiate(renamed);
                if (d.Failed) return null;
            }
            else
            {
                derivative = new SymbolicDerivative(p.Name, null).Differentiate(term);
            }
            if (TermWalk.Exceeds(derivative, DerivativeSizeLimit)) return null;
            partials.Add(new PartialTerm(p, free, derivative));
        }
        return new FormulaTerms(term, partials, sourceNames);
    }

    /// <summary>
    /// The component's index names: those of the counters that index the array in the source (j for w[j]) when
    /// the array is indexed by plain counters somewhere; otherwise fresh names.
    /// </summary>
    private static IReadOnlyList<string> FreeIndices(Term term, Parameter p, HashSet<string> taken)
    {
        int rank = p.Kind == ParameterKind.DoubleArray2D ? 2 : 1;
        return SourceIndices(term, p.Name, rank, Array.Empty<string>()) ?? FreshIndices(rank, taken);
    }

    private static IReadOnlyList<string> FreshIndices(int rank, HashSet<string> taken)
    {
        var names = new List<string>();
        for (int d = 0; d < rank; d++) names.Add(Fresh(new HashSet<string>(taken.Concat(names), StringComparer.Ordinal)));
        return names;
    }

    private static IReadOnlyList<string>? SourceIndices(Term t, string array, int rank, IReadOnlyList<string> bound)
    {
        if (t is Elem e && e.Array == array && e.Indices.Count == rank)
        {
            var names = e.Indices.Select(i => i is Sym s && bound.Contains(s.Name) ? s.Name : null).OfType<string>().ToList();
            if (names.Count == rank && names.Distinct(StringComparer.Ordinal).Count() == rank) return names;
        }
        var inner = t is Sigma sigma ? bound.Append(sigma.Index).ToList() : bound;
        foreach (var c in TermWalk.Children(t))
        {
            if (SourceIndices(c, array, rank, inner) is { } found) return found;
        }
        return null;
    }

    /// <summary>A Σ over a free index's name would capture it: Σⱼ becomes Σₖ in ∂/∂w[j].</summary>
    private static Term RenameClashes(Term term, IReadOnlyList<string> free, HashSet<string> taken)
    {
        foreach (var index in free)
        {
            var avoid = new HashSet<string>(taken.Concat(free).Concat(TermWalk.Names(term)), StringComparer.Ordinal);
            term = TermWalk.RenameBound(term, index, Fresh(avoid));
        }
        return term;
    }

    private static string Fresh(HashSet<string> taken)
    {
        foreach (var name in IndexNames)
        {
            if (!taken.Contains(name)) return name;
        }
        for (int n = 2; ; n++)
        {
            if (!taken.Contains("j" + n)) return "j" + n;
        }
    }
}
