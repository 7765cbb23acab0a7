using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Differentiation;

/// <summary>
/// Saving instead of recomputing, when recomputing costs more than saving. Recompute.cs decides which locals a
/// reversed loop body needs as the forward iteration left them, and how to get them back by running again the
/// statements that write them. When those statements contain a loop nest — GMM's triangular product
/// <c>qxcentered[j] += icf[column + j] * xcentered[i]</c>, d(d−1)/2 multiply-adds to rebuild 2d values — the values
/// themselves are cheaper: the forward iteration ends by saving them (each array as one block copy, each scalar), and
/// the reversed iteration starts by restoring them, in place of the recomputation and with the same result.
/// <para>
/// The trade is memory: one value per element per iteration on the scratch stack (GMM at n = 1000, d = 20, K = 25:
/// 10⁶ doubles, 8 MB), where recomputation needed none. A replay that is one loop deep — filling an array once —
/// costs about what saving it does, and stays a recomputation.
/// </para>
/// </summary>
internal sealed partial class ReverseModeBuilder
{
    /// <summary>Whether the loop's iteration-local values are saved and restored instead of recomputed, and which.</summary>
    private bool SavesInsteadOfRecomputing(For loop, out List<LocalVariable> saved)
    {
        saved = new List<LocalVariable>();
        if (!_recomputePlan.TryGetValue(loop, out var plan) || !plan.Any(IsLoopNest)) return false;
        foreach (var name in _recomputeValid[loop].OrderBy(v => v, System.StringComparer.Ordinal))
        {
            // Integers (indices) are cheap to recompute and would need their own stack; keep it simple.
            var local = _primal.Method.Locals.FirstOrDefault(l => l.Name == name);
            if (local is null || local.Type != ScalarType.Double) return false;
            saved.Add(local);
        }
        return saved.Count > 0;
    }

    private static bool IsLoopNest(Stmt s) => s is For f && StatementWalker.Flatten(f.Body).Any(x => x is For);

    /// <summary>The saves that end a forward iteration of <paramref name="loop"/>, or none.</summary>
    private IEnumerable<Stmt> SnapshotSaves(For loop)
    {
        if (!SavesInsteadOfRecomputing(loop, out var saved)) yield break;
        foreach (var local in saved)
            yield return local.IsArray ? new PushArray(local.Name) : Save(new VarRef(local.Name, ScalarType.Double));
    }

    /// <summary>The restores that start a reversed iteration of <paramref name="loop"/> (in the saves' reverse order), or an empty list.</summary>
    private List<Stmt> SnapshotRestores(For loop)
    {
        var output = new List<Stmt>();
        if (!SavesInsteadOfRecomputing(loop, out var saved)) return output;
        output.Add(new Comment("Restored, not recomputed: " + string.Join(", ", saved.Select(l => l.Name))));
        foreach (var local in Enumerable.Reverse(saved))
            output.Add(local.IsArray ? new PopArray(local.Name) : Restore(local.Name));
        return output;
    }
}
