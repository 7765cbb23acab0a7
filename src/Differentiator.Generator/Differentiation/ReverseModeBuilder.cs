using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;
using Differentiator.Generator.Model;
using Differentiator.Generator.Optimization;

namespace Differentiator.Generator.Differentiation;

/// <summary>
/// Source-to-source reverse mode over structured code. The forward sweep runs the primal and saves a variable's old
/// value before an assignment overwrites it, but only for variables the reverse sweep reads (so MSE saves only
/// the residual). The reverse sweep walks the statements backwards: loops run backwards (bounds recomputed when
/// the body cannot change them, else the trip count is saved), branches recompute their condition when the branch
/// cannot change it (else the branch taken is saved), and each assignment becomes adjoint updates.
/// </summary>
internal sealed partial class ReverseModeBuilder
{
    private readonly LoweredMethod _primal;
    private readonly ActivityAnalysis _activity;
    private readonly ExprFactory _f = new();
    private readonly ExpressionAdjoint _adjoint;
    private readonly NameAllocator _names;
    private readonly Dictionary<string, string> _adjointNames = new(System.StringComparer.Ordinal);
    private readonly Dictionary<string, string> _arrayAdjoints = new(System.StringComparer.Ordinal);
    /// <summary>Scalar outputs (<c>out double db</c>) whose adjoints are summed in locals, written at the end.</summary>
    private readonly List<OutputWrite> _finalWrites = new();
    private readonly List<LocalVariable> _locals = new();
    private readonly HashSet<string> _bookkeeping = new(System.StringComparer.Ordinal);
    private readonly Dictionary<object, (string Start, string Count)> _loopRecords = new(Model.ReferenceEqualityComparer.Instance);
    private readonly Dictionary<object, string> _branchRecords = new(Model.ReferenceEqualityComparer.Instance);
    private HashSet<string> _restore = new(System.StringComparer.Ordinal);
    private HashSet<Stmt> _firstDefinitions = new(Model.ReferenceEqualityComparer.Instance);

