using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;
using Differentiator.Generator.Model;
using Differentiator.Generator.Optimization;

namespace Differentiator.Generator.Differentiation;

/// <summary>
/// What every sweep of one gradient shares and nobody changes after it is built: the primal and its activity, the
/// statement ids, the adjoints' names, and the facts about the primal's loops that do not depend on the plan
/// (which loops enclose which, which assignments may save in a slot, which arrays may be snapshotted in place).
/// Besides, the two factories every sweep writes through: the expression factory (hash-consing) and the names.
/// </summary>
internal sealed class GradientContext
{
    public LoweredMethod Primal { get; }
    public ActivityAnalysis Activity { get; }
    public ExprFactory Factory { get; } = new();
    public ExpressionAdjoint Adjoint { get; }
    public GradientNames Names { get; }
    public StatementIds Ids { get; }
    public IReadOnlyList<GradientOutput> Outputs { get; }

    /// <summary>Scalar variable → its adjoint's name.</summary>
    public IReadOnlyDictionary<string, string> AdjointNames { get; }
    /// <summary>Array → its adjoint array's name.</summary>
    public IReadOnlyDictionary<string, string> ArrayAdjoints { get; }
    /// <summary>Scalar outputs (<c>out double db</c>) whose adjoints are summed in locals, written at the end.</summary>
    public IReadOnlyList<OutputWrite> FinalWrites { get; }

    /// <summary>Every loop of the body, with the ids of the loops around it.</summary>
    public IReadOnlyDictionary<StmtId, IReadOnlyList<StmtId>> EnclosingLoops { get; }
    /// <summary>The assignments that may save in a slot whatever loop is fused, each with its loop (<see cref="SlotCandidates"/>).</summary>
    public IReadOnlyDictionary<StmtId, For> SlotLoops { get; }
    /// <summary>Per loop, the arrays whose snapshots may be written in place whatever is saved and whatever loop is fused.</summary>
    public IReadOnlyDictionary<StmtId, ReadOnlySet<string>> InPlaceArrays { get; }

    public GradientContext(LoweredMethod primal, ActivityAnalysis activity, IReadOnlyList<GradientOutput> outputs)
    {
        Primal = primal;
        Activity = activity;
        Outputs = outputs;
        Adjoint = new ExpressionAdjoint(Factory, activity);
        var method = primal.Method;
        Ids = new StatementIds(method.Body);
        Names = new GradientNames(new NameAllocator(method.Parameters.Select(p => p.Name)
            .Concat(method.Locals.Select(l => l.Name))
            .Concat(StatementWalker.Flatten(method.Body).OfType<For>().Select(f => f.Counter))
            .Concat(outputs.Select(o => o.Name))));
        var adjointNames = new Dictionary<string, string>(System.StringComparer.Ordinal);
        var arrayAdjoints = new Dictionary<string, string>(System.StringComparer.Ordinal);
        var finalWrites = new List<OutputWrite>();
        var readInLoops = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var loop in StatementWalker.Flatten(method.Body).OfType<For>())
            foreach (var s in StatementWalker.Flatten(loop.Body))
                foreach (var e in IrWalker.Expressions(s)) ExprWalker.CollectReads(e, readInLoops);
        foreach (var o in outputs)
        {
            if (o.IsArray)
            {
                arrayAdjoints[o.Parameter] = o.Name;
                continue;
            }
            if (!readInLoops.Contains(o.Parameter))
            {
                adjointNames[o.Parameter] = o.Name;
                continue;
            }
            // A scalar read inside a loop has its adjoint summed there: in a local, written to the out parameter once
            // at the end. The out parameter is memory the JIT must assume aliased, so a sum through it would be a load
            // and a store per iteration (a dependency through memory), where a local lives in a register.
            string name = Names.AddAdjointLocal("_d_" + o.Parameter);
            adjointNames[o.Parameter] = name;
            finalWrites.Add(new OutputWrite(o.Name, name));
        }
        foreach (var array in method.Locals.Where(l => l.IsArray && activity.IsActive(l.Name)))
            arrayAdjoints[array.Name] = Names.Allocate("_d_" + array.Name); // declared where the primal is allocated
        foreach (var local in method.Locals.Where(l => !l.IsArray && l.Type == ScalarType.Double && activity.IsActive(l.Name)))
            adjointNames[local.Name] = Names.AddAdjointLocal("_d_" + local.Name);
        // A data parameter the body overwrites with a value that depends on a differentiated one (y = y * a + x[i],
        // only a and x named) is active from then on, like a local: its adjoint is a local too, and no output.
        foreach (var p in method.Parameters.Where(p => !p.Differentiated && p.Kind == ParameterKind.Double && activity.IsActive(p.Name)))
            adjointNames[p.Name] = Names.AddAdjointLocal("_d_" + p.Name);
        AdjointNames = adjointNames;
        ArrayAdjoints = arrayAdjoints;
        FinalWrites = finalWrites;

