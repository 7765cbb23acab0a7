using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Differentiator.Benchmarks.Generator;

/// <summary>
/// The floor under any generator that reads method bodies semantically: the same ForAttributeWithMetadataName
/// pipeline as Differentiator's, whose transform only makes Roslyn bind the method (its operation tree) and
/// counts the operations. After an edit Roslyn re-runs every transform with a new compilation and a new semantic
/// model, so this is what an edit costs before Differentiator's own parsing starts.
/// (Driven directly by the benchmark, so it carries no [Generator] attribute.)
/// </summary>
public sealed class BindingOnlyGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var counts = context.SyntaxProvider.ForAttributeWithMetadataName(
            Differentiator.Generator.DifferentiatorGenerator.AttributeName,
            static (node, _) => node is MethodDeclarationSyntax,
            static (ctx, ct) =>
            {
                int count = 0;
                var operation = ctx.SemanticModel.GetOperation(ctx.TargetNode, ct);
                if (operation is not null) foreach (var _ in operation.Descendants()) count++;
                return count;
            });
        context.RegisterSourceOutput(counts, static (_, _) => { });
    }
}
