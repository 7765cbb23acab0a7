using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Differentiator.Generator.Optimization;

namespace Differentiator.Generator.Differentiation;

/// <summary>
/// What the reverse sweep reads of the primal's values, computed from the primal IR and the facts without building
/// the sweep: no statements, no names given (<see cref="GradientNames"/>), nothing interned in the sweeps' factory. The
/// planner's fixed point runs on it (ReversalPlanner.cs). It lists the names that sweep would give, in its order
/// (<see cref="Reads.Names"/>), for the planner to give them so; and the reads no recomputation covers (<see cref="Reads.Uncovered"/>).
/// <para>
/// An assignment's adjoint reads what its contributions read, and those are made by the very rules the sweep uses
/// (<see cref="ExpressionAdjoint"/>: the primitives table's partials, <see cref="DerivativeRules"/>), here in a
/// factory of the analysis's own, whose expressions are only read. What is not an expression — which restores a
/// sweep makes, which branches and loops it reverses and with what bounds, which loop bodies start with a
/// recomputation — follows the sweep's own decisions (<see cref="SweepFacts.Saves"/>, <see cref="GradientContext.SlotLoop"/>,
/// <see cref="ReverseModeBuilder.BranchIsRecomputable"/>, <see cref="ReverseModeBuilder.LoopIsRecomputable"/>,
/// <see cref="ReverseModeBuilder.SavesInsteadOfRecomputing"/>). A test (ReversalOracle) compares it with the reads
/// of built sweeps for every program the tests compile, at every round of the planner, so the two cannot drift apart.
/// </para>
/// Reads are of the primal's names only (parameters, locals, loop counters): adjoints and bookkeeping are the
/// sweep's own. An array counts as read by its contents; <see cref="Reads.WithLengths"/> counts its length too.
/// </summary>
internal sealed partial class ReverseReadAnalysis
{
    private readonly GradientContext _context;
    private readonly SweepFacts _facts;
    // The analysis's own factory: contributions are built to be read, never kept, so the sweeps' interner is untouched.
    private readonly ExprFactory _f = new();
    private readonly ExpressionAdjoint _adjoint;
    private readonly HashSet<string> _primal;
    // Stands for an adjoint the sweep names (a copy, a call's partial): the analysis names nothing, and no primal reads it.
    private readonly Expr _unnamed;

    public ReverseReadAnalysis(GradientContext context, SweepFacts facts)
    {
        _context = context;
        _facts = facts;
        _adjoint = new ExpressionAdjoint(_f, context.Activity);
        var method = context.Primal.Method;
        _primal = new HashSet<string>(method.Parameters.Select(p => p.Name).Concat(method.Locals.Select(l => l.Name))
            .Concat(StatementWalker.Flatten(method.Body).OfType<For>().Select(f => f.Counter)), System.StringComparer.Ordinal);
        _unnamed = _f.Var("\u0000adjoint");
    }

    /// <summary>What the reverse of <paramref name="block"/> reads (as the sweep's <c>ReverseBlock</c> of it would).</summary>
    public Reads OfBlock(Block block, bool inLoop)
    {
        var reads = new Reads();
        Block(block, inLoop, reads);
        return reads.Primal(_primal);
    }

    /// <summary>What the reverse of one statement reads (as the sweep's <c>ReverseStatement</c> of it would).</summary>
    public Reads OfStatement(Stmt statement, bool inLoop)
    {
        var reads = new Reads();
        Statement(statement, inLoop, reads);
        return reads.Primal(_primal);
    }

    private void Block(Block block, bool inLoop, Reads reads)
    {
        for (int k = block.Statements.Count - 1; k >= 0; k--)
        {
            // Adjacent nested calls at one point are reversed together, as by the sweep (ReverseModeBuilder.Nested.cs).
            var run = NestedCalls.RunTo(block.Statements, k);
            if (run.Count > 1)
            {
                NestedRun(run, reads);
                k -= run.Count - 1;
                continue;
            }
            Statement(block.Statements[k], inLoop, reads);
        }
    }

