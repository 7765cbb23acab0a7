using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Lowering;

/// <summary>
/// Gives the body one exit and one kind of loop, so the reverse sweep has a single place to start and one loop
/// shape to replay. Every <c>return e;</c> becomes an assignment to a result local; <c>while</c> and <c>do</c>
/// become counted loops that break when their condition fails; <c>break</c>, <c>continue</c> and early returns
/// become Bool flags: setting one guards the rest of the block (<c>if (!flag) { … }</c>), and a loop that can be
/// left early tests its flag in its header, which makes the reverse sweep record its trip count. A method with one
/// final return and no jumps is returned unchanged but for that assignment.
/// </summary>
internal static class ControlFlowLowering
{
    private enum Exit { Never, Maybe, Always }

    public static LoweredMethod Lower(MethodIr method)
    {
        var names = new NameAllocator(method.Parameters.Select(p => p.Name).Concat(method.Locals.Select(l => l.Name)).Concat(CounterNames(method.Body)));
        string result = names.Allocate("result");
        var locals = method.Locals.ToList();
        locals.Add(new LocalVariable(result, ScalarType.Double));

        var statements = method.Body.Statements;
        bool finalReturnOnly = CountReturns(method.Body) == 1 && statements.Count > 0 && statements[statements.Count - 1] is Return;
        if (finalReturnOnly && !HasLoopJumps(method.Body))
        {
            var simple = statements.Take(statements.Count - 1).Append(AssignResult(result, (Return)statements[statements.Count - 1])).ToEquatableArray();
            return new LoweredMethod(method with { Locals = locals.ToEquatableArray(), Body = new Block(simple) }, result, null);
        }

        // A vector-valued method that never returns needs no flag: it just runs to its end. (A method that returns a
        // value and has no return is being typed; it keeps the flag it always had, so its generated text stays the same.)
        if (method.Output is not null && CountReturns(method.Body) == 0 && !HasLoopJumps(method.Body))
            return new LoweredMethod(method with { Locals = locals.ToEquatableArray() }, result, null);

        string? returned = finalReturnOnly ? null : names.Allocate("returned");
        if (returned is not null) locals.Add(new LocalVariable(returned, ScalarType.Bool));
        var lowering = new Rewriter(result, returned, names, locals);
        var body = lowering.LowerFrom(statements, 0, out _, out _);
        var withInit = returned is null ? body.Statements
            : new Stmt[] { SetFlag(returned, false) }.Concat(body.Statements).ToEquatableArray();
        return new LoweredMethod(method with { Locals = locals.ToEquatableArray(), Body = new Block(withInit) }, result, returned);
    }

    private static Assign AssignResult(string result, Return ret) =>
        new(result, ret.Value) { Location = ret.Location, Source = ret.Source };

    private static Assign SetFlag(string flag, bool value) => new(flag, new Const(value ? 1 : 0, ScalarType.Bool));

    private static Expr Not(Expr e) => new Unary(UnaryOp.Not, e, ScalarType.Bool);

    private static int CountReturns(Block block) => IrWalker.Flatten(block).Count(s => s is Return);

    private static bool HasLoopJumps(Block block) => IrWalker.Flatten(block).Any(s => s is While or DoWhile or Break or Continue);

    /// <summary>Whether the block holds a <typeparamref name="TJump"/> of its own loop (not of a loop nested in it).</summary>
    private static bool HasOwnJump<TJump>(Block block) where TJump : Stmt => IrWalker.Walk(block).Any(site => site.Statement is TJump && site.LoopDepth == 0);

    private static IEnumerable<string> CounterNames(Block block) => IrWalker.Flatten(block).OfType<For>().Select(f => f.Counter);

    /// <summary>The flags of one loop being lowered: set by its own <c>break</c>/<c>continue</c> (and, for Break, by returns inside it).</summary>
    private sealed class LoopFrame
    {
        public string? Break;
        public string? Continue;
    }

    private sealed class Rewriter
    {
        private readonly string _result;
        private readonly string? _returned;
        private readonly NameAllocator _names;
        private readonly List<LocalVariable> _locals;
        private readonly List<LoopFrame> _loops = new();

        public Rewriter(string result, string? returned, NameAllocator names, List<LocalVariable> locals)
        {
            _result = result;
            _returned = returned;
            _names = names;
            _locals = locals;
        }

        /// <param name="raised">The flags the block may leave set, which the code after it must test.</param>
        public Block LowerFrom(EquatableArray<Stmt> statements, int start, out Exit exit, out List<string> raised)
        {
            var output = new List<Stmt>();
            exit = Exit.Never;
            raised = new List<string>();
            for (int k = start; k < statements.Count; k++)
            {
                output.AddRange(LowerStatement(statements[k], out var statementExit, out var statementRaised));
                Union(raised, statementRaised);
                if (statementExit == Exit.Always)
                {
                    exit = Exit.Always;
                    break; // the rest of the block is unreachable
                }
                if (statementExit == Exit.Maybe)
                {
                    // Whatever follows runs only if no flag was set: guard it once rather than re-testing per statement.
                    var rest = LowerFrom(statements, k + 1, out var restExit, out var restRaised);
                    if (rest.Statements.Count > 0)
                    {
                        Expr anySet = statementRaised.Select(f => (Expr)new VarRef(f, ScalarType.Bool))
                            .Aggregate((a, b) => new Binary(BinaryOp.Or, a, b, ScalarType.Bool));
                        output.Add(new If(Not(anySet), rest, Block.Empty));
                    }
                    Union(raised, restRaised);
                    // "Always" after a guard holds on the path where the guard ran; on its other path a flag was set
                    // already, so the block as a whole always leaves.
                    exit = restExit == Exit.Always ? Exit.Always : Exit.Maybe;
                    break;
                }
            }
            return new Block(output.ToEquatableArray());
        }

