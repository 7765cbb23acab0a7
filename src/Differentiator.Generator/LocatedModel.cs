using System.Threading;
using Differentiator.Generator.Model;
using Differentiator.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Differentiator.Generator;

/// <summary>
/// The parse step's output: the position-free model, and where its places stand now. The pipeline takes the model
/// alone onward, so an edit that only moves the method changes this value but leaves the generation cached.
/// </summary>
internal sealed record LocatedModel(MethodModel Model, EquatableArray<LocationInfo> Positions)
{
    public static LocatedModel Parse(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, CancellationToken cancellationToken) =>
        Parse(method, syntax, semanticModel, cancellationToken, out _);

    /// <summary>Also says whether the parse read another method's body (an inlined helper), which Editing/ModelCache must know.</summary>
    public static LocatedModel Parse(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, CancellationToken cancellationToken, out bool readsOtherMethods)
    {
        var model = MethodParser.Parse(method, syntax, semanticModel, cancellationToken, out var positions);
        readsOtherMethods = positions.ReadsOtherMethods;
        return new LocatedModel(model, positions.ToEquatableArray());
    }
}
