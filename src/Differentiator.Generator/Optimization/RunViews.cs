using System;
using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Optimization;

/// <summary>
/// The views of short rows (<see cref="RunView"/>, declared before each kernel printed as a loop over spans) taken as
/// few times as possible: a view that does not change in a loop moves before it (MSE's <c>w_run</c> and <c>dw_run</c>,
/// taken once per call instead of once per row), and a view of a run already viewed earlier in the same block is that
/// view (the row <c>X[i, ·]</c> read by the forward dot product and the reverse axpy: one view per row).
/// <para>
/// Why: measured on the MSE at (5, 1), the views of every kernel taken afresh in every row cost 1.30× the fused span
/// loop; hoisted and shared, 1.08× (interleaved, docs/performance.md).
/// </para>
/// <para>
/// Safety. A view moves out of a loop only when its run is of a one-dimensional array or span that cannot be null
/// (parameters checked on entry, spans), reads nothing the loop writes, and does not bound a kernel's loop. It then
/// becomes clamped (<c>Kernels.SliceWithin</c>: the run's elements that exist), so taking it before a loop that might
/// not run throws nothing, and a kernel's loop indexing past its end throws <see cref="IndexOutOfRangeException"/> at
/// the element where the loop over the array would have. A view is shared only while nothing assigns what its run
/// reads, nor points its array elsewhere.
/// </para>
/// </summary>
internal static class RunViews
{
    public static Block Apply(Block block, IReadOnlyCollection<string> nonNullArrays) =>
        Share(Hoist(block, new HashSet<string>(nonNullArrays, StringComparer.Ordinal)));

    private static Block Hoist(Block block, HashSet<string> nonNull) => IrRewriter.MapStatements(block, s =>
    {
        var inner = IrRewriter.MapBlocks(s, b => Hoist(b, nonNull));
        if (inner is not For loop) return new[] { inner };
        var changing = StatementWalker.AssignedIn(loop.Body);
        changing.Add(loop.Counter);
        if (loop.ExitFlag is { } flag) changing.Add(flag);
        var bounds = new HashSet<string>(StatementWalker.Flatten(loop.Body).OfType<VectorKernel>()
            .Where(k => k.SpanNames.Count > 0).Select(k => k.SpanNames[k.BoundRun]), StringComparer.Ordinal);
        var hoisted = loop.Body.Statements.OfType<RunView>()
            .Where(v => v.Run.Leading.Count == 0 && nonNull.Contains(v.Run.Array) && !bounds.Contains(v.Name) && Invariant(v.Run, changing))
            .ToList();
        if (hoisted.Count == 0) return new[] { inner };
        var body = new Block(loop.Body.Statements.Where(x => !hoisted.Contains(x)).ToEquatableArray());
        return hoisted.Select(v => (Stmt)(v with { Clamped = true })).Append(loop with { Body = body });
    });

    /// <summary>Whether the run reads no element and nothing in <paramref name="changing"/> (nor is of an array that changes).</summary>
    private static bool Invariant(ElementRun run, HashSet<string> changing)
    {
        if (changing.Contains(run.Array) || !LoopVectorizer.Viewable(run)) return false;
        var expressions = run.Leading.Append(run.Start).Append(run.Count).ToList();
        var scalars = new HashSet<string>(StringComparer.Ordinal);
        var arrays = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in expressions) ExprWalker.CollectReads(e, scalars, arrays);
        return !scalars.Overlaps(changing) && !arrays.Overlaps(changing);
    }

    /// <summary>In each block, a view of a run viewed earlier in the same block (and still valid) replaced by the earlier one.</summary>
    private static Block Share(Block block)
    {
        var viewOf = new Dictionary<ElementRun, string>();
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        var output = new List<Stmt>(block.Statements.Count);
        foreach (var original in block.Statements)
        {
            var s = IrRewriter.MapBlocks(original, Share);
            if (s is RunView view && viewOf.TryGetValue(view.Run, out var earlier) && !view.Clamped)
            {
                renamed[view.Name] = earlier;
                continue;
            }
            if (s is VectorKernel { SpanNames.Count: > 0 } kernel && kernel.SpanNames.Any(renamed.ContainsKey))
                s = kernel with { SpanNames = kernel.SpanNames.Select(n => renamed.TryGetValue(n, out var to) ? to : n).ToEquatableArray() };
            output.Add(s);
            // What this statement changes ends the views whose runs read it.
            var changed = Changed(s);
            foreach (var run in viewOf.Keys.Where(r => !Invariant(r, changed)).ToList()) viewOf.Remove(run);
            if (s is RunView { Clamped: false } fresh && Invariant(fresh.Run, changed)) viewOf[fresh.Run] = fresh.Name;
        }
        return new Block(output.ToEquatableArray());
    }

    /// <summary>The variables a statement assigns and the arrays it points elsewhere, at any depth (element writes leave a view valid).</summary>
    private static HashSet<string> Changed(Stmt s)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var x in StatementWalker.Flatten(new Block(EquatableArray.Of(s))))
        {
            if (StatementWalker.Target(x) is { } target) changed.Add(target);
            switch (x)
            {
                case For f:
                    changed.Add(f.Counter);
                    break;
                case ViewSnapshot v:
                    changed.Add(v.Array);
                    break;
                case AllocateArray a:
                    changed.Add(a.Name);
                    break;
                case RentSnapshots r:
                    changed.Add(r.Name);
                    break;
            }
        }
        return changed;
    }
}
