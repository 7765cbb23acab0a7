using System;
using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Formulas;

/// <summary>A name the formulas use for a subterm they repeat, and what it stands for: <c>z[i] = b + Σⱼ X[i,j]·w[j]</c>.</summary>
internal sealed record SubtermName(Term Name, Term Definition);

/// <summary>
/// Names the subterms that long formulas repeat, as a textbook does (let zᵢ = b + Σⱼ Xᵢⱼ·wⱼ): the logistic loss's
/// derivative otherwise spells its linear predictor four times. Only formulas longer than a line are touched, so
/// short ones read as before. A repeated subterm is found up to the names of the Σ indices it binds itself (the
/// function's Σⱼ and the derivative's Σₖ are one predictor); indices bound outside it stay free and become the name's
/// indices (z[i]). The subterm whose name saves the most text ((occurrences − 1) × size) is named first, at most
/// <see cref="MaxNames"/>.
/// </summary>
internal static class SubtermNames
{
    /// <summary>A formula at most this long (printed) is left as it is.</summary>
    private const int LongFormula = 100;

    private const int MaxNames = 3;

    /// <summary>A subterm smaller than this (nodes) is shorter to repeat than to name; a name must save twice this.</summary>
    private const int MinSize = 7;

    private static readonly string[] Letters = { "z", "u", "v", "a", "c", "d", "e", "g", "h" };

    /// <summary>The formulas with repeated subterms replaced by names, and the names' definitions, in the order chosen.</summary>
    public static (IReadOnlyList<Term> Formulas, IReadOnlyList<SubtermName> Names) Apply(IReadOnlyList<Term> formulas, IEnumerable<string> taken, IReadOnlyList<SourceName> sourceNames, int longFormula = LongFormula)
    {
        var names = new List<SubtermName>();
        if (!formulas.Any(f => TermPrinter.PrintPlain(f).Length > longFormula)) return (formulas, names);
        var used = new HashSet<string>(taken.Concat(formulas.SelectMany(TermWalk.Names)), StringComparer.Ordinal);
        var current = formulas.ToList();
        // The source's own names first (p[i] for the p of the loop body), where the formulas still hold their values.
        foreach (var source in sourceNames)
        {
            if (!Nameable(source.Value) || Size(source.Value) < MinSize) continue;
            var key = Canonical(source.Value);
            if (!current.Any(f => Occurs(f, key))) continue;
            Term name = source.Indices.Count == 0 ? new Sym(source.Name) : new Elem(source.Name, source.Indices.Select(i => (Term)new Sym(i)).ToEquatableArray());
            current = current.Select(f => Replace(f, key, name)).ToList();
            var definition = names.Aggregate(source.Value, (d, earlier) => Replace(d, Canonical(earlier.Definition), earlier.Name));
            names.Add(new SubtermName(name, definition));
        }
        int fromSource = names.Count;
        while (names.Count - fromSource < MaxNames && Repeated(current) is { } chosen)
        {
            string letter = Letters.FirstOrDefault(l => !used.Contains(l)) ?? Enumerable.Range(2, 100).Select(n => "z" + n).First(n => !used.Contains(n));
            used.Add(letter);
            var indices = FreeIndices(chosen.Term, current);
            Term name = indices.Count == 0 ? new Sym(letter) : new Elem(letter, indices.Select(i => (Term)new Sym(i)).ToEquatableArray());
            current = current.Select(f => Replace(f, chosen.Key, name)).ToList();
            // A definition may itself hold an earlier name's subterm: rewrite it too, so it reads with that name.
            var definition = names.Aggregate(chosen.Term, (d, earlier) => Replace(d, Canonical(earlier.Definition), earlier.Name));
            names.Add(new SubtermName(name, definition));
        }
        // Later names may occur inside earlier definitions.
        for (int k = 0; k < names.Count; k++)
        {
            var d = names[k].Definition;
            for (int later = k + 1; later < names.Count; later++) d = Replace(d, Canonical(names[later].Definition), names[later].Name);
            names[k] = names[k] with { Definition = d };
        }
        return (current, names);
    }

    private static bool Occurs(Term t, Term key) => Nameable(t) && Canonical(t).Equals(key) || TermWalk.Children(t).Any(c => Occurs(c, key));

