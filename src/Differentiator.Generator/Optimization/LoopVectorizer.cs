using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Optimization;

/// <summary>
/// Replaces counted inner loops that are dot products or axpys by calls to the runtime's vectorized kernels
/// (<c>Differentiator.Kernels</c>), in the forward and the reverse sweep alike. A loop
/// <c>for (int j = start; j &lt; bound; j++) { … }</c> or <c>for (int j = last; j &gt;= first; j--) { … }</c> (by one,
/// no exit flag, bounds loop-invariant) matches when every statement of its body, comments aside, is one of
/// <list type="bullet">
/// <item><c>s = s + a[…, o1 + j] * b[…, o2 + j]</c>, s a variable or an element <c>y[…]</c> at an invariant index — a dot product (<see cref="DotAccumulate"/>);</item>
/// <item><c>y[…, o1 + j] = y[…, o1 + j] + c * x[…, o2 + j]</c> or <c>… + x[…] * c</c>, x not y — an axpy (<see cref="AxpyUpdate"/>);</item>
/// <item><c>double t = a[…];</c> reading nothing the body writes — put in place of t in the statements after it
/// (the reverse sweep reads an adjoint once this way before using it twice).</item>
/// </list>
/// where the leading indices (the row of a 2-D or jagged array), the offsets o1, o2 and the scale c are
/// loop-invariant: they read neither j nor anything the body writes; the operand arrays are not written by the
/// body; and no two statements write the same variable or array (so they are independent and each becomes a call
/// of its own). Anything else — a stride other than 1, an extra statement, a j-dependent scale or
/// offset, a scaled dot product (s += a[j] * b[j] * c), an elementwise product, a subtraction — stays a scalar loop.
/// <para>The kernels run when the loop would run at least <see cref="ShortestRun"/> times (<see cref="ShortestSharedRun"/>
/// when it becomes several kernels, <see cref="ShortestFlatAxpyRun"/> when it is one axpy over one-dimensional runs,
/// <see cref="ShortestRowRun"/> when it is one kernel along a row); shorter runs keep the loop — along a row, the loop
/// over views of its runs (<see cref="VectorKernel.SpanNames"/>, <see cref="RunView"/>).</para>
/// <para>Exactness: an axpy computes every element as the loop does (bit-identical, in any order of the elements); a
/// dot product adds the same products in another order (docs/semantics.md), and its sum starts at −0.0 so
/// <c>s + Dot(…)</c> is exactly s for an empty loop.</para>
/// </summary>
internal static class LoopVectorizer
{
    /// <summary>
    /// Vectorizes the block's inner loops, each versioned on its trip count (<see cref="LoopVersioning"/>), and moves those
    /// tests out of enclosing loops where they do not change (<see cref="LoopVersioning"/>).
    /// <paramref name="nonNullArrays"/>: arrays whose length may be read anywhere (spans, and arrays the gradient has
    /// already checked against its outputs' shapes), so a test on them may move before a loop that reads them.
    /// <paramref name="namesInUse"/>: every name of the method, so the locals versioning declares are new.
    /// </summary>
    public static Block Apply(Block block, IReadOnlyCollection<string>? nonNullArrays = null, IEnumerable<string>? namesInUse = null) =>
        new LoopVersioning(nonNullArrays ?? System.Array.Empty<string>(), namesInUse ?? MentionedIn(block)).Run(block);

    /// <summary>
    /// <see cref="Apply"/>, with the whole body written twice when its loops' tests can move to the method's entry
    /// (<see cref="LoopVersioning.RunVersioned"/>): <paramref name="entryValues"/> are the names that keep their value
    /// from entry to return.
    /// </summary>
    public static VersionedBody ApplyVersioned(Block block, IReadOnlyCollection<string> nonNullArrays, IEnumerable<string> namesInUse, IReadOnlyCollection<string> entryValues) =>
        new LoopVersioning(nonNullArrays, namesInUse).RunVersioned(block, entryValues);

