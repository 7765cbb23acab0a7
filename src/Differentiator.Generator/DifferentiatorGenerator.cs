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
/// (cached while the method is unchanged), differentiates and emits one <c>.g.cs</c> per method. Positions stay
/// out of the model (see Model/SourcePositions.cs): typing above a method or in another one finds the model equal
/// (kept from the file's previous version, Editing/ModelCache.cs, or parsed again) and regenerates nothing.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DifferentiatorGenerator : IIncrementalGenerator
{
    public const string AttributeName = "Differentiator.DifferentiableAttribute";

    private readonly Editing.ModelCache? _models;

    public DifferentiatorGenerator() : this(Editing.ModelCache.Shared) { }

    /// <summary>With <paramref name="models"/> null, every method of an edited file is parsed again (for benchmarks).</summary>
    internal DifferentiatorGenerator(Editing.ModelCache? models) => _models = models;

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var models = _models;
        var parsed = context.SyntaxProvider.ForAttributeWithMetadataName(
                AttributeName,
                static (node, _) => node is MethodDeclarationSyntax,
                // Each keystroke runs this again for every method of the edited file; the ones it did not touch come back from the cache.
                (ctx, ct) => models is not null
                    ? models.Parse((IMethodSymbol)ctx.TargetSymbol, (MethodDeclarationSyntax)ctx.TargetNode, ctx.SemanticModel, ct)
                    : LocatedModel.Parse((IMethodSymbol)ctx.TargetSymbol, (MethodDeclarationSyntax)ctx.TargetNode, ctx.SemanticModel, ct))
            .WithTrackingName(TrackingNames.Parse);

        var methodModels = parsed.Select(static (p, _) => p.Model).WithTrackingName(TrackingNames.Model);

        // DifferentiatorEmit (made visible to the compiler by the package's build/Differentiator.targets): which members
        // to write; and whether an IDE's design-time build asks (bodies as text only, Emission/DesignTimeBodies.cs).
        // Only these values are selected, so no other change of options or compilation regenerates a file.
        var emit = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => EmitOptions.Parse(
                options.GlobalOptions.TryGetValue("build_property." + EmitOptions.CompilerVisibleName, out var text) ? text : null,
                options.GlobalOptions.TryGetValue("build_property." + EmitOptions.DesignTimeName, out var designTime) ? designTime : null))
            .WithTrackingName(TrackingNames.Options);
        context.RegisterSourceOutput(emit, static (spc, options) =>
        {
            foreach (var word in options.Unknown) spc.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.UnknownEmitMember, Location.None, word));
        });

        // What a file depends on: the members and the design-time form, not the unknown words (reported above).
        var shape = emit.Select(static (options, _) => (options.Members, options.DesignTime));
        var files = methodModels
            .Combine(shape)
            .Select(static (pair, ct) => GenerationStep.Generate(pair.Left, pair.Right.Members, ct, pair.Right.DesignTime))
            .WithTrackingName(TrackingNames.Generate);

        context.RegisterSourceOutput(files, static (spc, file) =>
        {
            if (file.Source is not null) spc.AddSource(file.HintName, SourceText.From(file.Source, System.Text.Encoding.UTF8));
        });

        // Custom derivatives: the tape form of each method a [DerivativeOf] method fits (its diagnostics are the analyzer's).
        var custom = context.SyntaxProvider.ForAttributeWithMetadataName(
                CustomDerivativeParser.AttributeName,
                static (node, _) => node is MethodDeclarationSyntax,
                static (ctx, _) => CustomDerivativeParser.Check((IMethodSymbol)ctx.TargetSymbol).Model)
            .WithTrackingName(TrackingNames.CustomDerivative);
        context.RegisterSourceOutput(custom.Combine(shape), static (spc, pair) =>
        {
            if (pair.Left is { } model && (pair.Right.Members & GeneratedMembers.Tape) != 0)
                spc.AddSource(model.HintName, SourceText.From(Emission.CustomDerivativeEmitter.Emit(model, pair.Right.DesignTime), System.Text.Encoding.UTF8));
        });

        // The analyzer reports the method's diagnostics live (same parser); the generator reports only its own failures
        // (DIFF900). Those are cached with the file, position-free, and placed through the method's current positions.
        var failures = files.Where(static f => f.Diagnostics.Any(IsInternalError)).Collect();
        context.RegisterSourceOutput(failures.Combine(parsed.Collect()), static (spc, pair) =>
        {
            foreach (var file in pair.Left)
            {
                var positions = pair.Right.FirstOrDefault(p => p.Model.HintName == file.HintName)?.Positions ?? EquatableArray<LocationInfo>.Empty;
                foreach (var info in file.Diagnostics.Where(IsInternalError)) spc.ReportDiagnostic(ToDiagnostic(info, positions));
            }
        });
    }

    /// <summary>What only the generator finds, and so reports itself: its own failures, members it could not write (DIFF300, DIFF301), and members DifferentiatorEmit leaves out that a nested call needs (DIFF601).</summary>
    private static bool IsInternalError(DiagnosticInfo info) =>
        info.Id is DiagnosticIds.InternalError or DiagnosticIds.ForwardModeNotGenerated or DiagnosticIds.SecondOrderNotGenerated or DiagnosticIds.NestedCallNeedsHessian;

    /// <summary>A diagnostic at a file-path location (the generator has no syntax tree at hand), its place looked up in the parse's positions.</summary>
    internal static Diagnostic ToDiagnostic(DiagnosticInfo info, EquatableArray<LocationInfo> positions)
    {
        var location = info.Location is { } place && place.Id < positions.Count ? ToLocation(positions[place.Id]) : Location.None;
        return Diagnostic.Create(DiagnosticDescriptors.ById(info.Id), location, info.Arguments.Cast<object>().ToArray());
    }

    internal static Location ToLocation(LocationInfo l) =>
        Location.Create(l.FilePath, new TextSpan(l.Start, l.Length), new LinePositionSpan(new LinePosition(l.StartLine, l.StartCharacter), new LinePosition(l.EndLine, l.EndCharacter)));
}
