using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Differentiator.Generator.Optimization;

namespace Differentiator.Generator.Differentiation;

internal sealed partial class ReverseModeBuilder
{
    // ----- forward sweep -----

    internal Block ForwardBlock(Block block, bool inLoop)
    {
        var output = new List<Stmt>();
        foreach (var s in block.Statements) ForwardStatement(s, inLoop, output);
        return new Block(output.ToEquatableArray());
    }

    private void ForwardStatement(Stmt s, bool inLoop, List<Stmt> output)
    {
        switch (s)
        {
            case CallAssign { WritesArray: true } whole:
                // The call overwrites every element: where the plan restores the array, it is saved as one block.
                if (MustSave(whole)) output.Add(new PushArray(whole.Target));
                output.Add(whole);
                break;
            case Assign or CallAssign:
            {
                string target = StatementWalker.Target(s)!;
                if (MustSave(s)) output.Add(SlotFor(s) is { } slot ? new Push(new VarRef(target, TypeOf(target))) { Slot = slot } : SaveVariable(target));
                // Interned as written, so a value the reverse sweep needs again (Math.Exp(z)) can be named once for both.
                output.Add(s is Assign a ? a with { Value = _f.InternAsIs(a.Value) } : s);
                break;
            }
            case AssignElement write:
            {
                var element = new ElementRef(write.Array, write.Indices);
                if (_facts.Restore.Contains(write.Array)) output.Add(Save(element));
                output.Add(write with { Value = _f.InternAsIs(write.Value) });
                break;
            }
            case AllocateArray allocation:
                output.Add(allocation);
                if (_arrayAdjoints.TryGetValue(allocation.Name, out var adjointArray))
                    output.Add(new AllocateAdjointArray(adjointArray, allocation.Name, allocation.OnStack));
                break;
            case If branch when BranchIsRecomputable(branch):
                output.Add(branch with { Then = ForwardBlock(branch.Then, inLoop), Else = ForwardBlock(branch.Else, inLoop) });
                break;
            case If branch:
            {
                string flag = BranchFlag(branch);
                output.Add(new Assign(flag, branch.Condition));
                output.Add(branch with { Condition = new VarRef(flag, ScalarType.Bool), Then = ForwardBlock(branch.Then, inLoop), Else = ForwardBlock(branch.Else, inLoop) });
                if (inLoop) output.Add(Save(new VarRef(flag, ScalarType.Bool)));
                break;
            }
            case For loop when LoopIsRecomputable(loop):
                output.Add(loop with { Body = new Block(SnapshotViews(loop).Concat(ForwardBlock(loop.Body, inLoop: true).Statements).Concat(SnapshotSaves(loop)).ToEquatableArray()) });
                break;
            case For loop:
            {
                var (start, count) = LoopRecord(loop);
                var countVar = new VarRef(count, ScalarType.Int);
                output.Add(new Assign(start, loop.Start));
                output.Add(new Assign(count, new Const(0, ScalarType.Int)));
                var increment = new Assign(count, new Binary(BinaryOp.Add, countVar, new Const(1, ScalarType.Int), ScalarType.Int));
                var body = ForwardBlock(loop.Body, inLoop: true).Statements.Prepend(increment).Concat(SnapshotSaves(loop));
                output.Add(loop with { Start = new VarRef(start, ScalarType.Int), Body = new Block(body.ToEquatableArray()) });
                if (inLoop)
                {
                    output.Add(Save(new VarRef(start, ScalarType.Int)));
                    output.Add(Save(countVar));
                }
                break;
            }
            default:
                throw new System.InvalidOperationException("The forward sweep has no rule for " + s.GetType().Name);
        }
    }

    /// <summary>Whether the forward sweep saves the value the assignment overwrites (and the reverse sweep restores it).</summary>
    private bool MustSave(Stmt assignment)
    {
        return _facts.Saves(IdOf(assignment), StatementWalker.Target(assignment)!);
    }

    private Stmt SaveVariable(string name) => Save(new VarRef(name, TypeOf(name)));

    private static Push Save(Expr value) => new(value);

    private Pop Restore(string name) => new(name, TypeOf(name));

    /// <summary>The restore of the value <paramref name="assignment"/> overwrote, remembered for DeadRestores.</summary>
    private Pop Restore(string name, Stmt assignment)
    {
        var pop = SlotFor(assignment) is { } slot ? Restore(name) with { Slot = slot } : Restore(name);
        _restoreOrigins[pop] = IdOf(assignment);
        return pop;
    }