    private static IEnumerable<string> MentionedIn(Block block)
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var s in IrWalker.Flatten(block))
        {
            StatementWalker.CollectMentions(s, names);
            if (s is For f) names.Add(f.Counter);
        }
        return names;
    }

    /// <summary>
    /// Runs shorter than this stay the loop: a kernel call costs two views and a call per run, which a loop of one or
    /// two iterations (a row of d = 1, the last columns of a triangle) does not pay back. Four doubles are one AVX2
    /// vector; the choice affects speed only, and the kernels themselves handle every length.
    /// </summary>
    internal const int ShortestRun = 4;

    /// <summary>
    /// Runs shorter than this stay the loop when the loop becomes more than one kernel call — GMM's reverse triangle,
    /// <c>dicf[column + j] += xcentered[i] * g[j]; _d_xcentered[i] += icf[column + j] * g[j]</c>, an axpy and a dot
    /// product. The loop reads the shared run once and does both in one pass; the kernels pay a call and two views each
    /// and read it twice. Measured (interleaved, docs/performance.md) on rows of 1–9 elements at d = 10 the kernels made
    /// the gradient 11–25 % slower than plain loops; at d = 20, rows of up to 19, neither won.
    /// </summary>
    internal const int ShortestSharedRun = 16;

    /// <summary>
    /// Runs shorter than this stay the loop when the loop is one axpy over one-dimensional runs — GMM's forward
    /// triangle, <c>qxcentered[j] += icf[column + j] * xcentered[i]</c>. There the JIT's plain loop costs one bounds
    /// check per element, and the kernel a call and two views: measured (interleaved, docs/performance.md), plain loops
    /// for runs under 8 made the GMM gradient 5–12 % faster at d = 10 and 20 and no slower at d = 2 (under 16: mixed).
    /// A run along a row of a 2-D array keeps <see cref="ShortestRun"/>: its plain loop checks both indices for every
    /// element, which the kernel does not (MSE's <c>dw[j] += X[i, j] * g</c>, rows of 5).
    /// </summary>
    internal const int ShortestFlatAxpyRun = 8;

    /// <summary>
    /// Runs shorter than this stay a loop when the loop is one kernel over a row (<see cref="IsRowLoop"/>) — MSE's
    /// <c>pred += X[i, j] * w[j]</c> and <c>dw[j] += X[i * d + j] * g</c> — and that loop is printed over the runs as
    /// spans (<see cref="VectorKernel.SpanNames"/>): no call, one bounds check per run. Measured on the MSE (interleaved,
    /// 5000 rows, docs/performance.md), against the fused scalar loop over spans: the loops over views 1.03–1.06× at
    /// d = 4 to 8, the kernels 1.26 / 1.17 / 1.18 / 1.13× at d = 4 to 7 and 0.78× at d = 8 (two vectors of four).
    /// </summary>
    internal const int ShortestRowRun = 8;

    /// <summary>
    /// Whether the loop became exactly one kernel, one of whose runs is a row: a row of a 2-D or jagged array
    /// (<c>X[i, j]</c>, <c>X[i][j]</c>) or a run of a flat array that starts at a product (<c>X[i * d + j]</c>, a row-major
    /// matrix), and all of whose runs are <see cref="Viewable"/>. Such a loop is the inner loop of a loop over rows, and
    /// runs once per row: its short form matters.
    /// </summary>
    internal static bool IsRowLoop(IReadOnlyList<Stmt> kernels)
    {
        var calls = kernels.OfType<VectorKernel>().ToList();
        return calls.Count == 1 && calls[0].Runs.Any(IsRow) && calls[0].Runs.All(Viewable);
    }

    /// <summary>
    /// Whether a view of the run may be taken where the loop stood even when the loop would not run: its row, start
    /// and count read no element and no row's length (<c>W[labels[i], k]</c>, <c>X[r][j]</c> for j &lt; X[r].Length would
    /// read an element first, which might throw).
    /// </summary>
    internal static bool Viewable(ElementRun run) =>
        !run.Leading.Append(run.Start).Append(run.Count).SelectMany(IrWalker.Descendants).Any(x => x is ElementRef or RowLength);

    /// <summary>A row of a 2-D or jagged array, or a run of a flat one that starts at a product (<c>X[i * d + j]</c>).</summary>
    internal static bool IsRow(ElementRun run) =>
        run.Leading.Count > 0 || IrWalker.Descendants(run.Start).Any(e => e is Binary { Op: BinaryOp.Multiply });

    /// <summary>
    /// The shortest run worth the kernels that replace a loop: <see cref="ShortestRowRun"/> for one kernel over a row,
    /// <see cref="ShortestSharedRun"/> when there are several, <see cref="ShortestFlatAxpyRun"/> for one axpy over
    /// one-dimensional runs, else <see cref="ShortestRun"/>.
    /// </summary>
    internal static int ShortestRunFor(IReadOnlyList<Stmt> kernels)
    {
        if (IsRowLoop(kernels)) return ShortestRowRun;
        var calls = kernels.OfType<VectorKernel>().ToList();
        if (calls.Count > 1) return ShortestSharedRun;
        return calls.Count == 1 && calls[0] is AxpyUpdate { Input.Leading.Count: 0, Destination.Leading.Count: 0 } ? ShortestFlatAxpyRun : ShortestRun;
    }

    /// <summary>The statements that replace the loop — its comments and one kernel call per statement — or null when it does not match.</summary>
    internal static IReadOnlyList<Stmt>? Match(For loop)
    {
        if (loop.ExitFlag is not null || loop.Start.Type != ScalarType.Int || loop.Bound.Type != ScalarType.Int) return null;
        // The iterations as an ascending range [first, end). Every kernel is indifferent to the order of the
        // iterations — an axpy's elements are independent, a dot product's terms are reassociated anyway — so the
        // reverse sweep's descending loops (for (j = d - 1; j >= i + 1; j--)) match as well as ascending ones.
        Expr first, end;
        if (loop.Step == 1 && loop.Compare == BinaryOp.Less) (first, end) = (loop.Start, loop.Bound);
        else if (loop.Step == -1 && loop.Compare == BinaryOp.GreaterOrEqual) (first, end) = (loop.Bound, PlusOne(loop.Start));
        else return null;
        var statements = InlineReads(loop.Body.Statements.Where(s => s is not Comment).ToList());
        if (statements is null || statements.Count == 0) return null;

        // What the body writes: each statement's target, once.
        var written = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var s in statements)
        {
            string? target = s switch { Assign a => a.Target, AssignElement ae => ae.Array, _ => null };
            if (target is null || !written.Add(target)) return null;
        }
        var context = new LoopContext(loop.Counter, first, end, written);
        if (!context.Invariant(first) || !context.Invariant(end)) return null;

        var output = new List<Stmt>(loop.Body.Statements.Count);
        output.AddRange(loop.Body.Statements.OfType<Comment>());
        foreach (var s in statements)
        {
            VectorKernel? kernel = s switch
            {
                Assign a => MatchDot(a.Target, a.Value, context, a),
                AssignElement ae => (VectorKernel?)MatchAxpy(ae, context) ?? MatchDot(ae, context),
                _ => null,
            };
            if (kernel is null) return null;
            output.Add(kernel with { Location = loop.Location, Descending = loop.Step == -1 });
        }
        return output;
    }

    /// <summary>
    /// The body with each <c>Let</c> of a plain read (<c>double t = a[j];</c>, the reverse sweep's way of reading an
    /// adjoint once) put in place of its name in the statements after it, when nothing in the body writes what it reads;
    /// null when a <c>Let</c> cannot be.
    /// </summary>
    private static List<Stmt>? InlineReads(List<Stmt> statements)
    {
        var written = new HashSet<string>(statements.Select(StatementWalker.Target).OfType<string>(), System.StringComparer.Ordinal);
        written.UnionWith(statements.OfType<AssignElement>().Select(ae => ae.Array));
        var names = new Dictionary<string, Expr>(System.StringComparer.Ordinal);
        var output = new List<Stmt>(statements.Count);
        Expr? Named(VarRef v) => names.TryGetValue(v.Name, out var value) ? value : null;
        foreach (var s in statements)
        {
            if (s is Let let)
            {
                if (let.Value is not (ElementRef or VarRef) || ExprWalker.Reads(let.Value).Overlaps(written)) return null;
                names[let.Name] = let.Value;
                continue;
            }
            output.Add(names.Count == 0 ? s : s switch
            {
                Assign a => a with { Value = ExprWalker.Substitute(a.Value, Named) },
                AssignElement ae => ae with { Indices = ExprWalker.Substitute(ae.Indices, Named), Value = ExprWalker.Substitute(ae.Value, Named) },
                _ => s,
            });
        }
        return output;
    }

    /// <summary><c>s = s + a[…] * b[…]</c> (s a variable, or an element at an invariant index), both factors runs along the counter.</summary>
    private static DotAccumulate? MatchDot(string target, Expr value, LoopContext context, Stmt original)
    {
        if (value is not Binary { Op: BinaryOp.Add, Left: VarRef accumulator } || accumulator.Name != target) return null;
        return MatchDot(accumulator, value, context, original);
    }

    /// <summary><c>y[i] = y[i] + a[…] * b[…]</c> with i invariant: the reverse of <c>z[j] += a[…, j] * x[i]</c> with respect to x.</summary>
    private static DotAccumulate? MatchDot(AssignElement assign, LoopContext context)
    {
        var destination = new ElementRef(assign.Array, assign.Indices, assign.Jagged);
        if (assign.Value is not Binary { Op: BinaryOp.Add, Left: ElementRef current } || !current.Equals(destination)) return null;
        if (!assign.Indices.All(context.Invariant)) return null;
        return MatchDot(destination, assign.Value, context, assign);
    }

    private static DotAccumulate? MatchDot(Expr destination, Expr value, LoopContext context, Stmt original)
    {
        if (value is not Binary { Op: BinaryOp.Add, Right: Binary { Op: BinaryOp.Multiply } product } sum) return null;
        if (!IsFloating(sum.Type) || destination.Type != sum.Type || product.Type != sum.Type) return null;
        if (product.Left is not ElementRef left || product.Right is not ElementRef right) return null;
        if (left.Type != sum.Type || right.Type != sum.Type) return null;
        var a = context.InputRun(left);
        var b = context.InputRun(right);
        if (a is null || b is null) return null;
        return new DotAccumulate(destination, sum.Type, a, b, context.Counter, context.First, context.End, original);
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
            if (x is not null) return new AxpyUpdate(scale, x, y, context.Counter, context.First, context.End, assign);
        }
        return null;
    }

    private static bool IsFloating(ScalarType type) => type is not (ScalarType.Int or ScalarType.Bool);

    private sealed class LoopContext
    {
        private readonly HashSet<string> _variant;

        public LoopContext(string counter, Expr first, Expr end, HashSet<string> written)
        {
            Counter = counter;
            First = first;
            End = end;
            _variant = new HashSet<string>(written, System.StringComparer.Ordinal) { counter };
        }

        public string Counter { get; }

        /// <summary>The counter's first value, in ascending order.</summary>
        public Expr First { get; }

        /// <summary>One past the counter's last value, in ascending order.</summary>
        public Expr End { get; }

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
            return new ElementRun(element.Array, leading.ToEquatableArray(), element.Jagged, Plus(offset, First), Minus(End, First));
        }

        /// <summary>For an index that is a sum of terms one of which is +counter, the sum of the others (0 if none); else null.</summary>
        private Expr? OffsetOf(Expr index)
        {
            if (index.Type != ScalarType.Int) return null;
            var terms = new List<(Expr Term, bool Negated)>();
            Terms(index, negated: false, terms);
            int counters = terms.Count(t => t.Term is VarRef v && v.Name == Counter);
            int positive = terms.Count(t => t.Term is VarRef v && v.Name == Counter && !t.Negated);
            if (counters != 1 || positive != 1) return null;
            Expr? offset = null;
            foreach (var (term, negated) in terms)
            {
                if (term is VarRef v && v.Name == Counter) continue;
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

    /// <summary><c>e + 1</c>, written <c>n</c> when e is <c>n - 1</c> (the reverse sweep's start of a loop that ran below n).</summary>
    private static Expr PlusOne(Expr e) =>
        e is Binary { Op: BinaryOp.Subtract, Right: Const { Type: ScalarType.Int, Value: 1 } } b ? b.Left : new Binary(BinaryOp.Add, e, new Const(1, ScalarType.Int), ScalarType.Int);

    private static Expr Minus(Expr a, Expr b) => IsZero(b) ? a : new Binary(BinaryOp.Subtract, a, b, ScalarType.Int);
}
