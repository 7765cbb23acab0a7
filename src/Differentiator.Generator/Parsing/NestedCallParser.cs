using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using D = Differentiator.Generator.Diagnostics.DiagnosticDescriptors;

namespace Differentiator.Generator.Parsing;

/// <summary>
/// Nested differentiation: a call of another <c>[Differentiable]</c> method N's generated <c>NGradient(a…, out g…)</c>
/// or <c>NPushforward(a…, u…, out t)</c>. Each value the call writes becomes a statement of its own
/// (<see cref="CallAssign"/> with a <see cref="NestedDerivative"/>), ahead of the statement holding the call; the
/// call's own value, when used, is N(a…), an ordinary call of N. Only the generator's output declares these members,
/// so they are found by name (<see cref="CallParser.GeneratedDerivative"/>) and the callee N by its symbol.
/// A span N differentiates (<c>ReadOnlySpan&lt;double&gt; x</c>) takes a whole local array or array parameter, and its
/// gradient goes into a whole local array (one statement, <see cref="CallAssign.WritesArray"/>); its tangent, for a
/// pushforward, is a whole array too.
/// Refused (DIFF600, with the reason): other generated members, callees with other parameters than scalars, data arrays and such spans, callees
/// that call other <c>[Differentiable]</c> methods (their Hessian-vector product, which the reverse sweep calls, is not
/// generated: DIFF301), and shapes whose order of evaluation the statement split would change.
/// </summary>
internal sealed class NestedCallParser
{
    private readonly ParseContext _c;
    private readonly ExpressionParser _e;
    private readonly CallParser _calls;

    public NestedCallParser(ParseContext context, ExpressionParser expressions, CallParser calls)
    {
        _c = context;
        _e = expressions;
        _calls = calls;
    }