    /// <summary>The subterm that occurs twice or more (up to bound-index names) whose name saves the most, or null.</summary>
    private static (Term Term, Term Key)? Repeated(IReadOnlyList<Term> formulas)
    {
        var counts = new Dictionary<Term, (Term First, int Count, int Size)>();
        void Visit(Term t)
        {
            if (Nameable(t))
            {
                var key = Canonical(t);
                counts[key] = counts.TryGetValue(key, out var had) ? (had.First, had.Count + 1, had.Size) : (t, 1, Size(t));
            }
            foreach (var c in TermWalk.Children(t)) Visit(c);
        }
        foreach (var f in formulas) Visit(f);
        var best = counts.Where(c => c.Value.Count >= 2 && c.Value.Size >= MinSize && (c.Value.Count - 1) * c.Value.Size >= 2 * MinSize)
            .OrderByDescending(c => (c.Value.Count - 1) * c.Value.Size).ThenByDescending(c => c.Value.Size).FirstOrDefault();
        return best.Key is null ? null : (best.Value.First, best.Key);
    }

    /// <summary>Operations worth a name; not a Σ's bounds or a condition, which read better spelled out.</summary>
    private static bool Nameable(Term t) => t is Add or Mul or Pow or Fn or Sigma;

    private static int Size(Term t) => 1 + TermWalk.Children(t).Sum(Size);

    /// <summary>The term with the indices its own Σs bind renamed by depth, so Σⱼ X[i,j]·w[j] and Σₖ X[i,k]·w[k] are one key.</summary>
    private static Term Canonical(Term t) => Canonical(t, 0);

    private static Term Canonical(Term t, int depth)
    {
        if (t is Sigma s)
        {
            string bound = "\u0001" + depth;
            var body = TermWalk.Substitute(s.Body, s.Index, new Sym(bound));
            return new Sigma(bound, Canonical(s.Lower, depth), Canonical(s.Upper, depth), s.Whole, Canonical(body, depth + 1));
        }
        return t switch
        {
            Elem e => new Elem(e.Array, e.Indices.Select(i => Canonical(i, depth)).ToEquatableArray()),
            Add a => new Add(a.Terms.Select(x => Canonical(x, depth)).ToEquatableArray()),
            Mul m => new Mul(m.Factors.Select(x => Canonical(x, depth)).ToEquatableArray()),
            Pow p => new Pow(Canonical(p.Base, depth), Canonical(p.Exponent, depth)),
            Fn f => new Fn(f.Kind, f.Args.Select(x => Canonical(x, depth)).ToEquatableArray()),
            Delta d => new Delta(Canonical(d.Of, depth), d.Index),
            Piecewise c => new Piecewise(Canonical(c.Condition, depth), Canonical(c.WhenTrue, depth), Canonical(c.WhenFalse, depth)),
            Rel r => new Rel(r.Op, Canonical(r.Left, depth), Canonical(r.Right, depth)),
            Not n => new Not(Canonical(n.Operand, depth)),
            _ => t,
        };
    }

    /// <summary>Occurrences of <paramref name="key"/> (outermost first) replaced by <paramref name="name"/>.</summary>
    private static Term Replace(Term t, Term key, Term name) =>
        Nameable(t) && Canonical(t).Equals(key) ? name : TermWalk.Map(t, c => Replace(c, key, name));

    /// <summary>The symbols of the subterm that some Σ of the formulas binds, or that are a derivative's free index: its indices, in order of appearance.</summary>
    private static List<string> FreeIndices(Term subterm, IReadOnlyList<Term> formulas)
    {
        var indices = new HashSet<string>(formulas.SelectMany(BoundIndices), StringComparer.Ordinal);
        var found = new List<string>();
        void Visit(Term t, HashSet<string> boundHere)
        {
            switch (t)
            {
                case Sym s when indices.Contains(s.Name) && !boundHere.Contains(s.Name) && !found.Contains(s.Name):
                    found.Add(s.Name);
                    break;
                case Sigma sigma:
                    Visit(sigma.Lower, boundHere);
                    Visit(sigma.Upper, boundHere);
                    Visit(sigma.Body, new HashSet<string>(boundHere.Append(sigma.Index), StringComparer.Ordinal));
                    return;
            }
            foreach (var c in TermWalk.Children(t)) Visit(c, boundHere);
        }
        Visit(subterm, new HashSet<string>(StringComparer.Ordinal));
        return found;
    }

    private static IEnumerable<string> BoundIndices(Term t) =>
        (t is Sigma s ? new[] { s.Index } : Array.Empty<string>()).Concat(TermWalk.Children(t).SelectMany(BoundIndices));
}
