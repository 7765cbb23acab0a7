using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Optimization;

/// <summary>
/// Names each subexpression that a straight-line run of statements uses more than once (<c>double cos_x = …</c>),
/// so it is computed once. Expressions are hash-consed, so "used more than once" is a reference count. This is
/// what keeps derivative code linear in the size of the source: without it, the adjoint of a product chain repeats
/// every prefix. A node is shared only while nothing it reads is reassigned between its uses, and never out of
/// a conditionally evaluated branch (hoisting <c>x[i]</c> out of <c>i &lt; n ? x[i] : 0</c> could throw).
/// </summary>
internal sealed class CommonSubexpressions
{
    private readonly NameAllocator _names;

    private CommonSubexpressions(NameAllocator names) => _names = names;

    public static Block Apply(Block block, GradientProgram program)
    {
        // Names inside the block being rewritten count too: the optimizer may pass a block that is not yet the program's.
        var names = new NameAllocator(program.NamesInUse().Concat(StatementWalker.Flatten(block).Select(StatementWalker.Target).OfType<string>()).Append("scratch"));
        return new CommonSubexpressions(names).Rewrite(block);
    }

    private Block Rewrite(Block block)
    {
        var output = new List<Stmt>();
        var run = new List<Stmt>();
        foreach (var s in block.Statements)
        {
            switch (s)
            {
                case var compound when IrWalker.IsCompound(compound):
                    // A run ends at a compound statement; its blocks are runs of their own.
                    output.AddRange(ShareWithinRun(run));
                    run.Clear();
                    output.Add(IrRewriter.MapBlocks(compound, Rewrite));
                    break;
                default:
                    run.Add(s);
                    break;
            }
        }
        output.AddRange(ShareWithinRun(run));
        return new Block(output.ToEquatableArray());
    }

    private IEnumerable<Stmt> ShareWithinRun(List<Stmt> run)
    {
        if (run.Count == 0) return run.ToList();
        var counts = new Dictionary<Expr, int>(ReferenceEqualityComparer.Instance);
        var firstUse = new Dictionary<Expr, int>(ReferenceEqualityComparer.Instance);
        var lastUse = new Dictionary<Expr, int>(ReferenceEqualityComparer.Instance);
        for (int k = 0; k < run.Count; k++)
        {
            var visited = new HashSet<Expr>(ReferenceEqualityComparer.Instance);
            foreach (var root in IrWalker.Expressions(run[k])) Count(root, k, counts, firstUse, lastUse, visited);
        }

        var shared = counts.Where(kv => kv.Value >= 2 && IsWorthNaming(kv.Key) && StaysValid(kv.Key, firstUse[kv.Key], lastUse[kv.Key], run))
            .Select(kv => kv.Key)
            .OrderBy(e => firstUse[e]).ThenBy(ExprWalker.Size)
            .ToList();
        if (shared.Count == 0) return run.ToList();

        // A temporary may replace a node only between its declaration and its last counted use, the stretch where
        // nothing it reads is reassigned: uses inside conditionally evaluated branches were not counted, so they
        // can stand before the declaration or after a reassignment (a restored value).
        var replacements = new Dictionary<Expr, (Expr Name, int Position, int Order, int Last)>(ReferenceEqualityComparer.Instance);
        var lets = new Dictionary<int, List<Stmt>>();
        for (int order = 0; order < shared.Count; order++)
        {
            var node = shared[order];
            int position = firstUse[node];
            var definition = Replace(node, replacements, position, order, isRoot: true);
            string name = _names.Allocate(PreferredName(node));
            replacements[node] = (new VarRef(name, ScalarType.Double), position, order, lastUse[node]);
            if (!lets.TryGetValue(position, out var list)) lets[position] = list = new List<Stmt>();
            list.Add(new Let(name, definition));
        }

        var output = new List<Stmt>();
        for (int k = 0; k < run.Count; k++)
        {
            if (lets.TryGetValue(k, out var list)) output.AddRange(list);
            output.Add(ReplaceIn(run[k], replacements, k));
        }
        return output;
    }

    private static void Count(Expr e, int statement, Dictionary<Expr, int> counts, Dictionary<Expr, int> first, Dictionary<Expr, int> last, HashSet<Expr> visited)
    {
        counts.TryGetValue(e, out int c);
        counts[e] = c + 1;
        if (!first.ContainsKey(e)) first[e] = statement;
        last[e] = statement;
        if (!visited.Add(e)) return;
        switch (e)
        {
            case Conditional cond:
                Count(cond.Condition, statement, counts, first, last, visited);
                return; // branches are evaluated conditionally
            case Binary { Op: BinaryOp.And or BinaryOp.Or } logical:
                Count(logical.Left, statement, counts, first, last, visited);
                return;
        }
        foreach (var child in ExprWalker.Children(e)) Count(child, statement, counts, first, last, visited);
    }

    private static bool IsWorthNaming(Expr e) => e.Type == ScalarType.Double && e switch
    {
        Const or VarRef or LengthOf or ArrayRef => false,
        ElementRef el => !el.Indices.All(i => i is VarRef or Const),
        RowLength r => r.Row is not (VarRef or Const),
        Convert c => c.Operand is not (VarRef or Const),
        Unary u => u.Operand is not (VarRef or Const),
        _ => true,
    };

    private static bool StaysValid(Expr e, int first, int last, List<Stmt> run)
    {
        if (first == last) return true;
        var reads = ExprWalker.Reads(e);
        for (int k = first; k < last; k++)
        {
            var target = StatementWalker.Target(run[k]);
            if (target is not null && reads.Contains(target)) return false;
            if (run[k] is AssignElement ae && reads.Contains(ae.Array)) return false;
            if (run[k] is PopElement pe && reads.Contains(pe.Array)) return false;
            if (run[k] is PopArray pa && reads.Contains(pa.Array)) return false;
            if (run[k] is ViewSnapshot view && reads.Contains(view.Array)) return false;
            if (run[k] is AllocateArray or AllocateAdjointArray) return false;
            if (run[k] is GradientCall g && g.Outputs.Any(o => reads.Contains(o.Name))) return false;
        }
        return true;
    }

    private static string PreferredName(Expr e) => e switch
    {
        MathCall { Arguments.Count: 1 } m when m.Arguments[0] is VarRef v => m.Function.ToString().ToLowerInvariant() + "_" + v.Name.TrimStart('_'),
        MathCall m => m.Function.ToString().ToLowerInvariant(),
        _ => "t",
    };

    private static Stmt ReplaceIn(Stmt s, Dictionary<Expr, (Expr Name, int Position, int Order, int Last)> map, int position) =>
        IrRewriter.MapExpressions(s, e => Replace(e, map, position, int.MaxValue, false));

    /// <summary>Rebuilds <paramref name="e"/> using the temporaries declared before (position, order).</summary>
    private static Expr Replace(Expr e, Dictionary<Expr, (Expr Name, int Position, int Order, int Last)> map, int position, int order, bool isRoot)
    {
        if (!isRoot && map.TryGetValue(e, out var named) && position <= named.Last && (named.Position < position || (named.Position == position && named.Order < order)))
            return named.Name;
        return IrRewriter.MapChildren(e, x => Replace(x, map, position, order, false));
    }
}
