using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Differentiator.Generator.Tests.Infrastructure;

/// <summary>
/// MSBuild properties as the compiler receives them (<c>build_property.X</c> from the generated .editorconfig), for
/// generator runs that need what build/Differentiator.targets passes (DifferentiatorEmit, the design-time build).
/// </summary>
public sealed class BuildProperties : AnalyzerConfigOptionsProvider
{
    private readonly Values _global;

    public BuildProperties(Dictionary<string, string> global) => _global = new Values(global);

    /// <summary>Each name becomes <c>build_property.name</c>.</summary>
    public static BuildProperties Of(params (string Name, string Value)[] properties)
    {
        var global = new Dictionary<string, string>();
        foreach (var (name, value) in properties) global["build_property." + name] = value;
        return new BuildProperties(global);
    }

    /// <summary>The generator run on <paramref name="input"/> with these properties: its files by hint name, the compilation with them, its diagnostics.</summary>
    public (IReadOnlyDictionary<string, string> Sources, CSharpCompilation Output, ImmutableArray<Diagnostic> Diagnostics) Generate(CSharpCompilation input)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new DifferentiatorGenerator().AsSourceGenerator() }, parseOptions: GeneratorRun.ParseOptions, optionsProvider: this);
        driver = driver.RunGeneratorsAndUpdateCompilation(input, out var output, out var diagnostics);
        var sources = driver.GetRunResult().Results.SelectMany(r => r.GeneratedSources).ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        return (sources, (CSharpCompilation)output, diagnostics);
    }

    public override AnalyzerConfigOptions GlobalOptions => _global;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Values.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Values.Empty;

    private sealed class Values : AnalyzerConfigOptions
    {
        public static readonly Values Empty = new(new Dictionary<string, string>());
        private readonly Dictionary<string, string> _values;

        public Values(Dictionary<string, string> values) => _values = values;

        public override bool TryGetValue(string key, out string value) => _values.TryGetValue(key, out value!);
    }
}
