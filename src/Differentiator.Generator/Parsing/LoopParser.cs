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
/// <c>for (int i = start; i &lt; bound; i++)</c> and its variants (<c>&lt;= &gt; &gt;=</c>, <c>i--</c>, <c>i += 1</c>):
/// the shape whose trip count the reverse sweep can replay. Anything else is DIFF010 on the offending part.
/// </summary>
internal sealed class LoopParser
{
    private readonly ParseContext _c;
    private readonly StatementParser _statements;

    public LoopParser(ParseContext context, StatementParser statements)
    {
        _c = context;
        _statements = statements;
    }

    public void Parse(ForStatementSyntax loop, List<Stmt> produced)
    {
        var header = Header(loop, out var counter, out var extraConditions);
        // The body is read even under an unsupported header, so that every error of the loop is reported at once; the
        // header's variables get names first, so the body's reads of them are not reported a second time.
        foreach (var variable in loop.Declaration?.Variables ?? default)
        {
            if (_c.Model.GetDeclaredSymbol(variable, _c.CancellationToken) is ILocalSymbol local && !_c.TryGetName(local, out _))
                _c.DeclareCounter(local);
        }
        if (counter is not null)
        {
            foreach (var write in Writes(loop.Statement, counter))
                _c.Report(D.LoopCounterAssigned, write, counter.Name);
        }
        var body = _statements.ParseLoopBody(loop.Statement);
        if (header is null) return;
        if (extraConditions.Count > 0)
        {
            // for (…; i < n && c; …) B  ≡  for (…; i < n; …) { if (!c) break; B }: c is tested when i < n holds, as && does.
            var exit = new If(new Unary(UnaryOp.Not, extraConditions.Aggregate((a, b) => new Binary(BinaryOp.And, a, b, ScalarType.Bool)), ScalarType.Bool),
                new Block(EquatableArray.Of<Stmt>(new Break())), Block.Empty) { Location = _c.Place(loop.Condition!), Source = "for (…; " + ParseContext.OneLine(loop.Condition!) + "; …)" };
            body = new Block(new Stmt[] { exit }.Concat(body.Statements).ToEquatableArray());
        }
        produced.Add(header with { Body = body });
    }

    /// <summary>The loop without its body, or null after reporting what is wrong with its header.</summary>
    private For? Header(ForStatementSyntax loop, out ILocalSymbol? counter, out List<Expr> extraConditions)
    {
        counter = null;
        extraConditions = new List<Expr>();
        var e = _statements.Expressions;
        // Each shape error sits on the offending part; a part that is missing altogether, on the 'for' keyword.
        if (loop.Initializers.Count > 0)
        {
            _c.Report(D.UnsupportedLoopShape, loop.Initializers[0], "the loop must declare its counter in its header, as in 'int i = 0'");
            return null;
        }
        if (loop.Declaration is not { Variables.Count: 1 } declaration)
        {
            if (loop.Declaration is null) _c.Report(D.UnsupportedLoopShape, loop.ForKeyword, "the loop must declare exactly one int counter");
            else _c.Report(D.UnsupportedLoopShape, loop.Declaration, "the loop must declare exactly one int counter");
            return null;
        }
        var variable = declaration.Variables[0];
        if (_c.Model.GetDeclaredSymbol(variable, _c.CancellationToken) is not ILocalSymbol local || variable.Initializer is null)
        {
            if (variable.Initializer is null) _c.Report(D.UnsupportedLoopShape, declaration, "the counter needs an initial value");
            else _c.Broken = true;
            return null;
        }
        if (local.Type.SpecialType != SpecialType.System_Int32)
        {
            if (local.Type.TypeKind == TypeKind.Error) _c.Broken = true;
            else _c.Report(D.UnsupportedLoopShape, declaration.Type, "the counter must be an int, not " + local.Type.ToDisplayString());
            return null;
        }
        counter = local;
        var start = e.ParseAs(variable.Initializer.Value, ScalarType.Int);
        string name = _c.DeclareCounter(local);

        // 'i < n && more && …': the counter's test first, then conditions that end the loop early (often on the data).
        var conjuncts = Conjuncts(loop.Condition).ToList();
        if (conjuncts.Count > 1)
        {
            foreach (var more in conjuncts.Skip(1))
                extraConditions.Add(_statements.LoopCondition(more!, "in a for-loop condition, evaluated on every iteration"));
        }
        if (conjuncts[0] is not BinaryExpressionSyntax condition || Compare(condition) is not { } compare)
        {
            if (loop.Condition is null || loop.Condition.IsMissing) _c.Report(D.UnsupportedLoopShape, loop.ForKeyword, "the loop needs a condition");
            else _c.Report(D.UnsupportedLoopShape, conjuncts[0] ?? loop.Condition, "the condition must compare the counter with <, <=, > or >= (other tests may follow it with &&)");
            return null;
        }
        string? outer = e.ConditionalContext;
        e.ConditionalContext = "in a for-loop condition, evaluated on every iteration";
        var bound = Bound(condition, local, ref compare);
        e.ConditionalContext = outer;
        if (bound is null)
        {
            _c.Report(D.UnsupportedLoopShape, condition, "the condition must compare the counter (or the counter plus or minus an offset) with a bound that does not involve it");
            return null;
        }

        int? step = loop.Incrementors.Count == 1 ? Step(loop.Incrementors[0], local) : null;
        if (step is null)
        {
            const string how = "the counter must change by i++, ++i, i--, --i, i += 1 or i -= 1";
            if (loop.Incrementors.Count == 0) _c.Report(D.UnsupportedLoopShape, loop.ForKeyword, how);
            else if (loop.Incrementors.Count > 1) _c.Report(D.UnsupportedLoopShape, loop.Incrementors[1], "the header may change only the counter; " + how);
            else _c.Report(D.UnsupportedLoopShape, loop.Incrementors[0], how);
            return null;
        }
        return new For(name, start, compare, bound, step.Value, Block.Empty, null);
    }

