using System;
using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;
using Differentiator.Generator.Model;
using static Differentiator.Generator.Formulas.TermSimplifier;
using Differentiator.Generator.Primitives;

namespace Differentiator.Generator.Formulas;

/// <summary>
/// Runs a lowered method symbolically to one closed-form term. Assignments substitute; an integer local assigned
/// once outside loops stays a name (<c>n</c> reads better than <c>y.Length</c>); a loop whose iterations define
/// their own locals and add into outer variables (<c>s += e</c>, <c>s = s + e</c>, <c>s -= e</c>) turns each such
/// variable into <c>s + Σᵢ e</c>. Anything else — a branch statement, a call, an early-return flag, a value carried
/// from one iteration to the next other than by addition — yields null: such a method has no closed form here.
/// </summary>
internal sealed class SymbolicEvaluator
{
    /// <summary>Beyond this many nodes a formula helps nobody, and straight-line code could double it per line.</summary>
    public const int SizeLimit = 400;

    private readonly Dictionary<string, Parameter> _parameters = new(StringComparer.Ordinal);
    private readonly HashSet<string> _multiplyAssigned;
    private readonly HashSet<string> _lengths = new(StringComparer.Ordinal);
    private readonly HashSet<string> _realLocals = new(StringComparer.Ordinal);
    private readonly List<string> _counters = new();
    private readonly List<SourceName> _names = new();

    private SymbolicEvaluator(MethodIr method)
    {
        foreach (var p in method.Parameters) _parameters[p.Name] = p;
        _multiplyAssigned = StatementWalker.MultiplyAssigned(method.Body);
        _realLocals.UnionWith(method.Locals.Where(l => l.Type == ScalarType.Double && !l.IsArray).Select(l => l.Name));
    }

    public static Term? Evaluate(LoweredMethod method) => EvaluateWithNames(method)?.Term;

    /// <summary>The method's term, with the value each real local of a loop body ends an iteration with (the formulas may name them).</summary>
    public static (Term Term, IReadOnlyList<SourceName> Names)? EvaluateWithNames(LoweredMethod method)
    {
        if (method.ReturnedFlag is not null) return null;
        var evaluator = new SymbolicEvaluator(method.Method);
        // A null value marks a variable whose value is unknown here (overwritten in a loop).
        var env = new Dictionary<string, Term?>(StringComparer.Ordinal);
        if (!evaluator.Run(method.Method.Body, env, depth: 0)) return null;
        return env.TryGetValue(method.Result, out var result) && result is not null ? (result, evaluator._names) : null;
    }

    private bool Run(Block block, Dictionary<string, Term?> env, int depth)
    {
        foreach (var statement in block.Statements)
        {
            switch (statement)
            {
                case Assign a when depth == 0 && a.Value.Type == ScalarType.Int && !_multiplyAssigned.Contains(a.Target) && !_parameters.ContainsKey(a.Target):
                    env[a.Target] = new Sym(a.Target);
                    if (IsLength(ToTerm(a.Value, env))) _lengths.Add(a.Target);
                    break;
                case Assign a:
                {
                    var value = ToTerm(a.Value, env);
                    if (value is null || TermWalk.Exceeds(value, SizeLimit)) return false;
                    env[a.Target] = value;
                    break;
                }
                case For loop:
                    if (!RunLoop(loop, env, depth)) return false;
                    break;
                default:
                    return false; // If, CallAssign, Return (lowering removed them) and anything later stages add
            }
        }
        return true;
    }

    private bool RunLoop(For loop, Dictionary<string, Term?> env, int depth)
    {
        if (loop.ExitFlag is not null) return false;
        // A counter that reuses a name in scope (an enclosing counter) or that the body assigns is not a plain Σ index.
        if (env.ContainsKey(loop.Counter) || _parameters.ContainsKey(loop.Counter) || StatementWalker.AssignedIn(loop.Body).Contains(loop.Counter)) return false;
        if (ToTerm(loop.Start, env) is not { } start || ToTerm(loop.Bound, env) is not { } bound) return false;
        Term lower, upper;
        switch ((loop.Step, loop.Compare))
        {
            case (1, BinaryOp.Less): (lower, upper) = (start, bound); break;
            case (1, BinaryOp.LessOrEqual): (lower, upper) = (start, Sum(bound, One)); break;
            case (-1, BinaryOp.GreaterOrEqual): (lower, upper) = (bound, Sum(start, One)); break;
            case (-1, BinaryOp.Greater): (lower, upper) = (Sum(bound, One), Sum(start, One)); break;
            default: return false;
        }
        bool whole = IsNumber(lower, 0) && IsLength(upper);

        // Each variable the body assigns that has a value before the loop starts the body as a marker: what the
        // previous iterations left. After the body, an accumulator is exactly marker + increment.
        var assigned = StatementWalker.AssignedIn(loop.Body).OrderBy(v => v, StringComparer.Ordinal).ToList();
        var inner = new Dictionary<string, Term?>(env, StringComparer.Ordinal);
        var markers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in assigned)
        {
            if (Lookup(v, env) is null) continue;
            string marker = "\u0001" + depth + ":" + v; // no C# identifier looks like this
            markers[v] = marker;
            inner[v] = new Sym(marker);
        }
        inner[loop.Counter] = new Sym(loop.Counter);
        _counters.Add(loop.Counter);
        bool ran = Run(loop.Body, inner, depth + 1);
        _counters.RemoveAt(_counters.Count - 1);
        if (!ran) return false;
        // The iteration's own real locals (z, p of a logistic loss): what each holds at the end of an iteration.
        foreach (var v in assigned.Where(v => !markers.ContainsKey(v) && _realLocals.Contains(v)))
        {
            if (inner.TryGetValue(v, out var value) && value is not null)
                _names.Add(new SourceName(v, value, _counters.Append(loop.Counter).Where(c => TermWalk.Involves(value, c)).ToList()));
        }

