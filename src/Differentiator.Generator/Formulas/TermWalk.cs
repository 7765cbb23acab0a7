using System;
using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Model;
using static Differentiator.Generator.Formulas.TermSimplifier;

namespace Differentiator.Generator.Formulas;

/// <summary>Structural walks over terms: children, rebuilding, substitution, free names, size.</summary>
internal static class TermWalk
{
    public static IEnumerable<Term> Children(Term t) => t switch
    {
        Elem e => e.Indices,
        Add a => a.Terms,
        Mul m => m.Factors,
        Pow p => new[] { p.Base, p.Exponent },
        Fn f => f.Args,
        Sigma s => new[] { s.Lower, s.Upper, s.Body },
        Delta d => new[] { d.Of },
        Piecewise c => new[] { c.Condition, c.WhenTrue, c.WhenFalse },
        Rel r => new[] { r.Left, r.Right },
        Not n => new[] { n.Operand },
        _ => Array.Empty<Term>(),
    };

    /// <summary>The same node over mapped children, rebuilt through the simplifying constructors.</summary>
    public static Term Map(Term t, Func<Term, Term> f) => t switch
    {
        Elem e => new Elem(e.Array, e.Indices.Select(f).ToEquatableArray()),
        Add a => Sum(a.Terms.Select(f)),
        Mul m => Product(m.Factors.Select(f)),
        Pow p => Power(f(p.Base), f(p.Exponent)),
        Fn fn => Call(fn.Kind, fn.Args.Select(f).ToArray()),
        Sigma s => SumRules.Sum(s.Index, f(s.Lower), f(s.Upper), s.Whole, f(s.Body)),
        Delta d => KroneckerDelta(f(d.Of), d.Index),
        Piecewise c => Choose(f(c.Condition), f(c.WhenTrue), f(c.WhenFalse)),
        Rel r => new Rel(r.Op, f(r.Left), f(r.Right)),
        Not n => new Not(f(n.Operand)),
        _ => t,
    };

    /// <summary>
    /// <paramref name="t"/> with the free occurrences of <paramref name="name"/> replaced. The caller guarantees no Σ
    /// in <paramref name="t"/> binds a name free in <paramref name="value"/> (free indices are never bound).
    /// </summary>
    public static Term Substitute(Term t, string name, Term value) => t switch
    {
        Sym s when s.Name == name => value,
        Sigma s when s.Index == name => SumRules.Sum(s.Index, Substitute(s.Lower, name, value), Substitute(s.Upper, name, value), s.Whole, s.Body),
        Delta d when d.Index == name && value is Sym v => KroneckerDelta(Substitute(d.Of, name, value), v.Name),
        _ => Map(t, c => Substitute(c, name, value)),
    };

    /// <summary>Every Σ that binds <paramref name="from"/> binds <paramref name="to"/> instead (a name not used in the term).</summary>
    public static Term RenameBound(Term t, string from, string to) => t switch
    {
        Sigma s when s.Index == from => SumRules.Sum(to, RenameBound(s.Lower, from, to), RenameBound(s.Upper, from, to), s.Whole, RenameBound(Substitute(s.Body, from, new Sym(to)), from, to)),
        _ => Map(t, c => RenameBound(c, from, to)),
    };

    /// <summary>Whether <paramref name="name"/> occurs free in <paramref name="t"/>.</summary>
    public static bool Involves(Term t, string name) => t switch
    {
        Sym s => s.Name == name,
        Delta d => d.Index == name || Involves(d.Of, name),
        Sigma s => Involves(s.Lower, name) || Involves(s.Upper, name) || (s.Index != name && Involves(s.Body, name)),
        _ => Children(t).Any(c => Involves(c, name)),
    };

    /// <summary>Every name the term mentions: symbols, arrays, bound and free indices.</summary>
    public static HashSet<string> Names(Term t)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<Term>();
        stack.Push(t);
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            switch (node)
            {
                case Sym s: names.Add(s.Name); break;
                case Elem e: names.Add(e.Array); break;
                case Len l: names.Add(l.Array); break;
                case Sigma s: names.Add(s.Index); break;
                case Delta d: names.Add(d.Index); break;
            }
            foreach (var c in Children(node)) stack.Push(c);
        }
        return names;
    }

    /// <summary>Whether the term has more than <paramref name="limit"/> nodes; stops counting there, so it is cheap on any term.</summary>
    public static bool Exceeds(Term t, int limit)
    {
        int count = 0;
        var stack = new Stack<Term>();
        stack.Push(t);
        while (stack.Count > 0)
        {
            if (++count > limit) return true;
            foreach (var c in Children(stack.Pop())) stack.Push(c);
        }
        return false;
    }
}
