using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using D = Differentiator.Generator.Diagnostics.DiagnosticDescriptors;

namespace Differentiator.Generator.Parsing;

/// <summary>
/// C# expressions to IR. Every implicit conversion C# applies (an int operand of a double operation, an int
/// argument of Math.Exp) becomes an explicit <see cref="Convert"/>, read from the semantic model, so each IR
/// operation computes in the type C# computes in. Unsupported syntax yields DIFF008 and a placeholder.
/// </summary>
internal sealed class ExpressionParser
{
    private readonly ParseContext _c;
    private readonly CallParser _calls;

    public ExpressionParser(ParseContext context)
    {
        _c = context;
        _calls = new CallParser(context, this);
    }

    /// <summary>Where calls to [Differentiable] methods would be evaluated conditionally; null where they are fine.</summary>
    public string? ConditionalContext { get; set; }

    /// <summary>The expression converted to the type C# converts it to at this position; a whole array is not a number.</summary>
    public Expr Parse(ExpressionSyntax syntax)
    {
        var expr = ParseArgument(syntax);
        return expr is ArrayRef array ? Unsupported(syntax, "Using the whole array '" + array.Array + "' as a number") : expr;
    }

    /// <summary>Like <see cref="Parse"/>, but a whole array parameter is allowed (as an argument to an array parameter).</summary>
    public Expr ParseArgument(ExpressionSyntax syntax)
    {
        _c.CancellationToken.ThrowIfCancellationRequested();
        if (_depth >= MaxDepth)
            return Unsupported(syntax, "An expression nested more than " + MaxDepth + " levels deep (split it into statements)");
        _depth++;
        try
        {
            return Converted(syntax, ParseNatural(syntax));
        }
        finally
        {
            _depth--;
        }
    }

    /// <summary>
    /// Nesting bound: every stage after parsing walks expression trees recursively, and a stack overflow would kill
    /// the compiler. Long chains such as a 5,000-term sum do not count against it (see <see cref="Chain"/>).
    /// </summary>
    private const int MaxDepth = 400;

    /// <summary>A left-deep run of + − or · ÷ longer than this is evaluated in pieces of this length.</summary>
    private const int ChainPiece = 128;

    private int _depth;

    private Expr Converted(ExpressionSyntax syntax, Expr expr)
    {
        var converted = _c.ScalarOf(_c.Model.GetTypeInfo(syntax, _c.CancellationToken).ConvertedType);
        return converted is { } target && target != expr.Type && expr is not ArrayRef ? new Convert(expr, target) : expr;
    }

    /// <summary>
    /// <c>a + b + c + …</c> parsed along its left spine without recursion, and, past <see cref="ChainPiece"/> terms,
    /// split into partial results held in temporaries: the same operations in the same order (so the same IEEE
    /// result), but trees of bounded depth for the stages that follow.
    /// </summary>
    private Expr? Chain(BinaryExpressionSyntax binary)
    {
        var spine = new List<BinaryExpressionSyntax>();
        ExpressionSyntax node = binary;
        while (node is BinaryExpressionSyntax b && IsArithmetic(b)) { spine.Add(b); node = b.Left; }
        if (spine.Count <= ChainPiece) return null;
        var acc = ParseArgument(node);
        for (int k = spine.Count - 1; k >= 0; k--)
        {
            var b = spine[k];
            var right = Parse(b.Right);
            var op = b.Kind() switch
            {
                SyntaxKind.AddExpression => BinaryOp.Add,
                SyntaxKind.SubtractExpression => BinaryOp.Subtract,
                SyntaxKind.MultiplyExpression => BinaryOp.Multiply,
                _ => BinaryOp.Divide,
            };
            var left = acc;
            acc = Typed(b, t => new Binary(op, left, right, t));
            if (k > 0) acc = Converted(b, acc);
            if (k > 0 && (spine.Count - k) % ChainPiece == 0 && acc.Type == ScalarType.Double)
            {
                if (ConditionalContext is not null) return Unsupported(binary, "A chain of more than " + ChainPiece + " operations " + ConditionalContext + " (move it into a statement)");
                string partial = _c.Temporary("partial");
                _c.Pending.Add(new Assign(partial, acc));
                acc = new VarRef(partial, ScalarType.Double);
            }
        }
        return acc;
    }

