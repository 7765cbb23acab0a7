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
/// The trade is memory: one value per element per iteration, where recomputation needed none. A replay that is one
/// loop deep — filling an array once — costs about what saving it does, and stays a recomputation. Where it can
/// (<see cref="SnapshotBuffer"/>), an array's snapshots are written in place, in a buffer of one part per iteration
/// (GMM: K × d doubles, reused by every point of the fused loop over points); otherwise they are block copies on the
/// scratch stack (GMM before fusion, at n = 1000, d = 20, K = 25: 10⁶ doubles, 8 MB).
/// </para>
/// </summary>
internal sealed partial class ReverseModeBuilder
{
    /// <summary>Whether the loop's iteration-local values are saved and restored instead of recomputed, and which.</summary>
    private bool SavesInsteadOfRecomputing(For loop, out List<LocalVariable> saved) => SavesInsteadOfRecomputing(_context, _facts, loop, out saved);

    /// <summary>Whether, with <paramref name="facts"/>, the loop's iteration-local values are saved and restored instead of recomputed, and which.</summary>
    internal static bool SavesInsteadOfRecomputing(GradientContext context, SweepFacts facts, For loop, out List<LocalVariable> saved)
    {
        saved = new List<LocalVariable>();
        var id = context.Ids.Of(loop);
        if (!facts.Recomputation.TryGetValue(id, out var plan) || !plan.Select(s => context.Ids[s]).Any(IsLoopNest)) return false;
        foreach (var name in facts.RecomputedIn[id].OrderBy(v => v, System.StringComparer.Ordinal))
        {
            // Integers (indices) are cheap to recompute and would need their own stack; keep it simple.
            var local = context.Primal.Method.Locals.FirstOrDefault(l => l.Name == name);
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
        foreach (var local in saved.Where(l => SnapshotBuffer(loop, l) is null))
            yield return local.IsArray ? new PushArray(local.Name) : Save(new VarRef(local.Name, ScalarType.Double));
    }

    /// <summary>What starts a forward iteration of <paramref name="loop"/>: the arrays written in place pointed at its part of their snapshots.</summary>
    private IEnumerable<Stmt> SnapshotViews(For loop)
    {
        if (!SavesInsteadOfRecomputing(loop, out var saved)) yield break;
        foreach (var local in saved)
            if (SnapshotBuffer(loop, local) is { } buffer) yield return new ViewSnapshot(local.Name, buffer, new VarRef(loop.Counter, ScalarType.Int));
    }

    /// <summary>The restores that start a reversed iteration of <paramref name="loop"/> (in the saves' reverse order), or an empty list.</summary>
    private List<Stmt> SnapshotRestores(For loop)
    {
        var output = new List<Stmt>();
        if (!SavesInsteadOfRecomputing(loop, out var saved)) return output;
        output.Add(new Comment("Restored, not recomputed: " + string.Join(", ", saved.Select(l => l.Name))));
        foreach (var local in Enumerable.Reverse(saved))
        {
            if (SnapshotBuffer(loop, local) is { } buffer) output.Add(new ViewSnapshot(local.Name, buffer, new VarRef(loop.Counter, ScalarType.Int)));
            else output.Add(local.IsArray ? new PopArray(local.Name) : Restore(local.Name));
        }
        return output;
    }

    /// <summary>
    /// The buffer in which the loop's snapshots of a local array are written in place, or null when they are copied
    /// to the scratch stack. In place, the array is pointed at the iteration's own part of a rented buffer at the
    /// top of each forward iteration and of each reversed one: the forward iteration writes it there, and its
    /// reverse finds it as it was left — no copy, no stack (for GMM at d = 2, four calls per point and component
    /// fewer). That needs the trip count before the loop (counted from zero up to a bound nothing changes), and each
    /// run of the loop reversed before the next run reuses the buffer: so no enclosing loop other than the fused one,
    /// whose iterations reverse themselves at once.
    /// </summary>
    private string? SnapshotBuffer(For loop, LocalVariable local)
    {
        var id = IdOf(loop);
        // The one condition that depends on the plan: which loop is fused (Fusion.cs).
        if (!_context.EnclosingLoops[id].All(l => l.Equals(_facts.FusedLoop))) return null;
        if (!_context.InPlaceArrays.TryGetValue(id, out var arrays) || !arrays.Contains(local.Name)) return null;
        return _names.Once(new NameRequest(NamePurpose.Snapshots, id, Local: local.Name), () => _names.NewBuffer(local.Name, loop.Bound)); // named when first needed
    }

    /// <summary>
    /// Where the value <paramref name="assignment"/> overwrites is saved: null for the scratch stack, or its
    /// iteration's slot of a buffer of its own — GMM's running maximum and exponentials over the K components of
    /// each point, <c>largest = Math.Max(largest, mainTerm[ik])</c>, pushed and popped K times per point before.
    /// In place, the save is a store into an array the JIT keeps in a register, and so is the restore. The same
    /// conditions as for arrays (<see cref="SnapshotBuffer"/>): the assignment runs once per iteration of a loop whose
    /// trip count is known before it runs (<see cref="GradientContext.SlotLoops"/>), and each run of that loop is
    /// reversed before the next.
    /// </summary>
    private ScalarSlot? SlotFor(Stmt assignment)
    {
        var id = IdOf(assignment);
        // The one condition that depends on the plan: which loop is fused (Fusion.cs).
        if (_context.SlotLoop(id, _facts.FusedLoop) is not { } loop) return null;
        return _names.Once(new NameRequest(NamePurpose.Slot, id), () => new ScalarSlot(_names.NewBuffer(StatementWalker.Target(assignment)!, loop.Bound), new VarRef(loop.Counter, ScalarType.Int)));
    }

    /// <summary>
    /// The gradient's top-level statements with each snapshot buffer rented just before the first one that uses it
    /// (the bound it is sized by reads only values set before the loop and never changed), and given back at the
    /// end; the arrays written in place declared as spans.
    /// </summary>
    internal static List<Stmt> WithSnapshotBuffers(List<Stmt> statements, GradientNames names)
    {
        var rented = new List<string>();
        var viewed = new HashSet<string>(System.StringComparer.Ordinal);
        var output = new List<Stmt>();
        foreach (var s in statements)
        {
            foreach (var inner in StatementWalker.Flatten(new Block(EquatableArray.Of(s))))
            {
                switch (inner)
                {
                    case ViewSnapshot view when !rented.Contains(view.Snapshots):
                        rented.Add(view.Snapshots);
                        viewed.Add(view.Array);
                        output.Add(new RentSnapshots(view.Snapshots, view.Array, names.BoundOf(view.Snapshots)));
                        break;
                    case Push { Slot: { } slot } when !rented.Contains(slot.Buffer):
                        rented.Add(slot.Buffer);
                        output.Add(new RentScalarSlots(slot.Buffer, names.BoundOf(slot.Buffer)));
                        break;
                }
            }
            output.Add(s);
        }
        for (int k = 0; k < output.Count; k++)
            if (output[k] is AllocateArray a && viewed.Contains(a.Name)) output[k] = a with { Viewed = true };
        output.AddRange(rented.Select(name => new ReleaseRented(name)));
        return output;
    }
}
