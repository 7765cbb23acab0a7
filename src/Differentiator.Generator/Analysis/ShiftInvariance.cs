using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Differentiator.Generator.Primitives;

namespace Differentiator.Generator.Analysis;

/// <summary>
/// Running maxima and minima whose choice cannot change the result. The numerically stable softmax and log-sum-exp
/// subtract a running maximum m inside exp and add it back outside log, or divide it out (e^(z−m) / Σ e^(z−m)): the
/// result does not depend on m at all, ∂result/∂m = 0, so the comparisons that pick m are no kink of the result and
/// DIFF102 on them would be a false alarm. The proof is an abstract interpretation: each value gets how it changes
/// when m is shifted by c — by k·c (<see cref="Kind.Shift"/> k) or by the factor e^(k·c) (<see cref="Kind.Scale"/> k)
/// — and the result must not change. Anything the rules cannot follow is <see cref="Kind.Other"/>: then no exemption.
/// </summary>
internal static class ShiftInvariance
{
    /// <summary>The conditions and calls (by reference) that only pick such an m: DIFF102 is not reported on them.</summary>
    public static HashSet<Expr> ExemptKinks(MethodIr method, string result)
    {
        var exempt = new HashSet<Expr>(Model.ReferenceEqualityComparer.Instance);
        foreach (var shift in InvariantShifts(method, result)) exempt.UnionWith(shift.Kinks);
        return exempt;
    }

    /// <summary>The running extrema the result does not depend on: what both the advisories and the formulas ask.</summary>
    private static List<Candidate> InvariantShifts(MethodIr method, string result) =>
        RunningExtrema(method.Body).Where(c => new Interpretation(method.Body, c).ResultIsInvariant(result)).ToList();

    /// <summary>
    /// The method with each such m taken as 0: its initialization becomes <c>m = 0</c> and the updates that pick it are
    /// gone. The same function in exact arithmetic (the result does not depend on m), with no branch: the formulas can
    /// then show the softmax as exp(z₀)/Σₖ exp(zₖ). The input itself when there is no such m.
    /// </summary>
    public static MethodIr WithoutShifts(MethodIr method, string result)
    {
        var shifts = InvariantShifts(method, result);
        if (shifts.Count == 0) return method;
        var removed = new HashSet<Stmt>(shifts.SelectMany(c => c.Updates), Model.ReferenceEqualityComparer.Instance);
        var zeroed = shifts.ToDictionary(c => c.Init, c => c.Name, Model.ReferenceEqualityComparer.Instance);
        Block Rewrite(Block block) => new(block.Statements
            .Where(s => !removed.Contains(s))
            .Select(s => zeroed.TryGetValue(s, out var name) ? new Assign(name, new Const(0, ScalarType.Double)) { Location = s.Location, Source = s.Source }
                : IrRewriter.MapBlocks(s, Rewrite))
            .ToEquatableArray());
        return method with { Body = Rewrite(method.Body) };
    }

    /// <summary>A local m: one initializing assignment (<see cref="Loop"/>: the for loop whose body holds it, if any), and updates that only pick m.</summary>
    private sealed record Candidate(string Name, Stmt Init, For? Loop, HashSet<Stmt> Updates, List<Expr> Kinks);

    /// <summary>Locals assigned once plainly and otherwise only by <c>if (v &gt; m) m = v;</c>, <c>m = Math.Max(m, v)</c> or <c>m = v &gt; m ? v : m</c>.</summary>
    private static IEnumerable<Candidate> RunningExtrema(Block body)
    {
        var inits = new Dictionary<string, List<(Stmt, For?)>>(System.StringComparer.Ordinal);
        var updates = new Dictionary<string, (HashSet<Stmt> Statements, List<Expr> Kinks)>(System.StringComparer.Ordinal);
        var other = new HashSet<string>(System.StringComparer.Ordinal);
        void Visit(Block block, For? loop)
        {
            foreach (var s in block.Statements)
            {
                if (Update(s) is { } update)
                {
                    if (!updates.TryGetValue(update.Name, out var u)) updates[update.Name] = u = (new HashSet<Stmt>(Model.ReferenceEqualityComparer.Instance), new List<Expr>());
                    u.Statements.Add(s);
                    u.Kinks.Add(update.Kink);
                    continue;
                }
                if (s is Assign a && !ExprWalker.Reads(a.Value).Contains(a.Target))
                {
                    if (!inits.TryGetValue(a.Target, out var list)) inits[a.Target] = list = new List<(Stmt, For?)>();
                    list.Add((s, loop));
                    continue;
                }
                if (StatementWalker.Target(s) is { } target) other.Add(target);
                foreach (var inner in IrWalker.Blocks(s))
                {
                    // An initialization inside an if may not run: only a loop body's top level, or the method's, counts.
                    if (s is For f) Visit(inner, f);
                    else foreach (var nested in IrWalker.Flatten(inner)) if (StatementWalker.Target(nested) is { } t) other.Add(t);
                }
            }
        }
        Visit(body, null);
        foreach (var pair in updates)
        {
            if (other.Contains(pair.Key) || !inits.TryGetValue(pair.Key, out var init) || init.Count != 1) continue;
            yield return new Candidate(pair.Key, init[0].Item1, init[0].Item2, pair.Value.Statements, pair.Value.Kinks);
        }
    }

