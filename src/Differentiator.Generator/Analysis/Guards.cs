using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Analysis;

/// <summary>What an enclosing <c>if</c> guarantees about a variable in its branch: <c>x &gt; 0</c>, or <c>x != 0</c>.</summary>
internal enum Guard
{
    NonZero,
    Positive,
}

/// <summary>
/// The statements of a body, each with what the conditions of the <c>if</c>s around it guarantee about variables:
/// <c>if (x &gt; 0)</c> (or <c>x &gt;= 1</c>, <c>0 &lt; x</c>) makes x positive in its then-branch, <c>if (x != 0)</c>
/// makes it non-zero; their negations (<c>if (x &lt;= 0) … else</c>) do the same in the else-branch. A guarantee lasts
/// only where the variable is not assigned (the whole branch, or the whole body of a loop inside it), so a later
/// write cannot break it. Used so DIFF104 does not warn about <c>Math.Sqrt(x)</c> the code already guards.
/// </summary>
internal static class Guards
{
    private static readonly IReadOnlyDictionary<string, Guard> None = new Dictionary<string, Guard>(System.StringComparer.Ordinal);

    /// <summary>Every statement, nested ones included, in <see cref="StatementWalker.Flatten"/>'s order, with its guarantees.</summary>
    public static IEnumerable<(Stmt Statement, IReadOnlyDictionary<string, Guard> Guards)> Flatten(Block block) => Flatten(block, None);

    private static IEnumerable<(Stmt, IReadOnlyDictionary<string, Guard>)> Flatten(Block block, IReadOnlyDictionary<string, Guard> known)
    {
        foreach (var s in block.Statements)
        {
            yield return (s, known);
            // An if adds what its condition guarantees to each branch; any other statement's blocks (a loop's body)
            // keep what is known, through the walker's one switch (which throws on a kind it does not know).
            var nested = s is If i
                ? new[] { (i.Then, Add(known, Of(i.Condition, holds: true))), (i.Else, Add(known, Of(i.Condition, holds: false))) }
                : IrWalker.Blocks(s).Select(b => (b, known)).ToArray();
            foreach (var (inner, guards) in nested)
            {
                var assigned = StatementWalker.AssignedIn(inner);
                if (s is For loop) assigned.Add(loop.Counter);
                var kept = guards.Where(g => !assigned.Contains(g.Key)).ToDictionary(g => g.Key, g => g.Value, System.StringComparer.Ordinal);
                foreach (var pair in Flatten(inner, kept)) yield return pair;
            }
        }
    }

    private static IReadOnlyDictionary<string, Guard> Add(IReadOnlyDictionary<string, Guard> known, IEnumerable<(string Name, Guard Guard)> found)
    {
        var all = known.ToDictionary(g => g.Key, g => g.Value, System.StringComparer.Ordinal);
        foreach (var (name, guard) in found)
            all[name] = all.TryGetValue(name, out var had) && had == Guard.Positive ? had : guard;
        return all;
    }

    /// <summary>What <paramref name="condition"/> guarantees when it <paramref name="holds"/> (else when it fails).</summary>
    private static IEnumerable<(string, Guard)> Of(Expr condition, bool holds)
    {
        switch (condition)
        {
            case Unary { Op: UnaryOp.Not } not:
                return Of(not.Operand, !holds);
            // Both sides hold when an && holds; both fail when an || fails.
            case Binary { Op: BinaryOp.And } both when holds:
                return Of(both.Left, true).Concat(Of(both.Right, true));
            case Binary { Op: BinaryOp.Or } either when !holds:
                return Of(either.Left, false).Concat(Of(either.Right, false));
            // An int literal compared with a double arrives converted: (double)0.
            case Binary b when Bare(b.Left) is VarRef v && Bare(b.Right) is Const c:
                return Compare(v.Name, holds ? b.Op : Negate(b.Op), c.Value);
            case Binary b when Bare(b.Left) is Const c && Bare(b.Right) is VarRef v:
                return Compare(v.Name, Mirror(holds ? b.Op : Negate(b.Op)), c.Value);
            default:
                return Enumerable.Empty<(string, Guard)>();
        }
    }

    private static Expr Bare(Expr e) => e is Convert c ? Bare(c.Operand) : e;

    /// <summary>What <c>name op c</c> guarantees.</summary>
    private static IEnumerable<(string, Guard)> Compare(string name, BinaryOp op, double c)
    {
        bool positive = op switch
        {
            BinaryOp.Greater => c >= 0,
            BinaryOp.GreaterOrEqual or BinaryOp.Equal => c > 0,
            _ => false,
        };
        if (positive) yield return (name, Guard.Positive);
        else if ((op == BinaryOp.NotEqual && c == 0) || (op == BinaryOp.Equal && c != 0) || (op == BinaryOp.Less && c <= 0)) yield return (name, Guard.NonZero);
    }

    /// <summary>The comparison that holds when <paramref name="op"/> fails (for numbers that are not NaN).</summary>
    private static BinaryOp Negate(BinaryOp op) => op switch
    {
        BinaryOp.Less => BinaryOp.GreaterOrEqual,
        BinaryOp.LessOrEqual => BinaryOp.Greater,
        BinaryOp.Greater => BinaryOp.LessOrEqual,
        BinaryOp.GreaterOrEqual => BinaryOp.Less,
        BinaryOp.Equal => BinaryOp.NotEqual,
        BinaryOp.NotEqual => BinaryOp.Equal,
        _ => BinaryOp.And, // not a comparison: guarantees nothing
    };

    /// <summary><c>c op x</c> as <c>x op' c</c>.</summary>
    private static BinaryOp Mirror(BinaryOp op) => op switch
    {
        BinaryOp.Less => BinaryOp.Greater,
        BinaryOp.LessOrEqual => BinaryOp.GreaterOrEqual,
        BinaryOp.Greater => BinaryOp.Less,
        BinaryOp.GreaterOrEqual => BinaryOp.LessOrEqual,
        _ => op,
    };
}
