using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Differentiation;

/// <summary>
/// Names, in loops, the result of each call whose derivative is written with the result itself — exp (exp′ = exp),
/// tanh (1 − tanh²), sqrt and cbrt — before reverse mode sees the method:
/// <code>output += v[h] * Math.Tanh(W1[h] * xs[i] + b1[h]);</code>
/// becomes, in the gradient's copy of the method,
/// <code>tanh = Math.Tanh(W1[h] * xs[i] + b1[h]); output += v[h] * tanh;</code>
/// Why: reverse mode then treats the result as a value like any other. The reverse sweep reads it
/// (<see cref="ReverseModeBuilder"/> writes the derivative of <c>tanh = Math.Tanh(u)</c> with <c>tanh</c>, not with
/// a second call), so the forward sweep saves it, or a fused loop keeps it, instead of the reverse sweep calling
/// tanh again for every element. Measured on the tanh network (1,000 samples, 16 hidden units), a hand-made copy of
/// the generated gradient that saves the 16 values per sample took 1.32× the function against 2.16× recomputing them
/// (interleaved, docs/performance.md).
/// <para>
/// Only calls whose value flows into the result (active), outside conditional expressions (a branch not taken must
/// not be evaluated), and not already the whole right-hand side of an assignment (the local or element assigned is
/// the name).
/// Exact: the same call on the same arguments, once instead of twice.
/// </para>
/// </summary>
internal static class CallResultLocals
{
    /// <summary>The functions whose derivative <see cref="DerivativeRules"/> writes with the call itself.</summary>
    public static bool ReusesResult(MathFunction f) => f is MathFunction.Exp or MathFunction.Tanh or MathFunction.Sqrt or MathFunction.Cbrt;

    /// <summary>
    /// Whether <c>destination = value</c> already names a reusable call's result: the value is such a call and does not
    /// read the destination (which then holds the call's value until it is overwritten or restored).
    /// </summary>
    public static bool NamesItsResult(Expr value, string destination) =>
        value is MathCall call && ReusesResult(call.Function) && !ExprWalker.Reads(call).Contains(destination);

    public static LoweredMethod Apply(LoweredMethod lowered, ActivityAnalysis activity)
    {
        var method = lowered.Method;
        var names = new NameAllocator(method.Parameters.Select(p => p.Name).Concat(method.Locals.Select(l => l.Name))
            .Concat(IrWalker.Flatten(method.Body).OfType<For>().Select(f => f.Counter)));
        var rewriter = new Rewriter(activity, names);
        var body = rewriter.Block(method.Body, inLoop: false);
        if (rewriter.Added.Count == 0) return lowered;
        var locals = method.Locals.Concat(rewriter.Added.Select(n => new LocalVariable(n, ScalarType.Double))).ToEquatableArray();
        return lowered with { Method = method with { Body = body, Locals = locals } };
    }

    private sealed class Rewriter
    {
        private readonly ActivityAnalysis _activity;
        private readonly NameAllocator _names;

        public Rewriter(ActivityAnalysis activity, NameAllocator names)
        {
            _activity = activity;
            _names = names;
        }

        public List<string> Added { get; } = new();

        public Block Block(Block block, bool inLoop) => IrRewriter.MapStatements(block, s =>
        {
            switch (s)
            {
                case Assign a when inLoop && a.Value.Type == ScalarType.Double && _activity.IsActive(a.Target):
                {
                    var named = new List<Stmt>();
                    var value = NameCalls(a.Value, a.Target, named);
                    return named.Count == 0 ? new[] { s } : named.Append(a with { Value = value });
                }
                case AssignElement e when inLoop && e.Value.Type == ScalarType.Double && _activity.IsActive(e.Array):
                {
                    var named = new List<Stmt>();
                    // Only a plain element is a name the reverse sweep reuses (ReverseModeBuilder.ReverseElementWrite).
                    var value = e.Jagged ? Name(e.Value, named) : NameCalls(e.Value, e.Array, named);
                    return named.Count == 0 ? new[] { s } : named.Append(e with { Value = value });
                }
                default:
                    return new[] { IrRewriter.MapBlocks(s, b => Block(b, inLoop || IrWalker.IsLoop(s))) };
            }
        });

        /// <summary>
        /// The right-hand side of an assignment to <paramref name="destination"/> with its reusable calls named; when it
        /// is such a call itself (<c>x = Math.Exp(u)</c>, <c>t[k] = Math.Exp(u)</c>), the destination is the name, and
        /// only the calls inside u are new.
        /// </summary>
        private Expr NameCalls(Expr value, string destination, List<Stmt> named) =>
            NamesItsResult(value, destination)
                ? ((MathCall)value) with { Arguments = ((MathCall)value).Arguments.Select(arg => Name(arg, named)).ToEquatableArray() }
                : Name(value, named);

        /// <summary>The expression with each active call of <see cref="ReusesResult"/> (innermost first) replaced by a new local assigned in <paramref name="named"/>.</summary>
        private Expr Name(Expr e, List<Stmt> named)
        {
            switch (e)
            {
                case Conditional or Convert { Target: not ScalarType.Double }:
                    return e; // a branch may not be taken; an integer conversion has no derivative
                case MathCall call:
                {
                    var inner = call with { Arguments = call.Arguments.Select(a => Name(a, named)).ToEquatableArray() };
                    if (!ReusesResult(call.Function) || !ActivityAnalysis.DifferentiableReads(inner).Any(_activity.IsVaried)) return inner;
                    // The same call twice in one statement (exp(z) · exp(z)) is named once.
                    var existing = named.OfType<Assign>().FirstOrDefault(s => s.Value.Equals(inner));
                    if (existing is not null) return new VarRef(existing.Target, ScalarType.Double);
                    // Named as the shared-subexpression stage names calls: exp, or exp_z for Math.Exp(z).
                    string function = call.Function.ToString().ToLowerInvariant();
                    string name = _names.Allocate(inner.Arguments.Count == 1 && inner.Arguments[0] is VarRef argument ? function + "_" + argument.Name : function);
                    Added.Add(name);
                    named.Add(new Assign(name, inner));
                    return new VarRef(name, ScalarType.Double);
                }
                case Binary b when b.ResultType == ScalarType.Double:
                    return b with { Left = Name(b.Left, named), Right = Name(b.Right, named) };
                case Unary u when u.ResultType == ScalarType.Double:
                    return u with { Operand = Name(u.Operand, named) };
                case Convert c:
                    return c with { Operand = Name(c.Operand, named) };
                default:
                    return e;
            }
        }
    }
}
