using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Differentiation;
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
        return program with { Reverse = reverse };
    }
}
