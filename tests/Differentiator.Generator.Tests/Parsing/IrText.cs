using System.Globalization;
using System.Linq;
using System.Text;
using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Tests.Parsing;

/// <summary>IR as compact text, for readable assertions and failure messages: <c>sum = (sum + (r * r))</c>.</summary>
internal static class IrText
{
    public static string Of(Block block, int indent = 0)
    {
        var text = new StringBuilder();
        foreach (var s in block.Statements) Append(text, s, indent);
        return text.ToString();
    }

    public static string Of(Stmt statement)
    {
        var text = new StringBuilder();
        Append(text, statement, 0);
        return text.ToString().TrimEnd('\n');
    }

    private static void Append(StringBuilder text, Stmt statement, int indent)
    {
        string pad = new(' ', indent * 2);
        switch (statement)
        {
            case Assign a: text.Append(pad).Append(a.Target).Append(" = ").Append(Of(a.Value)).Append('\n'); break;
            case CallAssign c:
                text.Append(pad).Append(c.Target).Append(" = call ").Append(c.Callee.ContainingType.Length > 0 ? c.Callee.ContainingType + "." : "").Append(c.Callee.Name)
                    .Append('(').Append(string.Join(", ", c.Arguments.Select(Of))).Append(")\n");
                break;
            case Return r: text.Append(pad).Append("return ").Append(Of(r.Value)).Append('\n'); break;
            case If i:
                text.Append(pad).Append("if ").Append(Of(i.Condition)).Append('\n').Append(Of(i.Then, indent + 1));
                if (i.Else.Statements.Count > 0) text.Append(pad).Append("else\n").Append(Of(i.Else, indent + 1));
                break;
            case For f:
                text.Append(pad).Append("for ").Append(f.Counter).Append(" = ").Append(Of(f.Start)).Append("; ").Append(f.Counter).Append(' ').Append(Op(f.Compare)).Append(' ')
                    .Append(Of(f.Bound)).Append("; ").Append(f.Step > 0 ? "+1" : "-1").Append('\n').Append(Of(f.Body, indent + 1));
                break;
            default: text.Append(pad).Append(statement).Append('\n'); break;
        }
    }

    public static string Of(Expr expr) => expr switch
    {
        Const { Type: ScalarType.Bool } c => c.Value != 0 ? "true" : "false",
        Const { Type: ScalarType.Int } c => c.Value.ToString(CultureInfo.InvariantCulture),
        Const c => c.Value.ToString("R", CultureInfo.InvariantCulture) + "d",
        VarRef v => v.Name,
        ArrayRef a => a.Array + "[]",
        ElementRef e => e.Array + "[" + string.Join(", ", e.Indices.Select(Of)) + "]",
        LengthOf { Dimension: < 0 } l => l.Array + ".Length",
        LengthOf l => l.Array + ".GetLength(" + l.Dimension + ")",
        Unary u => (u.Op == UnaryOp.Negate ? "-" : "!") + Of(u.Operand),
        Binary b => "(" + Of(b.Left) + " " + Op(b.Op) + " " + Of(b.Right) + ")",
        Conditional c => "(" + Of(c.Condition) + " ? " + Of(c.WhenTrue) + " : " + Of(c.WhenFalse) + ")",
        MathCall m => m.Function + "(" + string.Join(", ", m.Arguments.Select(Of)) + ")",
        Convert c => "(" + (c.Target == ScalarType.Double ? "double" : c.Target == ScalarType.Int ? "int" : "bool") + ")" + Of(c.Operand),
        _ => expr.ToString(),
    };

    public static string Op(BinaryOp op) => op switch
    {
        BinaryOp.Add => "+", BinaryOp.Subtract => "-", BinaryOp.Multiply => "*", BinaryOp.Divide => "/", BinaryOp.Modulo => "%",
        BinaryOp.Less => "<", BinaryOp.LessOrEqual => "<=", BinaryOp.Greater => ">", BinaryOp.GreaterOrEqual => ">=",
        BinaryOp.Equal => "==", BinaryOp.NotEqual => "!=", BinaryOp.And => "&&", _ => "||",
    };
}