    /// <summary>The variable a statement only updates to the larger (or smaller) of itself and another value, and the comparison or call that picks.</summary>
    private static (string Name, Expr Kink)? Update(Stmt s)
    {
        switch (s)
        {
            case If { Condition: Binary { Op: BinaryOp.Less or BinaryOp.LessOrEqual or BinaryOp.Greater or BinaryOp.GreaterOrEqual } condition } branch:
            {
                var assigns = branch.Then.Statements.Concat(branch.Else.Statements).ToList();
                if (assigns.Count != 1 || assigns[0] is not Assign a || ExprWalker.Reads(a.Value).Contains(a.Target)) return null;
                return Compares(condition, a.Target, a.Value) ? (a.Target, condition) : null;
            }
            case Assign { Value: MathCall { Function: MathFunction.Max or MathFunction.Min } call } a
                when call.Arguments.Any(x => x is VarRef v && v.Name == a.Target) && call.Arguments.Count(x => ExprWalker.Reads(x).Contains(a.Target)) == 1:
                return (a.Target, call);
            case Assign { Value: Conditional { Condition: Binary condition } c } a
                when (c.WhenTrue is VarRef t && t.Name == a.Target || c.WhenFalse is VarRef f && f.Name == a.Target)
                     && Compares(condition, a.Target, c.WhenTrue is VarRef { } tt && tt.Name == a.Target ? c.WhenFalse : c.WhenTrue):
                return (a.Target, condition);
            default:
                return null;
        }
    }

    /// <summary>Whether the comparison is between <paramref name="name"/> itself and exactly <paramref name="value"/>.</summary>
    private static bool Compares(Binary condition, string name, Expr value) =>
        condition.Left is VarRef l && l.Name == name && condition.Right.Equals(value)
        || condition.Right is VarRef r && r.Name == name && condition.Left.Equals(value);

    private enum Kind
    {
        /// <summary>Not assigned yet (the fixed point's start).</summary>
        Bottom,
        /// <summary>The constant 0: unchanged by any shift, and a valid value of every scale.</summary>
        Zero,
        Shift,
        Scale,
        Other,
    }

    /// <summary>How a value changes when m moves by c: by K·c (Shift), by the factor e^(K·c) (Scale). Shift 0 is invariance.</summary>
    private readonly record struct Change(Kind Kind, int K)
    {
        public static readonly Change Bottom = new(Kind.Bottom, 0);
        public static readonly Change Zero = new(Kind.Zero, 0);
        public static readonly Change Invariant = new(Kind.Shift, 0);
        public static readonly Change Other = new(Kind.Other, 0);

        public static Change ShiftBy(int k) => new(Kind.Shift, k);

        /// <summary>Scaled by e⁰ is unchanged.</summary>
        public static Change ScaleBy(int k) => k == 0 ? Invariant : new(Kind.Scale, k);

        public bool IsInvariant => Kind is Kind.Zero || Kind == Kind.Shift && K == 0;

        /// <summary>As a factor: the invariants scale by e⁰; Zero fits any scale (null: not a scaled value).</summary>
        public int? ScaleK => IsInvariant ? 0 : Kind == Kind.Scale ? K : null;

        public Change Join(Change other) =>
            Kind == Kind.Bottom ? other
            : other.Kind == Kind.Bottom ? this
            : this == other ? this
            : Kind == Kind.Zero && other.Kind == Kind.Scale ? other
            : other.Kind == Kind.Zero && Kind == Kind.Scale ? this
            : Kind == Kind.Zero && other.IsInvariant || other.Kind == Kind.Zero && IsInvariant ? Invariant
            : Other;
    }