    private static bool IsArithmetic(BinaryExpressionSyntax b) =>
        b.IsKind(SyntaxKind.AddExpression) || b.IsKind(SyntaxKind.SubtractExpression) || b.IsKind(SyntaxKind.MultiplyExpression) || b.IsKind(SyntaxKind.DivideExpression);

    /// <summary>A generated derivative called as a statement of its own (<see cref="NestedCallParser"/>).</summary>
    public void NestedCall(InvocationExpressionSyntax call, (string Name, string Kind, string Of) generated) =>
        new NestedCallParser(_c, this, _calls).Parse(call, generated, valueUsed: false);

    public Expr ParseAs(ExpressionSyntax syntax, ScalarType type)
    {
        var expr = Parse(syntax);
        return expr.Type == type ? expr : new Convert(expr, type);
    }

    private Expr ParseNatural(ExpressionSyntax syntax)
    {
        switch (syntax)
        {
            case ParenthesizedExpressionSyntax p:
                return ParseArgument(p.Expression);
            case LiteralExpressionSyntax literal:
                return Literal(literal);
            case IdentifierNameSyntax identifier:
                return Identifier(identifier);
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryMinusExpression):
                return Typed(syntax, t => new Unary(UnaryOp.Negate, Parse(unary.Operand), t));
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryPlusExpression):
                return Parse(unary.Operand);
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.LogicalNotExpression):
                return new Unary(UnaryOp.Not, ParseAs(unary.Operand, ScalarType.Bool), ScalarType.Bool);
            case BinaryExpressionSyntax binary:
                return Binary(binary);
            case ConditionalExpressionSyntax conditional:
            {
                var condition = _c.Remember(ParseAs(conditional.Condition, ScalarType.Bool), conditional.Condition);
                string? outer = ConditionalContext;
                ConditionalContext = "in a branch of ?:";
                var whenTrue = Parse(conditional.WhenTrue);
                var whenFalse = Parse(conditional.WhenFalse);
                ConditionalContext = outer;
                return Typed(syntax, t => new Conditional(condition, whenTrue, whenFalse, t));
            }
            case ElementAccessExpressionSyntax element:
                return Element(element);
            case MemberAccessExpressionSyntax member:
                return Member(member);
            case InvocationExpressionSyntax invocation:
                return _calls.Parse(invocation);
            case CastExpressionSyntax cast:
            {
                var castType = _c.Model.GetTypeInfo(cast.Type, _c.CancellationToken).Type;
                var target = _c.ScalarOf(castType);
                if (target is ScalarType.Double or ScalarType.Int) return _c.Remember(ParseAs(cast.Expression, target.Value), cast);
                if (_c.IsOtherReal(castType)) return Mixed(syntax);
                return Unsupported(syntax, "A cast to '" + cast.Type + "'");
            }
            default:
                return Unsupported(syntax, Describe(syntax));
        }
    }

    /// <summary>Builds a node of the expression's natural C# type; code with type errors is the compiler's to report.</summary>
    private Expr Typed(ExpressionSyntax syntax, System.Func<ScalarType, Expr> build)
    {
        var natural = _c.Model.GetTypeInfo(syntax, _c.CancellationToken).Type;
        var type = _c.ScalarOf(natural);
        if (type is null && _c.IsOtherReal(natural)) return Mixed(syntax);
        if (type is null) return Unresolved(syntax, "An expression of type '" + (natural?.ToDisplayString() ?? "?") + "'");
        return build(type.Value);
    }

    private Expr Literal(LiteralExpressionSyntax literal)
    {
        var value = _c.Model.GetConstantValue(literal, _c.CancellationToken);
        switch (value.Value)
        {
            case double or float when _c.IsOtherReal(_c.Model.GetTypeInfo(literal, _c.CancellationToken).Type): return Mixed(literal);
            case double d: return new Const(d, ScalarType.Double);
            case float f: return new Const(f, ScalarType.Double);
            case int i: return new Const(i, ScalarType.Int);
            case bool b: return new Const(b ? 1 : 0, ScalarType.Bool);
            default:
                if (literal.Token.IsMissing) { _c.Broken = true; return Placeholder; }
                return Unsupported(literal, "The literal '" + literal + "'");
        }
    }

    private Expr Identifier(IdentifierNameSyntax identifier)
    {
        var symbol = _c.Model.GetSymbolInfo(identifier, _c.CancellationToken).Symbol;
        switch (symbol)
        {
            case ILocalSymbol local when _c.TryGetName(local, out var name):
                return new VarRef(name, _c.ScalarOf(local.Type) ?? ScalarType.Double);
            case IParameterSymbol when _c.TryGetInlined(symbol, out var bound):
                if (bound.View is null) return new VarRef(bound.Name, bound.Type);
                return bound.View.IsWhole ? new ArrayRef(bound.View.Name) : Unsupported(identifier, "Using the slice '" + identifier + "' as a whole (index it, or pass it to a helper that is inlined)");
            case IParameterSymbol when _c.TryGetOwnParameter(symbol, out var p):
                return p.IsArray ? new ArrayRef(p.Name) : new VarRef(p.Name, p.ScalarType);
            case ILocalSymbol when _c.ArrayOf(symbol) is { IsWhole: true } array:
                return new ArrayRef(array.Name);
            case ILocalSymbol when _c.ArrayOf(symbol) is not null:
                return Unsupported(identifier, "Using the slice '" + identifier + "' as a whole (index it, or pass it to a helper that is inlined)");
            case IFieldSymbol { HasConstantValue: true } constant:
                return Constant(constant.ConstantValue, identifier);
            case null:
                return Unresolved(identifier, "Reading '" + identifier + "'");
            default:
                return Unsupported(identifier, "Reading '" + identifier + "' (a " + symbol.Kind.ToString().ToLowerInvariant() + "; pass it as a parameter instead)");
        }
    }

    private Expr Constant(object? value, SyntaxNode node) => value switch
    {
        double or float when _c.IsOtherReal(_c.Model.GetTypeInfo(node, _c.CancellationToken).Type) => Mixed(node),
        double d => new Const(d, ScalarType.Double),
        float f => new Const(f, ScalarType.Double),
        int i => new Const(i, ScalarType.Int),
        bool b => new Const(b ? 1 : 0, ScalarType.Bool),
        _ => Unsupported(node, "The constant '" + node + "'"),
    };

    private Expr Binary(BinaryExpressionSyntax binary)
    {
        if (Chain(binary) is { } chain) return chain;
        BinaryOp? op = binary.Kind() switch
        {
            SyntaxKind.AddExpression => BinaryOp.Add,
            SyntaxKind.SubtractExpression => BinaryOp.Subtract,
            SyntaxKind.MultiplyExpression => BinaryOp.Multiply,
            SyntaxKind.DivideExpression => BinaryOp.Divide,
            SyntaxKind.ModuloExpression => BinaryOp.Modulo,
            SyntaxKind.LessThanExpression => BinaryOp.Less,
            SyntaxKind.LessThanOrEqualExpression => BinaryOp.LessOrEqual,
            SyntaxKind.GreaterThanExpression => BinaryOp.Greater,
            SyntaxKind.GreaterThanOrEqualExpression => BinaryOp.GreaterOrEqual,
            SyntaxKind.EqualsExpression => BinaryOp.Equal,
            SyntaxKind.NotEqualsExpression => BinaryOp.NotEqual,
            SyntaxKind.LogicalAndExpression => BinaryOp.And,
            SyntaxKind.LogicalOrExpression => BinaryOp.Or,
            _ => null,
        };
        if (op is null) return Unsupported(binary, "The operator '" + binary.OperatorToken.Text + "'");
        var left = Parse(binary.Left);
        string? outer = ConditionalContext;
        if (op is BinaryOp.And or BinaryOp.Or) ConditionalContext = "right of " + binary.OperatorToken.Text;
        var right = Parse(binary.Right);
        ConditionalContext = outer;
        if (op == BinaryOp.Modulo && left.Type == ScalarType.Double)
            return Unsupported(binary, "The remainder '%' of doubles (it has no derivative almost nowhere useful; use it on ints)");
        return _c.Remember(Typed(binary, t => new Binary(op.Value, left, right, t)), binary);
    }

    public Expr Element(ElementAccessExpressionSyntax element)
    {
        // x[i][j] on a jagged array: one element reference, no temporary for the row.
        if (element.ArgumentList.Arguments.Count == 1 && JaggedRow(element.Expression) is { } jaggedRow)
        {
            var row = ParseAs(jaggedRow.RowIndex, ScalarType.Int);
            return jaggedRow.Jagged.Element(EquatableArray.Of(row, ParseAs(element.ArgumentList.Arguments[0].Expression, ScalarType.Int)));
        }
        if (element.Expression is not IdentifierNameSyntax name
            || _c.ArrayOf(_c.Model.GetSymbolInfo(name, _c.CancellationToken).Symbol) is not { } array
            || (array.Jagged && array.Row is null))
        {
            if (_c.Model.GetSymbolInfo(element.Expression, _c.CancellationToken).Symbol is null) return Unresolved(element, "Indexing '" + element.Expression + "'");
            return Unsupported(element, "Indexing '" + element.Expression + "' (only array and span parameters and local double arrays can be indexed)");
        }
        var arguments = element.ArgumentList.Arguments;
        if (arguments.Count != array.Rank) { _c.Broken = true; return Placeholder; }
        var indices = arguments.Select(a => ParseAs(a.Expression, ScalarType.Int)).ToEquatableArray();
        return array.Element(indices);
    }

    /// <summary>
    /// The array an expression denotes, possibly a slice: <c>x</c>, <c>x.Slice(start, length)</c>, <c>x.AsSpan(start)</c>
    /// and chains of them. A slice's offset and length are computed once, here, into int locals: later changes to the
    /// variables they were computed from do not move it, as with a real span.
    /// </summary>
    public ArrayView? View(ExpressionSyntax syntax)
    {
        while (syntax is ParenthesizedExpressionSyntax p) syntax = p.Expression;
        if (syntax is IdentifierNameSyntax) return _c.ArrayOf(_c.Model.GetSymbolInfo(syntax, _c.CancellationToken).Symbol);
        // x[i] of a jagged array: a view of row i (the row index fixed here, like a slice's offset).
        if (JaggedRow(syntax) is { } jaggedRow)
        {
            string rowName = _c.Temporary(jaggedRow.Jagged.Name + "_row", ScalarType.Int);
            _c.Pending.Add(new Assign(rowName, ParseAs(jaggedRow.RowIndex, ScalarType.Int)));
            return jaggedRow.Jagged with { Rank = 1, Row = rowName };
        }
        if (syntax is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.Text: "Slice" or "AsSpan" } member } call
            || _c.Model.GetSymbolInfo(call, _c.CancellationToken).Symbol is not IMethodSymbol method
            || method.ContainingType?.Name is not ("Span" or "ReadOnlySpan" or "MemoryExtensions")
            || method.ContainingNamespace?.Name != "System"
            || method.Parameters.Any(p => p.Type.SpecialType != SpecialType.System_Int32 && !p.IsThis && p.Ordinal > 0)
            || call.ArgumentList.Arguments.Any(a => a.NameColon is not null))
            return null;
        var inner = View(member.Expression);
        var arguments = call.ArgumentList.Arguments;
        if (inner is null || inner.Rank != 1 || arguments.Count > 2) return null;
        if (arguments.Count == 0) return inner;
        var start = ParseAs(arguments[0].Expression, ScalarType.Int);
        Expr offset = inner.Offset is null ? start : new Binary(BinaryOp.Add, new VarRef(inner.Offset, ScalarType.Int), start, ScalarType.Int);
        Expr length = arguments.Count == 2 ? ParseAs(arguments[1].Expression, ScalarType.Int) : new Binary(BinaryOp.Subtract, inner.LengthExpr, start, ScalarType.Int);
        string offsetName = _c.Temporary(inner.Name + "_offset", ScalarType.Int);
        string lengthName = _c.Temporary(inner.Name + "_length", ScalarType.Int);
        _c.Pending.Add(new Assign(offsetName, offset));
        _c.Pending.Add(new Assign(lengthName, length));
        return inner with { Rank = 1, Offset = offsetName, Length = lengthName };
    }

    /// <summary><c>x[i]</c> on a jagged array parameter: the array and the row's index expression; null otherwise.</summary>
    private (ArrayView Jagged, ExpressionSyntax RowIndex)? JaggedRow(ExpressionSyntax syntax) =>
        syntax is ElementAccessExpressionSyntax { Expression: IdentifierNameSyntax rows, ArgumentList.Arguments.Count: 1 } access
        && _c.ArrayOf(_c.Model.GetSymbolInfo(rows, _c.CancellationToken).Symbol) is { Jagged: true, Row: null } jagged
            ? (jagged, access.ArgumentList.Arguments[0].Expression)
            : null;

    private Expr Member(MemberAccessExpressionSyntax member)
    {
        var symbol = _c.Model.GetSymbolInfo(member, _c.CancellationToken).Symbol;
        if (symbol is IFieldSymbol { HasConstantValue: true } constant) return Constant(constant.ConstantValue, member);
        if (member.Name.Identifier.Text == "Length" && member.Expression is IdentifierNameSyntax array
            && _c.ArrayOf(_c.Model.GetSymbolInfo(array, _c.CancellationToken).Symbol) is { } known && (known.Rank == 1 || known.Jagged || known.IsWhole))
            return known.Jagged && known.Row is null ? new LengthOf(known.Name, -1) : known.LengthExpr;
        // x[i].Length: one row's length.
        if (member.Name.Identifier.Text == "Length" && JaggedRow(member.Expression) is { } lengthRow)
            return new RowLength(lengthRow.Jagged.Name, ParseAs(lengthRow.RowIndex, ScalarType.Int));
        if (symbol is null) return Unresolved(member, "The member access '" + member + "'");
        return Unsupported(member, "The member access '" + member + "'");
    }

    /// <summary>
    /// Syntax the semantic model could not resolve: with C# errors it is the compiler's to report (we generate nothing,
    /// quietly); without any it is valid C# outside the subset, which must never pass in silence.
    /// </summary>
    public Expr Unresolved(SyntaxNode node, string what)
    {
        if (_c.HasErrors(node))
        {
            _c.Broken = true;
            return Placeholder;
        }
        return Unsupported(node, what);
    }

    public Expr Unsupported(SyntaxNode node, string what)
    {
        _c.Report(D.UnsupportedExpression, node, what);
        return Placeholder;
    }

    /// <summary>An expression of the other floating-point type than the method's (DIFF019), unless the compiler already objects.</summary>
    public Expr Mixed(SyntaxNode node)
    {
        if (_c.HasErrors(node))
        {
            _c.Broken = true;
            return Placeholder;
        }
        // Once per cause: 'x * 0.5' in a float method is reported at '0.5', not again at the product it makes double.
        var span = node.Span;
        bool inner = _c.Diagnostics.Any(d => d.Id == Diagnostics.DiagnosticIds.MixedPrecision && _c.Positions[d.Location] is { } l && l.FilePath == node.SyntaxTree.FilePath && l.Start >= span.Start && l.Start + l.Length <= span.End);
        if (!inner) _c.ReportMixedPrecision(node, "'" + ParseContext.OneLine(node) + "'");
        return Placeholder;
    }

    /// <summary>Stands in for an expression that could not be parsed; the method then gets no IR.</summary>
    public static readonly Expr Placeholder = new Const(0, ScalarType.Double);

    private static string Describe(ExpressionSyntax syntax) => syntax switch
    {
        LambdaExpressionSyntax or AnonymousMethodExpressionSyntax => "A lambda",
        QueryExpressionSyntax => "A LINQ query",
        BaseObjectCreationExpressionSyntax or ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax or StackAllocArrayCreationExpressionSyntax => "Creating an object or array ('" + ParseContext.OneLine(syntax) + "')",
        AssignmentExpressionSyntax => "An assignment inside an expression",
        InterpolatedStringExpressionSyntax => "A string",
        IsPatternExpressionSyntax or BinaryExpressionSyntax => "The operator in '" + ParseContext.OneLine(syntax) + "'",
        PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax => "'" + ParseContext.OneLine(syntax) + "' inside an expression",
        _ => "'" + ParseContext.OneLine(syntax) + "'",
    };
}
