using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Optimization;

/// <summary>
/// Replaces counted inner loops that are dot products or axpys by calls to the runtime's vectorized kernels
/// (<c>Differentiator.Kernels</c>), in the forward and the reverse sweep alike. A loop
/// <c>for (int j = start; j &lt; bound; j++) { … }</c> (ascending by one, no exit flag, start and bound loop-invariant)
/// matches when every statement of its body, comments aside, is one of
/// <list type="bullet">
/// <item><c>s = s + a[…, o1 + j] * b[…, o2 + j]</c> — a dot product (<see cref="DotAccumulate"/>);</item>
/// <item><c>y[…, o1 + j] = y[…, o1 + j] + c * x[…, o2 + j]</c> or <c>… + x[…] * c</c>, x not y — an axpy (<see cref="AxpyUpdate"/>);</item>
/// </list>
/// where the leading indices (the row of a 2-D or jagged array), the offsets o1, o2 and the scale c are
/// loop-invariant: they read neither j nor anything the body writes; the operand arrays are not written by the
/// body; and no two statements write the same variable or array (so they are independent and each becomes a call
/// of its own). Anything else — a stride other than 1, a descending loop, an extra statement, a j-dependent scale or
/// offset, a scaled dot product (s += a[j] * b[j] * c), an elementwise product, a subtraction — stays a scalar loop.
/// <para>Exactness: an axpy computes every element as the loop does (bit-identical); a dot product adds the same
/// products in another order (docs/semantics.md), and its sum starts at −0.0 so <c>s + Dot(…)</c> is exactly s for an
/// empty loop.</para>
/// </summary>
internal static class LoopVectorizer
{
    public static Block Apply(Block block)
    {
        var output = new List<Stmt>(block.Statements.Count);
        foreach (var s in block.Statements)
        {
            switch (s)
            {
                case If i:
                    output.Add(i with { Then = Apply(i.Then), Else = Apply(i.Else) });
                    break;
                case For f when Match(f) is { } replacement:
                    output.AddRange(replacement);
                    break;
                case For f:
                    output.Add(f with { Body = Apply(f.Body) });
                    break;
                default:
                    output.Add(s);
                    break;
            }
        }
        return new Block(output.ToEquatableArray());
    }

    /// <summary>The statements that replace the loop — its comments and one kernel call per statement — or null when it does not match.</summary>
    internal static IReadOnlyList<Stmt>? Match(For loop)
    {
        if (loop.Step != 1 || loop.Compare != BinaryOp.Less || loop.ExitFlag is not null) return null;
        if (loop.Start.Type != ScalarType.Int || loop.Bound.Type != ScalarType.Int) return null;
        var statements = loop.Body.Statements.Where(s => s is not Comment).ToList();
        if (statements.Count == 0) return null;

        // What the body writes: each statement's target, once.
        var written = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var s in statements)
        {
            string? target = s switch { Assign a => a.Target, AssignElement ae => ae.Array, _ => null };
            if (target is null || !written.Add(target)) return null;
        }
        var context = new LoopContext(loop, written);
        if (!context.Invariant(loop.Start) || !context.Invariant(loop.Bound)) return null;

