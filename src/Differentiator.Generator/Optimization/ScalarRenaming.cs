using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Optimization;

/// <summary>
/// Renames scalar variables throughout a block of gradient IR: every read, every assignment, the destinations of
/// kernels and the loops they quote. Arrays, loop counters and outputs of calls keep their names (callers rename
/// only scalars that are none of these).
/// </summary>
internal static class ScalarRenaming
{
    public static Block Rename(Block block, IReadOnlyDictionary<string, string> names)
    {
        return new Renamer(names).Block(block);
    }

    private sealed class Renamer
    {
        private readonly IReadOnlyDictionary<string, string> _names;
        private readonly System.Func<VarRef, Expr?> _renamed;

        public Renamer(IReadOnlyDictionary<string, string> names)
        {
            _names = names;
            _renamed = v => _names.TryGetValue(v.Name, out var name) ? v with { Name = name } : null;
        }

        public Block Block(Block block) => new(block.Statements.Select(Statement).ToEquatableArray());

        private string Name(string name) => _names.TryGetValue(name, out var renamed) ? renamed : name;

        private Expr E(Expr e) => ExprWalker.Substitute(e, _renamed);

        private EquatableArray<Expr> Many(EquatableArray<Expr> expressions) => ExprWalker.Substitute(expressions, _renamed);

        private ElementRun Run(ElementRun run) => run with { Leading = Many(run.Leading), Start = E(run.Start), Count = E(run.Count) };

        private Stmt Statement(Stmt s) => s switch
        {
            Assign a => a with { Target = Name(a.Target), Value = E(a.Value) },
            Let l => l with { Name = Name(l.Name), Value = E(l.Value) },
            AssignElement ae => ae with { Indices = Many(ae.Indices), Value = E(ae.Value) },
            Push p => p with { Value = E(p.Value) },
            Pop p => p with { Target = Name(p.Target) },
            PopElement p => p with { Indices = Many(p.Indices) },
            CallAssign c => c with { Target = Name(c.Target), Arguments = Many(c.Arguments) },
            GradientCall g => g with { Arguments = Many(g.Arguments) },
            AllocateArray a => a with { Length = E(a.Length) },
            If i => i with { Condition = E(i.Condition), Then = Block(i.Then), Else = Block(i.Else) },
            For f => f with { Start = E(f.Start), Bound = E(f.Bound), Body = Block(f.Body), ExitFlag = f.ExitFlag is null ? null : Name(f.ExitFlag) },
            DotAccumulate d => d with
            {
                Destination = E(d.Destination), Left = Run(d.Left), Right = Run(d.Right),
                LoopStart = E(d.LoopStart), LoopBound = E(d.LoopBound), Original = Statement(d.Original),
            },
            AxpyUpdate x => x with
            {
                Scale = E(x.Scale), Input = Run(x.Input), Destination = Run(x.Destination),
                LoopStart = E(x.LoopStart), LoopBound = E(x.LoopBound), Original = Statement(x.Original),
            },
            _ => s,
        };
    }
}