    /// <summary>
    /// Parses the call into pending statements and returns the call's value (N(a…) in a temporary), or
    /// <see cref="ExpressionParser.Placeholder"/> after a diagnostic. <paramref name="valueUsed"/> is false for a call
    /// written as a statement of its own.
    /// </summary>
    public Expr Parse(InvocationExpressionSyntax invocation, (string Name, string Kind, string Of) generated, bool valueUsed)
    {
        var (name, kind, of) = generated;
        string suffix = name.Substring(of.Length);
        if (suffix is not (GradientCall.GradientMember or "Pushforward"))
        {
            _c.Report(D.NestedDerivativeCall, invocation, name, kind, of);
            DeclareOutputs(invocation);
            return ExpressionParser.Placeholder;
        }
        bool pushforward = suffix == "Pushforward";
        // The tape's node computes in double (Tape.GradientComponent): a float method's would need conversions both ways.
        if (_c.Precision == Precision.Single) return Refuse(invocation, name, "nested derivative calls are supported in double methods only, not yet in float ones");
        var method = CalleeSymbol(invocation, of);
        if (method is null) return Refuse(invocation, name, "'" + of + "' is overloaded; give the [Differentiable] method a name of its own");
        if (SymbolEqualityComparer.Default.Equals(method.OriginalDefinition, _c.Method.OriginalDefinition))
        {
            _c.Report(D.Recursion, invocation, method.Name);
            return ExpressionParser.Placeholder;
        }
        if (_e.ConditionalContext is { } where)
        {
            _c.Report(D.ConditionalCall, invocation, name, where);
            return ExpressionParser.Placeholder;
        }
        if (!method.IsStatic || method.DeclaringSyntaxReferences.Length == 0)
            return Refuse(invocation, name, "'" + of + "' must be a static method of this compilation");
        if (_c.IsOtherReal(method.ReturnType)) return _e.Mixed(invocation);
        if (_calls.Callee(method) is not { } callee)
        {
            _c.Broken = true; // the callee has its own DIFF errors
            return ExpressionParser.Placeholder;
        }
        if (callee.Parameters.FirstOrDefault(p => p.Kind != ParameterKind.Double && !IsDataArray(p) && !IsDifferentiatedSpan(p)) is { } other)
            return Refuse(invocation, name, "'" + of + "' has the parameter '" + other.Name + "' that is neither a " + _c.RealKeyword + ", nor an array of data, nor a ReadOnlySpan<double> it differentiates"
                + (other.Differentiated && other.Kind is ParameterKind.DoubleArray or ParameterKind.DoubleSpan ? " (declare it ReadOnlySpan<double>: then a local array, a span or an array parameter may be passed, in the gradient code as in the tape's)" : ""));
        if (CallsDifferentiable(method) is { } inner)
            return Refuse(invocation, name, "'" + of + "' calls '" + inner + "', so its Hessian-vector product, which the gradient of this call needs, is not generated (DIFF301)");

        var differentiated = callee.DifferentiatedIndices();
        int n = callee.Parameters.Count;
        int expected = n + (pushforward ? differentiated.Count + 1 : differentiated.Count);
        var given = invocation.ArgumentList.Arguments;
        if (given.Count != expected || given.Any(a => a.NameColon is not null))
        {
            if (_c.HasErrors(invocation) && _c.Model.GetSymbolInfo(invocation, _c.CancellationToken).Symbol is not null) { _c.Broken = true; return ExpressionParser.Placeholder; }
            return Refuse(invocation, name, "pass its " + expected + " arguments in order, without names (" + n + " values, " + (pushforward ? differentiated.Count + " tangents and one out argument" : differentiated.Count + " out arguments") + ")");
        }
        var inputs = given.Take(expected - (pushforward ? 1 : differentiated.Count)).ToList();
        if (inputs.FirstOrDefault(a => !a.RefKindKeyword.IsKind(SyntaxKind.None)) is { } byRef)
            return Refuse(invocation, name, "the argument '" + ParseContext.OneLine(byRef) + "' must be passed by value");
        var outputSyntax = given.Skip(inputs.Count).ToList();
        // NGradient's output for a differentiated span is a Span<double> it writes: a local array, passed as it is.
        bool IsSpanOutput(int j) => !pushforward && callee.Parameters[differentiated[j]].IsArray;
        if (outputSyntax.Where((a, j) => !IsSpanOutput(j)).FirstOrDefault(a => !a.RefKindKeyword.IsKind(SyntaxKind.OutKeyword)) is { } notOut)
            return Refuse(invocation, name, "the argument '" + ParseContext.OneLine(notOut) + "' must be an out argument into a local");

        var outputs = new List<string?>();
        for (int j = 0; j < outputSyntax.Count; j++)
        {
            if (IsSpanOutput(j))
            {
                if (SpanOutputProblem(outputSyntax[j], out var array) is { } problem)
                    return Refuse(invocation, name, "the argument '" + ParseContext.OneLine(outputSyntax[j]) + "' for the gradient of the span '" + callee.Parameters[differentiated[j]].Name + "' " + problem);
                outputs.Add(array);
                continue;
            }
            if (!Output(outputSyntax[j], out var target)) return ExpressionParser.Placeholder;
            outputs.Add(target);
        }
        if (valueUsed && outputs.Any(o => o is not null) && !IsWholeRightSide(invocation))
            return Refuse(invocation, name, "a call whose value is used must be a statement of its own or the whole right side of an assignment (its out arguments are written before the rest of the expression is evaluated)");

        // A value or tangent of a span N differentiates (the tangent u of NPushforward(x…, u…, out t) is shaped like x) is a whole array.
        bool IsArrayInput(int k) => k < n ? callee.Parameters[k].IsArray : callee.Parameters[differentiated[k - n]].IsArray;
        var arguments = inputs.Select((a, k) => IsArrayInput(k) ? _e.ParseArgument(a.Expression) : _e.ParseAs(a.Expression, ScalarType.Double)).ToList();
        for (int k = 0; k < n; k++)
        {
            if (!callee.Parameters[k].IsArray) continue;
            if (IsDifferentiatedSpan(callee.Parameters[k]))
            {
                if (DifferentiatedSpanProblem(arguments[k]) is { } spanProblem)
                    return Refuse(invocation, name, "the argument '" + ParseContext.OneLine(inputs[k]) + "' for the span '" + callee.Parameters[k].Name + "' " + spanProblem);
                // NGradient writes its span outputs while it still reads its arguments (docs/generated-api.md).
                if (outputs.Contains(((ArrayRef)arguments[k]).Array))
                    return Refuse(invocation, name, "the array '" + ((ArrayRef)arguments[k]).Array + "' is both an argument and an output: the call would write it while it still reads it (pass a copy)");
            }
            else if (DataArrayProblem(arguments[k]) is { } problem)
                return Refuse(invocation, name, "the argument '" + ParseContext.OneLine(inputs[k]) + "' for the data array '" + callee.Parameters[k].Name + "' " + problem);
        }
        for (int k = n; k < arguments.Count; k++)
            if (IsArrayInput(k) && DifferentiatedSpanProblem(arguments[k]) is { } tangentProblem)
                return Refuse(invocation, name, "the tangent '" + ParseContext.OneLine(inputs[k]) + "' for the span '" + callee.Parameters[differentiated[k - n]].Name + "' " + tangentProblem);
        if (outputs.Where((o, j) => o is not null && IsSpanOutput(j)).GroupBy(o => o).FirstOrDefault(g => g.Count() > 1) is { } twice)
            return Refuse(invocation, name, "the array '" + twice.Key + "' receives two gradients (pass one local array per span)");
        // C# reads every argument before the callee writes any out argument; the split statements write one at a
        // time, so an argument that reads an output is read into a temporary first.
        var written = new HashSet<string>(outputs.Where(o => o is not null)!, System.StringComparer.Ordinal);
        for (int k = 0; k < arguments.Count; k++)
        {
            if (!ExprWalker.Reads(arguments[k]).Overlaps(written)) continue;
            string copy = _c.Temporary("argument");
            _c.Pending.Add(new Assign(copy, arguments[k]) { Location = _c.Place(inputs[k]), Source = ParseContext.OneLine(inputs[k]) });
            arguments[k] = new VarRef(copy, ScalarType.Double);
        }
        var all = arguments.ToEquatableArray();
        var location = _c.Place(invocation);
        string source = ParseContext.OneLine(invocation);
        Expr value = ExpressionParser.Placeholder;
        if (valueUsed)
        {
            string temporary = _c.Temporary(char.ToLowerInvariant(of[0]) + of.Substring(1) + "Value");
            _c.Pending.Add(new CallAssign(temporary, callee, arguments.Take(n).ToEquatableArray()) { Location = location, Source = source });
            value = new VarRef(temporary, ScalarType.Double);
        }
        for (int j = 0; j < outputs.Count; j++)
        {
            if (outputs[j] is not { } target) continue;
            var nested = pushforward ? new NestedDerivative(NestedKind.Pushforward, -1) : new NestedDerivative(NestedKind.GradientComponent, differentiated[j]);
            _c.Pending.Add(new CallAssign(target, callee, all) { Nested = nested, Location = location, Source = source });
        }
        return value;
    }

