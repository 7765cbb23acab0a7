using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Differentiator.Generator.Editing;

/// <summary>
/// Everything of a compilation but one file's text: the other syntax trees (the same objects, generated files
/// included), the references, the options, the assembly name and the file's parse options. Two compilations with the
/// same inputs, whose file differs by a <see cref="TreeEdit"/>, bind every untouched method of that file alike.
/// </summary>
internal sealed class CompilationInputs
{
    private readonly SyntaxTree _tree;
    private readonly ImmutableArray<SyntaxTree> _trees;
    private readonly ImmutableArray<MetadataReference> _references;
    private readonly CompilationOptions _options;
    private readonly string? _assemblyName;

    public CompilationInputs(Compilation compilation, SyntaxTree tree)
    {
        _tree = tree;
        _trees = Trees(compilation);
        _references = compilation.ExternalReferences;
        _options = compilation.Options;
        _assemblyName = compilation.AssemblyName;
    }

    /// <summary>Whether <paramref name="compilation"/> holds the same inputs around <paramref name="tree"/> (the file's new version).</summary>
    public bool Same(Compilation compilation, SyntaxTree tree)
    {
        if (!ReferenceEquals(_options, compilation.Options) || _assemblyName != compilation.AssemblyName) return false;
        if (!Equals(_tree.Options, tree.Options)) return false;
        var references = compilation.ExternalReferences;
        if (references.Length != _references.Length) return false;
        for (int k = 0; k < references.Length; k++)
        {
            if (!ReferenceEquals(references[k], _references[k])) return false;
        }
        var trees = Trees(compilation);
        if (trees.Length != _trees.Length) return false;
        for (int k = 0; k < trees.Length; k++)
        {
            bool same = ReferenceEquals(trees[k], _trees[k]) || ReferenceEquals(trees[k], tree) && ReferenceEquals(_trees[k], _tree);
            if (!same) return false;
        }
        return true;
    }

    private static ImmutableArray<SyntaxTree> Trees(Compilation compilation) =>
        compilation is Microsoft.CodeAnalysis.CSharp.CSharpCompilation csharp ? csharp.SyntaxTrees : compilation.SyntaxTrees.ToImmutableArray();
}
