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
    private readonly GradientContext _context;
    /// <summary>What this sweep saves, restores and recomputes; never changed (the planner makes a new sweep to ask "what if").</summary>
    private readonly SweepFacts _facts;
    private readonly LoweredMethod _primal;
    private readonly ActivityAnalysis _activity;
    private readonly ExprFactory _f;
    private readonly ExpressionAdjoint _adjoint;
    private readonly GradientNames _names;
    private readonly IReadOnlyDictionary<string, string> _adjointNames;
    private readonly IReadOnlyDictionary<string, string> _arrayAdjoints;

    internal ReverseModeBuilder(GradientContext context, SweepFacts facts)
    {
        _context = context;
        _facts = facts;
        _primal = context.Primal;
        _activity = context.Activity;
        _f = context.Factory;
        _adjoint = context.Adjoint;
        _names = context.Names;
        _adjointNames = context.AdjointNames;
        _arrayAdjoints = context.ArrayAdjoints;
    }

    private StmtId IdOf(Stmt primalStatement) => _context.Ids.Of(primalStatement);

    /// <summary>The plan first (ReversalPlanner.cs), then the sweeps it describes: forward then reverse, or one loop fused between.</summary>
    public static GradientProgram Build(LoweredMethod primal, ActivityAnalysis activity, IReadOnlyList<GradientOutput> outputs)
    {
        var context = new GradientContext(primal, activity, outputs);
        var plan = ReversalPlanner.Plan(context);
        var body = primal.Method.Body;

        var prologue = new List<Stmt>();
        foreach (var o in outputs)
            prologue.Add(o.IsArray ? new ClearArray(o.Name, o.Kind) : new Assign(context.AdjointNames[o.Parameter], ExprFactory.Zero));
        if (activity.IsActive(primal.Result))
            prologue.Add(new Assign(context.AdjointNames[primal.Result], ExprFactory.One));

        var sweep = new ReverseModeBuilder(context, plan.Sequential);
        var statements = new List<Stmt>();
        if (plan.Fusion is { } fusion)
        {
            statements.AddRange(sweep.Fuse(fusion, new ReverseModeBuilder(context, plan.FusedBody), prologue));
        }
        else
        {
            statements.Add(new Section(SweepTitles.Forward));
            statements.AddRange(sweep.ForwardBlock(body, inLoop: false).Statements);
            statements.Add(new Section(SweepTitles.Reverse));
            statements.AddRange(prologue);
            statements.AddRange(sweep.ReverseBlock(body, inLoop: false).Statements);
        }
        statements = WithSnapshotBuffers(statements, context.Names);
        // Adjoints of local arrays rented from the pool go back once the reverse sweep is done with them.
        foreach (var allocation in body.Statements.OfType<AllocateArray>().Where(a => !a.OnStack && context.ArrayAdjoints.ContainsKey(a.Name)))
            statements.Add(new ReleaseRented(context.ArrayAdjoints[allocation.Name]));

        var locals = primal.Method.Locals.Where(l => !l.IsArray).Concat(context.Names.Locals).ToEquatableArray();
        var program = new Block(statements.ToEquatableArray());
        var saves = StatementWalker.Flatten(program).Where(s => s is Push or Pop or PushArray or PopArray).ToList();
        // Saves written in place (in slots of rented buffers) need no scratch stack.
        bool usesScratch = saves.Any(s => s is not (Push { Slot: not null } or Pop { Slot: not null }));
        if (saves.Count > 0)
            program = new Block(program.Statements.Select(s => s is Section { Title: SweepTitles.Forward } ? new Section(SweepTitles.ForwardSaving) : s).ToEquatableArray());
        return new GradientProgram(primal, outputs.ToEquatableArray(), locals, program, usesScratch, context.FinalWrites.ToEquatableArray());
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

    private string AddLocal(string preferred, ScalarType type) => _names.AddLocal(preferred, type);

    /// <summary>What a reverse-sweep block this sweep built reads of the primal's values (not adjoints, not bookkeeping).</summary>
    internal HashSet<string> ReverseReads(Block reverse)
    {
        var reads = ContentReads(reverse, lengths: true); // elements read make their array read
        reads.ExceptWith(_adjointNames.Values);
        reads.RemoveWhere(_names.IsBookkeeping);
        return reads;
    }

    /// <summary>
    /// What this sweep's reverse of one primal statement reads: contents only, and with arrays' lengths. The built
    /// sweep's answer, kept for the test that checks the planner's (<see cref="ReverseReadAnalysis.OfStatement"/>).
    /// </summary>
    internal (HashSet<string> Contents, HashSet<string> WithLengths) ReverseStatementReads(Stmt statement, bool inLoop)
    {
        var reverse = new List<Stmt>();
        ReverseStatement(statement, inLoop, reverse);
        var block = new Block(reverse.ToEquatableArray());
        return (ContentReads(block, lengths: false), ContentReads(block, lengths: true));
    }
}
