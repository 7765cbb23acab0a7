using System;
using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Emission;
using Differentiator.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Differentiator.Generator.Tests.Infrastructure;

/// <summary>
/// Checks the files of an IDE's design-time build (Emission/DesignTimeBodies.cs) against the build's: the same files;
/// the same text once the lines the design-time form adds are taken out (so every body is there, as text); the same
/// members with the same signatures and doc comments (completion and hover see no difference); no error the build
/// does not have. <see cref="GeneratorRun.Compile"/> runs it on every program the tests compile when
/// <c>DIFFERENTIATOR_CHECK_DESIGN_TIME=1</c>; DesignTimeBodiesTests on a few always.
/// </summary>
public static class DesignTimeCheck
{
    public const string Variable = "DIFFERENTIATOR_CHECK_DESIGN_TIME";

    public static bool Requested => Environment.GetEnvironmentVariable(Variable) == "1";

    /// <summary>The design-time run of the same input, with the build's DifferentiatorEmit (none: the default members).</summary>
    public static (IReadOnlyDictionary<string, string> Sources, CSharpCompilation Output) Run(CSharpCompilation input, string? emit = null)
    {
        var properties = new List<(string, string)> { (EmitOptions.DesignTimeName, "true") };
        if (emit is not null) properties.Add((EmitOptions.CompilerVisibleName, emit));
        var (sources, output, _) = BuildProperties.Of(properties.ToArray()).Generate(input);
        return (sources, output);
    }

    /// <summary>Fails with what differs.</summary>
    public static void Verify(GeneratorRun build)
    {
        var (sources, output) = Run(build.Input);
        void Fail(string what) => throw new Xunit.Sdk.XunitException("Design-time form: " + what + "\n\n" + string.Join("\n\n", build.Input.SyntaxTrees.Select(t => t.ToString())));
        if (!sources.Keys.OrderBy(k => k, StringComparer.Ordinal).SequenceEqual(build.Sources.Keys.OrderBy(k => k, StringComparer.Ordinal)))
            Fail("files " + string.Join(", ", sources.Keys) + " against the build's " + string.Join(", ", build.Sources.Keys));
        foreach (var (hint, text) in sources)
        {
            if (WithoutAddedLines(text) != build.Sources[hint]) Fail(hint + " is not the build's text plus the regions' lines:\n" + text);
        }
        var members = Members(output, sources.Keys);
        var buildMembers = Members(build.Output, build.Sources.Keys);
        if (!members.SequenceEqual(buildMembers))
            Fail("members differ:\n" + string.Join("\n", members.Except(buildMembers)) + "\nagainst\n" + string.Join("\n", buildMembers.Except(members)));
        // Compared without positions: the added lines move the build's own errors (a program the tests break on purpose).
        static List<string> Errors(Compilation c) => c.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => d.Id + " " + System.IO.Path.GetFileName(d.Location.SourceTree?.FilePath) + ": " + d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var buildErrors = Errors(build.Output);
        var extra = Errors(output);
        foreach (var e in buildErrors) extra.Remove(e);
        if (extra.Count > 0) Fail("errors the build does not have:\n" + string.Join("\n", extra));
    }

    /// <summary>How many bodies the design-time text keeps out of the compilation.</summary>
    public static int Regions(string designTimeText) => designTimeText.Split('\n').Count(l => l == DesignTimeBodies.RegionComment);

    /// <summary>The design-time text without the region lines and the stubs: what the build's file must be.</summary>
    public static string WithoutAddedLines(string text)
    {
        var lines = text.Split('\n');
        var kept = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i] == DesignTimeBodies.RegionComment) continue;
            if (lines[i] == "#else" && i + 2 < lines.Length && lines[i + 1].Contains("was compiled by an IDE design-time build") && lines[i + 2] == "#endif")
            {
                i += 2;
                continue;
            }
            kept.Add(lines[i]);
        }
        return string.Join("\n", kept);
    }

    /// <summary>Every method the generated files declare: accessibility, signature, and doc comment.</summary>
    private static List<string> Members(CSharpCompilation compilation, IEnumerable<string> hints)
    {
        var generated = compilation.SyntaxTrees.Where(t => hints.Any(h => t.FilePath.EndsWith(h, StringComparison.Ordinal)));
        var members = new List<string>();
        foreach (var tree in generated)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var method in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                var symbol = model.GetDeclaredSymbol(method)!;
                members.Add(symbol.DeclaredAccessibility + " " + (symbol.IsStatic ? "static " : "") + symbol.ReturnType.ToDisplayString() + " "
                    + symbol.ToDisplayString() + " " + symbol.GetDocumentationCommentXml());
            }
        }
        members.Sort(StringComparer.Ordinal);
        return members;
    }
}
