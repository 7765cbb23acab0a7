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

    /// <summary>The loop fused with its reverse (Fusion.cs), whose runs of inner loops are reversed before the next; null when none is.</summary>
    private For? _fusedLoop;
    /// <summary>Per loop, the arrays whose snapshots may be written in place (all but the enclosing-loop condition) and their buffers' names.</summary>
    private readonly Dictionary<object, Dictionary<string, string?>> _snapshotBuffers = new(Model.ReferenceEqualityComparer.Instance);
    /// <summary>Per loop, the loops around it.</summary>
    private Dictionary<object, List<For>>? _enclosingLoops;

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
        _enclosingLoops ??= EnclosingLoops(_primal.Method.Body);
        // The one condition that changes while the gradient is built: which loop is fused (Fusion.cs sets it).
        if (!_enclosingLoops.TryGetValue(loop, out var enclosing) || !enclosing.All(l => ReferenceEquals(l, _fusedLoop))) return null;
        if (!_snapshotBuffers.TryGetValue(loop, out var buffers)) _snapshotBuffers[loop] = buffers = InPlaceCandidates(loop);
        if (!buffers.TryGetValue(local.Name, out var name)) return null;
        return buffers[local.Name] = name ?? NewBuffer(local.Name, loop); // named when first needed
    }

    /// <summary>Per buffer of snapshots or slots, the bound of the loop it serves: it is rented with room for that many iterations.</summary>
    private readonly Dictionary<string, Expr> _bufferBounds = new(System.StringComparer.Ordinal);

    private string NewBuffer(string saved, For loop)
    {
        string name = _names.Allocate(saved + "_saved");
        _bookkeeping.Add(name);
        _bufferBounds[name] = loop.Bound;
        return name;
    }

    /// <summary>
    /// The loop's arrays whose snapshots may be written in place, whatever is saved and whatever loop is fused (a
    /// loop from zero up to a bound nothing changes; a heap array written nowhere outside the loop), each with its
    /// buffer's name once one is given.
    /// </summary>
    private Dictionary<string, string?> InPlaceCandidates(For loop)
    {
        var buffers = new Dictionary<string, string?>(System.StringComparer.Ordinal);
        if (!CountsUpToFixedBound(loop) || loop.Start is not Const { Value: 0 }) return buffers;
        // Written nowhere else: a write after the loop would land in the last iteration's part, which its reverse
        // still reads (a block copy on the stack would be out of reach).
        static int Writes(Block block, string array) => StatementWalker.Flatten(block).Count(s => s is AssignElement e && e.Array == array);
        foreach (var allocation in _primal.Method.Body.Statements.OfType<AllocateArray>().Where(a => !a.OnStack))
            if (Writes(loop.Body, allocation.Name) is > 0 and var inLoop && inLoop == Writes(_primal.Method.Body, allocation.Name))
                buffers[allocation.Name] = null;
        return buffers;
    }

    /// <summary>
    /// Whether the loop counts up by one, from a constant, to a bound known before the method's top-level statement
    /// that holds the loop: where its buffer is rented (<see cref="WithSnapshotBuffers"/>), sized by that bound.
    /// </summary>
    private bool CountsUpToFixedBound(For loop)
    {
        if (!LoopIsRecomputable(loop) || loop.ExitFlag is not null || loop.Step != 1 || loop.Compare != BinaryOp.Less || loop.Start is not Const { Value: >= 0 }) return false;
        _fixedAtTopLevel ??= FixedAtTopLevel(_primal.Method);
        return ExprWalker.Reads(loop.Bound).All(_fixedAtTopLevel.Contains);
    }

    private HashSet<string>? _fixedAtTopLevel;

    /// <summary>
    /// The names that hold one value from a point at the top level of the method on: parameters it never assigns,
    /// and locals and arrays it assigns or allocates once, by a statement of its body itself. A local set once inside
    /// a branch does not count: the top-level statement holding that branch, and a loop in it, starts before it is set.
    /// </summary>
    private static HashSet<string> FixedAtTopLevel(MethodIr method)
    {
        static string? Defined(Stmt s) => s is AllocateArray a ? a.Name : StatementWalker.Target(s);
        var counts = StatementWalker.Flatten(method.Body).Select(Defined).OfType<string>()
            .GroupBy(n => n, System.StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), System.StringComparer.Ordinal);
        var result = new HashSet<string>(method.Parameters.Select(p => p.Name).Where(n => !counts.ContainsKey(n)), System.StringComparer.Ordinal);
        result.UnionWith(method.Body.Statements.Select(Defined).OfType<string>().Where(n => counts[n] == 1));
        return result;
    }

    /// <summary>Per assignment that overwrites a scalar saved in place, its slot.</summary>
    private readonly Dictionary<object, ScalarSlot> _scalarSlots = new(Model.ReferenceEqualityComparer.Instance);
    /// <summary>Per assignment that may save in a slot whatever loop is fused, its loop (<see cref="SlotCandidates"/>).</summary>
    private Dictionary<object, For>? _slotCandidates;

    /// <summary>
    /// Where the value <paramref name="assignment"/> overwrites is saved: null for the scratch stack, or its
    /// iteration's slot of a buffer of its own — GMM's running maximum and exponentials over the K components of
    /// each point, <c>largest = Math.Max(largest, mainTerm[ik])</c>, pushed and popped K times per point before.
    /// In place, the save is a store into an array the JIT keeps in a register, and so is the restore. The same
    /// conditions as for arrays (<see cref="SnapshotBuffer"/>): the assignment runs once per iteration of a loop whose
    /// trip count is known before it runs, and each run of that loop is reversed before the next.
    /// </summary>
    private ScalarSlot? SlotFor(Stmt assignment)
    {
        _slotCandidates ??= SlotCandidates();
        // The one condition that changes while the gradient is built: which loop is fused (Fusion.cs sets it).
        if (!_slotCandidates.TryGetValue(assignment, out var loop) || ReferenceEquals(loop, _fusedLoop)) return null;
        if (!_enclosingLoops![loop].All(l => ReferenceEquals(l, _fusedLoop))) return null;
        if (!_scalarSlots.TryGetValue(assignment, out var slot))
            _scalarSlots[assignment] = slot = new ScalarSlot(NewBuffer(StatementWalker.Target(assignment)!, loop), new VarRef(loop.Counter, ScalarType.Int));
        return slot;
    }

    /// <summary>
    /// The assignments that may save in a slot whatever loop is fused, each with its loop: a statement of the loop's
    /// own body (not nested in a branch or an inner loop), the loop's only assignment to that real scalar, in a loop
    /// whose trip count is known before it runs. Found once: the forward and the reverse sweep ask about each.
    /// </summary>
    private Dictionary<object, For> SlotCandidates()
    {
        _enclosingLoops ??= EnclosingLoops(_primal.Method.Body);
        var result = new Dictionary<object, For>(Model.ReferenceEqualityComparer.Instance);
        foreach (var loop in _enclosingLoops.Keys.Cast<For>().Where(CountsUpToFixedBound))
        {
            var assignedOnce = StatementWalker.Flatten(loop.Body).Select(StatementWalker.Target).OfType<string>()
                .GroupBy(n => n, System.StringComparer.Ordinal).Where(g => g.Count() == 1).Select(g => g.Key);
            var once = new HashSet<string>(assignedOnce, System.StringComparer.Ordinal);
            foreach (var direct in loop.Body.Statements.Where(x => x is Assign or CallAssign))
            {
                string target = StatementWalker.Target(direct)!;
                if (once.Contains(target) && TypeOf(target) == ScalarType.Double) result[direct] = loop;
            }
        }
        return result;
    }

    /// <summary>Every loop of the body, with the loops around it.</summary>
    private static Dictionary<object, List<For>> EnclosingLoops(Block body)
    {
        var result = new Dictionary<object, List<For>>(Model.ReferenceEqualityComparer.Instance);
        void Walk(Block block, List<For> around)
        {
            foreach (var s in block.Statements)
            {
                switch (s)
                {
                    case For f:
                        result[f] = around;
                        Walk(f.Body, around.Append(f).ToList());
                        break;
                    case If i:
                        Walk(i.Then, around);
                        Walk(i.Else, around);
                        break;
                }
            }
        }
        Walk(body, new List<For>());
        return result;
    }

    /// <summary>
    /// The gradient's top-level statements with each snapshot buffer rented just before the first one that uses it
    /// (the bound it is sized by reads only values set before the loop and never changed), and given back at the
    /// end; the arrays written in place declared as spans.
    /// </summary>
    private List<Stmt> WithSnapshotBuffers(List<Stmt> statements)
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
                        output.Add(new RentSnapshots(view.Snapshots, view.Array, _bufferBounds[view.Snapshots]));
                        break;
                    case Push { Slot: { } slot } when !rented.Contains(slot.Buffer):
                        rented.Add(slot.Buffer);
                        output.Add(new RentScalarSlots(slot.Buffer, _bufferBounds[slot.Buffer]));
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
