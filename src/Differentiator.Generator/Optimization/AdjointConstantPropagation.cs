using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Optimization;

/// <summary>
/// Tracks adjoints whose value is a known constant (all start at 0; the seed is 1) through the reverse sweep and
/// substitutes them: <c>_d_sum += _d_result / n</c> with <c>_d_result = 1</c>, <c>_d_sum = 0</c> becomes
/// <c>_d_sum = 1.0 / n</c>. Loops are handled by iterating to a fixed point (a constant survives a loop only if
/// the body leaves it unchanged), branches by intersecting.
/// </summary>
internal sealed class AdjointConstantPropagation
{
    private readonly ExprFactory _f;
    private readonly HashSet<string> _tracked;

    public AdjointConstantPropagation(ExprFactory factory, HashSet<string> tracked)
    {
        _f = factory;
        _tracked = tracked;
    }

    public Block Run(Block block, Dictionary<string, double> initial) => Process(block, new Dictionary<string, double>(initial), rewrite: true);

    private Block Process(Block block, Dictionary<string, double> state, bool rewrite)
    {
        var output = new List<Stmt>();
        foreach (var s in block.Statements)
        {
            var processed = Process(s, state, rewrite);
            if (!IsNoOp(processed)) output.Add(processed);
        }
        return new Block(output.ToEquatableArray());
    }

    /// <summary><c>dw[i] = dw[i]</c> and <c>x = x</c>: what an update by a known-zero adjoint leaves behind.</summary>
    private static bool IsNoOp(Stmt s) => s switch
    {
        AssignElement ae => ae.Value is ElementRef el && el.Array == ae.Array && el.Indices.Equals(ae.Indices),
        Assign a => a.Value is VarRef v && v.Name == a.Target,
        _ => false,
    };

    private Stmt Process(Stmt s, Dictionary<string, double> state, bool rewrite)
    {
        switch (s)
        {
            case Assign a:
            {
                var value = _f.Substitute(a.Value, state);
                // Re-storing the constant a variable is known to hold changes nothing.
                if (value is Const known && state.TryGetValue(a.Target, out double current) && current.Equals(known.Value))
                    return a with { Value = new VarRef(a.Target, a.Value.Type) };
                if (_tracked.Contains(a.Target))
                {
                    if (value is Const c) state[a.Target] = c.Value;
                    else state.Remove(a.Target);
                }
                return a with { Value = value };
            }
            case AssignElement ae:
                return ae with { Value = _f.Substitute(ae.Value, state) };
            case Let l:
                return l with { Value = _f.Substitute(l.Value, state) };
            case GradientCall g:
                foreach (var o in g.Outputs) state.Remove(o.Name);
                return g with { Arguments = g.Arguments.Select(x => _f.Substitute(x, state)).ToEquatableArray() };
            case Pop p:
                state.Remove(p.Target);
                return p;
            case If i:
            {
                var condition = _f.Substitute(i.Condition, state);
                var thenState = new Dictionary<string, double>(state);
                var elseState = new Dictionary<string, double>(state);
                var then = Process(i.Then, thenState, rewrite);
                var otherwise = Process(i.Else, elseState, rewrite);
                Intersect(thenState, elseState, state);
                return i with { Condition = condition, Then = then, Else = otherwise };
            }
            case For loop when !rewrite:
                // While probing an enclosing loop, a nested loop is summarized conservatively: whatever it assigns
                // is unknown. Iterating nested fixed points instead would cost 2^depth.
                foreach (var v in Analysis.StatementWalker.AssignedIn(loop.Body)) state.Remove(v);
                foreach (var g in Analysis.StatementWalker.Flatten(loop.Body).OfType<GradientCall>())
                    foreach (var o in g.Outputs) state.Remove(o.Name);
                return loop;
            case For loop:
            {
                var entry = new Dictionary<string, double>(state);
                while (true)
                {
                    var end = new Dictionary<string, double>(entry);
                    Process(loop.Body, end, rewrite: false);
                    var next = new Dictionary<string, double>();
                    Intersect(state, end, next);
                    if (next.Count == entry.Count) break; // states only shrink, so equal size means equal
                    entry = next;
                }
                var body = Process(loop.Body, new Dictionary<string, double>(entry), rewrite);
                state.Clear();
                foreach (var kv in entry) state[kv.Key] = kv.Value;
                return loop with { Body = body };
            }
            case var compound when IrWalker.IsCompound(compound):
                throw new System.InvalidOperationException("Constant propagation has no rule for " + compound.GetType().Name + ": lowering leaves only if and for.");
            default:
                return s;
        }
    }

    private static void Intersect(Dictionary<string, double> a, Dictionary<string, double> b, Dictionary<string, double> into)
    {
        var keep = a.Where(kv => b.TryGetValue(kv.Key, out double v) && v.Equals(kv.Value)).ToList();
        into.Clear();
        foreach (var kv in keep) into[kv.Key] = kv.Value;
    }
}
