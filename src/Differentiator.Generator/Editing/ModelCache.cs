using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Differentiator.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Differentiator.Generator.Editing;

/// <summary>
/// The generator's parse step after a keystroke: Roslyn runs the transform again for every <c>[Differentiable]</c>
/// method of the edited file, and this gives back, for each method the edit did not touch, the model parsed from the
/// file's previous version with its places moved — under the conditions of <see cref="FindingsCache"/> (the same
/// <see cref="CompilationInputs"/>, an edit <see cref="TreeEdit"/> accepts, a method that reads no other method's
/// body and has no syntax error). The result equals a fresh parse's (the model is the same value; each place of
/// this file is moved by the edit, with its line and character read from the new version), so the pipeline's
/// steps see no difference but the time. One state per file path, holding the methods parsed in its latest version.
/// </summary>
internal sealed class ModelCache
{
    public static readonly ModelCache Shared = new();

    /// <summary>Files kept at most (each holds its last syntax tree and the compilation's tree list): then all are dropped.</summary>
    private const int MaxFiles = 512;

    private readonly ConcurrentDictionary<string, FileModels> _files = new(StringComparer.Ordinal);

    private sealed record Parsed(TextSpan Span, bool Reusable, LocatedModel Located);

    /// <summary>One version of a file: the methods parsed in it so far, and those of the version before that still hold.</summary>
    private sealed class FileModels
    {
        private FileModels? _previous; // dropped once inherited from, so versions do not chain
        private readonly Lazy<IReadOnlyDictionary<int, Parsed>> _inherited;

        public FileModels(SyntaxTree tree, Compilation compilation, FileModels? previous)
        {
            Tree = tree;
            Inputs = new CompilationInputs(compilation, tree);
            _previous = previous is not null && previous.Inputs.Same(compilation, tree) ? previous : null;
            _inherited = new Lazy<IReadOnlyDictionary<int, Parsed>>(Inherit, LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public SyntaxTree Tree { get; }
        public CompilationInputs Inputs { get; }
        public ConcurrentDictionary<int, Parsed> Methods { get; } = new();

        public Parsed? Find(MethodDeclarationSyntax syntax) =>
            Methods.TryGetValue(syntax.SpanStart, out var here) && here.Span == syntax.Span ? here
            : _inherited.Value.TryGetValue(syntax.SpanStart, out var kept) && kept.Span == syntax.Span ? kept
            : null;

        private IReadOnlyDictionary<int, Parsed> Inherit()
        {
            var kept = new Dictionary<int, Parsed>();
            var previous = _previous;
            _previous = null;
            // Not cancellable: the trees are parsed already, and a cancelled value would stay in the Lazy.
            if (previous is null || TreeEdit.Between(previous.Tree, Tree, CancellationToken.None) is not { } edit) return kept;
            foreach (var parsed in previous.Methods.Values)
            {
                if (parsed.Reusable && Moved(parsed, edit) is { } moved) kept[moved.Span.Start] = moved;
            }
            return kept;
        }

        private Parsed? Moved(Parsed parsed, TreeEdit edit)
        {
            if (edit.Map(parsed.Span) is not { } span) return null;
            var places = new LocationInfo[parsed.Located.Positions.Count];
            for (int k = 0; k < places.Length; k++)
            {
                var place = parsed.Located.Positions[k];
                if (place.FilePath != Tree.FilePath) { places[k] = place; continue; } // another file: the same tree, unchanged
                if (edit.Map(new TextSpan(place.Start, place.Length)) is not { } moved) return null;
                var lines = Tree.GetLineSpan(moved);
                places[k] = new LocationInfo(place.FilePath, moved.Start, moved.Length,
                    lines.StartLinePosition.Line, lines.StartLinePosition.Character, lines.EndLinePosition.Line, lines.EndLinePosition.Character);
            }
            return new Parsed(span, true, parsed.Located with { Positions = places.ToEquatableArray() });
        }
    }

    /// <summary>The method's model and positions: kept from the file's previous version when the edit left it alone, else parsed.</summary>
    public LocatedModel Parse(IMethodSymbol method, MethodDeclarationSyntax syntax, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        var tree = syntax.SyntaxTree;
        if (tree.FilePath.Length == 0) return LocatedModel.Parse(method, syntax, semanticModel, cancellationToken, out _);
        var compilation = semanticModel.Compilation;
        if (_files.Count >= MaxFiles) _files.Clear();
        var file = _files.AddOrUpdate(tree.FilePath,
            _ => new FileModels(tree, compilation, null),
            (_, last) => ReferenceEquals(last.Tree, tree) && last.Inputs.Same(compilation, tree) ? last : new FileModels(tree, compilation, last));
        if (file.Find(syntax) is { } found)
        {
            file.Methods[syntax.SpanStart] = found; // so that the next version finds it here
            return found.Located;
        }
        var located = LocatedModel.Parse(method, syntax, semanticModel, cancellationToken, out bool readsOtherMethods);
        file.Methods[syntax.SpanStart] = new Parsed(syntax.Span, !readsOtherMethods && !syntax.ContainsDiagnostics, located);
        return located;
    }
}