        var results = new Dictionary<string, Term?>(StringComparer.Ordinal);
        foreach (var v in assigned)
        {
            if (!markers.TryGetValue(v, out var marker)) continue; // iteration-local: out of scope after the loop
            var final = inner.TryGetValue(v, out var f) ? f : null;
            if (final is Sym same && same.Name == marker) continue; // not changed
            if (final is null || !TermWalk.Involves(final, marker))
            {
                results[v] = null; // overwritten each iteration: after the loop it holds the last one's value
                continue;
            }
            if (final is not Add sum || sum.Terms.Count(t => t is Sym s && s.Name == marker) != 1) return false;
            var increment = TermSimplifier.Sum(sum.Terms.Where(t => !(t is Sym s && s.Name == marker)));
            if (markers.Values.Any(m => TermWalk.Involves(increment, m))) return false; // depends on earlier iterations
            var total = TermSimplifier.Sum(Lookup(v, env)!, SumRules.Sum(loop.Counter, lower, upper, whole, increment));
            if (TermWalk.Exceeds(total, SizeLimit)) return false;
            results[v] = total;
        }
        foreach (var kv in results) env[kv.Key] = kv.Value;
        return true;
    }

    /// <summary>An array length, or an integer local that holds one: a range [0, it) is an array's index range.</summary>
    private bool IsLength(Term? t) => t is Len || (t is Sym s && _lengths.Contains(s.Name));

    private Term? Lookup(string name, Dictionary<string, Term?> env)
    {
        if (env.TryGetValue(name, out var value)) return value;
        return _parameters.TryGetValue(name, out var p) && !p.IsArray ? new Sym(name) : null;
    }

    private Term? ToTerm(Expr e, Dictionary<string, Term?> env)
    {
        switch (e)
        {
            case Const c:
                return double.IsNaN(c.Value) || double.IsInfinity(c.Value) ? null : new Num(c.Value);
            case VarRef v:
                return Lookup(v.Name, env);
            case ElementRef { Type: ScalarType.Int }:
                return null; // int data used as an index (W[labels[i], k]): no Σ notation for a gather, so no formula
            case ElementRef el:
            {
                var indices = new List<Term>();
                foreach (var i in el.Indices)
                {
                    if (ToTerm(i, env) is not { } index) return null;
                    indices.Add(index);
                }
                return new Elem(el.Array, indices.ToEquatableArray());
            }
            case LengthOf len:
                return new Len(len.Array, len.Dimension);
            case RowLength:
                return null; // no Σ notation for ragged rows: no formula
            case Unary u:
                return ToTerm(u.Operand, env) is not { } operand ? null
                    : u.Op == UnaryOp.Negate ? Negate(operand) : new Not(operand);
            case Binary b:
                return ToTerm(b.Left, env) is { } l && ToTerm(b.Right, env) is { } r ? Combine(b, l, r) : null;
            case Conditional c:
                return ToTerm(c.Condition, env) is { } cond && ToTerm(c.WhenTrue, env) is { } t && ToTerm(c.WhenFalse, env) is { } f ? Choose(cond, t, f) : null;
            case MathCall m:
            {
                var args = new List<Term>();
                foreach (var a in m.Arguments)
                {
                    if (ToTerm(a, env) is not { } arg) return null;
                    args.Add(arg);
                }
                return FromCall(m.Function, args);
            }
            case Ir.Convert c:
                return ToTerm(c.Operand, env) is not { } x ? null
                    : c.Target == ScalarType.Int && c.Operand.Type == ScalarType.Double ? Call(MathFunction.Truncate, x) : x;
            default:
                return null; // a whole array outside a call, or a node this stage does not know
        }
    }

    private static Term? Combine(Binary b, Term l, Term r) => b.Op switch
    {
        BinaryOp.Add => Sum(l, r),
        BinaryOp.Subtract => Difference(l, r),
        BinaryOp.Multiply => Product(l, r),
        BinaryOp.Divide when b.Type == ScalarType.Int => new Rel(RelOp.IntDivide, l, r),
        BinaryOp.Divide => Quotient(l, r),
        BinaryOp.Modulo when b.Type == ScalarType.Int => new Rel(RelOp.Modulo, l, r),
        BinaryOp.Modulo => null, // a double remainder has kinks the formula would hide
        BinaryOp.Less => new Rel(RelOp.Less, l, r),
        BinaryOp.LessOrEqual => new Rel(RelOp.LessOrEqual, l, r),
        BinaryOp.Greater => new Rel(RelOp.Greater, l, r),
        BinaryOp.GreaterOrEqual => new Rel(RelOp.GreaterOrEqual, l, r),
        BinaryOp.Equal => new Rel(RelOp.Equal, l, r),
        BinaryOp.NotEqual => new Rel(RelOp.NotEqual, l, r),
        BinaryOp.And => new Rel(RelOp.And, l, r),
        BinaryOp.Or => new Rel(RelOp.Or, l, r),
        _ => null,
    };

    private static Term? FromCall(MathFunction function, List<Term> args)
    {
        var row = PrimitiveTable.Of(function);
        if (args.Count != row.Arity) return null;
        return row.Term is { } term ? term(args) : Call(function, args.ToArray());
    }
}

/// <summary>A local of the source and the term it holds, a function of the enclosing loops' <see cref="Indices"/>: <c>p[i] = 1/(1 + exp(−z[i]))</c>.</summary>
internal sealed record SourceName(string Name, Term Value, IReadOnlyList<string> Indices);
