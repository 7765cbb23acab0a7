using System;
using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Optimization;

/// <summary>
/// The walk of <see cref="LoopVectorizer"/>: each vectorizable inner loop becomes
/// <c>if (count &gt;= 4) { kernels } else { loop }</c>, and such a test moves out of an enclosing loop that does not
/// change it: <c>for (i…) { …; if (w.Length &gt;= 4) { A } else { B }; … }</c> becomes
/// <c>if (w.Length &gt;= 4) { for (i…) { …; A; … } } else { for (i…) { …; B; … } }</c> (loop unswitching).
/// <para>
/// Why: measured on the MSE, a test inside the row loop cost 10–30 % at d = 5, where the kernels run, against the
/// same loop without it; without any test, the kernels' views cost 1.6× at d = 1, where a plain loop alone measured
/// 1.04–1.09× the hand-written one. Unswitched, each size runs the version it is fastest with and the test runs once
/// per call. (The MSE with both versions in one method still measured 1.14–1.15× at d = 1, hence <see cref="RunVersioned"/>.)
/// </para>
/// <para>
/// A test moves only when all the tests at the top of the loop's body are the same (so the loop is copied once,
/// not once per test), when it reads nothing the loop writes, and when the arrays whose lengths it reads cannot be
/// null: evaluated before a loop that might not run at all, it must not throw where the loop would not have.
/// </para>
/// </summary>
internal sealed class LoopVersioning
{
    private readonly HashSet<string> _nonNullArrays;
    private readonly HashSet<If> _tests = new(Model.ReferenceEqualityComparer.Instance);
    private readonly HashSet<If> _unswitched = new(Model.ReferenceEqualityComparer.Instance);

    /// <summary>Said above each loop written twice, so a reader of the generated file knows why.</summary>
    internal static string TwiceComment(int shortestRun, bool overSpans = false) =>
        "Written twice: with vectorized kernels when the runs have " + shortestRun.ToString(System.Globalization.CultureInfo.InvariantCulture) + " elements or more, with "
        + (overSpans ? "loops over views of the rows (bounds checked once per row)" : "plain loops") + " when shorter.";

    private readonly NameAllocator _names;

    /// <summary>Said above the sums a loop's plain version keeps in locals of its own.</summary>
    internal const string OwnSumsComment = "This version's sums in locals of its own, which stay in registers: the other version's kernel calls would keep them in memory.";

    /// <summary>Said above the sums a loop's kernel version keeps in locals of its own.</summary>
    internal const string KernelSumsComment = "This version's sums in locals of its own too: kept in memory across its kernel calls, they leave the sums read after the loop in registers.";

    public LoopVersioning(IReadOnlyCollection<string> nonNullArrays, IEnumerable<string> namesInUse)
    {
        _nonNullArrays = new HashSet<string>(nonNullArrays, StringComparer.Ordinal);
        _names = new NameAllocator(namesInUse);
    }

    /// <summary><see cref="Apply"/>, then a comment above each loop that ended up written twice, each of whose versions gets sums of its own.</summary>
    public Block Run(Block block) => Finish(Apply(block), outermost: true);

    /// <summary>
    /// <see cref="Run"/>, or, when every loop written twice at the top of the method tests the same condition and
    /// that condition reads only <paramref name="entryValues"/> (parameters the method never assigns; for short rows,
    /// also integer locals fixed from them at the top, <see cref="EntryDefinitions"/>), the whole
    /// body written twice instead: once with the kernels, once with the plain loops, the test made once on entry.
    /// Why: measured on the MSE at (5, 1), the method holding both versions of its row loop cost 1.14–1.15× the
    /// hand-written loop; with the plain version in a method of its own, 1.05–1.06×, and no slower at (5000, 5)
    /// (interleaved, docs/performance.md). One method with both versions needs the frame, the saved registers and
    /// the spills of the larger; the short rows' method is as small as the hand-written loop.
    /// </summary>
    public VersionedBody RunVersioned(Block block, IReadOnlyCollection<string> entryValues)
    {
        var applied = Apply(block);
        var twice = applied.Statements.OfType<If>().Where(_unswitched.Contains).ToList();
        if (twice.Count == 0 || twice.Any(t => !t.Condition.Equals(twice[0].Condition))
            || twice[0].Condition is not Binary { Op: BinaryOp.GreaterOrEqual } test)
            return new VersionedBody(Finish(applied, outermost: true), null, null);
        // The test as the entry can make it: for short rows (loops over views, the row-shaped loops issue 23 is about), a
        // local fixed at the top from entry values (int d = w.Length) read as its definition; other loops keep the rule
        // they were measured with (parameters only).
        var definitions = twice.All(HasShortRows) ? EntryDefinitions(applied, entryValues) : new Dictionary<string, Expr>(StringComparer.Ordinal);
        var atEntry = (Binary)ExprWalker.Substitute(test, v => definitions.TryGetValue(v.Name, out var value) ? value : null);
        if (!ReadsOnly(atEntry, entryValues) || !ReadsLengthsOnlyOf(atEntry, _nonNullArrays)) return new VersionedBody(Finish(applied, outermost: true), null, null);
        var shortRuns = atEntry with { Op = BinaryOp.Less };
        return new VersionedBody(Finish(Decided(applied, test, holds: true), outermost: true), Finish(Decided(applied, test, holds: false), outermost: true), shortRuns);
    }

