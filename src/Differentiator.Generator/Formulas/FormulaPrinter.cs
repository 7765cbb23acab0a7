using System.Globalization;
using System.Linq;
using System.Text;
using Differentiator.Generator.Emission;
using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Formulas;

/// <summary>
/// Terms as readable math for XML doc comments: Σᵢ, ·, −, x², √, ln, exp, indices as <c>X[i,j]</c>; XML-escaped.
/// Parentheses only where precedence needs them; a sum's body is bracketed unless it is a single factor.
/// </summary>
internal static class FormulaPrinter
{
    private const int Additive = 1;
    private const int Multiplicative = 2;
    private const int Prefix = 3;
    private const int Atom = 4;

    public static string Print(Expr e) => Escape(Text(e).Text);

    private static (string Text, int Level) Text(Expr e)
    {
        switch (e)
        {
            case Const c:
                return c.Value < 0 ? ("−" + Number(-c.Value), Prefix) : (Number(c.Value), Atom);
            case VarRef v:
                return (v.Name, Atom);
            case LengthOf len:
                return (len.Dimension < 0 ? len.Array + ".Length" : len.Array + ".GetLength(" + len.Dimension + ")", Atom);
            case ElementRef el:
                return (el.Array + "[" + string.Join(",", el.Indices.Select(i => Text(i).Text)) + "]", Atom);
            case Convert c:
                return Text(c.Operand);
            case Unary { Op: UnaryOp.Negate } u:
                return ("−" + Wrap(u.Operand, Prefix), Prefix);
            case Binary { Op: BinaryOp.Multiply } m when ReferenceEquals(m.Left, m.Right) || m.Left.Equals(m.Right):
                return (Wrap(m.Left, Atom) + "²", Atom);
            case Binary b when b.Type == ScalarType.Double || b.Op is BinaryOp.Add or BinaryOp.Subtract or BinaryOp.Multiply or BinaryOp.Divide:
            {
                int level = b.Op is BinaryOp.Add or BinaryOp.Subtract ? Additive : Multiplicative;
                string op = b.Op switch { BinaryOp.Add => " + ", BinaryOp.Subtract => " − ", BinaryOp.Multiply => "·", BinaryOp.Divide => "/", _ => " % " };
                // A sum on the left of a product is bracketed so it is clear where Σ ends.
                bool bracket = level == Multiplicative && (b.Left is Sum || (b.Op == BinaryOp.Multiply && b.Left is Binary { Op: BinaryOp.Divide }));
                string left = bracket ? "(" + Text(b.Left).Text + ")" : Wrap(b.Left, level);
                string right = Wrap(b.Right, level + (b.Op is BinaryOp.Subtract or BinaryOp.Divide ? 1 : 0));
                return (left + op + right, level);
            }
            case Binary comparison:
                return (Wrap(comparison.Left, Additive) + " " + Precedence.Symbol(comparison.Op) + " " + Wrap(comparison.Right, Additive), 0);
            case Conditional c:
                return ("(" + Text(c.WhenTrue).Text + " if " + Text(c.Condition).Text + ", else " + Text(c.WhenFalse).Text + ")", Atom);
            case MathCall m:
                return (Function(m), Atom);
            case Sum s:
            {
                var body = Text(s.Body);
                // Σⱼ X[i,j]·w[j] needs no brackets; a sum of terms does.
                return ("Σ" + Subscript(s.Index) + " " + (body.Level >= Multiplicative ? body.Text : "(" + body.Text + ")"), Prefix);
            }
            case Delta d:
                return ("δ(" + Text(d.Of).Text + "," + d.Index + ")", Atom);
            default:
                return ("?", Atom);
        }
    }

    private static string Function(MathCall m)
    {
        string Arg(int k) => Text(m.Arguments[k]).Text;
        return m.Function switch
        {
            MathFunction.Sqrt => "√(" + Arg(0) + ")",
            MathFunction.Log => "ln(" + Arg(0) + ")",
            MathFunction.Pow => Wrap(m.Arguments[0], Atom) + "^" + Wrap(m.Arguments[1], Atom),
            MathFunction.Abs => "|" + Arg(0) + "|",
            _ => m.Function.ToString().ToLowerInvariant() + "(" + string.Join(", ", m.Arguments.Select((_, k) => Arg(k))) + ")",
        };
    }

    private static string Wrap(Expr e, int level)
    {
        var (text, own) = Text(e);
        return own < level ? "(" + text + ")" : text;
    }

    private static string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Subscript(string index)
    {
        const string letters = "aehijklmnoprstuvx";
        const string subscripts = "ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ";
        if (index.Length == 1 && letters.IndexOf(index[0]) is int k and >= 0) return subscripts[k].ToString();
        return "_" + index;
    }

    private static string Escape(string text) => new StringBuilder(text).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").ToString();
}
