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
/// C# statements to IR. Nested blocks flatten (locals are named by symbol, so scoping needs no bookkeeping);
/// compound assignments, <c>++</c> and declarations become <see cref="Assign"/>; hoisted calls are placed before
/// the statement that needed them. Anything else is DIFF007 on the statement's first token.
/// </summary>
internal sealed class StatementParser
{
    private readonly ParseContext _c;
    private readonly ExpressionParser _e;

    public StatementParser(ParseContext context)
    {
        _c = context;
        _e = new ExpressionParser(context);
        context.Statements = this;
    }

    public ExpressionParser Expressions => _e;

    /// <summary>How many loops of the method enclose the statement being parsed: a break or continue needs one.</summary>
    private int _loopDepth;

    /// <summary>A loop's body: break and continue inside it belong to it.</summary>
    public Block ParseLoopBody(StatementSyntax body)
    {
        _loopDepth++;
        try { return ParseEmbedded(body); }
        finally { _loopDepth--; }
    }

    public Block ParseBlock(IEnumerable<StatementSyntax> statements)
    {
        // Calls hoisted from the enclosing statement's header (an if condition, a loop's start) must run before that
        // statement, not at the top of this block: hold them back while the block's own statements are parsed.
        var header = _c.Pending.ToList();
        _c.Pending.Clear();
        var output = new List<Stmt>();
        foreach (var s in statements) Parse(s, output);
        _c.Pending.InsertRange(0, header);
        return new Block(output.ToEquatableArray());
    }

    /// <summary>How many loops and branches enclose the statement being parsed: local arrays are allocated only outside all.</summary>
    private int _nesting;

    /// <summary>Whether a return statement came earlier: what follows it runs only if it did not return (Lowering/), as a branch.</summary>
    private bool _returned;

    private Block ParseEmbedded(StatementSyntax statement)
    {
        _nesting++;
        try { return statement is BlockSyntax block ? ParseBlock(block.Statements) : ParseBlock(new[] { statement }); }
        finally { _nesting--; }
    }

    private void Parse(StatementSyntax statement, List<Stmt> output)
    {
        _c.CancellationToken.ThrowIfCancellationRequested();
        var produced = new List<Stmt>();
        switch (statement)
        {
            case BlockSyntax block:
                output.AddRange(ParseBlock(block.Statements).Statements);
                return;
            case EmptyStatementSyntax:
                return;
            case LocalDeclarationStatementSyntax declaration:
                Declaration(declaration, produced);
                break;
            case ExpressionStatementSyntax expression:
                ExpressionStatement(expression, produced);
                break;
            case IfStatementSyntax branch:
            {
                var condition = _c.Remember(_e.ParseAs(branch.Condition, ScalarType.Bool), branch.Condition);
                var then = ParseEmbedded(branch.Statement);
                var otherwise = branch.Else is null ? Block.Empty : ParseEmbedded(branch.Else.Statement);
                produced.Add(new If(condition, then, otherwise));
                break;
            }
            case ForStatementSyntax loop:
                new LoopParser(_c, this).Parse(loop, produced);
                break;
            case WhileStatementSyntax loop:
            {
                var condition = LoopCondition(loop.Condition, "in a while-loop condition, evaluated on every iteration");
                produced.Add(new While(condition, ParseLoopBody(loop.Statement)));
                break;
            }
            case DoStatementSyntax loop:
            {
                var body = ParseLoopBody(loop.Statement);
                produced.Add(new DoWhile(body, LoopCondition(loop.Condition, "in a do-while condition, evaluated on every iteration")));
                break;
            }
            case BreakStatementSyntax or ContinueStatementSyntax when _loopDepth == 0:
                // Outside any loop of ours: C# reports it (CS0139), or it belongs to something we do not accept.
                if (_c.HasErrors(statement)) _c.Broken = true;
                else _c.Report(D.UnsupportedStatement, statement.GetFirstToken(), statement.GetFirstToken().Text, D.StatementAdvice);
                return;
            case BreakStatementSyntax:
                produced.Add(new Break());
                break;
            case ContinueStatementSyntax:
                produced.Add(new Continue());
                break;
            case ReturnStatementSyntax { Expression: { } value }:
                produced.Add(new Return(_e.ParseAs(value, ScalarType.Double)));
                _returned = true;
                break;
            case ReturnStatementSyntax { Expression: null } when _c.IsVectorValued && _c.Inlining.Count == 0 && !_c.HasErrors(statement):
                // A vector-valued method's early exit (its own, not an inlined helper's, which HelperInliner refuses):
                // lowered like any return; the value (0) is never used.
                produced.Add(new Return(new Const(0, ScalarType.Double)));
                _returned = true;
                break;
            case ReturnStatementSyntax bare when _c.HasErrors(bare):
                _c.Broken = true; // 'return;' in a method that returns double: CS0126 says it
                return;
            default:
                var first = statement.GetFirstToken();
                if (statement.ContainsDiagnostics && first.IsMissing) { _c.Broken = true; return; }
                _c.Report(D.UnsupportedStatement, first, KindOf(statement, first), statement is LocalFunctionStatementSyntax
                    ? "make it a static method of the type instead: static helpers of this compilation are inlined" : D.StatementAdvice);
                if (statement is LocalFunctionStatementSyntax function && _c.Model.GetDeclaredSymbol(function, _c.CancellationToken) is { } declared)
                    _c.Reported(declared); // its calls would only repeat this
                return;
        }
        var location = _c.Place(statement);
        string source = SourceOf(statement);
        // Hoisted calls and partial sums come first, in evaluation order; each is located at its own syntax when it has one.
        output.AddRange(_c.Pending.Concat(produced).Select(p => p.Location is null ? p with { Location = location, Source = p.Source ?? source } : p));
        _c.Pending.Clear();
    }