    private ScalarType TypeOf(string name) => _context.TypeOf(name);

    // ----- reverse sweep -----

    internal Block ReverseBlock(Block block, bool inLoop)
    {
        var output = new List<Stmt>();
        for (int k = block.Statements.Count - 1; k >= 0; k--)
        {
            // Adjacent nested calls at one point: one Hessian-vector product for all (ReverseModeBuilder.Nested.cs).
            var run = NestedCalls.RunTo(block.Statements, k);
            if (run.Count > 1)
            {
                ReverseNestedRun(run, output);
                k -= run.Count - 1;
                continue;
            }
            ReverseStatement(block.Statements[k], inLoop, output);
        }
        return new Block(output.ToEquatableArray());
    }

    private void ReverseStatement(Stmt s, bool inLoop, List<Stmt> output)
    {
        switch (s)
        {
            case Assign assign:
                ReverseAssign(assign, output);
                break;
            case CallAssign { Nested: not null } call:
                ReverseNestedRun(new[] { call }, output);
                break;
            case CallAssign call:
                ReverseCall(call, output);
                break;
            case AssignElement write:
                ReverseElementWrite(write, output);
                break;
            case If branch:
            {
                var then = ReverseBlock(branch.Then, inLoop);
                var otherwise = ReverseBlock(branch.Else, inLoop);
                if (BranchIsRecomputable(branch))
                {
                    if (then.Statements.Count + otherwise.Statements.Count > 0)
                        output.Add(new If(_f.Import(branch.Condition), then, otherwise) { Source = branch.Source });
                    break;
                }
                string flag = BranchFlag(branch);
                if (inLoop) output.Add(Restore(flag));
                if (then.Statements.Count + otherwise.Statements.Count > 0)
                    output.Add(new If(new VarRef(flag, ScalarType.Bool), then, otherwise) { Source = branch.Source });
                break;
            }
            case For loop:
                ReverseLoop(loop, inLoop, output);
                break;
            case AllocateArray:
                break; // its adjoint array is allocated (zeroed) by the forward sweep, and given back at the end
            default:
                throw new System.InvalidOperationException("The reverse sweep has no rule for " + s.GetType().Name);
        }
    }

    private void ReverseAssign(Assign assign, List<Stmt> output)
    {
        var group = new List<Stmt>();
        bool reusesTarget = ReusesOwnResult(assign);
        if (MustSave(assign) && !reusesTarget) group.Add(Restore(assign.Target, assign));
        if (assign.Value.Type == ScalarType.Double && _adjointNames.TryGetValue(assign.Target, out var adjointName) && _activity.IsActive(assign.Target))
        {
            var value = _f.Import(assign.Value);
            var target = _f.Var(assign.Target);
            var adjoint = _f.Var(adjointName);
            var contributions = _adjoint.Contributions(value, adjoint);
            if (reusesTarget) contributions = _adjoint.WrittenWith(contributions, value, target);
            var self = contributions.FirstOrDefault(c => ReferenceEquals(c.Key, target));
            if (self.Key is null)
            {
                EmitContributions(contributions, group);
                group.Add(new Assign(adjointName, ExprFactory.Zero));
            }
            else if (ReferenceEquals(self.Value, adjoint))
            {
                // x = x + e: x's adjoint passes through unchanged; only e's operands gain.
                EmitContributions(contributions.Where(c => !ReferenceEquals(c.Key, target)), group);
            }
            else
            {
                // x = f(x, …): the new x's adjoint is needed after x's own is replaced, so copy it first.
                string copy = NextAdjoint(assign);
                var copied = _f.Var(copy);
                contributions = _adjoint.Contributions(value, copied);
                group.Add(new Let(copy, adjoint));
                group.Add(new Assign(adjointName, contributions.First(c => ReferenceEquals(c.Key, target)).Value));
                EmitContributions(contributions.Where(c => !ReferenceEquals(c.Key, target)), group);
            }
        }
        if (MustSave(assign) && reusesTarget) group.Add(Restore(assign.Target, assign));
        AddGroup(assign, group, output);
    }

    /// <summary>
    /// <c>x = Math.Exp(u)</c> (or tanh, sqrt, cbrt; u not reading x): its derivative is written with x, which still holds
    /// the call's value until x is restored, instead of with a second call. Not for the result, which the gradient
    /// returns after the reverse sweep: read there, it would be saved, and restored to its value before the assignment.
    /// </summary>
    private bool ReusesOwnResult(Assign assign) => CallResultLocals.NamesItsResult(assign.Value, assign.Target) && assign.Target != _primal.Result;

