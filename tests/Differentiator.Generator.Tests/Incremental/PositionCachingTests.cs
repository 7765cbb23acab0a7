using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Differentiator.Generator.Tests.Incremental;

/// <summary>
/// Positions stay out of the cached model: typing above a method, or inside another method of the same file,
/// re-parses it (the file changed) but finds its model equal and regenerates nothing; a real edit regenerates it.
/// </summary>
public class PositionCachingTests
{
    private const string Source = """
        using System;
        using Differentiator;
        namespace Demo;
        public static partial class Functions
        {
            // a comment to type into
            [Differentiable]
            public static double Square(double x)
            {
                double y = x * x;
                return Math.Sqrt(y + 1);
            }

            [Differentiable]
            public static double Cube(double x)
            {
                double y = x * x * x;
                return y;
            }
        }
        """;

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var compilation = GeneratorRun.CreateCompilation(Source);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new DifferentiatorGenerator().AsSourceGenerator() },
            parseOptions: GeneratorRun.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        return (driver.RunGenerators(compilation), compilation);
    }

    private static (GeneratorRunResult Result, GeneratorDriver Driver) Edit(GeneratorDriver driver, CSharpCompilation compilation, string source)
    {
        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(SourceText.From(source)));
        driver = driver.RunGenerators(edited);
        return (driver.GetRunResult().Results.Single(), driver);
    }

    /// <summary>The Generate step's reason for each method's file, by hint name.</summary>
    private static Dictionary<string, IncrementalStepRunReason> GenerateReasons(GeneratorRunResult result) =>
        result.TrackedSteps[TrackingNames.Generate].SelectMany(s => s.Outputs)
            .ToDictionary(o => ((GeneratedFile)o.Value).HintName, o => o.Reason);

    private static void AssertReused(IncrementalStepRunReason reason, string what) =>
        Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, what + ": " + reason);

    [Fact]
    public void Typing_above_the_methods_regenerates_nothing()
    {
        var (driver, compilation) = FirstRun();
        var before = driver.GetRunResult().GeneratedTrees.Select(t => t.ToString()).ToList();
        var (result, after) = Edit(driver, compilation, Source.Replace("// a comment to type into", "// a comment to type into\n    // and two more lines\n    //"));

        // The file changed, so both methods are parsed again and their positions moved...
        var parse = result.TrackedSteps[TrackingNames.Parse].SelectMany(s => s.Outputs).ToList();
        Assert.Equal(2, parse.Count);
        Assert.All(parse, o => Assert.Equal(IncrementalStepRunReason.Modified, o.Reason));
        // ...but the models are equal, so nothing is generated again and the files are the same text.
        Assert.All(result.TrackedSteps[TrackingNames.Model].SelectMany(s => s.Outputs), o => Assert.Equal(IncrementalStepRunReason.Unchanged, o.Reason));
        var reasons = GenerateReasons(result);
        Assert.Equal(2, reasons.Count);
        foreach (var (name, reason) in reasons) AssertReused(reason, name);
        Assert.Equal(before, after.GetRunResult().GeneratedTrees.Select(t => t.ToString()).ToList());
    }

    [Fact]
    public void An_edit_inside_one_method_regenerates_only_that_one()
    {
        var (driver, compilation) = FirstRun();
        var (result, _) = Edit(driver, compilation, Source.Replace("double y = x * x * x;", "double y = x * x * x * x;"));
        var reasons = GenerateReasons(result);
        Assert.Equal(IncrementalStepRunReason.Modified, reasons["Demo.Functions.Cube.g.cs"]);
        AssertReused(reasons["Demo.Functions.Square.g.cs"], "Square, above the edited method");
    }

    [Fact]
    public void An_edit_that_lengthens_one_method_leaves_the_next_one_cached()
    {
        // Square grows by a line: Cube, below it, moves; its file must not be regenerated.
        var (driver, compilation) = FirstRun();
        var (result, _) = Edit(driver, compilation, Source.Replace("double y = x * x;", "double y = x * x;\n        y = y + x;"));
        var reasons = GenerateReasons(result);
        Assert.Equal(IncrementalStepRunReason.Modified, reasons["Demo.Functions.Square.g.cs"]);
        AssertReused(reasons["Demo.Functions.Cube.g.cs"], "Cube, below the edited method");
    }

    [Fact]
    public void Generated_comments_quote_the_statement_without_its_line()
    {
        var (driver, _) = FirstRun();
        var square = driver.GetRunResult().GeneratedTrees.Single(t => t.FilePath.EndsWith("Square.g.cs", System.StringComparison.Ordinal)).ToString();
        Assert.Contains("// double y = x * x;", square);
        Assert.DoesNotContain(".cs:", square);
    }
}