    private void Statement(Stmt s, bool inLoop, Reads reads)
    {
        switch (s)
        {
            case Assign assign:
                Assign(assign, reads);
                break;
            case CallAssign { Nested: not null } call:
                NestedRun(new[] { call }, reads);
                break;
            case CallAssign call:
                Call(call, reads);
                break;
            case AssignElement write:
                ElementWrite(write, reads);
                break;
            case If branch:
            {
                var then = new Reads();
                Block(branch.Then, inLoop, then);
                var otherwise = new Reads();
                Block(branch.Else, inLoop, otherwise);
                bool reversed = then.Emits || otherwise.Emits;
                reads.Add(then);
                reads.Add(otherwise);
                // A recomputed condition is read where the reversed branch stands; a recorded one is a flag (bookkeeping),
                // restored first inside a loop.
                if (ReverseModeBuilder.BranchIsRecomputable(branch))
                {
                    if (reversed) reads.Read(_f.Import(branch.Condition));
                    break;
                }
                reads.Names.Add(new NameRequest(NamePurpose.BranchFlag, Id(branch)));
                if (inLoop) reads.Emits = true;
                break;
            }
            case For loop:
                Loop(loop, inLoop, reads);
                break;
            case AllocateArray:
                break;
            default:
                throw new System.InvalidOperationException("The reversal analysis has no rule for " + s.GetType().Name);
        }
    }

    private StmtId Id(Stmt primalStatement) => _context.Ids.Of(primalStatement);

    /// <summary>The restore of the value <paramref name="assignment"/> overwrote: it reads its slot's index (the loop counter) when it has one.</summary>
    private void Restore(Stmt assignment, Reads reads)
    {
        reads.Emits = true;
        if (_context.SlotLoop(Id(assignment), _facts.FusedLoop) is not { } loop) return;
        reads.Names.Add(new NameRequest(NamePurpose.Slot, Id(assignment)));
        reads.ReadName(loop.Counter);
    }

    private bool Saves(Stmt assignment) => _facts.Saves(_context.Ids.Of(assignment), StatementWalker.Target(assignment)!);

    private bool IsActiveAdjoint(string target) => _context.AdjointNames.ContainsKey(target) && _context.Activity.IsActive(target);

    /// <summary>An adjoint update reads the element's indices and the contribution.</summary>
    private static void Contribution(KeyValuePair<Expr, Expr> c, Reads reads)
    {
        if (c.Key is ElementRef element)
            foreach (var index in element.Indices) reads.Read(index);
        reads.Read(c.Value);
        reads.Emits = true;
    }

    private void Assign(Assign assign, Reads reads)
    {
        if (Saves(assign)) Restore(assign, reads);
        if (assign.Value.Type != ScalarType.Double || !IsActiveAdjoint(assign.Target)) return;
        var value = _f.Import(assign.Value);
        var target = _f.Var(assign.Target);
        var adjoint = _f.Var(_context.AdjointNames[assign.Target]);
        var contributions = _adjoint.Contributions(value, adjoint);
        // x = Math.Exp(u): the derivative written with x (ReverseModeBuilder.ReusesOwnResult).
        if (CallResultLocals.NamesItsResult(assign.Value, assign.Target) && assign.Target != _context.Primal.Result)
            contributions = _adjoint.WrittenWith(contributions, value, target);
        var self = contributions.FirstOrDefault(c => ReferenceEquals(c.Key, target));
        // x = x + e passes x's adjoint through: only e's operands gain. Otherwise x's adjoint is zeroed or replaced.
        if (self.Key is null || !ReferenceEquals(self.Value, adjoint)) reads.Emits = true;
        // x = f(x, …): the sweep builds the contributions again from a copy of the adjoint (written as they are).
        if (self.Key is not null && !ReferenceEquals(self.Value, adjoint))
        {
            reads.Names.Add(new NameRequest(NamePurpose.NextAdjoint, Id(assign)));
            contributions = _adjoint.Contributions(value, _unnamed);
        }
        foreach (var c in contributions.Where(c => !ReferenceEquals(c.Key, target) || !ReferenceEquals(c.Value, adjoint)))
            Contribution(c, reads);
    }