    /// <summary>
    /// A <c>ReadOnlySpan&lt;double&gt;</c> parameter of N that N differentiates: its gradient is a span NGradient writes
    /// into a local array of the caller (a whole-array <see cref="NestedDerivative"/>). Only that type, because the
    /// argument is printed as it is in every member: a stackalloc span, an array or a span parameter all convert to it.
    /// </summary>
    private static bool IsDifferentiatedSpan(Parameter p) => p.Differentiated && p.Kind == ParameterKind.ReadOnlyDoubleSpan;

    /// <summary>
    /// Why <paramref name="argument"/> cannot be passed to a span N differentiates; null when it can: a whole local
    /// array, or a whole array parameter of this method (differentiated or data). A local array overwritten later is
    /// restored for the reverse sweep by the reversal plan like any array read (its elements saved as they are overwritten).
    /// </summary>
    private string? DifferentiatedSpanProblem(Expr argument)
    {
        if (argument is not ArrayRef { Array: var array }) return "must be a whole local array or array parameter";
        if (_c.Locals.Any(l => l.IsArray && l.Name == array)) return null;
        if (_c.Parameters.TryGetValue(array, out var parameter) && parameter.Kind is ParameterKind.DoubleArray or ParameterKind.DoubleSpan or ParameterKind.ReadOnlyDoubleSpan)
            return null;
        return "must be a whole local array or a double[] or span parameter";
    }

