using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Primitives;
using static Differentiator.Generator.Formulas.TermSimplifier;

namespace Differentiator.Generator.Formulas;

/// <summary>
/// Forward symbolic differentiation of a term with respect to a scalar parameter <c>b</c>, or to the component
/// <c>w[j]</c> of an array parameter, j being free: ∂w[e]/∂w[j] = δ(e, j), and Σ eliminates the δ (see
/// <see cref="SumRules"/>). Local derivatives follow the generator's documented conventions: |u|' = sign(u)
/// (0 at 0), max/min send the derivative to the first argument at a tie. The caller renames bound indices that
/// clash with the free ones before differentiating.
/// </summary>
internal sealed class SymbolicDerivative
{
    private readonly string _parameter;
    private readonly IReadOnlyList<string>? _freeIndices;

    /// <param name="freeIndices">For an array parameter, the component's index names (<c>j</c>); null for a scalar.</param>
    public SymbolicDerivative(string parameter, IReadOnlyList<string>? freeIndices)
    {
        _parameter = parameter;
        _freeIndices = freeIndices;
    }

    /// <summary>Set when the term uses the parameter in a way with no formula (an element with the wrong number of indices).</summary>
    public bool Failed { get; private set; }

    public Term Differentiate(Term t)
    {
        switch (t)
        {
            case Sym s:
                return _freeIndices is null && s.Name == _parameter ? One : Zero;
            case Elem e when _freeIndices is not null && e.Array == _parameter:
                if (e.Indices.Count != _freeIndices.Count)
                {
                    Failed = true;
                    return Zero;
                }
                return Product(e.Indices.Select((index, d) => KroneckerDelta(index, _freeIndices[d])));
            case Add a:
                return Sum(a.Terms.Select(Differentiate));
            case Mul m:
            {
                // Product rule, each factor's derivative in the factor's place: (f·g)' = f'·g + f·g'.
                var terms = new List<Term>();
                for (int k = 0; k < m.Factors.Count; k++)
                {
                    var dk = Differentiate(m.Factors[k]);
                    if (IsNumber(dk, 0)) continue;
                    terms.Add(Product(m.Factors.Select((f, n) => n == k ? dk : f)));
                }
                return Sum(terms);
            }
            case Pow p:
                return Power(p);
            case Fn f:
                return Function(f);
            case Sigma s:
                return SumRules.Sum(s.Index, s.Lower, s.Upper, s.Whole, Differentiate(s.Body));
            case Piecewise c:
                return Choose(c.Condition, Differentiate(c.WhenTrue), Differentiate(c.WhenFalse));
            default:
                return Zero; // numbers, lengths, other arrays, δ, comparisons and integer operations
        }
    }

    private Term Power(Pow p)
    {
        var db = Differentiate(p.Base);
        var de = Differentiate(p.Exponent);
        bool constantBase = IsNumber(db, 0);
        bool constantExponent = IsNumber(de, 0);
        if (constantBase && constantExponent) return Zero;
        if (constantExponent) return Product(p.Exponent, TermSimplifier.Power(p.Base, Difference(p.Exponent, One)), db); // e·b^(e−1)·b'
        if (constantBase && IsNumber(p.Base, 0)) return Zero; // 0^e is 0 wherever it is differentiable (e > 0)
        var lnBase = Call(MathFunction.Log, p.Base);
        if (constantBase) return Product(p, lnBase, de); // b^e·ln(b)·e'
        return Product(p, Sum(Product(de, lnBase), Product(p.Exponent, db, TermSimplifier.Power(p.Base, MinusOne))));
    }

    /// <summary>The chain rule through a call, with the function's own rule from its row of the primitives table.</summary>
    private Term Function(Fn f)
    {
        var row = PrimitiveTable.Of(f.Kind);
        if (f.Args.Count != row.Arity || row.Formula is null) return Zero; // sign and truncation are piecewise constant
        var derivatives = f.Args.Select(Differentiate).ToList();
        if (derivatives.All(d => IsNumber(d, 0))) return Zero;
        return row.Formula(f, derivatives);
    }
}
