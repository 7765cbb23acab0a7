using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using D = Differentiator.Generator.Diagnostics.DiagnosticDescriptors;

namespace Differentiator.Generator.Parsing;

/// <summary>
/// A call to a static helper of the compilation that is not <c>[Differentiable]</c> is inlined: its parameters
/// become locals holding the arguments (arrays are the caller's arrays, so a helper may write into a caller's local
/// array through a <c>Span&lt;double&gt;</c> parameter), its body is read in place, and its one final <c>return</c>
/// becomes the call's value. Inlining rather than generating a gradient per helper: the helper needs no attribute
/// and no generated members, output spans simply write the caller's scratch, and the optimizer sees across the call.
/// A helper whose body is outside the subset gets one DIFF006 on the call, naming the first problem.
/// </summary>
internal sealed class HelperInliner
{
    /// <summary>The value of an inlined <c>void</c> helper: only an expression statement may call one.</summary>
    public static readonly Expr NoValue = new Const(0, ScalarType.Bool);

    private readonly ParseContext _c;
    private readonly ExpressionParser _e;

    public HelperInliner(ParseContext context, ExpressionParser expressions)
    {
        _c = context;
        _e = expressions;
    }

    /// <summary>Whether the call is one to inline: a static, non-generic method with source in this compilation.</summary>
    public static bool Applies(IMethodSymbol method) =>
        method.IsStatic && method.MethodKind == MethodKind.Ordinary && method.ReducedFrom is null && !method.IsGenericMethod
        && method.DeclaringSyntaxReferences.Length == 1 && !CallParser.IsDifferentiable(method);

