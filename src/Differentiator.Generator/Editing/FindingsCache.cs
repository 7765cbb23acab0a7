using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Differentiator.Generator.Editing;

/// <summary>
/// A diagnostic the analyzer reported, kept as its parts so it can be reported again where its text has moved; or,
/// for one made elsewhere whole (<see cref="Made"/>), as it is (its method is then never reused).
/// </summary>
internal sealed record Finding(DiagnosticDescriptor Descriptor, TextSpan? InTree, Location? Elsewhere, object?[] Arguments, Diagnostic? Made = null)
{
    public Diagnostic ToDiagnostic(SyntaxTree tree) =>
        Made ?? Diagnostic.Create(Descriptor, InTree is { } span ? Location.Create(tree, span) : Elsewhere ?? Location.None, Arguments);
}

/// <summary>
/// What the analyzer found for one attributed method in one version of a file. <see cref="Reusable"/> is false when
/// the findings depend on more than the method's own text and the declarations: it read another method's body (an
/// inlined helper), it has syntax errors, or it carries <c>[DerivativeOf]</c> (whose diagnostics come whole from
/// Parsing/CustomDerivativeParser).
/// </summary>
internal sealed record MethodFindings(TextSpan Span, bool Reusable, ImmutableArray<Finding> Findings)
{
    /// <summary>The same findings in the edited file, or null when the edit touches the method or any place a finding points at.</summary>
    public MethodFindings? After(TreeEdit edit)
    {
        if (!Reusable || edit.Map(Span) is not { } span) return null;
        var moved = ImmutableArray.CreateBuilder<Finding>(Findings.Length);
        foreach (var finding in Findings)
        {
            if (finding.Made is not null) return null;
            if (finding.InTree is not { } at) moved.Add(finding);
            else if (edit.Map(at) is { } place) moved.Add(finding with { InTree = place });
            else return null;
        }
        return new MethodFindings(span, true, moved.MoveToImmutable());
    }
}

/// <summary>
/// The analyzer's findings per file from its last run, so that a keystroke analyses again only the methods it
/// touched. They are reused for a new version of the file only when (1) nothing else of the compilation changed: the
/// same other syntax trees (the same objects, generated files included), references, options and parse options;
/// (2) the edit from the last version is one <see cref="TreeEdit"/> accepts (inside method bodies, or in whitespace
/// and comments), so no declaration changed; and (3) the method is <see cref="MethodFindings.Reusable"/> and the
/// edit touches neither it nor any place its findings point at. Under these conditions C# binds the method exactly
/// as before, so its findings are the old ones, moved. Anything else analyses the method again. One entry per file
/// path, replaced on each run; concurrent runs on other snapshots only make a lookup miss.
/// </summary>
internal sealed class FindingsCache
{
    public static readonly FindingsCache Shared = new();

    /// <summary>Files kept at most (each holds its last syntax tree and the compilation's tree list): then all are dropped.</summary>
    private const int MaxFiles = 512;

    private readonly ConcurrentDictionary<string, FileFindings> _files = new(StringComparer.Ordinal);

    private sealed record FileFindings(SyntaxTree Tree, CompilationInputs Inputs, ImmutableArray<MethodFindings> Methods);

    /// <summary>The last run's findings that still hold for <paramref name="tree"/>, by the method's start in it.</summary>
    public IReadOnlyDictionary<int, MethodFindings> StillValid(Compilation compilation, SyntaxTree tree, CancellationToken cancellationToken)
    {
        var valid = new Dictionary<int, MethodFindings>();
        if (tree.FilePath.Length == 0 || !_files.TryGetValue(tree.FilePath, out var last) || !last.Inputs.Same(compilation, tree)) return valid;
        if (ReferenceEquals(last.Tree, tree))
        {
            foreach (var method in last.Methods.Where(m => m.Reusable)) valid[method.Span.Start] = method;
            return valid;
        }
        if (TreeEdit.Between(last.Tree, tree, cancellationToken) is not { } edit) return valid;
        foreach (var method in last.Methods)
        {
            if (method.After(edit) is { } moved) valid[moved.Span.Start] = moved;
        }
        return valid;
    }

    /// <summary>Keeps this run's findings for the file, for the next keystroke.</summary>
    public void Remember(Compilation compilation, SyntaxTree tree, ImmutableArray<MethodFindings> methods)
    {
        if (tree.FilePath.Length == 0) return; // no identity to find it again by (and tests' nameless files would collide)
        if (methods.IsEmpty && !_files.ContainsKey(tree.FilePath)) return; // nothing to keep: hold no tree for it
        if (_files.Count >= MaxFiles) _files.Clear();
        _files[tree.FilePath] = new FileFindings(tree, new CompilationInputs(compilation, tree), methods);
    }
}
