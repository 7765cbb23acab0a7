using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Model;
using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Optimization;

/// <summary>The optimization stage: constant adjoints, dead adjoint stores, shared subexpressions named once, dot and axpy loops vectorized, then element sums and reads of the loops left kept in locals.</summary>
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
        var body = new AdjointConstantPropagation(factory, tracked).Run(program.Body, initial);
        var liveAtEnd = scalarOutputs.Append(program.Primal.Result).Concat(program.FinalWrites.Select(f => f.Adjoint));
        body = new DeadAdjointStores(adjointLocals).Run(body, new HashSet<string>(liveAtEnd, System.StringComparer.Ordinal));
        body = CommonSubexpressions.Apply(body, program);
        body = DropOrphanComments(body);
        // Lengths the vectorizer's trip-count tests may read before a loop: spans are never null, and differentiated
        // arrays were checked against their outputs' shapes on entry.
        var nonNull = program.Primal.Method.Parameters
            .Where(p => p.Kind is ParameterKind.DoubleSpan or ParameterKind.ReadOnlyDoubleSpan || (p.Differentiated && p.IsArray))
            .Select(p => p.Name)
            .Concat(program.Outputs.Where(o => o.IsArray).Select(o => o.Name))
            .ToList();
        // Parameters the method never assigns: a test that reads only these may be made once, on entry.
        var assigned = StatementWalker.AssignedIn(body);
        var entryValues = program.Primal.Method.Parameters.Select(p => p.Name).Where(n => !assigned.Contains(n)).ToList();
        // Names in use after the stages above (the temporaries common subexpressions introduced among them).
        var versioned = LoopVectorizer.ApplyVersioned(body, nonNull, (program with { Body = body }).NamesInUse(), entryValues);
        var main = Finish(program, versioned.Body, nonNull);
        if (versioned.ShortRuns is not { } shortRuns) return main;
        var second = Finish(program, shortRuns, nonNull);
        return main with { ShortRuns = new ShortRunsVersion(versioned.ShortRunsTest!, second.Body, second.Locals) };
    }

    /// <summary>Short rows' views taken once, element sums and reads kept in locals, then the locals no statement mentions any more dropped.</summary>
    private static GradientProgram Finish(GradientProgram program, Block body, IReadOnlyCollection<string> nonNull)
    {
        body = RunViews.Apply(body, nonNull);
        // After the vectorizer, so its dot products still see the element sums they turn into one kernel call each.
        body = ScalarReplacement.Apply(body, (program with { Body = body }).NamesInUse());
        var program2 = program with { Body = body };
        var mentioned = Mentioned(program2);
        return program2 with { Locals = program2.Locals.Where(l => mentioned.Contains(l.Name)).ToEquatableArray() };
    }

    /// <summary>
    /// A comment quotes the source statement of the adjoint code below it, a section names the sweep below it: once
    /// that code is optimized away, they go too. Walks backwards, so a run of orphans disappears at once.
    /// </summary>
    private static Block DropOrphanComments(Block block)
    {
        var output = new List<Stmt>();
        bool codeFollows = false;   // real code before the next comment or section
        bool anyCodeFollows = false; // real code anywhere below, for sections
        for (int k = block.Statements.Count - 1; k >= 0; k--)
        {
            var s = block.Statements[k];
            switch (s)
            {
                case Comment when !codeFollows:
                case Section when !anyCodeFollows:
                    continue;
                case Comment:
                case Section:
                    codeFollows = false;
                    output.Add(s);
                    continue;
                case var compound when IrWalker.IsCompound(compound):
                {
                    var rebuilt = IrRewriter.MapBlocks(compound, DropOrphanComments);
                    // Left empty, it goes: conditions and loop bounds have no side effects.
                    if (IrWalker.Blocks(rebuilt).All(b => b.Statements.Count == 0)) continue;
                    output.Add(rebuilt);
                    break;
                }
                default:
                    output.Add(s);
                    break;
            }
            // A restore alone does not make its comment worth keeping: it is bookkeeping.
            if (s is not Pop)
            {
                codeFollows = true;
                anyCodeFollows = true;
            }
        }
        output.Reverse();
        return new Block(output.ToEquatableArray());
    }

    /// <summary>Every name the program assigns, reads, tests or receives (one pass; asking per local was quadratic).</summary>
    private static HashSet<string> Mentioned(GradientProgram program)
    {
        var names = new HashSet<string>(program.FinalWrites.Select(f => f.Adjoint), System.StringComparer.Ordinal) { program.Primal.Result };
        foreach (var s in IrWalker.Flatten(program.Body)) StatementWalker.CollectMentions(s, names);
        return names;
    }
}
