using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Optimization;

/// <summary>
/// Removes stores to adjoints (and temporaries) that nothing reads afterwards — typically the resets
/// <c>_d_r = 0</c> that constant propagation made unnecessary — and control flow left empty. Liveness runs
/// backwards, with loops iterated to a fixed point. Only side-effect-free stores are ever removed.
/// </summary>
internal sealed class DeadAdjointStores
{
    private readonly HashSet<string> _removable;

    public DeadAdjointStores(HashSet<string> removable) => _removable = removable;

    public Block Run(Block block, HashSet<string> liveAtEnd) => Process(block, new HashSet<string>(liveAtEnd, System.StringComparer.Ordinal), rewrite: true);

    private Block Process(Block block, HashSet<string> live, bool rewrite)
    {
        var output = new List<Stmt>();
        for (int k = block.Statements.Count - 1; k >= 0; k--)
        {
            var kept = Process(block.Statements[k], live, rewrite);
            if (kept is not null) output.Add(kept);
        }
        output.Reverse();
        return new Block(output.ToEquatableArray());
    }

    private Stmt? Process(Stmt s, HashSet<string> live, bool rewrite)
    {
        switch (s)
        {
            case Assign a when _removable.Contains(a.Target) && !live.Contains(a.Target):
                return null;
            case Let l when !live.Contains(l.Name):
                return null;
            case If i:
            {
                var thenLive = new HashSet<string>(live, System.StringComparer.Ordinal);
                var elseLive = new HashSet<string>(live, System.StringComparer.Ordinal);
                var then = Process(i.Then, thenLive, rewrite);
                var otherwise = Process(i.Else, elseLive, rewrite);
                live.UnionWith(thenLive);
                live.UnionWith(elseLive);
                ExprWalker.CollectReads(i.Condition, live);
                if (then.Statements.Count == 0 && otherwise.Statements.Count == 0) return null;
                return i with { Then = then, Else = otherwise };
            }
            case For loop when !rewrite:
            {
                // While probing an enclosing loop, a nested loop is summarized conservatively (everything it reads
                // is live before it); iterating nested fixed points instead would cost 2^depth.
                foreach (var e in IrWalker.Expressions(loop).Concat(IrWalker.Flatten(loop.Body).SelectMany(IrWalker.Expressions))) ExprWalker.CollectReads(e, live);
                return loop;
            }
            case For loop:
            {
                // Live at the body's end: what is live after the loop plus what the body's start needs next time.
                var bodyEnd = new HashSet<string>(live, System.StringComparer.Ordinal);
                while (true)
                {
                    var start = new HashSet<string>(bodyEnd, System.StringComparer.Ordinal);
                    Process(loop.Body, start, rewrite: false);
                    start.UnionWith(live);
                    if (start.SetEquals(bodyEnd)) break;
                    bodyEnd = start;
                }
                var bodyStart = new HashSet<string>(bodyEnd, System.StringComparer.Ordinal);
                var body = Process(loop.Body, bodyStart, rewrite);
                live.UnionWith(bodyStart);
                live.Remove(loop.Counter);
                foreach (var e in IrWalker.Expressions(loop)) ExprWalker.CollectReads(e, live);
                if (body.Statements.Count == 0) return null;
                return loop with { Body = body };
            }
            case var compound when IrWalker.IsCompound(compound):
                throw new System.InvalidOperationException("Liveness has no rule for " + compound.GetType().Name + ": lowering leaves only if and for.");
            default:
            {
                var target = StatementWalker.Target(s);
                if (target is not null && s is not Pop) live.Remove(target);
                if (s is GradientCall g) foreach (var o in g.Outputs) live.Remove(o.Name);
                foreach (var e in IrWalker.Expressions(s)) ExprWalker.CollectReads(e, live);
                return s;
            }
        }
    }
}