    /// <summary>A condition tested on every iteration: calls cannot be hoisted out of it.</summary>
    public Expr LoopCondition(ExpressionSyntax condition, string where)
    {
        string? outer = _e.ConditionalContext;
        _e.ConditionalContext = where;
        var parsed = _c.Remember(_e.ParseAs(condition, ScalarType.Bool), condition);
        _e.ConditionalContext = outer;
        return parsed;
    }

    /// <summary>What DIFF007 calls a statement: its keyword, or a name for the kinds that start with none.</summary>
    private static string KindOf(StatementSyntax statement, SyntaxToken first) => statement switch
    {
        LocalFunctionStatementSyntax => "local function",
        LabeledStatementSyntax => "labeled",
        _ => first.Text,
    };

    /// <summary>The statement as one line for comments; compound statements by their header only.</summary>
    private static string SourceOf(StatementSyntax statement) => statement switch
    {
        IfStatementSyntax i => "if (" + ParseContext.OneLine(i.Condition) + ")",
        WhileStatementSyntax w => "while (" + ParseContext.OneLine(w.Condition) + ")",
        DoStatementSyntax d => "do … while (" + ParseContext.OneLine(d.Condition) + ")",
        ForStatementSyntax f => "for (" + (f.Declaration is null ? "" : ParseContext.OneLine(f.Declaration)) + "; "
            + (f.Condition is null ? "" : ParseContext.OneLine(f.Condition)) + "; " + string.Join(", ", f.Incrementors.Select(ParseContext.OneLine)) + ")",
        _ => ParseContext.OneLine(statement),
    };