    /// <summary>
    /// <c>t[k] = e</c> backwards: restore the element's old value (e may read it), take the element's adjoint and
    /// zero it (the old value did not flow into the new one except through e), then pass the adjoint to e's operands.
    /// Zeroing before adding keeps this right when e reads the same element, or one that turns out equal to k.
    /// </summary>
    private void ReverseElementWrite(AssignElement write, List<Stmt> output)
    {
        var group = new List<Stmt>();
        // t[k] = Math.Exp(u), u not reading t: the derivative is written with t[k], restored only afterwards (as ReverseAssign).
        bool reusesElement = !write.Jagged && CallResultLocals.NamesItsResult(write.Value, write.Array);
        if (_facts.Restore.Contains(write.Array) && !reusesElement) group.Add(new PopElement(write.Array, write.Indices));
        if (_arrayAdjoints.TryGetValue(write.Array, out var adjointArray) && _activity.IsActive(write.Array))
        {
            var indices = write.Indices.Select(_f.Import).ToEquatableArray();
            string copy = ElementAdjoint(write);
            group.Add(new Let(copy, _f.Element(adjointArray, indices)));
            var value = _f.Import(write.Value);
            var contributions = write.Value.Type == ScalarType.Double
                ? _adjoint.Contributions(value, _f.Var(copy)).ToList()
                : new List<KeyValuePair<Expr, Expr>>();
            if (reusesElement) contributions = _adjoint.WrittenWith(contributions, value, _f.Element(write.Array, indices));
            // t[k] = f(t[k], …): the element's new adjoint is its own contribution (stored, not zeroed and added to).
            var target = _f.Element(write.Array, indices);
            var self = contributions.FirstOrDefault(c => ReferenceEquals(c.Key, target));
            // t[k] += e passes the adjoint through unchanged: storing it back would be a load and a store for nothing.
            if (self.Key is null) group.Add(new AssignElement(adjointArray, indices, ExprFactory.Zero));
            else if (!ReferenceEquals(self.Value, _f.Var(copy))) group.Add(new AssignElement(adjointArray, indices, self.Value));
            EmitContributions(contributions.Where(c => !ReferenceEquals(c.Key, target)), group);
        }
        if (_facts.Restore.Contains(write.Array) && reusesElement) group.Add(new PopElement(write.Array, write.Indices));
        AddGroup(write, group, output);
    }

    private void ReverseCall(CallAssign call, List<Stmt> output)
    {
        var group = new List<Stmt>();
        if (MustSave(call)) group.Add(Restore(call.Target, call));
        if (_adjointNames.TryGetValue(call.Target, out var adjointName) && _activity.IsActive(call.Target))
        {
            var differentiated = call.Callee.Parameters.Select((p, k) => (p, k)).Where(x => x.p.Differentiated).ToList();
            // Scalar partials are locals; array partials are rented arrays the GradientCall declares itself.
            var outputNames = CallPartials(call);
            var args = call.Arguments.Select(a => a is ArrayRef ? a : _f.Import(a)).ToEquatableArray();
            var outputs = differentiated.Select((x, j) => new GradientCallOutput(outputNames[j], x.p.IsArray ? ((ArrayRef)args[x.k]).Array : null)).ToEquatableArray();
            group.Add(new GradientCall(call.Callee, args, outputs));
            var adjoint = _f.Var(adjointName);
            for (int j = 0; j < differentiated.Count; j++)
            {
                var arg = args[differentiated[j].k];
                if (arg is ArrayRef array)
                {
                    // The callee's gradient for a whole array arrives in a rented buffer: chain it element by element.
                    if (_arrayAdjoints.TryGetValue(array.Array, out var arrayAdjoint) && _activity.IsActive(array.Array))
                    {
                        string k = CallCounter(call, j);
                        var index = EquatableArray.Of<Expr>(new VarRef(k, ScalarType.Int));
                        var term = _f.Multiply(_f.Element(outputNames[j], index), adjoint);
                        var update = new AssignElement(arrayAdjoint, index, _f.Add(_f.Element(arrayAdjoint, index), term));
                        group.Add(new For(k, new Const(0, ScalarType.Int), BinaryOp.Less, new LengthOf(array.Array, -1), 1, new Block(EquatableArray.Of<Stmt>(update)), null));
                    }
                    group.Add(new ReleaseRented(outputNames[j]));
                    continue;
                }
                EmitContributions(_adjoint.Contributions(arg, _f.Multiply(_f.Var(outputNames[j]), adjoint)), group);
            }
            group.Add(new Assign(adjointName, ExprFactory.Zero));
        }
        AddGroup(call, group, output);
    }