    /// <summary>
    /// The integer locals that the block's top level defines, before its first compound statement, from entry values
    /// (or from locals so defined) without reading an element, and that nothing else assigns: e.g. <c>int d = w.Length;</c>.
    /// Each maps to its definition in entry values only, so a test of it can be made on entry instead.
    /// </summary>
    private static Dictionary<string, Expr> EntryDefinitions(Block block, IReadOnlyCollection<string> entryValues)
    {
        var definitions = new Dictionary<string, Expr>(StringComparer.Ordinal);
        var assignments = StatementWalker.Flatten(block).Select(StatementWalker.Target).OfType<string>()
            .GroupBy(n => n, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var s in block.Statements)
        {
            if (IrWalker.IsCompound(s)) break;
            var (name, value) = s switch { Let l => (l.Name, l.Value), Assign a => (a.Target, a.Value), _ => (null, null) };
            if (name is null || value is null || value.Type != ScalarType.Int || assignments[name] != 1 || ReadsElements(value)) continue;
            var inEntryValues = ExprWalker.Substitute(value, v => definitions.TryGetValue(v.Name, out var known) ? known : null);
            if (ReadsOnly(inEntryValues, entryValues)) definitions[name] = inEntryValues;
        }
        return definitions;
    }

    /// <summary>Whether every array whose length the expression reads is one of these (never null: reading it on entry cannot throw).</summary>
    private static bool ReadsLengthsOnlyOf(Expr e, HashSet<string> arrays) =>
        IrWalker.Descendants(e).OfType<LengthOf>().All(l => arrays.Contains(l.Array));

    /// <summary>
    /// The block with every test of the condition replaced by the branch it takes: at any depth, since the condition
    /// reads only values fixed from entry (GMM's loops over the components test <c>d &gt;= 4</c> too). A loop written
    /// twice that contains such a test stays one (tracked as before, so it still gets its comment and its sums).
    /// </summary>
    private Block Decided(Block block, Expr condition, bool holds) => IrRewriter.MapStatements(block, s =>
    {
        if (s is If test && test.Condition.Equals(condition)) return Decided(holds ? test.Then : test.Else, condition, holds).Statements;
        var decided = IrRewriter.MapBlocks(s, b => Decided(b, condition, holds));
        if (s is If i && _unswitched.Contains(i)) _unswitched.Add((If)decided);
        return new[] { decided };
    });

    /// <summary>Whether a loop written twice has, in its short version, kernels printed as loops over views (short rows).</summary>
    private static bool HasShortRows(If twice) => StatementWalker.Flatten(twice.Else).Any(x => x is VectorKernel { SpanNames.Count: > 0 });

    /// <summary>Whether the expression reads no variable or array but these.</summary>
    private static bool ReadsOnly(Expr e, IReadOnlyCollection<string> names)
    {
        var scalars = new HashSet<string>(StringComparer.Ordinal);
        var arrays = new HashSet<string>(StringComparer.Ordinal);
        ExprWalker.CollectReads(e, scalars, arrays);
        return scalars.Concat(arrays).All(names.Contains);
    }

