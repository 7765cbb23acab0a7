using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Differentiator.Generator.Primitives;

namespace Differentiator.Generator.Formulas;

/// <summary>
/// Terms as readable math for XML doc comments: Σᵢ, ·, −, x², √(…), ln, exp, δ(k,j), <c>X[i,j]</c>, XML-escaped.
/// Parentheses only where precedence needs them. A Σ's body runs to the next + or −, so a Σ that is not the last
/// factor of a product is bracketed, and a body that is itself a sum is. In a product, numbers come first, then
/// symbols, elements and bracketed sums, then function calls, then Σ (a·exp(a·x), not exp(a·x)·a); otherwise the
/// order is the source's. A product with a Σ and a denominator reads (2/n)·Σᵢ …, as textbooks write it.
/// </summary>
internal static class TermPrinter
{
    private const int Relation = 0;
    private const int Additive = 1;
    private const int Multiplicative = 2;
    private const int Postfix = 4;
    private const int Atom = 5;

    public static string Print(Term t) => Escape(Text(t).Text);

    /// <summary>The same text, not XML-escaped (for Graphviz labels).</summary>
    public static string PrintPlain(Term t) => Text(t).Text;

    private static (string Text, int Level) Text(Term t)
    {
        switch (t)
        {
            case Num n:
                return n.Value < 0 ? ("−" + Number(-n.Value), Additive) : (Number(n.Value), Atom);
            case Sym s:
                return (s.Name, Atom);
            case Elem e:
                return (e.Array + "[" + string.Join(",", e.Indices.Select(i => Text(i).Text)) + "]", Atom);
            case Len l:
                return (l.Dimension < 0 ? l.Array + ".Length" : l.Array + ".GetLength(" + l.Dimension.ToString(CultureInfo.InvariantCulture) + ")", Atom);
            case Add a:
                return (Terms(a), Additive);
            case Mul m:
                return Product(m.Factors);
            case Pow { Exponent: Num { Value: < 0 } } p:
                return Product(new Term[] { p });
            case Pow p:
            {
                string b = Wrap(p.Base, Atom);
                string e = p.Exponent is Num { Value: > 0 and < 100 } k && TermSimplifier.IsInteger(k.Value) ? Superscript((int)k.Value) : "^" + Wrap(p.Exponent, Atom);
                return (b + e, Postfix);
            }
            case Fn f:
                return (Function(f), Atom);
            case Sigma s:
                return ("Σ" + Range(s) + " " + Wrap(s.Body, Multiplicative), Multiplicative);
            case Delta d:
                return ("δ(" + Text(d.Of).Text + "," + d.Index + ")", Atom);
            case Piecewise c:
                return ("(" + Text(c.Condition).Text + " ? " + Text(c.WhenTrue).Text + " : " + Text(c.WhenFalse).Text + ")", Atom);
            case Rel { Op: RelOp.IntDivide } r:
                return ("⌊" + Text(r.Left).Text + "/" + Text(r.Right).Text + "⌋", Atom);
            case Rel r:
                return (Wrap(r.Left, Additive) + " " + Symbol(r.Op) + " " + Wrap(r.Right, Additive), Relation);
            case Not n:
                return ("¬" + Wrap(n.Operand, Atom), Atom);
            default:
                return ("?", Atom);
        }
    }

    private static string Terms(Add a)
    {
        var text = new StringBuilder();
        foreach (var term in a.Terms)
        {
            var (negative, magnitude) = Magnitude(term);
            string body = Wrap(magnitude, text.Length == 0 ? Additive : Multiplicative);
            text.Append(text.Length == 0 ? (negative ? "−" : "") : (negative ? " − " : " + ")).Append(body);
        }
        return text.ToString();
    }

    private static (bool Negative, Term Magnitude) Magnitude(Term t) => t switch
    {
        Num { Value: < 0 } n => (true, new Num(-n.Value)),
        Mul { Factors: var fs } when fs.Count > 1 && fs[0] is Num { Value: < 0 } c => (true, TermSimplifier.Product(new Term[] { new Num(-c.Value) }.Concat(fs.Skip(1)))),
        _ => (false, t),
    };