    private void ElementWrite(AssignElement write, Reads reads)
    {
        if (_facts.Restore.Contains(write.Array))
        {
            reads.Emits = true;
            foreach (var index in write.Indices) reads.Read(index);
        }
        if (!_context.ArrayAdjoints.ContainsKey(write.Array) || !_context.Activity.IsActive(write.Array)) return;
        reads.Emits = true;
        reads.Names.Add(new NameRequest(NamePurpose.ElementAdjoint, Id(write)));
        var indices = write.Indices.Select(_f.Import).ToEquatableArray();
        foreach (var index in indices) reads.Read(index);
        if (write.Value.Type != ScalarType.Double) return;
        var value = _f.Import(write.Value);
        var contributions = _adjoint.Contributions(value, _unnamed);
        if (!write.Jagged && CallResultLocals.NamesItsResult(write.Value, write.Array))
            contributions = _adjoint.WrittenWith(contributions, value, _f.Element(write.Array, indices));
        foreach (var c in contributions) Contribution(c, reads);
    }

    private void Call(CallAssign call, Reads reads)
    {
        if (Saves(call)) Restore(call, reads);
        if (!IsActiveAdjoint(call.Target)) return;
        reads.Emits = true;
        reads.Names.Add(new NameRequest(NamePurpose.CallPartials, Id(call)));
        var args = call.Arguments.Select(a => a is ArrayRef ? a : _f.Import(a)).ToEquatableArray();
        foreach (var arg in args) reads.Read(arg); // the callee's gradient is called with them
        var adjoint = _f.Var(_context.AdjointNames[call.Target]);
        var differentiated = call.Callee.DifferentiatedIndices();
        for (int j = 0; j < differentiated.Count; j++)
        {
            if (args[differentiated[j]] is ArrayRef array)
            {
                // A whole array's gradient is chained element by element, in a loop up to its length.
                if (_context.ArrayAdjoints.ContainsKey(array.Array) && _context.Activity.IsActive(array.Array))
                {
                    reads.Names.Add(new NameRequest(NamePurpose.CallCounter, Id(call), j));
                    reads.Read(new LengthOf(array.Array, -1));
                }
                continue;
            }
            foreach (var c in _adjoint.Contributions(args[differentiated[j]], _f.Multiply(_unnamed, adjoint))) Contribution(c, reads);
        }
    }