    private Block Finish(Block block, bool outermost) => IrRewriter.MapStatements(block, s =>
    {
        if (s is not If i || !_unswitched.Contains(i)) return new[] { IrRewriter.MapBlocks(s, b => Finish(b, outermost)) };
        var comment = new Comment(TwiceComment(ShortestRunTested(i), HasShortRows(i)));
        var finished = outermost
            ? i with { Then = OwnSums(Finish(i.Then, false), KernelSumsComment), Else = OwnSums(Finish(i.Else, false), OwnSumsComment) }
            : IrRewriter.MapBlocks(i, b => Finish(b, false));
        return new[] { comment, finished };
    });

    /// <summary>
    /// A version of a loop written twice, its loop-carried scalars (the sums <c>sum += r * r</c>) renamed to locals
    /// copied in before the loop and out after it. Why: a variable is one variable to the JIT's register allocator,
    /// and one that lives across kernel calls is kept in memory (the ABI saves no floating-point register across a
    /// call), making each <c>sum +=</c> a load and a store. Copied, the plain version's loop compiles as the
    /// hand-written one does (checked on the MSE with <c>DOTNET_JitDisasm</c>). The kernel version gets copies too,
    /// so that no variable of the code after the loop lives across a call: without them <c>return sum / n</c> read
    /// <c>sum</c> back from the stack, and the MSE at (5, 1) measured 1.10–1.14× the hand-written loop against
    /// 1.05–1.10× with them (six interleaved A/B runs, docs/performance.md).
    /// </summary>
    private Block OwnSums(Block version, string comment)
    {
        if (version.Statements.Count != 1 || version.Statements[0] is not For loop) return version;
        var carried = LoopCarriedReals(loop);
        if (carried.Count == 0) return version;
        var names = carried.ToDictionary(v => v, v => _names.Allocate(v), StringComparer.Ordinal);
        var statements = new List<Stmt> { new Comment(comment) };
        statements.AddRange(carried.Select(v => new Let(names[v], new VarRef(v, ScalarType.Double))));
        statements.Add(loop with { Body = ScalarRenaming.Rename(loop.Body, names) });
        statements.AddRange(carried.Select(v => new Assign(v, new VarRef(names[v], ScalarType.Double))));
        return new Block(statements.ToEquatableArray());
    }

    /// <summary>
    /// The real scalars the body assigns and may read before assigning them in the same iteration (conservatively:
    /// only unconditional assignments at the top of the body define), in the order they are first read.
    /// </summary>
    private static List<string> LoopCarriedReals(For loop)
    {
        var assigned = new HashSet<string>(StatementWalker.Flatten(loop.Body).Where(s => s is not Let).Select(StatementWalker.Target).OfType<string>(), StringComparer.Ordinal);
        // A gradient call's outputs are written through out arguments, which ScalarRenaming leaves alone.
        assigned.ExceptWith(StatementWalker.Flatten(loop.Body).OfType<GradientCall>().SelectMany(g => g.Outputs.Select(o => o.Name)));
        var defined = new HashSet<string>(StringComparer.Ordinal);
        var carried = new List<string>();
        foreach (var s in loop.Body.Statements)
        {
            foreach (var e in IrWalker.Flatten(new Block(EquatableArray.Of(s))).SelectMany(IrWalker.Expressions))
                foreach (var v in RealReads(e))
                    if (assigned.Contains(v) && !defined.Contains(v) && !carried.Contains(v)) carried.Add(v);
            if (s is Assign or Pop) defined.Add(StatementWalker.Target(s)!);
        }
        return carried;
    }

    private static IEnumerable<string> RealReads(Expr e) =>
        IrWalker.Descendants(e).OfType<VarRef>().Where(v => v.Type == ScalarType.Double).Select(v => v.Name);

    private Block Apply(Block block) => IrRewriter.MapStatements(block, s =>
    {
        if (s is not For f) return new[] { IrRewriter.MapBlocks(s, Apply) };
        if (LoopVectorizer.Match(f) is { } kernels)
        {
            var replacement = Guarded(f, kernels);
            _tests.UnionWith(replacement.OfType<If>());
            return replacement;
        }
        return new[] { Unswitch((For)IrRewriter.MapBlocks(f, Apply)) };
    });