        private static void Union(List<string> into, List<string> from)
        {
            foreach (var f in from)
            {
                if (!into.Contains(f)) into.Add(f);
            }
        }

        private IEnumerable<Stmt> LowerStatement(Stmt statement, out Exit exit, out List<string> raised)
        {
            raised = new List<string>();
            switch (statement)
            {
                case Return ret:
                {
                    exit = Exit.Always;
                    if (_returned is null) return new Stmt[] { AssignResult(_result, ret) }; // the method's one final return
                    raised.Add(_returned);
                    // A return also leaves every enclosing loop; loops with break flags test those, so set them too.
                    var flags = new[] { _returned }.Concat(_loops.Select(l => l.Break).OfType<string>());
                    return new Stmt[] { AssignResult(_result, ret) }.Concat(flags.Select(f => SetFlag(f, true) with { Location = ret.Location }));
                }
                case Break:
                {
                    string flag = _loops[_loops.Count - 1].Break!;
                    exit = Exit.Always;
                    raised.Add(flag);
                    return new Stmt[] { SetFlag(flag, true) with { Location = statement.Location, Source = statement.Source } };
                }
                case Continue:
                {
                    string flag = _loops[_loops.Count - 1].Continue!;
                    exit = Exit.Always;
                    raised.Add(flag);
                    return new Stmt[] { SetFlag(flag, true) with { Location = statement.Location, Source = statement.Source } };
                }
                case If branch:
                {
                    var then = LowerFrom(branch.Then.Statements, 0, out var thenExit, out var thenRaised);
                    var otherwise = LowerFrom(branch.Else.Statements, 0, out var elseExit, out var elseRaised);
                    exit = thenExit == Exit.Always && elseExit == Exit.Always ? Exit.Always
                        : thenExit == Exit.Never && elseExit == Exit.Never ? Exit.Never
                        : Exit.Maybe;
                    Union(raised, thenRaised);
                    Union(raised, elseRaised);
                    return new Stmt[] { branch with { Then = then, Else = otherwise } };
                }
                case For loop:
                    return LowerLoop(loop, null, out exit, out raised);
                case While loop:
                {
                    // while (c) B  ≡  for (;;) { if (!c) break; B }, counted so the reverse sweep can replay it.
                    var test = new If(Not(loop.Condition), new Block(EquatableArray.Of<Stmt>(new Break())), Block.Empty) { Location = loop.Location, Source = loop.Source };
                    var body = new Block(new Stmt[] { test }.Concat(loop.Body.Statements).ToEquatableArray());
                    return LowerLoop(Forever(loop, body), null, out exit, out raised);
                }
                case DoWhile loop:
                    return LowerLoop(Forever(loop, loop.Body), loop.Condition, out exit, out raised);
                case var compound when IrWalker.IsCompound(compound):
                    throw new System.InvalidOperationException("Lowering has no rule for " + compound.GetType().Name + ".");
                default:
                    exit = Exit.Never;
                    return new[] { statement };
            }
        }

        private For Forever(Stmt loop, Block body) =>
            new(_names.Allocate("iteration"), new Const(0, ScalarType.Int), BinaryOp.Less, new Const(int.MaxValue, ScalarType.Int), 1, body, null)
            { Location = loop.Location, Source = loop.Source };

        /// <param name="repeatWhile">A do-while's condition, tested after the body (and after any continue).</param>
        private IEnumerable<Stmt> LowerLoop(For loop, Expr? repeatWhile, out Exit exit, out List<string> raised)
        {
            var frame = new LoopFrame();
            if (repeatWhile is not null || HasOwnJump<Break>(loop.Body)) frame.Break = NewFlag("broke");
            if (HasOwnJump<Continue>(loop.Body)) frame.Continue = NewFlag("continued");
            _loops.Add(frame);
            var body = LowerFrom(loop.Body.Statements, 0, out _, out var bodyRaised);
            _loops.RemoveAt(_loops.Count - 1);

            var statements = new List<Stmt>();
            if (frame.Continue is not null) statements.Add(SetFlag(frame.Continue, false));
            statements.AddRange(body.Statements);
            if (repeatWhile is not null)
            {
                // A continue skips to this test, a break or return skips it.
                var stop = new If(Not(repeatWhile), new Block(EquatableArray.Of<Stmt>(SetFlag(frame.Break!, true))), Block.Empty) { Location = loop.Location, Source = loop.Source };
                statements.Add(new If(Not(new VarRef(frame.Break!, ScalarType.Bool)), new Block(EquatableArray.Of<Stmt>(stop)), Block.Empty));
            }

            raised = bodyRaised.Where(f => f != frame.Break && f != frame.Continue).ToList();
            exit = raised.Count > 0 ? Exit.Maybe : Exit.Never; // the loop may run zero times: never Always
            string? exitFlag = frame.Break ?? (raised.Count > 0 ? _returned : loop.ExitFlag);
            var lowered = loop with { Body = new Block(statements.ToEquatableArray()), ExitFlag = exitFlag };
            return frame.Break is null ? new Stmt[] { lowered } : new Stmt[] { SetFlag(frame.Break, false) with { Location = loop.Location }, lowered };
        }

        private string NewFlag(string name)
        {
            string flag = _names.Allocate(name);
            _locals.Add(new LocalVariable(flag, ScalarType.Bool));
            return flag;
        }
    }
}

/// <summary>A single-exit method: <see cref="Result"/> holds the return value; <see cref="ReturnedFlag"/> is set when early returns exist.</summary>
internal sealed record LoweredMethod(MethodIr Method, string Result, string? ReturnedFlag);
