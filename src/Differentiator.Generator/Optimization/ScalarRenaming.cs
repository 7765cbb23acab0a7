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
        Expr Renamed(Expr e) => IrRewriter.TopDown(e, x => x is VarRef v && names.TryGetValue(v.Name, out var name) ? v with { Name = name } : null);
        bool Renames(string name) => names.ContainsKey(name);
        string Name(string name) => names[name];

        // Expressions through the rewriter (every kind of statement); the targets, which are names, here.
        Stmt Statement(Stmt s) => IrRewriter.MapExpressions(s, Renamed) switch
        {
            Assign a when Renames(a.Target) => a with { Target = Name(a.Target) },
            Let l when Renames(l.Name) => l with { Name = Name(l.Name) },
            Pop p when Renames(p.Target) => p with { Target = Name(p.Target) },
            CallAssign c when Renames(c.Target) => c with { Target = Name(c.Target) },
            For { ExitFlag: { } flag } f when Renames(flag) => f with { ExitFlag = Name(flag) },
            // The loop a kernel quotes, renamed as it would be had it stayed a loop.
            VectorKernel k => k with { Original = Single(Rename(new Block(EquatableArray.Of(k.Original)), names)) },
            var other => other,
        };
        return IrRewriter.Rewrite(block, s => new[] { Statement(s) });
    }

    private static Stmt Single(Block block) => block.Statements.Count == 1 ? block.Statements[0] : throw new System.InvalidOperationException("A renamed statement became " + block.Statements.Count);
}