    /// <summary>
    /// <c>if (count &gt;= LoopVectorizer.ShortestRunFor(kernels)) { kernels } else { the loop }</c>: the loop versioned on its trip count; without
    /// the test when the count is a constant.
    /// </summary>
    private IReadOnlyList<Stmt> Guarded(For loop, IReadOnlyList<Stmt> kernels)
    {
        var count = kernels.OfType<VectorKernel>().First().Count;
        int shortest = LoopVectorizer.ShortestRunFor(kernels);
        var shortForm = LoopVectorizer.IsRowLoop(kernels) ? OverSpans(kernels) : new Stmt[] { loop };
        if (count is Const c) return c.Value >= shortest ? kernels : shortForm;
        var condition = new Binary(BinaryOp.GreaterOrEqual, count, new Const(shortest, ScalarType.Int), ScalarType.Bool);
        return new Stmt[] { new If(condition, new Block(kernels.ToEquatableArray()), new Block(shortForm.ToEquatableArray())) { Location = loop.Location } };
    }

    /// <summary>
    /// The kernels printed as the loop over their runs as spans (<see cref="VectorKernel.SpanNames"/>): a view
    /// (<see cref="RunView"/>) per distinct run, each given a new name, then the kernel.
    /// </summary>
    private IReadOnlyList<Stmt> OverSpans(IReadOnlyList<Stmt> kernels)
    {
        var output = new List<Stmt>();
        foreach (var s in kernels)
        {
            if (s is not VectorKernel k)
            {
                output.Add(s);
                continue;
            }
            var names = new Dictionary<ElementRun, string>();
            foreach (var run in k.Runs)
            {
                if (names.ContainsKey(run)) continue;
                names[run] = _names.Allocate(run.Array + "_run");
                output.Add(new RunView(names[run], run, Clamped: false) { Location = k.Location });
            }
            int bound = Math.Max(0, k.Runs.ToList().FindIndex(LoopVectorizer.IsRow));
            output.Add(k with { SpanNames = k.Runs.Select(r => names[r]).ToEquatableArray(), BoundRun = bound });
        }
        return output;
    }

    /// <summary>The loop, or <c>if (test) { loop with the kernels } else { loop with the loops }</c> when its tests can move out.</summary>
    private Stmt Unswitch(For loop)
    {
        var tests = loop.Body.Statements.OfType<If>().Where(_tests.Contains).ToList();
        if (tests.Count == 0) return loop;
        var condition = tests[0].Condition;
        if (tests.Any(t => !t.Condition.Equals(condition))) return loop;
        var changing = StatementWalker.AssignedIn(loop.Body);
        changing.Add(loop.Counter);
        var scalars = new HashSet<string>(StringComparer.Ordinal);
        var arrays = new HashSet<string>(StringComparer.Ordinal);
        ExprWalker.CollectReads(condition, scalars, arrays);
        if (scalars.Overlaps(changing) || arrays.Overlaps(changing) || !arrays.All(_nonNullArrays.Contains) || ReadsElements(condition)) return loop;

        Block Choose(Func<If, Block> branch) => new(loop.Body.Statements
            .SelectMany(s => s is If i && tests.Contains(i) ? branch(i).Statements : (IEnumerable<Stmt>)new[] { s })
            .ToEquatableArray());
        var unswitched = new If(condition, new Block(EquatableArray.Of<Stmt>(loop with { Body = Choose(t => t.Then) })),
            new Block(EquatableArray.Of<Stmt>(loop with { Body = Choose(t => t.Else) }))) { Location = loop.Location };
        _tests.Add(unswitched); // it may move further out
        _unswitched.Add(unswitched);
        return unswitched;
    }

    /// <summary>The run length a versioning test compares with (<see cref="Guarded"/> writes <c>count &gt;= shortest</c>).</summary>
    private static int ShortestRunTested(If test) => test.Condition is Binary { Right: Const c } ? (int)c.Value : LoopVectorizer.ShortestRun;

    /// <summary>Whether the expression reads an element (a jagged row's length does): only lengths and integers may move.</summary>
    private static bool ReadsElements(Expr e) => IrWalker.Descendants(e).Any(x => x is ElementRef or RowLength);
}

/// <summary>
/// A gradient body after loop versioning: <paramref name="Body"/> alone, or, when the test moved to the method's
/// entry, <paramref name="Body"/> for the runs the kernels take and <paramref name="ShortRuns"/> for those where
/// <paramref name="ShortRunsTest"/> holds (<c>w.Length &lt; 4</c>).
/// </summary>
internal sealed record VersionedBody(Block Body, Block? ShortRuns, Expr? ShortRunsTest);

