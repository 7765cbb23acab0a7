using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using D = Differentiator.Generator.Diagnostics.DiagnosticDescriptors;

namespace Differentiator.Generator.Parsing;

/// <summary>
/// The first stage and the only one that touches Roslyn: reads a <c>[Differentiable]</c> method into a
/// value-equatable <see cref="MethodModel"/> — its IR, or the DIFFnnn diagnostics that say why there is none.
/// The analyzer calls the same code, so the editor and the build report the same thing.
/// </summary>
internal static class MethodParser
{
    /// <summary>The source map's key for the method's identifier.</summary>
    public static readonly object MethodKey = new();

    public static MethodModel Parse(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, CancellationToken cancellationToken) =>
        Parse(method, syntax, semanticModel, cancellationToken, out _);

    /// <summary>
    /// Also returns where the model's places stand and where each IR expression and parameter came from: kept out of
    /// the model, which stays equal when only positions change (an edit above the method or in another one).
    /// </summary>
    public static MethodModel Parse(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, CancellationToken cancellationToken, out SourcePositions positions)
    {
        var context = new ParseContext(method, semanticModel, cancellationToken);
        positions = context.Positions;
        var containingTypes = ContainingTypes(syntax, method, context);
        CheckMethodKind(method, syntax, context);
        bool vectorValued = VectorSignature.OutputSpan(method) is not null;
        if (method.ReturnsVoid && !vectorValued) VectorSignature.ReportNearMiss(method, syntax, context);
        else if (!vectorValued && method.ReturnType.SpecialType is not (SpecialType.System_Double or SpecialType.System_Single))
        {
            if (method.ReturnType.TypeKind == TypeKind.Error) context.Broken = true;
            else context.Report(D.ReturnTypeNotDouble, syntax.ReturnType, method.Name, method.ReturnType.ToDisplayString());
        }

        var parameters = SignatureParser.Parameters(method, syntax, context);
        foreach (var p in parameters) context.AddParameter(p);

        Block body = Block.Empty;
        var statements = new StatementParser(context);
        if (syntax.Body is { } block) body = statements.ParseBlock(block.Statements);
        else if (syntax.ExpressionBody is { } statementArrow && vectorValued)
        {
            // void F(…, Span<double> r) => r[0] = …;: the arrow's expression is the body's one statement.
            body = statements.ParseExpressionBody(statementArrow.Expression);
        }
        else if (syntax.ExpressionBody is { } arrow)
        {
            var value = statements.Expressions.ParseAs(arrow.Expression, ScalarType.Double);
            var location = context.Place(arrow.Expression);
            string source = "return " + ParseContext.OneLine(arrow.Expression) + ";";
            var ret = new Return(value) { Location = location, Source = source };
            body = new Block(context.Pending.Append<Stmt>(ret).Select(s => s.Location is null ? s with { Location = location, Source = source } : s).ToEquatableArray());
            context.Pending.Clear();
        }
        context.Positions.Remember(MethodKey, Locations.From(syntax.Identifier.GetLocation()));

        bool usable = context.Diagnostics.Count == 0 && !context.Broken && parameters.Count == method.Parameters.Length;
        var ir = usable ? new MethodIr(method.Name, parameters.ToEquatableArray(), context.Locals.ToEquatableArray(), body, context.Precision) : null;
        return new MethodModel(
            method.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
            containingTypes.ToEquatableArray(),
            Accessibility(method),
            method.IsStatic,
            HintName(method),
            ir,
            context.Diagnostics.ToEquatableArray());
    }

    private static List<ContainingType> ContainingTypes(MethodDeclarationSyntax syntax, IMethodSymbol method, ParseContext context)
    {
        var types = new List<ContainingType>();
        foreach (var declaration in syntax.Ancestors().OfType<TypeDeclarationSyntax>())
        {
            if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                context.Report(D.TypeNotPartial, declaration.Identifier, declaration.Identifier.Text, method.Name);
            string keyword = declaration switch
            {
                RecordDeclarationSyntax r => r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
                _ => declaration.Keyword.Text,
            };
            types.Insert(0, new ContainingType(keyword, declaration.Identifier.Text + TypeParameters(declaration.TypeParameterList), declaration.Modifiers.Any(SyntaxKind.StaticKeyword)));
        }
        return types;
    }

    /// <summary><c>&lt;in T, U&gt;</c>: names and variance only, since the generated partial must not repeat the parameters' attributes.</summary>
    private static string TypeParameters(TypeParameterListSyntax? list) =>
        list is null ? "" : "<" + string.Join(", ", list.Parameters.Select(p => (p.VarianceKeyword.IsKind(SyntaxKind.None) ? "" : p.VarianceKeyword.Text + " ") + p.Identifier.Text)) + ">";

    private static void CheckMethodKind(IMethodSymbol method, MethodDeclarationSyntax syntax, ParseContext context)
    {
        string? why = method.IsGenericMethod ? "generic (type parameters are not supported yet)"
            : method.IsAsync ? "async"
            : syntax.Body is null && syntax.ExpressionBody is null && method.PartialImplementationPart is not null
                ? "the declaring part of a partial method; put [Differentiable] on its implementing part, the one with the body"
            : syntax.Body is null && syntax.ExpressionBody is null ? "declared without a body"
            : syntax.DescendantNodes().OfType<YieldStatementSyntax>().Any() ? "an iterator"
            : null;
        if (why is not null) context.Report(D.UnsupportedMethodKind, syntax.Identifier, method.Name, why);
    }

    private static string Accessibility(IMethodSymbol method) => method.DeclaredAccessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public",
        Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };

    /// <summary><c>Namespace.Outer.Inner.Method.g.cs</c> (<c>Method{suffix}.g.cs</c>); generic arity and overloads keep names unique.</summary>
    internal static string HintName(IMethodSymbol method, string suffix = "")
    {
        var text = new StringBuilder();
        if (method.ContainingNamespace is { IsGlobalNamespace: false } ns) text.Append(ns.ToDisplayString()).Append('.');
        var types = new Stack<INamedTypeSymbol>();
        for (var t = method.ContainingType; t is not null; t = t.ContainingType) types.Push(t);
        foreach (var t in types) text.Append(t.Name).Append(t.Arity > 0 ? "_" + t.Arity : "").Append('.');
        text.Append(method.Name);
        bool overloaded = method.ContainingType?.GetMembers(method.Name).OfType<IMethodSymbol>().Count(CallParser.IsDifferentiable) > 1;
        if (overloaded) text.Append('_').Append(string.Join("_", method.Parameters.Select(p => Sanitize(p.Type.ToDisplayString()))));
        // Half-typed code can yield names such as '<invalid-global-code>'; a hint name takes only safe characters.
        return Sanitize(text.ToString() + suffix) + ".g.cs";
    }

    private static string Sanitize(string name) => new(name.Select(ch => char.IsLetterOrDigit(ch) || ch == '.' ? ch : '_').ToArray());
}