    private void Declaration(LocalDeclarationStatementSyntax declaration, List<Stmt> produced)
    {
        foreach (var variable in declaration.Declaration.Variables)
        {
            if (_c.Model.GetDeclaredSymbol(variable, _c.CancellationToken) is not ILocalSymbol local) { _c.Broken = true; continue; }
            var arrayKind = SignatureParser.KindOf(local.Type, _c.RealType);
            bool isIntData = arrayKind is { } k && Parameter.IsIntArrayKind(k);
            if (IsArrayLike(local.Type, _c.RealType) || isIntData || arrayKind == ParameterKind.DoubleArray2D)
            {
                // A slice or alias of an array names a view of it; a fresh array is a local array.
                if (variable.Initializer?.Value is { } viewed && viewed is not (ArrayCreationExpressionSyntax or StackAllocArrayCreationExpressionSyntax or InitializerExpressionSyntax or ImplicitArrayCreationExpressionSyntax or CollectionExpressionSyntax)
                    && _e.View(viewed) is { } view && (view.ElementType == ScalarType.Int) == isIntData)
                {
                    _c.DeclareView(local, view);
                    continue;
                }
                // int data is read, never computed: an int array of the method's own has no place in a derivative.
                if (!isIntData)
                {
                    ArrayDeclaration(local, variable, produced, matrix: arrayKind == ParameterKind.DoubleArray2D);
                    continue;
                }
            }
            var type = _c.ScalarOf(local.Type);
            if (type is null)
            {
                if (local.Type.TypeKind == TypeKind.Error) _c.Broken = true;
                else if (_c.IsOtherReal(local.Type) || IsArrayLike(local.Type, SignatureParser.OtherReal(_c.RealType)))
                    _c.ReportMixedPrecision(declaration.Declaration.Type, "Local '" + local.Name + "' of type '" + local.Type.ToDisplayString() + "'");
                // A delegate holding a lambda: the lambda is what is not supported, and the message says so (DIFF008).
                else if (variable.Initializer?.Value is LambdaExpressionSyntax or AnonymousMethodExpressionSyntax) _e.Unsupported(variable.Initializer.Value, "A lambda (write its body inline, or as a static helper method, which is inlined)");
                else _c.Report(D.UnsupportedLocalType, declaration.Declaration.Type, local.Name, local.Type.ToDisplayString());
                _c.Reported(local);
                continue;
            }
            string name = _c.DeclareLocal(local, type.Value);
            if (variable.Initializer is { } initializer) produced.Add(new Assign(name, _e.ParseAs(initializer.Value, type.Value)));
        }
    }

    /// <summary>A one-dimensional array or span of <paramref name="real"/>: a local array, or a view of one (the parameter kinds say which).</summary>
    private static bool IsArrayLike(ITypeSymbol type, SpecialType real) =>
        SignatureParser.KindOf(type, real) is ParameterKind.DoubleArray or ParameterKind.DoubleSpan or ParameterKind.ReadOnlyDoubleSpan;

    /// <summary><c>double[] t = new double[n];</c> or <c>Span&lt;double&gt; t = stackalloc double[n];</c>, once, at the top level.</summary>
    /// <remarks>
    /// A matrix, <c>double[,] t = new double[rows, columns];</c>, is stored row-major in one array of rows · columns
    /// elements whose dimensions are int locals (see <see cref="ArrayView.Columns"/>): it is then a local array like any
    /// other for the reverse mode, the scratch rules and the three printers.
    /// </remarks>
    private void ArrayDeclaration(ILocalSymbol local, VariableDeclaratorSyntax variable, List<Stmt> produced, bool matrix = false)
    {
        var value = variable.Initializer?.Value;
        var (sizes, onStack) = value switch
        {
            ArrayCreationExpressionSyntax { Initializer: null } created => (Sizes(created.Type), false),
            StackAllocArrayCreationExpressionSyntax { Initializer: null, Type: ArrayTypeSyntax type } => (Sizes(type), true),
            _ => ((List<ExpressionSyntax>?)null, false),
        };
        int rank = matrix ? 2 : 1;
        if (sizes is null || sizes.Count != rank || sizes.Any(s => s is OmittedArraySizeExpressionSyntax))
        {
            _c.DeclareArrayLocal(local);
            if (value is not null && _c.HasErrors(value)) { _c.Broken = true; return; }
            _c.Report(D.UnsupportedLocalArray, (SyntaxNode?)value ?? variable, local.Name, matrix
                ? "initialize it with 'new double[rows, columns]' (no initializer list): the gradient must know every array it writes"
                : "initialize it with 'new double[n]' or 'stackalloc double[n]' (no initializer list), or make it a view of another array ('x.AsSpan(start, length)'): the gradient must know every array it writes");
            return;
        }
        if (_nesting > 0 || _returned)
        {
            _c.DeclareArrayLocal(local);
            ReportPlacement(local, value!);
            return;
        }
        if (matrix)
        {
            string rows = _c.Temporary(local.Name + "_rows", ScalarType.Int);
            string columns = _c.Temporary(local.Name + "_columns", ScalarType.Int);
            produced.Add(new Assign(rows, _e.ParseAs(sizes[0], ScalarType.Int)));
            produced.Add(new Assign(columns, _e.ParseAs(sizes[1], ScalarType.Int)));
            string flat = _c.DeclareArrayLocal(local, rows, columns);
            var count = new Binary(BinaryOp.Multiply, new VarRef(rows, ScalarType.Int), new VarRef(columns, ScalarType.Int), ScalarType.Int);
            produced.Add(new AllocateArray(flat, count, OnStack: false));
            return;
        }
        string name = _c.DeclareArrayLocal(local);
        produced.Add(new AllocateArray(name, _e.ParseAs(sizes[0], ScalarType.Int), onStack));
    }

