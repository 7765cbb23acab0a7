using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Model;
using Differentiator.Generator.Parsing;

namespace Differentiator.Generator;

/// <summary>
/// What the analyzer finds in one method after parsing: the errors of the later stages (e.g. DIFF016) and the
/// advisories, each at a <see cref="SourceRef"/> — valid in any parse that yields an equal model, since such parses
/// number their places alike.
/// </summary>
internal sealed record MethodAnalysis(EquatableArray<DiagnosticInfo> Errors, EquatableArray<DiagnosticInfo> Advisories)
{
    public static MethodAnalysis Run(MethodModel model, SourcePositions positions)
    {
        if (model.Ir is null) return new MethodAnalysis(EquatableArray<DiagnosticInfo>.Empty, EquatableArray<DiagnosticInfo>.Empty);
        // A vector-valued method is analysed as its VJP's scalar method (Σ rBar[k]·r[k]), whose gradient it generates.
        var result = model.Ir.Output is null ? GradientPipeline.Run(model.Ir) : Differentiation.VectorValued.VectorPipeline.Run(model.Ir).Vjp;
        if (result.Program is null) return new MethodAnalysis(result.Diagnostics, EquatableArray<DiagnosticInfo>.Empty); // advise only on code that generates
        var advisories = Analysis.Advisories.For(model.Ir, result.Lowered, result.Activity, result.Program, MethodParser.MethodKey)
            .Select(a => positions.Of(a.Subject) is { } place ? new DiagnosticInfo(a.Id, place, a.Arguments.ToEquatableArray()) : null)
            .OfType<DiagnosticInfo>()
            .ToEquatableArray();
        return new MethodAnalysis(result.Diagnostics, advisories);
    }
}

/// <summary>
/// The analyzer's per-method results, by the model's value: a keystroke re-parses every method of the file (cheap),
/// but differentiates, optimizes and analyses again only the one whose model changed. Shared by concurrent analyzer
/// runs (thread-safe) and bounded: two generations, the older dropped when the newer fills up, so methods in use
/// stay and deleted or edited-away versions go.
/// </summary>
internal sealed class MethodAnalysisCache
{
    public static readonly MethodAnalysisCache Shared = new(capacity: 2048);

    private readonly int _generationSize;
    private ConcurrentDictionary<MethodModel, MethodAnalysis> _current = new();
    private ConcurrentDictionary<MethodModel, MethodAnalysis> _previous = new();
    private readonly object _rotation = new();

    public MethodAnalysisCache(int capacity) => _generationSize = System.Math.Max(1, capacity / 2);

    /// <summary>How many models are held (both generations); for tests.</summary>
    public int Count => _current.Count + _previous.Count;

    /// <summary>The analysis of <paramref name="model"/>, computed (with this parse's <paramref name="positions"/>) only when no equal model was analysed before.</summary>
    public MethodAnalysis GetOrAdd(MethodModel model, SourcePositions positions)
    {
        var current = Volatile.Read(ref _current);
        if (current.TryGetValue(model, out var found)) return found;
        if (!Volatile.Read(ref _previous).TryGetValue(model, out found)) found = MethodAnalysis.Run(model, positions);
        current[model] = found;
        if (current.Count >= _generationSize)
        {
            lock (_rotation)
            {
                if (ReferenceEquals(current, _current))
                {
                    Volatile.Write(ref _previous, current);
                    Volatile.Write(ref _current, new ConcurrentDictionary<MethodModel, MethodAnalysis>());
                }
            }
        }
        return found;
    }
}
