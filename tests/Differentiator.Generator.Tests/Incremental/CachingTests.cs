using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Differentiator.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Differentiator.Generator.Tests.Incremental;

/// <summary>
/// The IDE runs the generator on every keystroke: an edit that does not touch a [Differentiable] method must reuse
/// the cached model and output, and no Roslyn object may hide in a step's output (it would defeat the cache and
/// keep compilations alive).
/// </summary>
public class CachingTests
{
    private static (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var compilation = GeneratorRun.CreateCompilation(Sources.Mse, "namespace Demo; public static class Other { public static int Answer() => 42; }");
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new DifferentiatorGenerator().AsSourceGenerator() },
            parseOptions: GeneratorRun.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        return (driver.RunGenerators(compilation), compilation);
    }

    [Fact]
    public void An_edit_in_another_file_leaves_every_step_cached()
    {
        var (driver, compilation) = FirstRun();
        var other = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(other, other.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From("namespace Demo; public static class Other { public static int Answer() => 43; }")));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (var step in new[] { TrackingNames.Parse, TrackingNames.Model, TrackingNames.Generate })
        {
            var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
            Assert.NotEmpty(outputs);
            Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, step + ": " + o.Reason));
        }
    }

    [Fact]
    public void A_custom_derivative_is_read_once_and_kept_across_unrelated_edits()
    {
        const string Custom = "using System; using System.Linq; using Differentiator; namespace Demo; public static partial class C { "
            + "public static double Norm2(double[] x) => x.Sum(v => v * v); "
            + "[DerivativeOf(nameof(Norm2))] public static void Norm2Vjp(double[] x, double resultBar, Span<double> dx) { for (int i = 0; i < x.Length; i++) dx[i] = 2 * resultBar * x[i]; } }";
        var compilation = GeneratorRun.CreateCompilation(Custom, "namespace Demo; public static class Other { public static int Answer() => 42; }");
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            new[] { new DifferentiatorGenerator().AsSourceGenerator() },
            parseOptions: GeneratorRun.ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single().TrackedSteps[TrackingNames.CustomDerivative].SelectMany(s => s.Outputs).Single();
        var model = Assert.IsType<Model.CustomDerivativeModel>(first.Value);
        Assert.Equal(("Norm2", "Norm2Vjp"), (model.Function, model.Vjp));

        var other = compilation.SyntaxTrees.Last();
        var edited = compilation.ReplaceSyntaxTree(other, other.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From("namespace Demo; public static class Other { public static int Answer() => 43; }")));
        var again = driver.RunGenerators(edited).GetRunResult().Results.Single().TrackedSteps[TrackingNames.CustomDerivative].SelectMany(s => s.Outputs).Single();
        Assert.True(again.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, again.Reason.ToString());
    }

    [Fact]
    public void An_edit_of_the_method_regenerates_it()
    {
        var (driver, compilation) = FirstRun();
        var tree = compilation.SyntaxTrees.First();
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(Sources.Mse.Replace("sum += r * r;", "sum += r * r * r;"))));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();
        var reasons = result.TrackedSteps[TrackingNames.Generate].SelectMany(s => s.Outputs).Select(o => o.Reason);
        Assert.Contains(IncrementalStepRunReason.Modified, reasons);
    }

    [Fact]
    public void No_Roslyn_object_in_any_step_output()
    {
        var (driver, _) = FirstRun();
        var result = driver.GetRunResult().Results.Single();
        foreach (var step in new[] { TrackingNames.Parse, TrackingNames.Model, TrackingNames.Generate })
            foreach (var output in result.TrackedSteps[step].SelectMany(s => s.Outputs))
                AssertNoRoslynObjects(output.Value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
    }

    private static void AssertNoRoslynObjects(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value)) return;
        var type = value.GetType();
        Assert.False(type.Namespace?.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) == true, path + " holds " + type.FullName);
        if (value is IEnumerable sequence)
        {
            int k = 0;
            foreach (var item in sequence) AssertNoRoslynObjects(item, path + "[" + k++ + "]", seen);
            return;
        }
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
            AssertNoRoslynObjects(field.GetValue(value), path + "." + field.Name, seen);
    }
}