    private void ReportPlacement(ILocalSymbol local, ExpressionSyntax value)
    {
        if (_nesting > 0)
        {
            _c.Report(D.UnsupportedLocalArray, value, local.Name,
                "allocate it once, at the top level of the method, not inside a loop or branch; reuse it in the loop (each allocation would hide the values the reverse sweep needs)");
            return;
        }
        // Lowering puts everything after an early return in a branch, where the reverse sweep could not see it.
        _c.Report(D.UnsupportedLocalArray, value, local.Name,
            "allocate it before the first return statement: the code after an early return runs in a branch (if nothing returned), and the gradient needs its arrays at the top level of the method");
    }

    /// <summary>The sizes of <c>new double[a]</c> or <c>new double[a, b]</c>; null for arrays of arrays.</summary>
    private static List<ExpressionSyntax>? Sizes(ArrayTypeSyntax type) =>
        type.RankSpecifiers.Count == 1 ? type.RankSpecifiers[0].Sizes.ToList() : null;

    /// <summary>An element of a local array as an assignment target: its name and indices; null if it is not one.</summary>
    private ElementRef? LocalElement(ExpressionSyntax target) =>
        target is ElementAccessExpressionSyntax { Expression: IdentifierNameSyntax name } element
        && _c.ArrayOf(_c.Model.GetSymbolInfo(name, _c.CancellationToken).Symbol) is { IsLocal: true }
            ? _e.Element(element) as ElementRef
            : null;

    /// <summary>The body <c>=&gt; e</c> of a void method: the one statement <c>e;</c>.</summary>
    public Block ParseExpressionBody(ExpressionSyntax expression)
    {
        var produced = new List<Stmt>();
        ExpressionStatement(expression, expression, produced);
        var location = _c.Place(expression);
        string source = ParseContext.OneLine(expression) + ";";
        var output = _c.Pending.Concat(produced).Select(p => p.Location is null ? p with { Location = location, Source = p.Source ?? source } : p).ToEquatableArray();
        _c.Pending.Clear();
        return new Block(output);
    }

    private void ExpressionStatement(ExpressionStatementSyntax statement, List<Stmt> produced) => ExpressionStatement(statement.Expression, statement, produced);

    /// <param name="statement">The statement (or arrow body) holding <paramref name="expression"/>: a C# error in it silences ours.</param>
    private void ExpressionStatement(ExpressionSyntax expression, SyntaxNode statement, List<Stmt> produced)
    {
        switch (expression)
        {
            case AssignmentExpressionSyntax assignment:
                Assignment(assignment, produced);
                break;
            case PostfixUnaryExpressionSyntax { OperatorToken.RawKind: (int)SyntaxKind.PlusPlusToken or (int)SyntaxKind.MinusMinusToken } postfix:
                Increment(postfix.Operand, postfix.OperatorToken.IsKind(SyntaxKind.PlusPlusToken), postfix, produced);
                break;
            case PrefixUnaryExpressionSyntax { OperatorToken.RawKind: (int)SyntaxKind.PlusPlusToken or (int)SyntaxKind.MinusMinusToken } prefix:
                Increment(prefix.Operand, prefix.OperatorToken.IsKind(SyntaxKind.PlusPlusToken), prefix, produced);
                break;
            case InvocationExpressionSyntax call when _c.Model.GetSymbolInfo(call, _c.CancellationToken).Symbol is IMethodSymbol { ReturnsVoid: true }:
            {
                // A void helper, inlined: its statements are all it leaves (they wait in Pending for this statement).
                var value = _e.Parse(call);
                if (!ReferenceEquals(value, HelperInliner.NoValue) && !ReferenceEquals(value, ExpressionParser.Placeholder))
                    _e.Unsupported(call, "The call '" + ParseContext.OneLine(call) + "'");
                break;
            }
            case InvocationExpressionSyntax call when CallParser.GeneratedDerivative(_c, call) is { } generated:
                // NGradient(x, out g…); discards the value: only the out arguments' statements remain (they wait in Pending).
                _e.NestedCall(call, generated);
                break;
            default:
                if (expression.IsMissing || statement.ContainsDiagnostics) { _c.Broken = true; break; }
                _e.Unsupported(expression, "A statement that computes a value and discards it ('" + ParseContext.OneLine(expression) + "')");
                break;
        }
    }

