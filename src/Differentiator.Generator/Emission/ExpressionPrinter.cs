using System.Globalization;
using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Differentiator.Generator.Primitives;

namespace Differentiator.Generator.Emission;

/// <summary>
/// Prints IR expressions as C# with the fewest parentheses that keep C#'s evaluation order (so IEEE results equal
/// the user's code). Integer-valued double literals print as <c>2</c> where C# already computes in double and as
/// <c>2.0</c> where <c>1 / n</c> would otherwise become integer division. In the float dialect literals carry the
/// <c>f</c> suffix (<c>0.5f</c>, <c>2f</c>) and functions come from <c>MathF</c>, so the code computes in float as the method does.
/// </summary>
internal sealed class ExpressionPrinter
{
    private readonly Dialect _dialect;

    public ExpressionPrinter(Dialect dialect) => _dialect = dialect;

    public string Print(Expr e) => Print(e, requireDouble: false);

    private string Print(Expr e, bool requireDouble)
    {
        switch (e)
        {
            case Const c:
                return Literal(c, requireDouble);
            case VarRef v:
                return v.Name;
            case ArrayRef { SliceTo: { } length } a:
                return "((global::System.Span<double>)" + a.Array + ").Slice(0, " + length + ".Length)";
            case ArrayRef a:
                return a.Array;
            case ElementRef { Jagged: true } el:
                return el.Array + string.Concat(el.Indices.Select(i => "[" + Print(i) + "]"));
            case ElementRef el:
                return el.Array + "[" + string.Join(", ", el.Indices.Select(Print)) + "]";
            case RowLength row:
                return row.Array + "[" + Print(row.Row) + "].Length";
            case LengthOf len:
                return len.Dimension < 0 ? len.Array + ".Length" : len.Array + ".GetLength(" + len.Dimension.ToString(CultureInfo.InvariantCulture) + ")";
            case Unary u:
            {
                string operand = Child(u.Operand, Precedence.UnaryLevel, rightSide: false, requireDouble);
                if (operand.StartsWith("-", System.StringComparison.Ordinal)) operand = "(" + operand + ")";
                return (u.Op == UnaryOp.Negate ? "-" : "!") + operand;
            }
            case Binary b:
                return PrintBinary(b, requireDouble);
            case Conditional c:
            {
                bool forceBranches = requireDouble || (c.Type == ScalarType.Double && !IsDoubleText(c.WhenTrue) && !IsDoubleText(c.WhenFalse));
                return Child(c.Condition, Precedence.ConditionalLevel + 1, false, false) + " ? "
                    + Child(c.WhenTrue, Precedence.ConditionalLevel + 1, false, forceBranches) + " : "
                    + Child(c.WhenFalse, Precedence.ConditionalLevel, false, forceBranches);
            }
            case MathCall m:
                return Dialects.Host(PrimitiveTable.Of(m.Function).Host, _dialect) + PrimitiveTable.Of(m.Function).Name + "(" + string.Join(", ", m.Arguments.Select(Print)) + ")";
            case Convert c when c.Type == ScalarType.Double:
                return requireDouble ? "(" + Dialects.Real(_dialect) + ")" + Child(c.Operand, Precedence.UnaryLevel, false, false) : Print(c.Operand);
            case Convert c:
                return _dialect == Dialect.Tape && c.Operand.Type == ScalarType.Double
                    ? "(int)" + Dialects.TapeMath + ".Primal(" + Print(c.Operand) + ")"
                    : "(int)" + Child(c.Operand, Precedence.UnaryLevel, false, false);
            default:
                throw new System.InvalidOperationException("Unknown expression " + e.GetType().Name);
        }
    }

    private string PrintBinary(Binary b, bool requireDouble)
    {
        int precedence = Precedence.Of(b.Op);
        bool arithmeticDouble = b.Type == ScalarType.Double || (b.Left.Type == ScalarType.Double && b.Right.Type == ScalarType.Double);
        bool forceLeft = arithmeticDouble && !IsDoubleText(b.Left) && !IsDoubleText(b.Right);
        string left = Child(b.Left, precedence, rightSide: false, forceLeft);
        string right = Child(b.Right, precedence, rightSide: true, requireDouble: false);
        return left + " " + Precedence.Symbol(b.Op) + " " + right;
    }

    private string Child(Expr child, int parentPrecedence, bool rightSide, bool requireDouble)
    {
        string text = Print(child, requireDouble);
        int own = Precedence.Of(child, requireDouble);
        bool wrap = own < parentPrecedence || (rightSide && own == parentPrecedence)
            || (rightSide && child is Const { Value: < 0 });
        return wrap ? "(" + text + ")" : text;
    }

