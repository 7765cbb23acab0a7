using System.Linq;
using Differentiator.Generator.Diagnostics;
using Differentiator.Generator.Model;
using Differentiator.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Differentiator.Generator;

/// <summary>
/// The incremental generator: finds <c>[Differentiable]</c> methods, parses each to a value-equatable model
/// (cached while the method is unchanged), differentiates and emits one <c>.g.cs</c> per method.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DifferentiatorGenerator : IIncrementalGenerator
{
    public const string AttributeName = "Differentiator.DifferentiableAttribute";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var models = context.SyntaxProvider.ForAttributeWithMetadataName(
                AttributeName,
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, ct) => MethodParser.Parse((IMethodSymbol)ctx.TargetSymbol, (MethodDeclarationSyntax)ctx.TargetNode, ctx.SemanticModel, ct))
            .WithTrackingName(TrackingNames.Parse);

        // DifferentiatorEmit (made visible to the compiler by the package's build/Differentiator.targets): which members
        // to write. Only that one value is selected, so no other change of options or compilation regenerates a file.
        var emit = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => EmitOptions.Parse(options.GlobalOptions.TryGetValue("build_property." + EmitOptions.CompilerVisibleName, out var text) ? text : null))
            .WithTrackingName(TrackingNames.Options);
        context.RegisterSourceOutput(emit, static (spc, options) =>
        {
            foreach (var word in options.Unknown) spc.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnknownEmitMember, Location.None, word));
        });

        var files = models
            .Combine(emit.Select(static (options, _) => options.Members))
            .Select(static (pair, ct) => GenerationStep.Generate(pair.Left, pair.Right, ct))
            .WithTrackingName(TrackingNames.Generate);

        context.RegisterSourceOutput(files, static (spc, file) =>
        {
            // The analyzer reports the method's diagnostics live (same parser); the generator reports only its own failures.
            foreach (var info in file.Diagnostics.Where(d => d.Id == DiagnosticDescriptors.InternalError.Id)) spc.ReportDiagnostic(ToDiagnostic(info));
            if (file.Source is not null) spc.AddSource(file.HintName, SourceText.From(file.Source, System.Text.Encoding.UTF8));
        });
    }

    internal static Diagnostic ToDiagnostic(DiagnosticInfo info)
    {
        var location = info.Location is { } l
            ? Location.Create(l.FilePath, new TextSpan(l.Start, l.Length), new LinePositionSpan(new LinePosition(l.StartLine, l.StartCharacter), new LinePosition(l.EndLine, l.EndCharacter)))
            : Location.None;
        return Diagnostic.Create(DiagnosticDescriptors.ById(info.Id), location, info.Arguments.Cast<object>().ToArray());
    }
}