    private ReverseModeBuilder(LoweredMethod primal, ActivityAnalysis activity, IReadOnlyList<GradientOutput> outputs)
    {
        _primal = primal;
        _activity = activity;
        _adjoint = new ExpressionAdjoint(_f, activity);
        var method = primal.Method;
        _names = new NameAllocator(method.Parameters.Select(p => p.Name)
            .Concat(method.Locals.Select(l => l.Name))
            .Concat(StatementWalker.Flatten(method.Body).OfType<For>().Select(f => f.Counter))
            .Concat(outputs.Select(o => o.Name)));
        var readInLoops = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var loop in StatementWalker.Flatten(method.Body).OfType<For>())
            foreach (var s in StatementWalker.Flatten(loop.Body))
                foreach (var e in StatementExpressions(s)) ExprWalker.CollectReads(e, readInLoops);
        foreach (var o in outputs)
        {
            if (o.IsArray)
            {
                _arrayAdjoints[o.Parameter] = o.Name;
                continue;
            }
            if (!readInLoops.Contains(o.Parameter))
            {
                _adjointNames[o.Parameter] = o.Name;
                continue;
            }
            // A scalar read inside a loop has its adjoint summed there: in a local, written to the out parameter once
            // at the end. The out parameter is memory the JIT must assume aliased, so a sum through it would be a load
            // and a store per iteration (a dependency through memory), where a local lives in a register.
            string name = _names.Allocate("_d_" + o.Parameter);
            _adjointNames[o.Parameter] = name;
            _finalWrites.Add(new OutputWrite(o.Name, name));
            _locals.Add(new LocalVariable(name, ScalarType.Double));
        }
        foreach (var array in method.Locals.Where(l => l.IsArray && activity.IsActive(l.Name)))
            _arrayAdjoints[array.Name] = _names.Allocate("_d_" + array.Name); // declared where the primal is allocated
        foreach (var local in method.Locals.Where(l => !l.IsArray && l.Type == ScalarType.Double && activity.IsActive(l.Name)))
        {
            string name = _names.Allocate("_d_" + local.Name);
            _adjointNames[local.Name] = name;
            _locals.Add(new LocalVariable(name, ScalarType.Double));
        }
    }

    public static GradientProgram Build(LoweredMethod primal, ActivityAnalysis activity, IReadOnlyList<GradientOutput> outputs)
    {
        var builder = new ReverseModeBuilder(primal, activity, outputs);
        var body = primal.Method.Body;

        // Which values to save: those the reverse sweep reads and the forward sweep overwrites. Restoring a value
        // can itself make the reverse sweep read more (a branch that now holds a restore recomputes its condition),
        // so the set grows to a fixed point; it only grows, and is bounded by the variables.
        var multiply = StatementWalker.MultiplyAssigned(body);
        // A parameter holds the argument before any assignment, so one assignment already makes two values.
        multiply.UnionWith(StatementWalker.AssignedIn(body).Where(v => primal.Method.Parameters.Any(p => p.Name == v)));
        builder._firstDefinitions = FirstDefinitions(body, primal.Method.Parameters.Select(p => p.Name));
        builder._changing = multiply;
        // Locals recomputed in the reverse sweep instead of saved (Recompute.cs): start from every candidate and
        // drop those the reverse sweep turns out to read where nothing recomputes them; each drop starts over.
        var candidates = builder.IterationLocalCandidates(body);
        var recomputed = new HashSet<string>(candidates.Values.SelectMany(c => c), System.StringComparer.Ordinal);
        while (true)
        {
            builder._recomputed = recomputed;
            builder._restore = new HashSet<string>(System.StringComparer.Ordinal);
            builder._recomputeValid.Clear();
            builder._recomputePlan.Clear();
            while (true)
            {
                bool planChanged = builder.PlanRecomputation(candidates);
                var reads = ReverseReads(builder.ReverseBlock(body, inLoop: false), builder);
                var restore = new HashSet<string>(reads.Where(v => multiply.Contains(v) && !recomputed.Contains(v)), System.StringComparer.Ordinal);
                restore.UnionWith(builder._restore);
                if (restore.SetEquals(builder._restore) && !planChanged) break;
                builder._restore = restore;
            }
            if (recomputed.Count == 0) break;
            var uncovered = builder.UncoveredReads(builder.ReverseBlock(body, inLoop: false), recomputed);
            if (uncovered.Count == 0) break;
            recomputed.ExceptWith(uncovered);
        }

        // Pass 2: the same sweeps, now restoring what the forward sweep saves.
        var prologue = new List<Stmt>();
        foreach (var o in outputs)
            prologue.Add(o.IsArray ? new ClearArray(o.Name, o.Kind) : new Assign(builder._adjointNames[o.Parameter], ExprFactory.Zero));
        if (activity.IsActive(primal.Result))
            prologue.Add(new Assign(builder._adjointNames[primal.Result], ExprFactory.One));

        var statements = new List<Stmt>();
        var fused = builder.TryFuseLoop(prologue);
        if (fused is not null)
        {
            statements.AddRange(fused);
        }
        else
        {
            // Decided on the final reverse sweep, and only when it runs after the whole forward sweep (not fused).
            if (builder._restore.Count > 0) builder._deadRestores = builder.DeadRestores(builder.ReverseBlock(body, inLoop: false));
            statements.Add(new Section(SweepTitles.Forward));
            statements.AddRange(builder.ForwardBlock(body, inLoop: false).Statements);
            statements.Add(new Section(SweepTitles.Reverse));
            statements.AddRange(prologue);
            statements.AddRange(builder.ReverseBlock(body, inLoop: false).Statements);
        }
        statements = builder.WithSnapshotBuffers(statements);
        // Adjoints of local arrays rented from the pool go back once the reverse sweep is done with them.
        foreach (var allocation in body.Statements.OfType<AllocateArray>().Where(a => !a.OnStack && builder._arrayAdjoints.ContainsKey(a.Name)))
            statements.Add(new ReleaseRented(builder._arrayAdjoints[allocation.Name]));

        var locals = primal.Method.Locals.Where(l => !l.IsArray).Concat(builder._locals).ToEquatableArray();
        var program = new Block(statements.ToEquatableArray());
        var saves = StatementWalker.Flatten(program).Where(s => s is Push or Pop or PushArray or PopArray).ToList();
        // Saves written in place (in slots of rented buffers) need no scratch stack.
        bool usesScratch = saves.Any(s => s is not (Push { Slot: not null } or Pop { Slot: not null }));
        if (saves.Count > 0)
            program = new Block(program.Statements.Select(s => s is Section { Title: SweepTitles.Forward } ? new Section(SweepTitles.ForwardSaving) : s).ToEquatableArray());
        return new GradientProgram(primal, outputs.ToEquatableArray(), locals, program, usesScratch, builder._finalWrites.ToEquatableArray());
    }

    /// <summary>
    /// Assignments outside loops that no earlier assignment of the same local precedes: the value they overwrite
    /// is the default, which nothing reads, so they need no save. A parameter's first assignment overwrites the
    /// argument, which the reverse sweep may well read, so parameters never count.
    /// </summary>
    private static HashSet<Stmt> FirstDefinitions(Block body, IEnumerable<string> parameters)
    {
        var seen = new HashSet<string>(parameters, System.StringComparer.Ordinal);
        var first = new HashSet<Stmt>(Model.ReferenceEqualityComparer.Instance);
        void Walk(Block block, bool inLoop)
        {
            foreach (var s in block.Statements)
            {
                var target = StatementWalker.Target(s);
                if (target is not null && seen.Add(target) && !inLoop) first.Add(s);
                switch (s)
                {
                    case If i:
                        Walk(i.Then, inLoop);
                        Walk(i.Else, inLoop);
                        break;
                    case For f:
                        Walk(f.Body, inLoop: true);
                        break;
                }
            }
        }
        Walk(body, inLoop: false);
        return first;
    }

    /// <summary>Output names <c>dw</c>, <c>db</c> in declaration order, avoiding every name in the method.</summary>
    public static IReadOnlyList<GradientOutput> NameOutputs(MethodIr method)
    {
        var names = new NameAllocator(method.Parameters.Select(p => p.Name).Concat(method.Locals.Select(l => l.Name))
            .Concat(StatementWalker.Flatten(method.Body).OfType<For>().Select(f => f.Counter)));
        return method.Parameters.Where(p => p.Differentiated)
            .Select(p => new GradientOutput(p.Name, names.Allocate("d" + p.Name), p.IsArray, p.Kind))
            .ToList();
    }

    private string AddLocal(string preferred, ScalarType type)
    {
        string name = _names.Allocate(preferred);
        _locals.Add(new LocalVariable(name, type));
        _bookkeeping.Add(name);
        return name;
    }

    private static HashSet<string> ReverseReads(Block reverse, ReverseModeBuilder builder)
    {
        var reads = builder.ContentReads(reverse, lengths: true); // elements read make their array read
        reads.ExceptWith(builder._adjointNames.Values);
        reads.ExceptWith(builder._bookkeeping);
        return reads;
    }

    /// <summary>Every name the statement itself (not what is nested in it) assigns, reads, tests or receives.</summary>
    internal static void CollectMentions(Stmt s, ISet<string> names)
    {
        if (StatementWalker.Target(s) is { } target) names.Add(target);
        if (s is For { ExitFlag: { } flag }) names.Add(flag);
        if (s is GradientCall g) names.UnionWith(g.Outputs.Select(o => o.Name));
        if (s is PopArray restore) names.Add(restore.Array);
        if (s is ViewSnapshot view) names.UnionWith(new[] { view.Array, view.Snapshots });
        if (s is RentSnapshots rent) names.UnionWith(new[] { rent.Name, rent.Array });
        if (s is RentScalarSlots slots) names.Add(slots.Name);
        foreach (var e in StatementExpressions(s)) ExprWalker.CollectReads(e, names);
    }

    internal static IEnumerable<Expr> StatementExpressions(Stmt s) => s switch
    {
        Assign a => new[] { a.Value },
        AssignElement ae => ae.Indices.Append(ae.Value),
        Let l => new[] { l.Value },
        Push p => p.Slot is { } slot ? new[] { p.Value, slot.Index, new ArrayRef(slot.Buffer) } : new[] { p.Value },
        Pop { Slot: { } slot } => new[] { slot.Index, new ArrayRef(slot.Buffer) },
        If i => new[] { i.Condition },
        For f => new[] { f.Start, f.Bound },
        AllocateArray a => new[] { a.Length },
        PopElement p => p.Indices,
        PushArray p => new Expr[] { new ArrayRef(p.Array) },
        RentSnapshots r => new[] { r.Count },
        RentScalarSlots r => new[] { r.Count },
        ViewSnapshot v => new[] { v.Index },
        CallAssign c => c.Arguments,
        GradientCall g => g.Arguments,
        VectorKernel k => k.Expressions,
        _ => Enumerable.Empty<Expr>(),
    };
}