    private void Loop(For loop, bool inLoop, Reads reads)
    {
        var body = new Reads();
        Block(loop.Body, inLoop: true, body);
        reads.Names.AddRange(body.Names); // named even when nothing of the body is reversed
        var id = Id(loop);
        bool recomputable = ReverseModeBuilder.LoopIsRecomputable(loop);
        if (!recomputable)
        {
            reads.Names.Add(new NameRequest(NamePurpose.LoopRecord, id));
            if (inLoop) reads.Emits = true; // the recorded start and trip count are restored (bookkeeping)
        }
        if (!body.Emits) return; // no reversed loop
        reads.Emits = true;
        // The reversed loop runs between the recomputed bounds, or those recorded (bookkeeping).
        if (recomputable)
        {
            reads.Read(loop.Start);
            reads.Read(loop.Bound);
        }
        // A body that starts by recomputing its iteration-local values reads what the recomputation reads before
        // writing it; one that starts by restoring them from snapshots reads nothing there (their buffers are named).
        // Either way the body has them back: its reads of them are covered.
        var exposed = new HashSet<string>(System.StringComparer.Ordinal);
        bool restarts = false;
        if (ReverseModeBuilder.SavesInsteadOfRecomputing(_context, _facts, loop, out var saved))
        {
            restarts = true;
            if (_context.EnclosingLoops[id].All(l => l.Equals(_facts.FusedLoop)) && _context.InPlaceArrays.TryGetValue(id, out var arrays))
                foreach (var local in Enumerable.Reverse(saved).Where(l => arrays.Contains(l.Name)))
                    reads.Names.Add(new NameRequest(NamePurpose.Snapshots, id, Local: local.Name));
        }
        else if (_facts.Recomputation.TryGetValue(id, out var ids) && ids.Count > 0)
        {
            restarts = true;
            ExposedReads.Of(_context.Primal.Method, _facts.Changing, new Block(ids.Select(x => _context.Ids[x]).ToEquatableArray()),
                new HashSet<string>(System.StringComparer.Ordinal) { loop.Counter }, exposed);
            reads.Contents.UnionWith(exposed);
            reads.WithLengths.UnionWith(exposed);
        }
        var uncovered = new HashSet<string>(body.Uncovered, System.StringComparer.Ordinal);
        uncovered.UnionWith(exposed);
        if (restarts && _facts.RecomputedIn.TryGetValue(id, out var covered)) uncovered.ExceptWith(covered);
        reads.Contents.UnionWith(body.Contents);
        reads.WithLengths.UnionWith(body.WithLengths);
        reads.Uncovered.UnionWith(uncovered);
    }

    /// <summary>
    /// What a piece of the reverse sweep reads, counted two ways: <see cref="Contents"/> (variables and array contents)
    /// and <see cref="WithLengths"/> (also arrays whose length it reads); of the contents, those no reversed loop around
    /// the read gets back first (<see cref="Uncovered"/>); whether the sweep has any statement for it; and the names it gives.
    /// </summary>
    internal sealed class Reads
    {
        public HashSet<string> Contents { get; } = new(System.StringComparer.Ordinal);
        public HashSet<string> WithLengths { get; } = new(System.StringComparer.Ordinal);
        /// <summary>
        /// The contents read where no reversed loop around the read has first recomputed (or restored from snapshots)
        /// its iteration-local values (<see cref="SweepFacts.RecomputedIn"/>); a recomputation counts with what it reads
        /// before writing. Recomputed locals among them are read where nothing recomputes them (Recompute.cs, condition (4)).
        /// </summary>
        public HashSet<string> Uncovered { get; } = new(System.StringComparer.Ordinal);
        /// <summary>Whether the reverse sweep has a statement for this piece (a branch or loop with nothing to reverse has none).</summary>
        public bool Emits { get; set; }

        public void Read(Expr e)
        {
            ExprWalker.CollectReads(e, WithLengths, WithLengths);
            ExposedReads.Contents(e, Contents);
            ExposedReads.Contents(e, Uncovered);
            Emits = true;
        }

        public void ReadName(string name) => ReadNames(new[] { name });

        public void ReadNames(IEnumerable<string> names)
        {
            foreach (var name in names)
            {
                Contents.Add(name);
                WithLengths.Add(name);
                Uncovered.Add(name);
            }
            Emits = true;
        }

        /// <summary>The names the sweep gives for this piece, in the order it asks for them (some perhaps more than once).</summary>
        public List<NameRequest> Names { get; } = new();

        public void Add(Reads other)
        {
            AddReads(other);
            Names.AddRange(other.Names);
        }

        public void AddReads(Reads other)
        {
            Contents.UnionWith(other.Contents);
            WithLengths.UnionWith(other.WithLengths);
            Uncovered.UnionWith(other.Uncovered);
            Emits |= other.Emits;
        }

        public Reads Primal(HashSet<string> primal)
        {
            var result = new Reads { Emits = Emits };
            result.Names.AddRange(Names);
            result.Contents.UnionWith(Contents.Where(primal.Contains));
            result.WithLengths.UnionWith(WithLengths.Where(primal.Contains));
            result.Uncovered.UnionWith(Uncovered.Where(primal.Contains));
            return result;
        }
    }
}
