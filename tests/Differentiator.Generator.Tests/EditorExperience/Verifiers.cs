using System.IO;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Differentiator.Generator.Tests.EditorExperience;

/// <summary>
/// Microsoft.CodeAnalysis.Testing set up for this repository: the analyzer and fixes run on a document as an editor
/// holds it, against .NET 8 reference assemblies from the package registry (the SDK's built-in Net80 names a
/// version the registry lacks), with the runtime's attribute referenced.
/// </summary>
internal static class Verifiers
{
    public static readonly ReferenceAssemblies Net80 = new("net8.0", new PackageIdentity("Microsoft.NETCore.App.Ref", "8.0.28"), Path.Combine("ref", "net8.0"));

    public static CSharpAnalyzerTest<DifferentiableAnalyzer, DefaultVerifier> Analyzer(string markup)
    {
        var test = new CSharpAnalyzerTest<DifferentiableAnalyzer, DefaultVerifier> { TestCode = markup, ReferenceAssemblies = Net80 };
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location));
        return test;
    }

    public static CSharpCodeFixTest<DifferentiableAnalyzer, TFix, DefaultVerifier> CodeFix<TFix>(string before, string after)
        where TFix : CodeFixProvider, new()
    {
        var test = new CSharpCodeFixTest<DifferentiableAnalyzer, TFix, DefaultVerifier> { TestCode = before, FixedCode = after, ReferenceAssemblies = Net80 };
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location));
        test.FixedState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location));
        return test;
    }
}
