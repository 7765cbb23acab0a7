using System;
using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Model;
using Differentiator.Generator.Primitives;

namespace Differentiator.Generator.Formulas;

/// <summary>
/// The smart constructors every term is built with, so terms are always simplified: no 0 terms, no ·1, numbers
/// folded, like terms collected (a + a = 2·a), equal bases merged (x·x = x², x·x⁻¹ = 1), −(a + b) = −a − b.
/// Order is kept as in the source (the first occurrence decides), because formulas should read like the code.
/// Σ has its own rules in <see cref="SumRules"/>.
/// </summary>
internal static class TermSimplifier
{
    public static readonly Num Zero = new(0);
    public static readonly Num One = new(1);
    public static readonly Num MinusOne = new(-1);

    public static bool IsNumber(Term t, double value) => t is Num n && n.Value == value;

    public static bool IsInteger(double v) => !double.IsInfinity(v) && !double.IsNaN(v) && Math.Floor(v) == v;

    public static Term Sum(params Term[] terms) => Sum((IEnumerable<Term>)terms);

    public static Term Sum(IEnumerable<Term> terms)
    {
        var coefficients = new List<double>();
        var rests = new List<Term?>(); // null: the one numeric term
        foreach (var t in Flatten(terms))
        {
            if (t is Num n)
            {
                if (n.Value == 0) continue;
                int slot = rests.FindIndex(r => r is null);
                if (slot < 0)
                {
                    coefficients.Add(n.Value);
                    rests.Add(null);
                }
                else
                {
                    coefficients[slot] += n.Value;
                }
                continue;
            }
            var (c, rest) = SplitCoefficient(t);
            int same = rests.FindIndex(r => r is not null && r.Equals(rest));
            if (same < 0)
            {
                coefficients.Add(c);
                rests.Add(rest);
            }
            else
            {
                coefficients[same] += c;
            }
        }
        var result = new List<Term>();
        for (int k = 0; k < rests.Count; k++)
        {
            if (coefficients[k] == 0) continue;
            result.Add(rests[k] is { } r ? Product(new Num(coefficients[k]), r) : new Num(coefficients[k]));
        }
        // −1·(a + b) distributed into −a − b: flatten once more.
        var flat = Flatten(result).ToList();
        return flat.Count switch
        {
            0 => Zero,
            1 => flat[0],
            _ => new Add(flat.ToEquatableArray()),
        };
    }

    public static Term Negate(Term t) => Product(MinusOne, t);

    public static Term Difference(Term a, Term b) => Sum(a, Negate(b));

    public static Term Quotient(Term a, Term b) => Product(a, Power(b, MinusOne));

    public static Term Product(params Term[] factors) => Product((IEnumerable<Term>)factors);

    public static Term Product(IEnumerable<Term> factors)
    {
        double coefficient = 1;
        var bases = new List<Term>();
        var exponents = new List<Term>();
        foreach (var f in FlattenProduct(factors))
        {
            if (f is Num n)
            {
                coefficient *= n.Value;
                continue;
            }
            var (b, e) = f is Pow p ? (p.Base, p.Exponent) : (f, (Term)One);
            int same = bases.FindIndex(x => x.Equals(b));
            if (same < 0)
            {
                bases.Add(b);
                exponents.Add(e);
            }
            else
            {
                exponents[same] = Sum(exponents[same], e);
            }
        }
        var result = new List<Term>();
        for (int k = 0; k < bases.Count; k++)
        {
            var power = Power(bases[k], exponents[k]);
            if (power is Num pn)
            {
                coefficient *= pn.Value;
            }
            else if (power is Pow { Base: Num nb, Exponent: Num ne } && IsInteger(Math.Pow(nb.Value, ne.Value) * coefficient))
            {
                coefficient *= Math.Pow(nb.Value, ne.Value); // 4·2⁻¹ = 2, while 1/2 stays a fraction
            }
            else if (power is Mul nested)
            {
                // A product raised to a whole power: fold its coefficient, keep its factors (merged again below).
                foreach (var f in nested.Factors)
                {
                    if (f is Num fn) coefficient *= fn.Value;
                    else result.Add(f);
                }
            }
            else
            {
                result.Add(power);
            }
        }
        if (coefficient == 0) return Zero;
        if (result.Count == 0) return new Num(coefficient);
        if (coefficient == -1 && result.Count == 1 && result[0] is Add sum) return Sum(sum.Terms.Select(Negate));
        if (coefficient == 1 && result.Count == 1) return result[0];
        if (coefficient != 1) result.Insert(0, new Num(coefficient));
        return new Mul(result.ToEquatableArray());
    }

