using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Differentiator.Generator.Primitives;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using D = Differentiator.Generator.Diagnostics.DiagnosticDescriptors;

namespace Differentiator.Generator.Parsing;

/// <summary>
/// Invocations: <c>Math</c> functions become IR calls; <c>a.GetLength(k)</c> a length; a call to another
/// <c>[Differentiable]</c> method is hoisted into its own statement (<see cref="CallAssign"/>) ahead of the
/// statement that uses it, whose expression then reads a temporary; a call to any other static helper of the
/// compilation is inlined (<see cref="HelperInliner"/>).
/// </summary>
internal sealed class CallParser
{
    private readonly ParseContext _c;
    private readonly ExpressionParser _expressions;

    public CallParser(ParseContext context, ExpressionParser expressions)
    {
        _c = context;
        _expressions = expressions;
    }

    public Expr Parse(InvocationExpressionSyntax invocation)
    {
        var method = _c.Model.GetSymbolInfo(invocation, _c.CancellationToken).Symbol as IMethodSymbol;
        // Before the unresolved check: the generator's compilation lacks its own output, so there such a call does not resolve.
        if (GeneratedDerivative(_c, invocation) is { } generated)
            return new NestedCallParser(_c, _expressions, this).Parse(invocation, generated, valueUsed: true);
        if (method is null) return _expressions.Unresolved(invocation, "The call '" + ParseContext.OneLine(invocation) + "'");
        var arguments = invocation.ArgumentList.Arguments;
        if (arguments.Any(a => !a.RefKindKeyword.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.None) || a.NameColon is not null))
            return _expressions.Unsupported(invocation, "A call with named, ref or out arguments");

        bool onMath = Dialects.IsMathClass(method.ContainingType?.ToDisplayString());
        if (onMath || method.ContainingType?.SpecialType == _c.RealType)
        {
            string host = method.ContainingType!.Name;
            var rows = PrimitiveTable.Callable.Where(r => r.Name == method.Name && (r.Host == Host.Real) != onMath).ToList();
            // The primitive's overload on the method's real type (Math.Abs/Max/Min/Clamp have float overloads too).
            var row = rows.FirstOrDefault(r => r.Arity == method.Parameters.Length);
            if (row is not null && method.Parameters.All(p => p.Type.SpecialType == _c.RealType)
                && method.ReturnType.SpecialType == (row.ResultType == ScalarType.Int ? SpecialType.System_Int32 : _c.RealType))
                return _c.Remember(new MathCall(row.Function, arguments.Select(a => _expressions.ParseAs(a.Expression, ScalarType.Double)).ToEquatableArray()), invocation);
            // Math.Sign(int) (of int data, say): the sign of the int as a real is the same int, and has no derivative.
            if (row is { ResultType: ScalarType.Int } && method.Parameters.All(p => p.Type.SpecialType == SpecialType.System_Int32))
                return _c.Remember(new MathCall(row.Function, arguments.Select(a => _expressions.ParseAs(a.Expression, ScalarType.Double)).ToEquatableArray()), invocation);
            if (onMath && IntFunction(method, arguments) is { } integer)
                return _c.Remember(integer, invocation);
            if (!onMath && RealFunction(method.Name, arguments) is { } rewritten)
                return _c.Remember(rewritten, invocation);
            if (rows.Count > 0 && (_c.IsOtherReal(method.ReturnType) || method.Parameters.Any(p => _c.IsOtherReal(p.Type))))
                return _expressions.Mixed(invocation);
            _c.Report(D.UnsupportedCall, invocation, host + "." + method.Name, "");
            return ExpressionParser.Placeholder;
        }

