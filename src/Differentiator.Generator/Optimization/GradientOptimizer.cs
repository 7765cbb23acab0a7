using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Model;
using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Optimization;

/// <summary>The optimization stage: constant adjoints, dead adjoint stores, then shared subexpressions named once.</summary>
internal static class GradientOptimizer
{
    public static GradientProgram Optimize(GradientProgram program)
    {
        var factory = new ExprFactory();
        var primalNames = new HashSet<string>(program.Primal.Method.Locals.Select(l => l.Name).Concat(program.Primal.Method.Parameters.Select(p => p.Name)), System.StringComparer.Ordinal);
        var adjointLocals = new HashSet<string>(program.Locals.Where(l => l.Type == ScalarType.Double && !primalNames.Contains(l.Name)).Select(l => l.Name), System.StringComparer.Ordinal);
        var scalarOutputs = program.Outputs.Where(o => !o.IsArray).Select(o => o.Name).ToList();

        var tracked = new HashSet<string>(adjointLocals.Concat(scalarOutputs), System.StringComparer.Ordinal);
        var initial = adjointLocals.ToDictionary(n => n, _ => 0.0);
        var reverse = new AdjointConstantPropagation(factory, tracked).Run(program.Reverse, initial);
        reverse = new DeadAdjointStores(adjointLocals).Run(reverse, new HashSet<string>(scalarOutputs.Append(program.Primal.Result), System.StringComparer.Ordinal));
        reverse = CommonSubexpressions.Apply(reverse, program);
        reverse = DropOrphanComments(reverse);
        var program2 = program with { Reverse = reverse };
        return program2 with { Locals = program2.Locals.Where(l => IsMentioned(program2, l.Name)).ToEquatableArray() };
    }

    /// <summary>A comment quotes the source statement of the adjoint code below it; once that code is optimized away, so is the comment.</summary>
    private static Block DropOrphanComments(Block block)
    {
        var output = new List<Stmt>();
        for (int k = 0; k < block.Statements.Count; k++)
        {
            var s = block.Statements[k];
            bool orphan = s is Comment && (k + 1 == block.Statements.Count || block.Statements[k + 1] is Comment or Pop && (k + 2 == block.Statements.Count || block.Statements[k + 2] is Comment));
            if (orphan) continue;
            output.Add(s switch
            {
                If i => i with { Then = DropOrphanComments(i.Then), Else = DropOrphanComments(i.Else) },
                For f => f with { Body = DropOrphanComments(f.Body) },
                _ => s,
            });
        }
        return new Block(output.ToEquatableArray());
    }

    private static bool IsMentioned(GradientProgram program, string name)
    {
        foreach (var s in StatementWalker.Flatten(program.Forward).Concat(StatementWalker.Flatten(program.Reverse)))
        {
            if (StatementWalker.Target(s) == name) return true;
            if (s is For f && f.ExitFlag == name) return true;
            if (s is GradientCall g && g.Outputs.Any(o => o.Name == name)) return true;
            if (ReverseModeBuilder.StatementExpressions(s).Any(e => ExprWalker.Reads(e).Contains(name))) return true;
        }
        return name == program.Primal.Result;
    }
}