    /// <summary>
    /// The source statement quoted, so a reader can find it from the generated code. Not its line: the line changes
    /// with every edit above the method, and the file must not (it would be regenerated on every keystroke).
    /// </summary>
    private static string SourceComment(Stmt source) => source.Source!;

    private static void AddGroup(Stmt source, List<Stmt> group, List<Stmt> output)
    {
        if (group.Count == 0) return;
        if (source.Source is not null && group.Any(g => g is not Pop)) output.Add(new Comment(SourceComment(source)));
        output.AddRange(group);
    }

    private void EmitContributions(IEnumerable<KeyValuePair<Expr, Expr>> contributions, List<Stmt> group)
    {
        foreach (var c in contributions)
        {
            switch (c.Key)
            {
                case VarRef v:
                {
                    string name = _adjointNames[v.Name];
                    group.Add(new Assign(name, _f.Add(_f.Var(name), c.Value)));
                    break;
                }
                case ElementRef el when GuardedGather(el, c.Value) is var (condition, value):
                {
                    // p < 0 ? 0 : t[p]: the index may be a sentinel (-1 for a root) in the branch not taken, so the
                    // adjoint update runs only in the branch that read the element.
                    string array = _arrayAdjoints[el.Array];
                    var update = new AssignElement(array, el.Indices, _f.Add(_f.Element(array, el.Indices, el.Jagged), value), el.Jagged);
                    group.Add(new If(condition, new Block(EquatableArray.Of<Stmt>(update)), Block.Empty));
                    break;
                }
                case ElementRef el:
                {
                    string array = _arrayAdjoints[el.Array];
                    group.Add(new AssignElement(array, el.Indices, _f.Add(_f.Element(array, el.Indices, el.Jagged), c.Value), el.Jagged));
                    break;
                }
            }
        }
    }

    /// <summary>
    /// For a contribution <c>cond ? v : 0</c> (or <c>cond ? 0 : v</c>) to an element whose index the condition tests
    /// (<see cref="Analysis.IndexGuards"/>): the condition under which the element was read, and v. Null when the update
    /// needs no guard.
    /// </summary>
    private (Expr Condition, Expr Value)? GuardedGather(ElementRef element, Expr contribution)
    {
        // Several reads under the same test add up (a + b, each c ? v : 0): the sum is guarded once, by that test.
        (Expr Condition, Expr Value)? found = null;
        foreach (var term in Addends(contribution))
        {
            if (term is not Conditional branch || !Analysis.IndexGuards.Tests(branch.Condition, element)) return null;
            (Expr Condition, Expr Value) guarded;
            if (ExprFactory.IsZero(branch.WhenFalse)) guarded = (branch.Condition, branch.WhenTrue);
            else if (ExprFactory.IsZero(branch.WhenTrue)) guarded = (_f.Not(branch.Condition), branch.WhenFalse);
            else return null;
            if (found is not { } earlier) found = guarded;
            else if (earlier.Condition.Equals(guarded.Condition)) found = (earlier.Condition, _f.Add(earlier.Value, guarded.Value));
            else return null;
        }
        return found;
    }

    private static IEnumerable<Expr> Addends(Expr e) =>
        e is Binary { Op: BinaryOp.Add } sum ? Addends(sum.Left).Concat(Addends(sum.Right)) : new[] { e };

    // ----- decisions shared by both sweeps -----

    internal static bool BranchIsRecomputable(If branch)
    {
        var assigned = StatementWalker.AssignedIn(branch.Then);
        assigned.UnionWith(StatementWalker.AssignedIn(branch.Else));
        return !ExprWalker.Reads(branch.Condition).Overlaps(assigned);
    }

    internal static bool LoopIsRecomputable(For loop)
    {
        if (loop.ExitFlag is not null) return false;
        bool consistent = loop.Step > 0 ? loop.Compare is BinaryOp.Less or BinaryOp.LessOrEqual : loop.Compare is BinaryOp.Greater or BinaryOp.GreaterOrEqual;
        if (!consistent) return false;
        var reads = ExprWalker.Reads(loop.Start);
        reads.UnionWith(ExprWalker.Reads(loop.Bound));
        return !reads.Overlaps(StatementWalker.AssignedIn(loop.Body));
    }
}