    /// <summary>Whether C# types the printed text as double (an integral literal or an implicit int→double would not be).</summary>
    public static bool IsDoubleText(Expr e) => e switch
    {
        Const c => c.Type == ScalarType.Double && !IsIntegral(c.Value),
        Convert => false,
        Conditional c => c.Type == ScalarType.Double && (IsDoubleText(c.WhenTrue) || IsDoubleText(c.WhenFalse)),
        Binary b => b.Type == ScalarType.Double,
        Unary u => IsDoubleText(u.Operand),
        _ => e.Type == ScalarType.Double,
    };

    private static bool IsIntegral(double v) => !double.IsNaN(v) && !double.IsInfinity(v) && v == System.Math.Floor(v) && System.Math.Abs(v) < 1e15;

    private string Literal(Const c, bool requireDouble)
    {
        switch (c.Type)
        {
            case ScalarType.Bool:
                return c.Value != 0 ? "true" : "false";
            case ScalarType.Int:
                return ((long)c.Value).ToString(CultureInfo.InvariantCulture);
        }
        if (_dialect == Dialect.Single) return SingleLiteral((float)c.Value, requireDouble);
        double v = c.Value;
        if (double.IsNaN(v)) return Dialects.Real(Dialect.Double) + ".NaN";
        if (double.IsPositiveInfinity(v)) return Dialects.Real(Dialect.Double) + ".PositiveInfinity";
        if (double.IsNegativeInfinity(v)) return Dialects.Real(Dialect.Double) + ".NegativeInfinity";
        string text = v.ToString("R", CultureInfo.InvariantCulture);
        if (requireDouble && IsIntegral(v) && text.IndexOfAny(new[] { '.', 'E', 'e' }) < 0) text += ".0";
        return text;
    }

    /// <summary>
    /// A constant of a float method, rounded to float as C# rounds a float literal: the user's own literals are floats
    /// already; a derivative rule's constants (½, ln 10) become the nearest float, as a person writing MathF code would write them.
    /// </summary>
    private static string SingleLiteral(float v, bool requireFloat)
    {
        if (float.IsNaN(v)) return Dialects.Real(Dialect.Single) + ".NaN";
        if (float.IsPositiveInfinity(v)) return Dialects.Real(Dialect.Single) + ".PositiveInfinity";
        if (float.IsNegativeInfinity(v)) return Dialects.Real(Dialect.Single) + ".NegativeInfinity";
        string text = v.ToString("R", CultureInfo.InvariantCulture);
        bool integerToken = text.IndexOfAny(new[] { '.', 'E', 'e' }) < 0;
        return integerToken && !requireFloat && IsIntegral(v) ? text : text + Dialects.SingleSuffix;
    }
}

internal static class Precedence
{
    public const int ConditionalLevel = 3;
    public const int UnaryLevel = 14;
    public const int PrimaryLevel = 15;

    public static int Of(BinaryOp op) => op switch
    {
        BinaryOp.Multiply or BinaryOp.Divide or BinaryOp.Modulo => 13,
        BinaryOp.Add or BinaryOp.Subtract => 12,
        BinaryOp.Less or BinaryOp.LessOrEqual or BinaryOp.Greater or BinaryOp.GreaterOrEqual => 10,
        BinaryOp.Equal or BinaryOp.NotEqual => 9,
        BinaryOp.And => 5,
        _ => 4,
    };

    public static int Of(Expr e, bool requireDouble) => e switch
    {
        Binary b => Of(b.Op),
        Conditional => ConditionalLevel,
        Unary => UnaryLevel,
        Convert c when c.Type == ScalarType.Int || requireDouble => UnaryLevel,
        Convert c => Of(c.Operand, false),
        Const c when c.Value < 0 || (c.Value == 0 && double.IsInfinity(1 / c.Value) && 1 / c.Value < 0) => UnaryLevel,
        _ => PrimaryLevel,
    };

    public static string Symbol(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+",
        BinaryOp.Subtract => "-",
        BinaryOp.Multiply => "*",
        BinaryOp.Divide => "/",
        BinaryOp.Modulo => "%",
        BinaryOp.Less => "<",
        BinaryOp.LessOrEqual => "<=",
        BinaryOp.Greater => ">",
        BinaryOp.GreaterOrEqual => ">=",
        BinaryOp.Equal => "==",
        BinaryOp.NotEqual => "!=",
        BinaryOp.And => "&&",
        _ => "||",
    };
}