        var output = new List<Stmt>(loop.Body.Statements.Count);
        foreach (var s in loop.Body.Statements)
        {
            if (s is Comment)
            {
                output.Add(s);
                continue;
            }
            Stmt? kernel = s switch
            {
                Assign a => MatchDot(a, context),
                AssignElement ae => MatchAxpy(ae, context),
                _ => null,
            };
            if (kernel is null) return null;
            output.Add(kernel with { Location = loop.Location });
        }
        return output;
    }

    /// <summary><c>s = s + a[…] * b[…]</c>, both factors runs along the counter.</summary>
    private static DotAccumulate? MatchDot(Assign assign, LoopContext context)
    {
        if (assign.Value is not Binary { Op: BinaryOp.Add, Left: VarRef accumulator, Right: Binary { Op: BinaryOp.Multiply } product } sum) return null;
        if (accumulator.Name != assign.Target || !IsFloating(sum.Type) || accumulator.Type != sum.Type || product.Type != sum.Type) return null;
        if (product.Left is not ElementRef left || product.Right is not ElementRef right) return null;
        if (left.Type != sum.Type || right.Type != sum.Type) return null;
        var a = context.InputRun(left);
        var b = context.InputRun(right);
        if (a is null || b is null) return null;
        return new DotAccumulate(assign.Target, sum.Type, a, b, context.Loop.Counter, context.Loop.Start, context.Loop.Bound, assign);
    }

    /// <summary><c>y[…] = y[…] + c * x[…]</c> (either order of the product), x a run along the counter other than y, c invariant.</summary>
    private static AxpyUpdate? MatchAxpy(AssignElement assign, LoopContext context)
    {
        if (assign.Value is not Binary { Op: BinaryOp.Add, Left: ElementRef current, Right: Binary { Op: BinaryOp.Multiply } product } sum) return null;
        var destination = new ElementRef(assign.Array, assign.Indices, assign.Jagged);
        if (!current.Equals(destination) || !IsFloating(sum.Type) || product.Type != sum.Type) return null;
        var y = context.Run(destination);
        if (y is null) return null;
        foreach (var (element, scale) in new[] { (product.Right, product.Left), (product.Left, product.Right) })
        {
            if (element is not ElementRef source || source.Type != sum.Type || scale.Type != sum.Type) continue;
            if (!context.Invariant(scale)) continue;
            var x = context.InputRun(source);
            if (x is not null) return new AxpyUpdate(scale, x, y, context.Loop.Counter, context.Loop.Start, context.Loop.Bound, assign);
        }
        return null;
    }

    private static bool IsFloating(ScalarType type) => type is not (ScalarType.Int or ScalarType.Bool);

    private sealed class LoopContext
    {
        private readonly HashSet<string> _variant;

        public LoopContext(For loop, HashSet<string> written)
        {
            Loop = loop;
            _variant = new HashSet<string>(written, System.StringComparer.Ordinal) { loop.Counter };
        }

        public For Loop { get; }

        /// <summary>Reads neither the counter nor anything the body writes.</summary>
        public bool Invariant(Expr e) => !ExprWalker.Reads(e).Overlaps(_variant);

        /// <summary>A run the body only reads: of an array no statement of the body writes (so x is not y, nor another statement's y).</summary>
        public ElementRun? InputRun(ElementRef element) => _variant.Contains(element.Array) ? null : Run(element);

        /// <summary>
        /// The elements <paramref name="element"/> visits as the counter runs from the loop's start to its bound,
        /// when they are consecutive: the last index is offset + counter (offset invariant), the others invariant.
        /// </summary>
        public ElementRun? Run(ElementRef element)
        {
            int rank = element.Indices.Count;
            if (rank == 0 || rank > 2 || (element.Jagged && rank != 2)) return null;
            var leading = element.Indices.Take(rank - 1).ToList();
            if (!leading.All(Invariant)) return null;
            var offset = OffsetOf(element.Indices[rank - 1]);
            if (offset is null || !Invariant(offset)) return null;
            return new ElementRun(element.Array, leading.ToEquatableArray(), element.Jagged, Plus(offset, Loop.Start), Minus(Loop.Bound, Loop.Start));
        }

        /// <summary>For an index that is a sum of terms one of which is +counter, the sum of the others (0 if none); else null.</summary>
        private Expr? OffsetOf(Expr index)
        {
            if (index.Type != ScalarType.Int) return null;
            var terms = new List<(Expr Term, bool Negated)>();
            Terms(index, negated: false, terms);
            int counters = terms.Count(t => t.Term is VarRef v && v.Name == Loop.Counter);
            int positive = terms.Count(t => t.Term is VarRef v && v.Name == Loop.Counter && !t.Negated);
            if (counters != 1 || positive != 1) return null;
            Expr? offset = null;
            foreach (var (term, negated) in terms)
            {
                if (term is VarRef v && v.Name == Loop.Counter) continue;
                offset = offset is null
                    ? (negated ? new Unary(UnaryOp.Negate, term, ScalarType.Int) : term)
                    : new Binary(negated ? BinaryOp.Subtract : BinaryOp.Add, offset, term, ScalarType.Int);
            }
            return offset ?? Zero;
        }

        private static void Terms(Expr e, bool negated, List<(Expr, bool)> terms)
        {
            if (e is Binary { Op: BinaryOp.Add or BinaryOp.Subtract, ResultType: ScalarType.Int } b)
            {
                Terms(b.Left, negated, terms);
                Terms(b.Right, b.Op == BinaryOp.Subtract ? !negated : negated, terms);
                return;
            }
            terms.Add((e, negated));
        }
    }

    private static readonly Const Zero = new(0, ScalarType.Int);

    private static bool IsZero(Expr e) => e is Const { Type: ScalarType.Int, Value: 0 };

    private static Expr Plus(Expr a, Expr b) => IsZero(a) ? b : IsZero(b) ? a : new Binary(BinaryOp.Add, a, b, ScalarType.Int);

    private static Expr Minus(Expr a, Expr b) => IsZero(b) ? a : new Binary(BinaryOp.Subtract, a, b, ScalarType.Int);
}
