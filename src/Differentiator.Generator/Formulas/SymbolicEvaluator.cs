using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Formulas;

/// <summary>
/// Runs a method symbolically to one closed-form term: locals are substituted, and a loop whose iterations only
/// add into sums (<c>s += e</c>) becomes <c>s + Σᵢ e</c>. Anything with no such form (branches that assign,
/// values carried across iterations, calls) yields null: the doc comment then says so instead of guessing.
/// </summary>
internal static class SymbolicEvaluator
{
    public static Expr? Evaluate(LoweredMethod method)
    {
        if (method.ReturnedFlag is not null) return null;
        // Integer locals (counts such as n = y.Length) stay as names, which reads better; that is exact only if each
        // is assigned once, outside loops.
        var counts = StatementWalker.MultiplyAssigned(method.Method.Body);
        if (method.Method.Locals.Any(l => l.Type != ScalarType.Double && counts.Contains(l.Name))) return null;
        var env = new Dictionary<string, Expr>(System.StringComparer.Ordinal);
        return Run(method.Method.Body, env) && env.TryGetValue(method.Result, out var result) ? result : null;
    }

    private static bool Run(Block block, Dictionary<string, Expr> env)
    {
        foreach (var s in block.Statements)
        {
            switch (s)
            {
                case Assign a when a.Value.Type != ScalarType.Double:
                    break;
                case Assign a:
                    env[a.Target] = Substitute(a.Value, env);
                    break;
                case For loop when loop.ExitFlag is null:
                    if (!RunLoop(loop, env)) return false;
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    private static bool RunLoop(For loop, Dictionary<string, Expr> env)
    {
        var assigned = StatementWalker.AssignedIn(loop.Body);
        assigned.RemoveWhere(v => StatementWalker.Flatten(loop.Body).OfType<Assign>().Any(a => a.Target == v && a.Value.Type != ScalarType.Double));
        var marker = new Dictionary<string, Expr>(env, System.StringComparer.Ordinal);
        foreach (var v in assigned) marker[v] = new VarRef(Marker(v), ScalarType.Double);
        var inner = new Dictionary<string, Expr>(marker, System.StringComparer.Ordinal);
        if (!Run(loop.Body, inner)) return false;
        foreach (var v in assigned)
        {
            if (!inner.TryGetValue(v, out var final))
            {
                env.Remove(v); // local to an inner loop's iterations
                continue;
            }
            bool readsOwnStart = ExprWalker.Reads(final).Contains(Marker(v));
            if (!readsOwnStart)
            {
                env.Remove(v); // iteration-local: its value after the loop would be the last iteration's, not a formula
                continue;
            }
            if (final is not Binary { Op: BinaryOp.Add or BinaryOp.Subtract } b || b.Left is not VarRef start || start.Name != Marker(v)) return false;
            var term = b.Right;
            if (assigned.Any(u => ExprWalker.Reads(term).Contains(Marker(u)))) return false; // depends on another iteration
            Expr sum = new Sum(loop.Counter, term);
            env[v] = env.TryGetValue(v, out var before) && !IsZero(before)
                ? new Binary(b.Op, before, sum, ScalarType.Double)
                : b.Op == BinaryOp.Add ? sum : new Unary(UnaryOp.Negate, sum, ScalarType.Double);
        }
        return true;
    }

    private static bool IsZero(Expr e) => e is Const { Value: 0 } || (e is Convert c && IsZero(c.Operand));

    private static string Marker(string v) => "\u0001" + v;

    private static Expr Substitute(Expr e, Dictionary<string, Expr> env) => e switch
    {
        VarRef v when env.TryGetValue(v.Name, out var value) => value,
        ElementRef el => el with { Indices = el.Indices.Select(i => Substitute(i, env)).ToEquatableArray() },
        Unary u => u with { Operand = Substitute(u.Operand, env) },
        Binary b => b with { Left = Substitute(b.Left, env), Right = Substitute(b.Right, env) },
        Conditional c => c with { Condition = Substitute(c.Condition, env), WhenTrue = Substitute(c.WhenTrue, env), WhenFalse = Substitute(c.WhenFalse, env) },
        MathCall m => m with { Arguments = m.Arguments.Select(a => Substitute(a, env)).ToEquatableArray() },
        Convert c => c with { Operand = Substitute(c.Operand, env) },
        _ => e,
    };
}
