using System.Collections.Generic;
using System.Linq;
using static Differentiator.Generator.Formulas.TermSimplifier;
using static Differentiator.Generator.Formulas.TermWalk;

namespace Differentiator.Generator.Formulas;

/// <summary>
/// The constructor of Σ and its rules: Σ of 0 is 0; factors that do not involve the index come out front
/// (Σᵢ 2·a·b/n = (2/n)·Σᵢ a·b); over a whole range, Σᵢ c = c·n for c free of i, and
/// Σₖ δ(k, j)·f(k) = f(j) (sums containing such terms are split, products over sums are expanded to find them).
/// δ(k+1, j) and ranges that are not [0, length) keep their δ: eliminating them would need range conditions.
/// </summary>
internal static class SumRules
{
    public static Term Sum(string index, Term lower, Term upper, bool whole, Term body)
    {
        if (IsNumber(body, 0)) return Zero;
        if (!Involves(body, index))
        {
            // Σ over [0, L) of c is L·c; other ranges might be empty or reversed, so they stay sums.
            return whole ? Product(Difference(upper, lower), body) : new Sigma(index, lower, upper, whole, body);
        }

        if (whole)
        {
            var terms = (body is Add a ? a.Terms.AsEnumerable() : new[] { body }).SelectMany(t => ExpandDeltaSums(t, index)).ToList();
            var eliminated = new List<Term>();
            var kept = new List<Term>();
            foreach (var t in terms)
            {
                if (EliminateDelta(t, index) is { } done) eliminated.Add(done);
                else kept.Add(t);
            }
            if (eliminated.Count > 0)
            {
                eliminated.Add(Sum(index, lower, upper, whole, TermSimplifier.Sum(kept)));
                return TermSimplifier.Sum(eliminated);
            }
        }

        if (body is Mul m)
        {
            var outside = m.Factors.Where(f => !Involves(f, index)).ToList();
            if (outside.Count > 0)
            {
                var inside = Product(m.Factors.Where(f => Involves(f, index)));
                outside.Add(new Sigma(index, lower, upper, whole, inside));
                return Product(outside);
            }
        }
        return new Sigma(index, lower, upper, whole, body);
    }

    /// <summary>If <paramref name="t"/> is δ(k, j) or a product with such a factor (k the index), the rest with k := j.</summary>
    private static Term? EliminateDelta(Term t, string index)
    {
        if (t is Delta d && IsIndex(d, index)) return One;
        if (t is not Mul m) return null;
        for (int k = 0; k < m.Factors.Count; k++)
        {
            if (m.Factors[k] is Delta delta && IsIndex(delta, index))
            {
                var rest = Product(m.Factors.Where((_, n) => n != k));
                return Substitute(rest, index, new Sym(delta.Index));
            }
        }
        return null;
    }

    private static bool IsIndex(Delta d, string index) => d.Of is Sym s && s.Name == index && d.Index != index;

    /// <summary>(δ(k, j) + a)·f expanded to δ(k, j)·f + a·f, so the δ can be eliminated term by term.</summary>
    private static IEnumerable<Term> ExpandDeltaSums(Term t, string index)
    {
        if (t is not Mul m) return new[] { t };
        for (int k = 0; k < m.Factors.Count; k++)
        {
            if (m.Factors[k] is Add sum && sum.Terms.Any(s => EliminateDelta(s, index) is not null))
            {
                var others = m.Factors.Where((_, n) => n != k).ToList();
                return sum.Terms.SelectMany(s =>
                {
                    var factors = new List<Term>(others);
                    factors.Insert(k, s);
                    var expanded = Product(factors);
                    return expanded is Add inner ? inner.Terms.AsEnumerable() : ExpandDeltaSums(expanded, index);
                });
            }
        }
        return new[] { t };
    }
}
