using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Lowering;

/// <summary>
/// Rewrites every <c>return e;</c> into an assignment to a result local, so the body has a single exit and the
/// reverse sweep can start from one place. Early returns set a flag that guards the rest of the block and ends
/// the enclosing loops; a method with one final return needs no flag.
/// </summary>
internal static class ReturnLowering
{
    private enum Exit { Never, Maybe, Always }

    public static LoweredMethod Lower(MethodIr method)
    {
        var names = new NameAllocator(method.Parameters.Select(p => p.Name).Concat(method.Locals.Select(l => l.Name)).Concat(CounterNames(method.Body)));
        string result = names.Allocate("result");
        var locals = method.Locals.ToList();
        locals.Add(new LocalVariable(result, ScalarType.Double));

        var statements = method.Body.Statements;
        int returnCount = CountReturns(method.Body);
        if (returnCount == 1 && statements.Count > 0 && statements[statements.Count - 1] is Return finalReturn)
        {
            var simple = statements.Take(statements.Count - 1).Append(AssignResult(result, finalReturn)).ToEquatableArray();
            return new LoweredMethod(method with { Locals = locals.ToEquatableArray(), Body = new Block(simple) }, result, null);
        }

        string flag = names.Allocate("returned");
        locals.Add(new LocalVariable(flag, ScalarType.Bool));
        var lowering = new Rewriter(result, flag);
        var body = lowering.LowerBlock(statements, out _);
        var withInit = new Stmt[] { new Assign(flag, new Const(0, ScalarType.Bool)) }.Concat(body.Statements).ToEquatableArray();
        return new LoweredMethod(method with { Locals = locals.ToEquatableArray(), Body = new Block(withInit) }, result, flag);
    }

    private static Assign AssignResult(string result, Return ret) =>
        new(result, ret.Value) { Location = ret.Location, Source = ret.Source };

    private static int CountReturns(Block block) => block.Statements.Sum(s => s switch
    {
        Return => 1,
        If i => CountReturns(i.Then) + CountReturns(i.Else),
        For f => CountReturns(f.Body),
        _ => 0,
    });

    private static IEnumerable<string> CounterNames(Block block) => block.Statements.SelectMany(s => s switch
    {
        If i => CounterNames(i.Then).Concat(CounterNames(i.Else)),
        For f => new[] { f.Counter }.Concat(CounterNames(f.Body)),
        _ => Enumerable.Empty<string>(),
    });

    private sealed class Rewriter
    {
        private readonly string _result;
        private readonly string _flag;

        public Rewriter(string result, string flag)
        {
            _result = result;
            _flag = flag;
        }

        public Block LowerBlock(EquatableArray<Stmt> statements, out Exit exit) => LowerFrom(statements, 0, out exit);

        private Block LowerFrom(EquatableArray<Stmt> statements, int start, out Exit exit)
        {
            var output = new List<Stmt>();
            exit = Exit.Never;
            for (int k = start; k < statements.Count; k++)
            {
                var lowered = LowerStatement(statements[k], out var statementExit);
                output.AddRange(lowered);
                if (statementExit == Exit.Always)
                {
                    exit = Exit.Always;
                    break; // the rest of the block is unreachable
                }
                if (statementExit == Exit.Maybe)
                {
                    // Whatever follows runs only if nothing returned: guard it once rather than re-testing per statement.
                    var rest = LowerFrom(statements, k + 1, out var restExit);
                    if (rest.Statements.Count > 0)
                    {
                        var notReturned = new Unary(UnaryOp.Not, new VarRef(_flag, ScalarType.Bool), ScalarType.Bool);
                        output.Add(new If(notReturned, rest, Block.Empty));
                    }
                    exit = restExit == Exit.Always ? Exit.Always : Exit.Maybe;
                    // "Always" after a guard still only holds on the path where the guard ran, but the guard's
                    // other path returned already, so the block as a whole always returns.
                    break;
                }
            }
            return new Block(output.ToEquatableArray());
        }

        private IEnumerable<Stmt> LowerStatement(Stmt statement, out Exit exit)
        {
            switch (statement)
            {
                case Return ret:
                    exit = Exit.Always;
                    return new Stmt[]
                    {
                        AssignResult(_result, ret),
                        new Assign(_flag, new Const(1, ScalarType.Bool)) { Location = ret.Location },
                    };
                case If branch:
                {
                    var then = LowerBlock(branch.Then.Statements, out var thenExit);
                    var otherwise = LowerBlock(branch.Else.Statements, out var elseExit);
                    exit = thenExit == Exit.Always && elseExit == Exit.Always ? Exit.Always
                        : thenExit == Exit.Never && elseExit == Exit.Never ? Exit.Never
                        : Exit.Maybe;
                    return new Stmt[] { branch with { Then = then, Else = otherwise } };
                }
                case For loop:
                {
                    var body = LowerBlock(loop.Body.Statements, out var bodyExit);
                    exit = bodyExit == Exit.Never ? Exit.Never : Exit.Maybe; // the loop may run zero times
                    return new Stmt[] { loop with { Body = body, ExitFlag = bodyExit == Exit.Never ? loop.ExitFlag : _flag } };
                }
                default:
                    exit = Exit.Never;
                    return new[] { statement };
            }
        }
    }
}

/// <summary>A single-exit method: <see cref="Result"/> holds the return value; <see cref="ReturnedFlag"/> is set when early returns exist.</summary>
internal sealed record LoweredMethod(MethodIr Method, string Result, string? ReturnedFlag);