    public Expr Inline(InvocationExpressionSyntax invocation, IMethodSymbol method)
    {
        _c.Positions.ReadsOtherMethods = true;
        string display = method.ContainingType.Name + "." + method.Name;
        if (_c.Inlining.Any(m => SymbolEqualityComparer.Default.Equals(m, method)))
        {
            _c.Report(D.Recursion, invocation, method.Name);
            return ExpressionParser.Placeholder;
        }
        if (_e.ConditionalContext is { } where)
        {
            _c.Report(D.ConditionalCall, invocation, method.Name, where);
            return ExpressionParser.Placeholder;
        }
        if (method.DeclaringSyntaxReferences[0].GetSyntax(_c.CancellationToken) is not MethodDeclarationSyntax syntax || (syntax.Body is null && syntax.ExpressionBody is null))
            return NotInlinable(invocation, display, "it has no body here");
        bool returnsVoid = method.ReturnsVoid;
        if (!returnsVoid && method.ReturnType.SpecialType != _c.RealType)
            return _c.IsOtherReal(method.ReturnType) ? _e.Mixed(invocation) : NotInlinable(invocation, display, "it returns " + method.ReturnType.ToDisplayString() + ", not " + _c.RealKeyword);
        if (OnlyReturnIsLast(syntax, returnsVoid) is { } why)
            return NotInlinable(invocation, display, why + "; mark it [Differentiable] instead");
        var arguments = invocation.ArgumentList.Arguments;
        if (arguments.Count != method.Parameters.Length)
            return NotInlinable(invocation, display, "pass every argument explicitly");

        // Arguments are evaluated in order, once, before the body, as C# does.
        var bindings = new ParseContext.InlinedParameter[arguments.Count];
        for (int k = 0; k < arguments.Count; k++)
        {
            var parameter = method.Parameters[k];
            var kind = SignatureParser.KindOf(parameter.Type, _c.RealType);
            if (parameter.RefKind != RefKind.None || kind is null)
                return NotInlinable(invocation, display, "its parameter '" + parameter.Name + "' is not a " + _c.RealKeyword + ", int, array or span passed by value");
            var shape = new Parameter(parameter.Name, kind.Value, false);
            if (shape.IsArray)
            {
                var argument = arguments[k].Expression;
                var view = _e.View(argument);
                int rank = shape.Rank;
                if (view is null || view.Rank != rank || (rank == 2 && view.Jagged != (kind == ParameterKind.DoubleJagged)) || view.ElementType != shape.ElementType)
                    return _e.Unsupported(argument, "Passing '" + ParseContext.OneLine(argument) + "' to the array parameter '" + parameter.Name + "' of '" + display + "' (pass an array parameter, a local array, or a slice of one)");
                bindings[k] = new ParseContext.InlinedParameter(view.Name, view.ElementType, view);
            }
            else
            {
                var type = kind == ParameterKind.Int ? ScalarType.Int : ScalarType.Double;
                var value = _e.ParseAs(arguments[k].Expression, type);
                string local = _c.Temporary(parameter.Name, type);
                _c.Pending.Add(new Assign(local, value) { Location = _c.Place(arguments[k]), Source = parameter.Name + " = " + ParseContext.OneLine(arguments[k]) + "    // argument of " + display });
                bindings[k] = new ParseContext.InlinedParameter(local, type, null);
            }
        }
        for (int k = 0; k < bindings.Length; k++) _c.BindInlined(method.Parameters[k], bindings[k]);

        var callerModel = _c.Model;
        if (syntax.SyntaxTree != callerModel.SyntaxTree) _c.Model = callerModel.Compilation.GetSemanticModel(syntax.SyntaxTree);
        _c.Inlining.Add(method);
        int reported = _c.Diagnostics.Count;
        try
        {
            Expr? value = null;
            if (syntax.ExpressionBody is { } arrow)
            {
                value = _e.ParseAs(arrow.Expression, ScalarType.Double);
            }
            else
            {
                var statements = syntax.Body!.Statements;
                bool finalReturn = !returnsVoid;
                var body = _c.Statements!.ParseBlock(finalReturn ? statements.Take(statements.Count - 1) : statements);
                _c.Pending.AddRange(body.Statements);
                if (finalReturn) value = _e.ParseAs(((ReturnStatementSyntax)statements.Last()).Expression!, ScalarType.Double);
            }
            if (_c.Diagnostics.Count > reported)
            {
                // The helper's own problems, told once at the call (the helper is not [Differentiable], so nobody else reports them).
                var first = _c.Diagnostics[reported];
                _c.Diagnostics.RemoveRange(reported, _c.Diagnostics.Count - reported);
                string at = _c.Positions[first.Location] is { } l ? " at " + System.IO.Path.GetFileName(l.FilePath) + ":" + (l.StartLine + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
                string message = string.Format(System.Globalization.CultureInfo.InvariantCulture, D.ById(first.Id).MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture), first.Arguments.Cast<object>().ToArray());
                return NotInlinable(invocation, display, "its body is outside the differentiable subset: " + first.Id + at + ": " + message);
            }
            if (value is null) return NoValue;
            string result = _c.Temporary(char.ToLowerInvariant(method.Name[0]) + method.Name.Substring(1) + "Value");
            _c.Pending.Add(new Assign(result, value) { Location = _c.Place(invocation), Source = ParseContext.OneLine(invocation) });
            return new VarRef(result, ScalarType.Double);
        }
        finally
        {
            _c.Inlining.RemoveAt(_c.Inlining.Count - 1);
            _c.Model = callerModel;
        }
    }

    private Expr NotInlinable(InvocationExpressionSyntax invocation, string display, string why)
    {
        _c.Report(D.UnsupportedCall, invocation, display, " (it is not [Differentiable], so it is inlined, but " + why + ")");
        return ExpressionParser.Placeholder;
    }

    /// <summary>Null when the body's only return is its last statement (or a void helper has none); else why not.</summary>
    private static string? OnlyReturnIsLast(MethodDeclarationSyntax syntax, bool returnsVoid)
    {
        if (syntax.Body is not { } body) return null;
        var returns = body.DescendantNodes(n => n is not (LambdaExpressionSyntax or LocalFunctionStatementSyntax or AnonymousMethodExpressionSyntax)).OfType<ReturnStatementSyntax>().ToList();
        if (returnsVoid) return returns.Count == 0 ? null : "it uses return";
        bool last = returns.Count == 1 && body.Statements.LastOrDefault() == returns[0] && returns[0].Expression is not null;
        return last ? null : "it returns from more than one place";
    }
}