        // X.GetLength(d) of a matrix: a parameter's, an inlined helper's, or a local one's (whose dimensions are int locals).
        if (method.Name == "GetLength" && invocation.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax array }
            && _c.ArrayOf(_c.Model.GetSymbolInfo(array, _c.CancellationToken).Symbol) is { } matrix
            && arguments.Count == 1 && _c.Model.GetConstantValue(arguments[0].Expression, _c.CancellationToken).Value is int dimension
            && matrix.DimensionLength(dimension) is { } length)
            return length;

        if (IsDifferentiable(method)) return Hoist(invocation, method);
        // A method with a custom derivative: called like a [Differentiable] one, differentiated through its FVjp.
        if (method.IsStatic && CustomDerivativeParser.VjpOf(method) is { Claimed: true } custom)
        {
            if (custom.Vjp is null)
            {
                _c.Broken = true; // its [DerivativeOf] method has DIFF5xx errors of its own
                return ExpressionParser.Placeholder;
            }
            return Hoist(invocation, method, custom.Vjp);
        }
        if (HelperInliner.Applies(method)) return new HelperInliner(_c, _expressions).Inline(invocation, method);

        _c.Report(D.UnsupportedCall, invocation, method.ContainingType is null ? method.Name : method.ContainingType.Name + "." + method.Name, "");
        return ExpressionParser.Placeholder;
    }

    /// <summary>The generated members a caller might call, longest suffix first, with what they are (DIFF020's words).</summary>
    private static readonly (string Suffix, string Kind)[] GeneratedSuffixes =
    {
        ("NumericalHessian", "Hessian by central differences"), ("HessianVectorProduct", "Hessian-vector product"), ("Hessian", "Hessian"),
        ("NumericalJacobian", "Jacobian by central differences"), ("TapeJacobian", "Jacobian on the tape"), ("Jacobian", "Jacobian"),
        ("NumericalGradient", "gradient by central differences"), ("TapeGradient", "gradient on the tape"), ("Gradient", "gradient"),
        ("Pushforward", "pushforward (forward mode)"), ("Vjp", "vector-Jacobian product"), ("Jvp", "Jacobian-vector product"),
    };

    /// <summary>
    /// A call of a member the generator writes for a <c>[Differentiable]</c> method (<c>NGradient</c>…): its name, what it
    /// is, and the method's name; null otherwise. Found by name, since it resolves only in the analyzer's compilation.
    /// </summary>
    public static (string Name, string Kind, string Of)? GeneratedDerivative(ParseContext c, InvocationExpressionSyntax invocation)
    {
        var (name, type) = invocation.Expression switch
        {
            IdentifierNameSyntax id => (id.Identifier.ValueText, c.Method.ContainingType),
            MemberAccessExpressionSyntax { Name: IdentifierNameSyntax member } access =>
                (member.Identifier.ValueText, c.Model.GetSymbolInfo(access.Expression, c.CancellationToken).Symbol as INamedTypeSymbol),
            _ => (null, null),
        };
        if (name is null || type is null) return null;
        return GeneratedMember(name, type) is var (kind, of) ? (name, kind, of) : null;
    }

    /// <summary>What <paramref name="name"/> is, if it is a member the generator writes for a <c>[Differentiable]</c> method of <paramref name="type"/>, and that method's name.</summary>
    public static (string Kind, string Of)? GeneratedMember(string name, INamedTypeSymbol type)
    {
        foreach (var (suffix, kind) in GeneratedSuffixes)
        {
            if (name.Length <= suffix.Length || !name.EndsWith(suffix, System.StringComparison.Ordinal)) continue;
            string of = name.Substring(0, name.Length - suffix.Length);
            if (type.GetMembers(of).OfType<IMethodSymbol>().Any(IsDifferentiable)) return (kind, of);
        }
        return null;
    }

    /// <summary>
    /// <c>Math.Max</c>, <c>Min</c> and <c>Abs</c> of ints (index arithmetic: <c>Math.Max(0, i - 1)</c>) as the
    /// conditionals they compute; ints carry no derivative, so no primitive is needed. (<c>Math.Abs(int.MinValue)</c>
    /// throws in C# and gives int.MinValue here: the gradient code reads what the method would have thrown on.)
    /// </summary>
    private Expr? IntFunction(IMethodSymbol method, SeparatedSyntaxList<ArgumentSyntax> arguments)
    {
        if (method.ReturnType.SpecialType != SpecialType.System_Int32 || !method.Parameters.All(p => p.Type.SpecialType == SpecialType.System_Int32)) return null;
        Expr Arg(int k) => _expressions.ParseAs(arguments[k].Expression, ScalarType.Int);
        switch (method.Name)
        {
            case "Max" or "Min" when arguments.Count == 2:
            {
                // IR expressions are pure: reading an argument twice is evaluating it once.
                var (a, b) = (Arg(0), Arg(1));
                return new Conditional(new Binary(method.Name == "Max" ? BinaryOp.GreaterOrEqual : BinaryOp.LessOrEqual, a, b, ScalarType.Bool), a, b, ScalarType.Int);
            }
            case "Abs" when arguments.Count == 1:
            {
                var a = Arg(0);
                return new Conditional(new Binary(BinaryOp.Less, a, new Const(0, ScalarType.Int), ScalarType.Bool), new Unary(UnaryOp.Negate, a, ScalarType.Int), a, ScalarType.Int);
            }
            default:
                return null;
        }
    }

    /// <summary>
    /// The generic-math functions on <c>double</c> (and <c>float</c>) that .NET computes from <c>Math</c> (<c>MathF</c>)
    /// ones, written the same way so values stay bit-identical: <c>double.LogP1(x)</c> is <c>Math.Log(x + 1)</c>,
    /// <c>ExpM1</c> is <c>Math.Exp(x) - 1</c>, <c>Exp2</c>/<c>Exp10</c> are <c>Math.Pow(2 or 10, x)</c>,
    /// <c>Log2P1</c>/<c>Log10P1</c> the logs of <c>x + 1</c>.
    /// </summary>
    private Expr? RealFunction(string name, SeparatedSyntaxList<ArgumentSyntax> arguments)
    {
        if (arguments.Count != 1) return null;
        Expr X() => _expressions.ParseAs(arguments[0].Expression, ScalarType.Double);
        Expr PlusOne(Expr x) => new Binary(BinaryOp.Add, x, new Const(1, ScalarType.Double), ScalarType.Double);
        Expr Call(MathFunction f, params Expr[] args) => new MathCall(f, args.ToEquatableArray());
        return name switch
        {
            "LogP1" => Call(MathFunction.Log, PlusOne(X())),
            "Log2P1" => Call(MathFunction.Log2, PlusOne(X())),
            "Log10P1" => Call(MathFunction.Log10, PlusOne(X())),
            "ExpM1" => new Binary(BinaryOp.Subtract, Call(MathFunction.Exp, X()), new Const(1, ScalarType.Double), ScalarType.Double),
            "Exp2" => Call(MathFunction.Pow, new Const(2, ScalarType.Double), X()),
            "Exp10" => Call(MathFunction.Pow, new Const(10, ScalarType.Double), X()),
            _ => null,
        };
    }

    private Expr Hoist(InvocationExpressionSyntax invocation, IMethodSymbol method, string? customVjp = null)
    {
        if (SymbolEqualityComparer.Default.Equals(method.OriginalDefinition, _c.Method.OriginalDefinition))
        {
            _c.Report(D.Recursion, invocation, method.Name);
            return ExpressionParser.Placeholder;
        }
        if (_expressions.ConditionalContext is { } where)
        {
            _c.Report(D.ConditionalCall, invocation, method.Name, where);
            return ExpressionParser.Placeholder;
        }
        if (method.ReducedFrom is not null)
            return _expressions.Unsupported(invocation, "Calling '" + method.Name + "' as an extension method (call " + method.ContainingType.Name + "." + method.Name + "(…) with every argument instead)");
        if (!method.IsStatic || method.DeclaringSyntaxReferences.Length == 0)
        {
            _c.Report(D.UnsupportedCall, invocation, method.Name, method.IsStatic ? " (it is compiled in another assembly, so its tape form is not available here)" : " (it is an instance method; make it static)");
            return ExpressionParser.Placeholder;
        }
        if (_c.IsOtherReal(method.ReturnType)) return _expressions.Mixed(invocation);
        if (VectorSignature.OutputSpan(method) is not null)
            return _expressions.Unsupported(invocation, "Calling the vector-valued [Differentiable] method '" + method.Name + "' (not supported yet: write its values with a plain static helper, which is inlined)");
        var callee = Callee(method) is { } found ? found with { CustomVjp = customVjp } : null;
        if (callee is null)
        {
            _c.Broken = true; // the callee has its own DIFF errors
            return ExpressionParser.Placeholder;
        }
        var given = invocation.ArgumentList.Arguments;
        if (given.Count > callee.Parameters.Count)
        {
            _c.Broken = true; // more arguments than parameters: a C# error, the compiler speaks first
            return ExpressionParser.Placeholder;
        }
        var parsed = given.Select((a, k) => callee.Parameters[k].IsArray ? _expressions.ParseArgument(a.Expression) : _expressions.ParseAs(a.Expression, callee.Parameters[k].ScalarType)).ToList();
        // Optional parameters left out take their default values, as C# passes them.
        for (int k = given.Count; k < callee.Parameters.Count; k++)
        {
            var defaultValue = DefaultArgument(method.Parameters[k], callee.Parameters[k]);
            if (defaultValue is null)
            {
                if (_c.HasErrors(invocation)) { _c.Broken = true; return ExpressionParser.Placeholder; }
                return _expressions.Unsupported(invocation, "Leaving out the argument for '" + method.Parameters[k].Name + "' of '" + method.Name + "' (pass it explicitly)");
            }
            parsed.Add(defaultValue);
        }
        var arguments = parsed.ToEquatableArray();
        if (callee.Parameters.FirstOrDefault(p => p.Differentiated && p.Kind is ParameterKind.DoubleArray2D or ParameterKind.DoubleJagged) is { } matrix)
            return _expressions.Unsupported(invocation, "Calling '" + method.Name + "', which differentiates its matrix parameter '" + matrix.Name + "' (not supported yet: pass a flat array, or call a plain helper, which is inlined)");
        if (arguments.Select((a, k) => callee.Parameters[k].IsArray != a is ArrayRef).Any(mismatch => mismatch))
            return _expressions.Unsupported(invocation, "Passing anything but a whole array parameter to an array parameter of '" + method.Name + "'");
        var local = arguments.OfType<ArrayRef>().FirstOrDefault(a => _c.Locals.Any(l => l.IsArray && l.Name == a.Array)
            || _c.Parameters.TryGetValue(a.Array, out var p) && p.Kind == ParameterKind.Output);
        if (local is not null)
        {
            _c.Report(Diagnostics.DiagnosticDescriptors.UnsupportedLocalArray, invocation, local.Array,
                "passing a local array to the [Differentiable] method '" + method.Name + "' is not supported yet; pass its elements, or call a plain helper (inlined) instead");
            return ExpressionParser.Placeholder;
        }
        string temporary = _c.Temporary(char.ToLowerInvariant(method.Name[0]) + method.Name.Substring(1) + "Value");
        _c.Pending.Add(new CallAssign(temporary, callee, arguments) { Location = _c.Place(invocation), Source = ParseContext.OneLine(invocation) });
        return new VarRef(temporary, ScalarType.Double);
    }

    /// <summary>The constant an omitted optional scalar argument takes; null when there is none.</summary>
    private static Expr? DefaultArgument(IParameterSymbol symbol, Parameter parameter)
    {
        if (!symbol.HasExplicitDefaultValue || parameter.IsArray) return null;
        return symbol.ExplicitDefaultValue switch
        {
            double d when parameter.ScalarType == ScalarType.Double => new Const(d, ScalarType.Double),
            int i when parameter.ScalarType == ScalarType.Double => new Const(i, ScalarType.Double),
            int i => new Const(i, ScalarType.Int),
            _ => null,
        };
    }

    public CalleeInfo? Callee(IMethodSymbol method)
    {
        var parameters = new List<Parameter>();
        var named = SignatureParser.DifferentiatedNames(method);
        foreach (var p in method.Parameters)
        {
            var kind = SignatureParser.KindOf(p.Type, _c.RealType);
            if (kind is null) return null;
            bool differentiated = named.Count == 0 ? SignatureParser.DifferentiatedByDefault(kind.Value) : named.Contains(p.Name);
            parameters.Add(new Parameter(p.Name, kind.Value, differentiated));
        }
        string type = SymbolEqualityComparer.Default.Equals(method.ContainingType, _c.Method.ContainingType)
            ? ""
            : method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        return new CalleeInfo(type, method.Name, parameters.ToEquatableArray());
    }

    public static bool IsDifferentiable(IMethodSymbol method) =>
        method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == DifferentiatorGenerator.AttributeName);
}