    /// <summary>The fixed point of the changes of every variable and local array, with m's own updates left out.</summary>
    private sealed class Interpretation
    {
        private readonly Block _body;
        private readonly Candidate _m;
        private readonly Dictionary<string, Change> _changes = new(System.StringComparer.Ordinal);
        private readonly HashSet<string> _arrays = new(System.StringComparer.Ordinal);
        private bool _changed;
        private bool _unknownStatement;

        public Interpretation(Block body, Candidate m)
        {
            _body = body;
            _m = m;
        }

        public bool ResultIsInvariant(string result)
        {
            for (int pass = 0; pass < 20; pass++)
            {
                _changed = false;
                Run(_body, invariantControl: true);
                if (_unknownStatement) return false;
                if (!_changed) break;
            }
            if (_changed || !Of(result).IsInvariant) return false;
            // m is one value per iteration of its loop: a shifted value carried into the next iteration would mix two ms,
            // and so would a local array, whose elements from different iterations can meet later.
            return _m.Loop is null || !_changes.Where(c => !c.Value.IsInvariant).Any(c => _arrays.Contains(c.Key) || CarriedAcrossIterations(_m.Loop, c.Key));
        }

        private Change Of(string name) => name == _m.Name ? Change.ShiftBy(1) : _changes.TryGetValue(name, out var c) ? c : Change.Invariant;

        private void Set(string name, Change change, bool invariantControl)
        {
            if (!invariantControl && change.Kind != Kind.Bottom) change = Change.Other;
            var had = _changes.TryGetValue(name, out var c) ? c : Change.Bottom;
            var joined = had.Join(change);
            if (joined == had) return;
            _changes[name] = joined;
            _changed = true;
        }

        private void Run(Block block, bool invariantControl)
        {
            foreach (var s in block.Statements)
            {
                if (ReferenceEquals(s, _m.Init) || _m.Updates.Contains(s)) continue;
                switch (s)
                {
                    case Assign a:
                        Set(a.Target, Eval(a.Value), invariantControl);
                        break;
                    case AssignElement e:
                        _arrays.Add(e.Array);
                        Set(e.Array, e.Indices.All(i => Eval(i).IsInvariant) ? Eval(e.Value) : Change.Other, invariantControl);
                        break;
                    case CallAssign call:
                        Set(call.Target, call.Arguments.All(x => Eval(x).IsInvariant) ? Change.Invariant : Change.Other, invariantControl);
                        break;
                    case AllocateArray array:
                        _arrays.Add(array.Name);
                        Set(array.Name, Change.Zero, invariantControl);
                        break;
                    case If branch:
                        bool invariantCondition = Eval(branch.Condition).IsInvariant;
                        Run(branch.Then, invariantControl && invariantCondition);
                        Run(branch.Else, invariantControl && invariantCondition);
                        break;
                    case For loop:
                        Set(loop.Counter, Change.Invariant, invariantControl);
                        Run(loop.Body, invariantControl && Eval(loop.Start).IsInvariant && Eval(loop.Bound).IsInvariant
                                       && (loop.ExitFlag is null || Of(loop.ExitFlag).IsInvariant));
                        break;
                    default:
                        _unknownStatement = true;
                        return;
                }
            }
        }

        private Change Eval(Expr e)
        {
            switch (e)
            {
                case Const c: return c.Value == 0 ? Change.Zero : Change.Invariant;
                case VarRef v: return Of(v.Name);
                case ElementRef element:
                    if (!element.Indices.All(i => Eval(i).IsInvariant)) return Change.Other;
                    return _changes.TryGetValue(element.Array, out var array) ? array : Change.Invariant;
                case ArrayRef a: return _changes.TryGetValue(a.Array, out var whole) && !whole.IsInvariant ? Change.Other : Change.Invariant;
                case LengthOf or RowLength: return Change.Invariant;
                case Convert { Type: ScalarType.Double } widened: return Eval(widened.Operand); // sum = (double)0 is still 0
                case Unary { Op: UnaryOp.Negate } u:
                    var operand = Eval(u.Operand);
                    return operand.Kind == Kind.Shift ? Change.ShiftBy(-operand.K) : operand;
                case Binary b: return Binary(b.Op, Eval(b.Left), Eval(b.Right));
                case Conditional c:
                    return Eval(c.Condition).IsInvariant ? Eval(c.WhenTrue).Join(Eval(c.WhenFalse)) : Change.Other;
                case MathCall { Function: MathFunction.Exp } call:
                    var x = Eval(call.Arguments[0]);
                    return x.Kind == Kind.Shift ? Change.ScaleBy(x.K) : Lift(x);
                case MathCall { Function: MathFunction.Log } call:
                    var y = Eval(call.Arguments[0]);
                    return y.Kind == Kind.Scale ? Change.ShiftBy(y.K) : Lift(y);
                default:
                    // Any other operation of invariant operands is invariant; of changing ones, not followed.
                    var parts = IrWalker.Children(e).Select(Eval).ToList();
                    return parts.Any(p => p.Kind == Kind.Bottom) ? Change.Bottom : parts.All(p => p.IsInvariant) ? Change.Invariant : Change.Other;
            }
        }