    private static (string, int) Product(IReadOnlyList<Term> factors)
    {
        double coefficient = factors.Count > 0 && factors[0] is Num c ? c.Value : 1;
        var numerator = new List<Term>();
        var denominator = new List<Term>();
        foreach (var f in factors.Where(f => f is not Num))
        {
            if (f is Pow { Exponent: Num { Value: < 0 } e } p) denominator.Add(TermSimplifier.Power(p.Base, new Num(-e.Value)));
            else numerator.Add(f);
        }
        numerator = numerator.OrderBy(Rank).ToList(); // stable
        string sign = coefficient < 0 ? "−" : "";
        double magnitude = System.Math.Abs(coefficient);
        string top = string.Join("·", numerator.Select((f, k) => f is Sigma && k < numerator.Count - 1 ? "(" + Text(f).Text + ")" : Wrap(f, Multiplicative)));
        int level = coefficient < 0 ? Additive : Multiplicative;
        if (denominator.Count == 0)
        {
            string scale = magnitude == 1 ? "" : Number(magnitude) + (numerator.Count > 0 ? "·" : "");
            return (sign + scale + top, level);
        }
        string bottom = denominator.Count == 1
            ? Wrap(denominator[0], Postfix)
            : "(" + string.Join("·", denominator.Select(f => Wrap(f, Multiplicative))) + ")";
        if (numerator.Any(f => f is Sigma)) return (sign + "(" + Number(magnitude) + "/" + bottom + ")·" + top, level);
        string over = numerator.Count == 0 ? Number(magnitude) : (magnitude == 1 ? "" : Number(magnitude) + "·") + top;
        return (sign + over + "/" + bottom, level);
    }

    private static int Rank(Term f) => f switch
    {
        Sigma => 3,
        Fn or Pow { Base: Fn } => 2,
        _ => 1,
    };

    private static string Function(Fn f)
    {
        string Arg(int k) => k < f.Args.Count ? Text(f.Args[k]).Text : "?";
        return f.Kind == MathFunction.Abs
            ? "|" + Arg(0) + "|"
            : PrimitiveTable.Of(f.Kind).Glyph + "(" + string.Join(", ", f.Args.Select(a => Text(a).Text)) + ")";
    }

    /// <summary>ᵢ for a whole range of i; otherwise the range itself, e.g. <c>_{1≤i&lt;n}</c>.</summary>
    private static string Range(Sigma s)
    {
        if (s.Whole) return Subscript(s.Index);
        bool inclusive = s.Upper is Add a && a.Terms.Any(t => t is Num { Value: > 0 });
        string upper = inclusive ? "≤" + Text(TermSimplifier.Difference(s.Upper, TermSimplifier.One)).Text : "<" + Text(s.Upper).Text;
        return "_{" + Text(s.Lower).Text + "≤" + s.Index + upper + "}";
    }

    private static string Subscript(string index)
    {
        const string letters = "ijklmn";
        const string subscripts = "ᵢⱼₖₗₘₙ";
        int k = index.Length == 1 ? letters.IndexOf(index[0]) : -1;
        return k >= 0 ? subscripts[k].ToString() : "_{" + index + "}";
    }

    private static string Superscript(int n)
    {
        const string digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        return new string(n.ToString(CultureInfo.InvariantCulture).Select(ch => digits[ch - '0']).ToArray());
    }

    internal static string Symbol(RelOp op) => op switch
    {
        RelOp.Less => "<",
        RelOp.LessOrEqual => "≤",
        RelOp.Greater => ">",
        RelOp.GreaterOrEqual => "≥",
        RelOp.Equal => "=",
        RelOp.NotEqual => "≠",
        RelOp.And => "∧",
        RelOp.Or => "∨",
        _ => "mod",
    };

    private static string Wrap(Term t, int level)
    {
        var (text, own) = Text(t);
        return own < level ? "(" + text + ")" : text;
    }

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string text) => new StringBuilder(text).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").ToString();
}