    /// <summary>The local or parameter a statement writes, or null after reporting why it cannot be written.</summary>
    public (string Name, ScalarType Type)? Target(ExpressionSyntax target, SyntaxNode statement)
    {
        if (target is ElementAccessExpressionSyntax)
        {
            _c.Report(D.ArrayElementWrite, statement, ParseContext.OneLine(target));
            return null;
        }
        var symbol = _c.Model.GetSymbolInfo(target, _c.CancellationToken).Symbol;
        switch (symbol)
        {
            case ILocalSymbol local when _c.TryGetName(local, out var name) && _c.ScalarOf(local.Type) is { } type:
                return (name, type);
            case IParameterSymbol when _c.TryGetInlined(symbol, out var bound) && !bound.IsArray:
                return (bound.Name, bound.Type);
            case IParameterSymbol when _c.TryGetOwnParameter(symbol, out var p) && !p.IsArray:
                return (p.Name, p.ScalarType);
            case null when _c.HasErrors(target):
                _c.Broken = true;
                return null;
            default: // a field, a property, a tuple deconstruction '(a, b) = …', a discard …
                _e.Unsupported(statement, "Assigning to '" + ParseContext.OneLine(target) + "'");
                return null;
        }
    }

    private void Assignment(AssignmentExpressionSyntax assignment, List<Stmt> produced)
    {
        BinaryOp? op = assignment.Kind() switch
        {
            SyntaxKind.SimpleAssignmentExpression => null,
            SyntaxKind.AddAssignmentExpression => BinaryOp.Add,
            SyntaxKind.SubtractAssignmentExpression => BinaryOp.Subtract,
            SyntaxKind.MultiplyAssignmentExpression => BinaryOp.Multiply,
            SyntaxKind.DivideAssignmentExpression => BinaryOp.Divide,
            _ => (BinaryOp)(-1),
        };
        if (op == (BinaryOp)(-1))
        {
            _e.Unsupported(assignment, "The compound assignment '" + assignment.OperatorToken.Text + "'");
            return;
        }
        if (LocalElement(assignment.Left) is { } element)
        {
            // t[i] op= e is t[i] = t[i] op e; the indices are pure, so evaluating them twice is the same.
            var assigned = _e.ParseAs(assignment.Right, ScalarType.Double);
            produced.Add(new AssignElement(element.Array, element.Indices, op is null ? assigned : new Binary(op.Value, element, assigned, ScalarType.Double)));
            return;
        }
        var target = Target(assignment.Left, assignment);
        if (target is null) return;
        var (name, type) = target.Value;
        if (op is null)
        {
            produced.Add(new Assign(name, _e.ParseAs(assignment.Right, type)));
            return;
        }
        // x op= e is x = (T)(x op e), computed in the wider of the two types, as C# does.
        var right = _e.Parse(assignment.Right);
        var computeIn = type == ScalarType.Double || right.Type == ScalarType.Double ? ScalarType.Double : ScalarType.Int;
        Expr current = new VarRef(name, type);
        if (current.Type != computeIn) current = new Convert(current, computeIn);
        if (right.Type != computeIn) right = new Convert(right, computeIn);
        Expr value = new Binary(op.Value, current, right, computeIn);
        if (computeIn != type) value = new Convert(value, type);
        produced.Add(new Assign(name, value));
    }

    private void Increment(ExpressionSyntax operand, bool up, SyntaxNode statement, List<Stmt> produced)
    {
        if (LocalElement(operand) is { } element)
        {
            produced.Add(new AssignElement(element.Array, element.Indices, new Binary(up ? BinaryOp.Add : BinaryOp.Subtract, element, new Const(1, ScalarType.Double), ScalarType.Double)));
            return;
        }
        var target = Target(operand, statement);
        if (target is null) return;
        var (name, type) = target.Value;
        if (type == ScalarType.Bool) { _e.Unsupported(statement, "'++'/'--' on a bool"); return; }
        produced.Add(new Assign(name, new Binary(up ? BinaryOp.Add : BinaryOp.Subtract, new VarRef(name, type), new Const(1, type), type)));
    }
}
