using System.Collections.Generic;
using System.Linq;
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
        var lnBase = Call(FnKind.Ln, p.Base);
        if (constantBase) return Product(p, lnBase, de); // b^e·ln(b)·e'
        return Product(p, Sum(Product(de, lnBase), Product(p.Exponent, db, TermSimplifier.Power(p.Base, MinusOne))));
    }

    private Term Function(Fn f)
    {
        if (f.Args.Count == 0) return Zero;
        var u = f.Args[0];
        if (f.Kind is FnKind.Max or FnKind.Min)
        {
            if (f.Args.Count != 2) return Zero;
            var v = f.Args[1];
            var firstWins = new Rel(f.Kind == FnKind.Max ? RelOp.GreaterOrEqual : RelOp.LessOrEqual, u, v);
            return Choose(firstWins, Differentiate(u), Differentiate(v));
        }
        var du = Differentiate(u);
        if (IsNumber(du, 0)) return Zero;
        Term Squared(Term x) => TermSimplifier.Power(x, new Num(2));
        Term Over(Term denominator) => Quotient(du, denominator);
        return f.Kind switch
        {
            FnKind.Exp => Product(du, f),
            FnKind.Ln => Over(u),
            FnKind.Sqrt => Over(Product(new Num(2), f)),
            FnKind.Cbrt => Over(Product(new Num(3), Squared(f))),
            FnKind.Sin => Product(du, Call(FnKind.Cos, u)),
            FnKind.Cos => Negate(Product(du, Call(FnKind.Sin, u))),
            FnKind.Tan => Over(Squared(Call(FnKind.Cos, u))),
            FnKind.Tanh => Product(du, Difference(One, Squared(f))),
            FnKind.Sinh => Product(du, Call(FnKind.Cosh, u)),
            FnKind.Cosh => Product(du, Call(FnKind.Sinh, u)),
            FnKind.Atan => Over(Sum(One, Squared(u))),
            FnKind.Asin => Over(Call(FnKind.Sqrt, Difference(One, Squared(u)))),
            FnKind.Acos => Negate(Over(Call(FnKind.Sqrt, Difference(One, Squared(u))))),
            FnKind.Log10 => Over(Product(u, Call(FnKind.Ln, new Num(10)))),
            FnKind.Log2 => Over(Product(u, Call(FnKind.Ln, new Num(2)))),
            FnKind.Abs => Product(du, Call(FnKind.Sign, u)),
            _ => Zero, // sign and truncation are piecewise constant
        };
    }
}