        private static Change Lift(Change c) => c.Kind == Kind.Bottom ? c : c.IsInvariant ? Change.Invariant : Change.Other;

        private static Change Binary(BinaryOp op, Change l, Change r)
        {
            if (l.Kind == Kind.Bottom || r.Kind == Kind.Bottom) return Change.Bottom;
            if (l.Kind == Kind.Other || r.Kind == Kind.Other) return Change.Other;
            switch (op)
            {
                case BinaryOp.Add or BinaryOp.Subtract:
                    if (r.Kind == Kind.Zero) return l;
                    if (l.Kind == Kind.Zero) return op == BinaryOp.Add ? r : r.Kind == Kind.Shift ? Change.ShiftBy(-r.K) : r;
                    if (l.Kind == Kind.Shift && r.Kind == Kind.Shift) return Change.ShiftBy(op == BinaryOp.Add ? l.K + r.K : l.K - r.K);
                    return l.Kind == Kind.Scale && l == r ? l : Change.Other;
                case BinaryOp.Multiply:
                    if (l.Kind == Kind.Zero || r.Kind == Kind.Zero) return Change.Zero;
                    return l.ScaleK is { } a && r.ScaleK is { } b ? Change.ScaleBy(a + b) : Change.Other;
                case BinaryOp.Divide:
                    if (l.Kind == Kind.Zero) return Change.Zero;
                    return l.ScaleK is { } n && r.ScaleK is { } d ? Change.ScaleBy(n - d) : Change.Other;
                case BinaryOp.Less or BinaryOp.LessOrEqual or BinaryOp.Greater or BinaryOp.GreaterOrEqual or BinaryOp.Equal or BinaryOp.NotEqual:
                    // Both sides moved by the same k·c, or scaled by the same positive factor (0 included): the order holds.
                    if (l.IsInvariant && r.IsInvariant) return Change.Invariant;
                    if (l.Kind == Kind.Shift && r.Kind == Kind.Shift && l.K == r.K) return Change.Invariant;
                    return l.ScaleK is { } p && r.ScaleK is { } q && (p == q || l.Kind == Kind.Zero || r.Kind == Kind.Zero) ? Change.Invariant : Change.Other;
                default:
                    return l.IsInvariant && r.IsInvariant ? Change.Invariant : Change.Other;
            }
        }

        /// <summary>Whether an iteration of <paramref name="loop"/> can read <paramref name="name"/> before assigning it (reading the previous iteration's value).</summary>
        private static bool CarriedAcrossIterations(For loop, string name)
        {
            bool exposed = false;
            void Walk(Block block, bool assigned, out bool assignedAfter)
            {
                foreach (var s in block.Statements)
                {
                    if (!assigned && IrWalker.Expressions(s).SelectMany(IrWalker.Descendants).Any(x => x is VarRef v && v.Name == name || x is ElementRef a && a.Array == name || x is ArrayRef r && r.Array == name))
                        exposed = true;
                    switch (s)
                    {
                        case If branch:
                            Walk(branch.Then, assigned, out bool inThen);
                            Walk(branch.Else, assigned, out bool inElse);
                            assigned |= inThen && inElse;
                            break;
                        case For inner:
                            Walk(inner.Body, assigned, out _); // may run no iteration: assigns nothing for sure
                            break;
                        default:
                            if (StatementWalker.Target(s) == name && s is Assign or CallAssign) assigned = true;
                            else if (IrWalker.IsCompound(s)) exposed = true; // a kind this walk does not follow
                            break;
                    }
                }
                assignedAfter = assigned;
            }
            Walk(loop.Body, assigned: false, out _);
            return exposed;
        }
    }
}
