using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Differentiation.Forward;

/// <summary>
/// Removes the assignments to scalar locals that nothing reads. In <c>MHessianVectorProduct</c> the forward sweep still
/// computes the tangent of M's result (<c>dsum += …</c>), which only its adjoint needs, never its value: reverse mode
/// keeps every primal statement, since in a gradient every one of them is either read or returned. Here the tangent
/// result is the program's result but not what the member returns, so those sums are dead. A local counts as read
/// when any statement but its own assignments reads it (a save of it, <c>Push</c>, is a read); removing one assignment
/// can leave another dead, so the pass repeats until nothing changes. Exact: no computed value that is used changes.
/// </summary>
internal static class UnreadValues
{
    public static GradientProgram Remove(GradientProgram program, IEnumerable<string> kept)
    {
        var keep = new HashSet<string>(kept, System.StringComparer.Ordinal);
        keep.UnionWith(program.Outputs.Select(o => o.Name));
        keep.UnionWith(program.FinalWrites.Select(f => f.Adjoint));
        var candidates = new HashSet<string>(program.Locals.Where(l => !l.IsArray && l.Type == ScalarType.Double).Select(l => l.Name).Where(n => !keep.Contains(n)), System.StringComparer.Ordinal);
        var body = Remove(program.Body, candidates);
        var shortRuns = program.ShortRuns is { } version ? version with { Body = Remove(version.Body, candidates) } : null;
        var mentioned = new HashSet<string>(keep, System.StringComparer.Ordinal);
        foreach (var s in IrWalker.Flatten(body).Concat(shortRuns is null ? Enumerable.Empty<Stmt>() : IrWalker.Flatten(shortRuns.Body))) StatementWalker.CollectMentions(s, mentioned);
        return program with
        {
            Body = body,
            ShortRuns = shortRuns is null ? null : shortRuns with { Locals = shortRuns.Locals.Where(l => mentioned.Contains(l.Name)).ToEquatableArray() },
            Locals = program.Locals.Where(l => mentioned.Contains(l.Name)).ToEquatableArray(),
        };
    }

    private static Block Remove(Block body, HashSet<string> candidates)
    {
        while (true)
        {
            var read = new HashSet<string>(System.StringComparer.Ordinal);
            foreach (var s in IrWalker.Flatten(body))
            {
                var own = s switch { Assign a => a.Target, Let l => l.Name, _ => null };
                foreach (var e in IrWalker.Expressions(s))
                    foreach (var name in ExprWalker.Reads(e))
                        if (name != own) read.Add(name);
                if (s is Pop p) read.Add(p.Target); // a restored value is kept: its save and restore pair up
            }
            var dead = new HashSet<string>(candidates.Where(c => !read.Contains(c)), System.StringComparer.Ordinal);
            bool removed = false;
            var rebuilt = IrRewriter.Rewrite(body, s =>
            {
                if (s is Assign a && dead.Contains(a.Target) || s is Let l && !read.Contains(l.Name))
                {
                    removed = true;
                    return System.Array.Empty<Stmt>();
                }
                return null;
            });
            if (!removed) return body;
            body = rebuilt;
        }
    }
}
