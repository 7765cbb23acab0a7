using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Differentiator.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Differentiator.Generator.Tests.Parsing;

/// <summary>One [Differentiable] method of a snippet, parsed by <see cref="MethodParser"/> alone (no generator, no analyzer).</summary>
internal sealed record ParsedMethod(string Name, MethodModel Model, SourcePositions Positions, string Source)
{
    public MethodIr Ir => Model.Ir ?? throw new Xunit.Sdk.XunitException("'" + Name + "' has no IR:\n" + Describe(Diagnostics));

    public IReadOnlyList<Stmt> Body => Ir.Body.Statements.Items;

    /// <summary>The model's diagnostics, their places looked up in the parse's positions.</summary>
    public IReadOnlyList<LocatedDiagnostic> Diagnostics => Model.Diagnostics.Select(d => new LocatedDiagnostic(d.Id, Positions[d.Location], d.Arguments)).ToList();

    /// <summary>Where a place of the model stands in the snippet.</summary>
    public LocationInfo? Where(SourceRef? place) => Positions[place];

    /// <summary>The source text a location covers.</summary>
    public string TextOf(LocationInfo? location) =>
        location is { } l ? Source.Substring(l.Start, l.Length) : throw new Xunit.Sdk.XunitException("no location");

    public string TextOf(SourceRef? place) => TextOf(Where(place));

    public string TextOf(LocatedDiagnostic diagnostic) => TextOf(diagnostic.Location);

    /// <summary>The only diagnostic with this id; fails listing all diagnostics otherwise.</summary>
    public LocatedDiagnostic Single(string id)
    {
        var matches = Diagnostics.Where(d => d.Id == id).ToList();
        if (matches.Count != 1) throw new Xunit.Sdk.XunitException("Expected one " + id + ", got:\n" + Describe(Diagnostics));
        return matches[0];
    }

    /// <summary>Every diagnostic as "ID 'covered text'", in source order.</summary>
    public IReadOnlyList<string> Spans() =>
        Diagnostics.OrderBy(d => d.Location?.Start ?? -1).ThenBy(d => d.Id, StringComparer.Ordinal).Select(d => d.Id + " '" + TextOf(d) + "'").ToList();

    private string Describe(IEnumerable<LocatedDiagnostic> diagnostics) =>
        string.Join("\n", diagnostics.Select(d => "  " + d.Id + " '" + (d.Location is null ? "?" : TextOf(d)) + "' (" + string.Join(", ", d.Arguments) + ")"));
}

/// <summary>A diagnostic of the model with its place resolved.</summary>
internal sealed record LocatedDiagnostic(string Id, LocationInfo? Location, EquatableArray<string> Arguments);

/// <summary>
/// Compiles a snippet against the runtime assembly and the trusted platform assemblies, finds its
/// [Differentiable] methods and runs <see cref="MethodParser"/> on each.
/// </summary>
internal static class ParserHarness
{
    public const string Prelude = "using System;\nusing Differentiator;\nnamespace T;\n";

    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location))
            .ToImmutableArray());

    private static readonly CSharpParseOptions Options = new(LanguageVersion.Latest);

    public static CSharpCompilation Compile(string source) =>
        CSharpCompilation.Create("Snippet", new[] { CSharpSyntaxTree.ParseText(source, Options, path: "Snippet.cs") }, References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>Every [Differentiable] method of the source, parsed, in source order.</summary>
    public static IReadOnlyList<ParsedMethod> ParseAll(string source, CancellationToken cancellationToken = default)
    {
        var compilation = Compile(source);
        var tree = compilation.SyntaxTrees[0];
        var model = compilation.GetSemanticModel(tree);
        var parsed = new List<ParsedMethod>();
        foreach (var syntax in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
        {
            // As ForAttributeWithMetadataName does: the declaration that carries the attribute (a partial method's
            // symbol reports the attributes of both parts).
            if (syntax.AttributeLists.Count == 0 || model.GetDeclaredSymbol(syntax) is not IMethodSymbol method) continue;
            if (!method.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == DifferentiatorGenerator.AttributeName)) continue;
            var parsedModel = MethodParser.Parse(method, syntax, model, cancellationToken, out var positions);
            parsed.Add(new ParsedMethod(method.Name, parsedModel, positions, source));
        }
        return parsed;
    }

    /// <summary>The [Differentiable] method called <paramref name="name"/> of a complete source file.</summary>
    public static ParsedMethod ParseFile(string source, string name) =>
        ParseAll(source).SingleOrDefault(m => m.Name == name) ?? throw new Xunit.Sdk.XunitException("no [Differentiable] method '" + name + "'");

    /// <summary>Members placed in <c>public static partial class F</c> of namespace T; returns the method called <paramref name="name"/>.</summary>
    public static ParsedMethod Parse(string members, string name = "G") =>
        ParseFile(Wrap(members), name);

    public static string Wrap(string members) => Prelude + "public static partial class F\n{\n" + members + "\n}\n";

    /// <summary>
    /// Parses members marked up as <c>{|DIFF007:while|}</c> and requires exactly the marked diagnostics, at exactly those
    /// spans, with line and character consistent with the span. Returns the parsed method.
    /// </summary>
    public static ParsedMethod AssertDiagnostics(string markedMembers, string name = "G")
    {
        var (source, expected) = Infrastructure.Markup.Parse(Wrap(markedMembers));
        var method = ParseFile(source, name);
        string Show(IEnumerable<(string Id, int Start, int Length)> list) =>
            string.Join("\n", list.Select(d => "  " + d.Id + " '" + source.Substring(d.Start, d.Length) + "'"));
        var want = expected.OrderBy(d => d.Start).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();
        var actual = method.Diagnostics.Select(d => (d.Id, d.Location!.Start, d.Location.Length)).OrderBy(d => d.Start).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();
        if (!actual.SequenceEqual(want))
            throw new Xunit.Sdk.XunitException("Expected:\n" + Show(want) + "\nActual:\n" + Show(actual) + "\nArguments:\n" +
                string.Join("\n", method.Diagnostics.Select(d => "  " + d.Id + ": " + string.Join(" | ", d.Arguments))));
        foreach (var d in method.Diagnostics) AssertConsistent(d.Location!, source);
        if (expected.Any(d => d.Id.StartsWith("DIFF0", StringComparison.Ordinal))) Assert.Null(method.Model.Ir);
        return method;
    }

    /// <summary>A location's line and character agree with its offsets in <paramref name="source"/>, and it names the snippet's file.</summary>
    public static void AssertConsistent(LocationInfo location, string source)
    {
        (int Line, int Character) At(int offset)
        {
            string before = source.Substring(0, offset);
            int line = before.Count(ch => ch == '\n');
            return (line, offset - (before.LastIndexOf('\n') + 1));
        }
        Assert.Equal("Snippet.cs", location.FilePath);
        Assert.Equal(At(location.Start), (location.StartLine, location.StartCharacter));
        Assert.Equal(At(location.Start + location.Length), (location.EndLine, location.EndCharacter));
    }

    /// <summary>C# errors of a snippet: tests of "valid C# that the subset rejects" check there are none.</summary>
    public static IReadOnlyList<Diagnostic> CompileErrors(string members) =>
        Compile(Wrap(members)).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
}