    /// <summary>
    /// Why <paramref name="argument"/> cannot receive the gradient of a span N differentiates; null when it can (then
    /// <paramref name="array"/> names it): a whole local array, passed as it is (not <c>out</c>). The call overwrites
    /// every element, a statement of its own for the reversal plan, which saves what a loop overwrites.
    /// </summary>
    private string? SpanOutputProblem(ArgumentSyntax argument, out string? array)
    {
        array = null;
        if (!argument.RefKindKeyword.IsKind(SyntaxKind.None)) return "must be a local array passed as it is (not out or ref)";
        if (_e.ParseArgument(argument.Expression) is not ArrayRef whole || !_c.Locals.Any(l => l.IsArray && l.Name == whole.Array))
            return "must be a whole local array (double[] g = new double[n], or Span<double> g = stackalloc double[n])";
        array = whole.Array;
        return null;
    }

    /// <summary>A <c>double[]</c> or span parameter of N that N does not differentiate: passed through as it is.</summary>
    private static bool IsDataArray(Parameter p) =>
        !p.Differentiated && p.Kind is ParameterKind.DoubleArray or ParameterKind.DoubleSpan or ParameterKind.ReadOnlyDoubleSpan;

    /// <summary>
    /// Why <paramref name="argument"/> cannot be passed to a data array of N; null when it can. It must be a whole
    /// array parameter of this method that is not differentiated: N's derivatives at the call do not depend on it, so
    /// a differentiated array would lose its derivative through the call, and parameters are never written, so the
    /// reverse sweep reads the values the call read without saving them (a local array could be overwritten).
    /// </summary>
    private string? DataArrayProblem(Expr argument)
    {
        if (argument is not ArrayRef { Array: var array } || !_c.Parameters.TryGetValue(array, out var parameter))
            return "must be a whole array parameter of this method (local arrays are not supported yet)";
        if (parameter.Kind is not (ParameterKind.DoubleArray or ParameterKind.DoubleSpan or ParameterKind.ReadOnlyDoubleSpan))
            return "must be a double[] or span parameter";
        if (parameter.Differentiated)
            return "is differentiated here, but the call does not differentiate it (mark it data, or make it an array the callee differentiates: not supported yet)";
        return null;
    }

    private Expr Refuse(InvocationExpressionSyntax invocation, string name, string why)
    {
        _c.Report(D.NestedDerivativeCallShape, invocation, name, why);
        DeclareOutputs(invocation);
        return ExpressionParser.Placeholder;
    }