        // A loop object the lowering put at two places is one loop with its first place (StatementIds).
        var loopSites = IrWalker.Walk(method.Body).Where(site => site.Statement is For)
            .GroupBy(site => Ids.Of(site.Statement)).Select(g => g.First()).ToList();
        EnclosingLoops = loopSites.ToDictionary(site => Ids.Of(site.Statement), site => (IReadOnlyList<StmtId>)site.EnclosingLoops.Select(Ids.Of).ToList());
        var loops = loopSites.Select(site => (For)site.Statement).ToList();
        var fixedAtTopLevel = FixedAtTopLevel(method);
        var fixedLoops = loops.Where(l => CountsUpToFixedBound(l, fixedAtTopLevel)).ToList();
        SlotLoops = SlotCandidates(fixedLoops);
        InPlaceArrays = fixedLoops.Where(l => l.Start is Const { Value: 0 }).ToDictionary(Ids.Of, InPlaceCandidates);
    }

    /// <summary>
    /// The loop in whose slot buffer the value <paramref name="assignment"/> overwrites is saved, given the fused loop;
    /// null for the scratch stack. A slot needs each run of its loop reversed before the next: no enclosing loop but
    /// the fused one, whose iterations reverse themselves at once (and not the fused loop itself: nothing survives
    /// its iteration to need a slot).
    /// </summary>
    public For? SlotLoop(StmtId assignment, StmtId? fusedLoop)
    {
        if (!SlotLoops.TryGetValue(assignment, out var loop)) return null;
        var loopId = Ids.Of(loop);
        return loopId.Equals(fusedLoop) || !EnclosingLoops[loopId].All(l => l.Equals(fusedLoop)) ? null : loop;
    }

    public ScalarType TypeOf(string name)
    {
        var local = Primal.Method.Locals.FirstOrDefault(l => l.Name == name) ?? Names.Locals.FirstOrDefault(l => l.Name == name);
        if (local is not null) return local.Type;
        var parameter = Primal.Method.Parameters.First(p => p.Name == name);
        return parameter.ScalarType;
    }

    /// <summary>
    /// The assignments that may save in a slot whatever loop is fused, each with its loop: a statement of the loop's
    /// own body (not nested in a branch or an inner loop), the loop's only assignment to that real scalar, in a loop
    /// whose trip count is known before it runs.
    /// </summary>
    private Dictionary<StmtId, For> SlotCandidates(IEnumerable<For> fixedLoops)
    {
        var result = new Dictionary<StmtId, For>();
        foreach (var loop in fixedLoops)
        {
            var assignedOnce = StatementWalker.Flatten(loop.Body).Select(StatementWalker.Target).OfType<string>()
                .GroupBy(n => n, System.StringComparer.Ordinal).Where(g => g.Count() == 1).Select(g => g.Key);
            var once = new HashSet<string>(assignedOnce, System.StringComparer.Ordinal);
            foreach (var direct in loop.Body.Statements.Where(x => x is Assign or CallAssign { WritesArray: false }))
            {
                string target = StatementWalker.Target(direct)!;
                if (once.Contains(target) && TypeOf(target) == ScalarType.Double) result[Ids.Of(direct)] = loop;
            }
        }
        return result;
    }

    /// <summary>
    /// The loop's arrays whose snapshots may be written in place, whatever is saved and whatever loop is fused (a
    /// loop from zero up to a bound nothing changes; a heap array written nowhere outside the loop).
    /// </summary>
    private ReadOnlySet<string> InPlaceCandidates(For loop)
    {
        // Written nowhere else: a write after the loop would land in the last iteration's part, which its reverse
        // still reads (a block copy on the stack would be out of reach).
        static int Writes(Block block, string array) => StatementWalker.Flatten(block).Count(s => s is AssignElement e && e.Array == array);
        var body = Primal.Method.Body;
        return new ReadOnlySet<string>(body.Statements.OfType<AllocateArray>()
            .Where(a => !a.OnStack && !a.External && Writes(loop.Body, a.Name) is > 0 and var inLoop && inLoop == Writes(body, a.Name))
            .Select(a => a.Name));
    }

    /// <summary>
    /// Whether the loop counts up by one, from a constant, to a bound known before the method's top-level statement
    /// that holds the loop: where its buffer is rented (<see cref="ReverseModeBuilder.WithSnapshotBuffers"/>), sized by that bound.
    /// </summary>
    private static bool CountsUpToFixedBound(For loop, HashSet<string> fixedAtTopLevel) =>
        ReverseModeBuilder.LoopIsRecomputable(loop) && loop.ExitFlag is null && loop.Step == 1 && loop.Compare == BinaryOp.Less
        && loop.Start is Const { Value: >= 0 } && ExprWalker.Reads(loop.Bound).All(fixedAtTopLevel.Contains);

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
}