    /// <summary>
    /// The bound in the form <c>i OP bound</c>: <c>n &gt; i</c> flips, <c>i + k &lt; e</c> becomes <c>i &lt; e - k</c> and
    /// <c>i - k &lt; e</c> becomes <c>i &lt; e + k</c> (k and e not involving the counter).
    /// </summary>
    private Expr? Bound(BinaryExpressionSyntax condition, ILocalSymbol counter, ref BinaryOp compare)
    {
        var left = condition.Left;
        var right = condition.Right;
        if (!Involves(left, counter) && Involves(right, counter))
        {
            (left, right) = (right, left);
            compare = compare switch
            {
                BinaryOp.Less => BinaryOp.Greater,
                BinaryOp.LessOrEqual => BinaryOp.GreaterOrEqual,
                BinaryOp.Greater => BinaryOp.Less,
                _ => BinaryOp.LessOrEqual,
            };
        }
        if (Involves(right, counter)) return null;
        var e = _statements.Expressions;
        var bound = e.ParseAs(right, ScalarType.Int);
        while (!IsCounter(left, counter))
        {
            left = left is ParenthesizedExpressionSyntax p ? p.Expression : left;
            if (IsCounter(left, counter)) break;
            if (left is not BinaryExpressionSyntax offset || !(offset.IsKind(SyntaxKind.AddExpression) || offset.IsKind(SyntaxKind.SubtractExpression))) return null;
            bool counterLeft = Involves(offset.Left, counter);
            if (counterLeft == Involves(offset.Right, counter)) return null;
            if (!counterLeft && offset.IsKind(SyntaxKind.SubtractExpression)) return null; // k - i: the counter's sign flips
            var k = e.ParseAs(counterLeft ? offset.Right : offset.Left, ScalarType.Int);
            bound = new Binary(offset.IsKind(SyntaxKind.AddExpression) ? BinaryOp.Subtract : BinaryOp.Add, bound, k, ScalarType.Int);
            left = counterLeft ? offset.Left : offset.Right;
        }
        return bound;
    }

    /// <summary>The operands of a chain of <c>&amp;&amp;</c>, left to right; the condition itself when it is not one.</summary>
    private static IEnumerable<ExpressionSyntax?> Conjuncts(ExpressionSyntax? condition) // non-null items when condition is
    {
        var inner = condition is ParenthesizedExpressionSyntax p ? p.Expression : condition;
        if (inner is BinaryExpressionSyntax and && and.IsKind(SyntaxKind.LogicalAndExpression))
            return Conjuncts(and.Left).Concat(Conjuncts(and.Right));
        return new[] { condition };
    }

    private bool Involves(ExpressionSyntax expression, ILocalSymbol counter) =>
        expression.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(n => IsCounter(n, counter));

    private bool IsCounter(ExpressionSyntax expression, ILocalSymbol counter) =>
        expression is IdentifierNameSyntax && SymbolEqualityComparer.Default.Equals(_c.Model.GetSymbolInfo(expression, _c.CancellationToken).Symbol, counter);

    private static BinaryOp? Compare(BinaryExpressionSyntax condition) => condition.Kind() switch
    {
        SyntaxKind.LessThanExpression => BinaryOp.Less,
        SyntaxKind.LessThanOrEqualExpression => BinaryOp.LessOrEqual,
        SyntaxKind.GreaterThanExpression => BinaryOp.Greater,
        SyntaxKind.GreaterThanOrEqualExpression => BinaryOp.GreaterOrEqual,
        _ => null,
    };

    private int? Step(ExpressionSyntax incrementor, ILocalSymbol counter)
    {
        switch (incrementor)
        {
            case PostfixUnaryExpressionSyntax post when IsCounter(post.Operand, counter):
                return post.IsKind(SyntaxKind.PostIncrementExpression) ? 1 : -1;
            case PrefixUnaryExpressionSyntax pre when IsCounter(pre.Operand, counter) && (pre.IsKind(SyntaxKind.PreIncrementExpression) || pre.IsKind(SyntaxKind.PreDecrementExpression)):
                return pre.IsKind(SyntaxKind.PreIncrementExpression) ? 1 : -1;
            case AssignmentExpressionSyntax assignment when IsCounter(assignment.Left, counter)
                && _c.Model.GetConstantValue(assignment.Right, _c.CancellationToken).Value is 1
                && (assignment.IsKind(SyntaxKind.AddAssignmentExpression) || assignment.IsKind(SyntaxKind.SubtractAssignmentExpression)):
                return assignment.IsKind(SyntaxKind.AddAssignmentExpression) ? 1 : -1;
            default:
                return null;
        }
    }

    /// <summary>Assignments and increments of the counter inside the body.</summary>
    private IEnumerable<SyntaxNode> Writes(StatementSyntax body, ILocalSymbol counter)
    {
        foreach (var node in body.DescendantNodesAndSelf())
        {
            ExpressionSyntax? target = node switch
            {
                AssignmentExpressionSyntax a => a.Left,
                PostfixUnaryExpressionSyntax p when p.IsKind(SyntaxKind.PostIncrementExpression) || p.IsKind(SyntaxKind.PostDecrementExpression) => p.Operand,
                PrefixUnaryExpressionSyntax p when p.IsKind(SyntaxKind.PreIncrementExpression) || p.IsKind(SyntaxKind.PreDecrementExpression) => p.Operand,
                _ => null,
            };
            if (target is not null && IsCounter(target, counter)) yield return node;
        }
    }
}