    public static Term Power(Term b, Term e)
    {
        if (e is Num en)
        {
            if (en.Value == 0) return One;
            if (en.Value == 1) return b;
            if (b is Num bn)
            {
                if (bn.Value == 1) return One;
                if (bn.Value == 0 && en.Value > 0) return Zero;
                if (IsInteger(bn.Value) && IsInteger(en.Value) && en.Value > 0 && en.Value <= 16 && Math.Abs(Math.Pow(bn.Value, en.Value)) < 1e15) return new Num(Math.Pow(bn.Value, en.Value));
            }
            if (IsInteger(en.Value))
            {
                if (b is Pow inner) return Power(inner.Base, Product(inner.Exponent, en)); // (x^a)^n = x^(a·n) for whole n
                if (b is Mul product) return Product(product.Factors.Select(f => Power(f, en))); // (2·x)⁻¹ = 2⁻¹·x⁻¹, so 2/(2·x) = 1/x
                if (b is Delta && en.Value > 0) return b;
                if (b is Fn { Kind: MathFunction.Sqrt } root && root.Args.Count == 1 && en.Value == 2) return root.Args[0];
            }
        }
        return new Pow(b, e);
    }

    /// <summary>A call, with the few exact identities folded: exp(0) = 1, ln(1) = 0, ln(exp(u)) = u, sin(0) = 0, |−2| = 2.</summary>
    public static Term Call(MathFunction kind, params Term[] args)
    {
        if (args.Length == 2 && args[0] is Num x && args[1] is Num y)
        {
            if (kind == MathFunction.Max) return new Num(Math.Max(x.Value, y.Value));
            if (kind == MathFunction.Min) return new Num(Math.Min(x.Value, y.Value));
        }
        if (args.Length == 1)
        {
            var a = args[0];
            switch (kind)
            {
                case MathFunction.Exp when a is Fn { Kind: MathFunction.Log, Args.Count: 1 } ln: return ln.Args[0];
                case MathFunction.Log when a is Fn { Kind: MathFunction.Exp, Args.Count: 1 } exp: return exp.Args[0];
                case MathFunction.Exp or MathFunction.Cos or MathFunction.Cosh when IsNumber(a, 0): return One;
                case MathFunction.Log when IsNumber(a, 1): return Zero;
                case MathFunction.Sqrt or MathFunction.Cbrt when a is Num { Value: 0 or 1 }: return a;
                case MathFunction.Sin or MathFunction.Tan or MathFunction.Tanh or MathFunction.Sinh or MathFunction.Atan or MathFunction.Asin when IsNumber(a, 0): return Zero;
                case MathFunction.Abs when a is Num n: return new Num(Math.Abs(n.Value));
                case MathFunction.Sign when a is Num n: return new Num(Math.Sign(n.Value));
                case MathFunction.Truncate when a is Num n: return new Num(Math.Truncate(n.Value));
            }
        }
        return new Fn(kind, args.ToEquatableArray());
    }

    public static Term Choose(Term condition, Term whenTrue, Term whenFalse)
    {
        if (whenTrue.Equals(whenFalse)) return whenTrue;
        if (condition is Num n) return n.Value != 0 ? whenTrue : whenFalse;
        return new Piecewise(condition, whenTrue, whenFalse);
    }

    /// <summary>δ(e, j); δ(j, j) = 1.</summary>
    public static Term KroneckerDelta(Term of, string index) => of is Sym s && s.Name == index ? One : new Delta(of, index);

    /// <summary>c·rest for a term (c = 1 when it has no numeric coefficient).</summary>
    public static (double Coefficient, Term Remainder) SplitCoefficient(Term t)
    {
        if (t is Mul { Factors: var fs } && fs.Count > 1 && fs[0] is Num c)
        {
            var rest = fs.Skip(1).ToList();
            return (c.Value, rest.Count == 1 ? rest[0] : new Mul(rest.ToEquatableArray()));
        }
        return (1, t);
    }

    private static IEnumerable<Term> Flatten(IEnumerable<Term> terms)
    {
        foreach (var t in terms)
        {
            if (t is Add a)
            {
                foreach (var inner in Flatten(a.Terms)) yield return inner;
            }
            else
            {
                yield return t;
            }
        }
    }

    private static IEnumerable<Term> FlattenProduct(IEnumerable<Term> factors)
    {
        foreach (var f in factors)
        {
            if (f is Mul m)
            {
                foreach (var inner in FlattenProduct(m.Factors)) yield return inner;
            }
            else
            {
                yield return f;
            }
        }
    }
}