    /// <summary>
    /// The locals a refused call declares (<c>out double g</c>) stay locals, so reading them later adds no diagnostic
    /// of its own: one diagnostic per root cause.
    /// </summary>
    private void DeclareOutputs(InvocationExpressionSyntax invocation)
    {
        foreach (var argument in invocation.ArgumentList.Arguments)
            if (argument.Expression is DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax single }
                && _c.Model.GetDeclaredSymbol(single, _c.CancellationToken) is ILocalSymbol local)
                _c.DeclareLocal(local, ScalarType.Double);
    }

    /// <summary>The <c>[Differentiable]</c> method <paramref name="of"/> the call derives from; null when there are several.</summary>
    private IMethodSymbol? CalleeSymbol(InvocationExpressionSyntax invocation, string of)
    {
        var type = invocation.Expression is MemberAccessExpressionSyntax access
            ? _c.Model.GetSymbolInfo(access.Expression, _c.CancellationToken).Symbol as INamedTypeSymbol
            : _c.Method.ContainingType;
        var found = type?.GetMembers(of).OfType<IMethodSymbol>().Where(CallParser.IsDifferentiable).ToList();
        return found is { Count: 1 } ? found[0] : null;
    }

    /// <summary>An out argument: <c>out double g</c>, <c>out var g</c> or <c>out g</c> (a local or scalar parameter) gives its name; <c>out _</c> null.</summary>
    private bool Output(ArgumentSyntax argument, out string? target)
    {
        target = null;
        switch (argument.Expression)
        {
            case DeclarationExpressionSyntax { Designation: DiscardDesignationSyntax }:
                return true;
            case DeclarationExpressionSyntax { Designation: SingleVariableDesignationSyntax single }:
                if (_c.Model.GetDeclaredSymbol(single, _c.CancellationToken) is not ILocalSymbol local) { _c.Broken = true; return false; }
                target = _c.DeclareLocal(local, ScalarType.Double);
                return true;
            case IdentifierNameSyntax { Identifier.ValueText: "_" } discard when _c.Model.GetSymbolInfo(discard, _c.CancellationToken).Symbol is null or IDiscardSymbol:
                return true;
            default:
                if (_c.Statements?.Target(argument.Expression, argument) is not var (name, type)) return false;
                if (type != ScalarType.Double)
                {
                    _e.Unsupported(argument, "An out argument of type " + type.ToString().ToLowerInvariant() + " (a derivative is a " + _c.RealKeyword + ")");
                    return false;
                }
                target = name;
                return true;
        }
    }

    /// <summary><c>v = NGradient(…)</c>, <c>double v = NGradient(…)</c> or <c>return NGradient(…)</c>: nothing else of the statement is evaluated before the call.</summary>
    private static bool IsWholeRightSide(InvocationExpressionSyntax invocation) => invocation.Parent switch
    {
        EqualsValueClauseSyntax => true,
        AssignmentExpressionSyntax assignment => assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && assignment.Right == invocation,
        ReturnStatementSyntax or ArrowExpressionClauseSyntax => true,
        _ => false,
    };

    /// <summary>The first call in <paramref name="method"/>'s body of a method the generator differentiates through a call (so its second order is not generated); null when there is none.</summary>
    private string? CallsDifferentiable(IMethodSymbol method)
    {
        // The answer reads the callee's body: an edit there must parse this method again (Editing/TreeEdit).
        _c.Positions.ReadsOtherMethods = true;
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(_c.CancellationToken);
            var model = syntax.SyntaxTree == _c.Model.SyntaxTree ? _c.Model : _c.Model.Compilation.GetSemanticModel(syntax.SyntaxTree);
            foreach (var call in syntax.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (model.GetSymbolInfo(call, _c.CancellationToken).Symbol is IMethodSymbol called
                    && (CallParser.IsDifferentiable(called) || called.IsStatic && CustomDerivativeParser.VjpOf(called) is { Claimed: true }))
                    return called.Name;
                // A generated member (NGradient…) does not resolve in the generator's compilation: found by name.
                if (call.Expression is IdentifierNameSyntax { Identifier.ValueText: var name } && CallParser.GeneratedMember(name, method.ContainingType) is not null)
                    return name;
                if (call.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: var member } access
                    && model.GetSymbolInfo(access.Expression, _c.CancellationToken).Symbol is INamedTypeSymbol type && CallParser.GeneratedMember(member, type) is not null)
                    return member;
            }
        }
        return null;
    }
}
