using System;
using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Primitives;
using Differentiator.Generator.Model;
using Differentiator.Generator.Optimization;
using static Differentiator.Generator.Tests.Stages.IrBuilder;
using Convert = Differentiator.Generator.Ir.Convert;

namespace Differentiator.Generator.Tests.Stages;

/// <summary>Ir/IrWalker.cs and Ir/IrRewriter.cs: every kind handled, and the two agreeing on what a node holds; an unknown kind throws; rewrites change what they should and keep the rest.</summary>
public class IrWalkerTests
{
    private static readonly Block Inner = Body(Set("x", D("y")));
    private static readonly ElementRun Run = new("a", EquatableArray.Of<Expr>(I("x")), false, Add(I("x"), CI(1)), I("n"));
    private static readonly Stmt Quoted = Loop("j", CI(0), I("n"), Set("x", Add(D("x"), At("a", I("j")))));

    /// <summary>One statement of each kind, each expression of it mentioning x where it can.</summary>
    private static IEnumerable<Stmt> StatementSamples() => new Stmt[]
    {
        Set("x", Add(D("x"), C(1))),
        new CallAssign("x", new CalleeInfo("", "F", EquatableArray<Parameter>.Empty), EquatableArray.Of<Expr>(D("x"), new ArrayRef("a"))),
        new If(Less(D("x"), C(0)), Inner, Body(Set("y", C(2)))),
        Loop("i", I("x"), I("n"), Set("y", D("x"))),
        new AllocateArray("a", I("x"), OnStack: false),
        new While(Less(D("x"), C(1)), Inner),
        new DoWhile(Inner, Less(D("x"), C(1))),
        new Break(),
        new Continue(),
        new Return(D("x")),
        new AssignElement("a", EquatableArray.Of<Expr>(I("x")), D("x")),
        new Push(D("x")) { Slot = new ScalarSlot("buffer", I("x")) },
        new Push(D("x")),
        new RentScalarSlots("buffer", I("x")),
        new PopElement("a", EquatableArray.Of<Expr>(I("x"))),
        new PushArray("a"),
        new PopArray("a"),
        new RentSnapshots("snapshots", "a", I("x")),
        new ViewSnapshot("a", "snapshots", I("x")),
        new AllocateAdjointArray("_d_a", "a", OnStack: true),
        new Pop("x", ScalarType.Double) { Slot = new ScalarSlot("buffer", I("x")) },
        new Pop("x", ScalarType.Double),
        new Let("t", Mul(D("x"), D("x"))),
        new ClearArray("_d_a"),
        new GradientCall(new CalleeInfo("", "F", EquatableArray<Parameter>.Empty), EquatableArray.Of<Expr>(D("x")), EquatableArray.Of(new GradientCallOutput("_d_x", null))),
        new ReleaseRented("buffer"),
        new Comment("x"),
        new Section("x"),
        new DotAccumulate(D("x"), ScalarType.Double, Run, Run with { Array = "b" }, "j", I("x"), I("n"), Quoted),
        new AxpyUpdate(D("x"), Run, Run with { Array = "b" }, "j", I("x"), I("n"), Quoted),
        new RunView("a_run", Run, Clamped: false),
    };

    private static IEnumerable<Expr> ExpressionSamples() => new Expr[]
    {
        C(1), D("x"), At("a", I("x"), CI(2)), new RowLength("a", I("x")), new LengthOf("a", -1), new Unary(UnaryOp.Negate, D("x"), ScalarType.Double),
        Add(D("x"), C(1)), new Conditional(Less(D("x"), C(0)), D("x"), C(0), ScalarType.Double), Call(MathFunction.Pow, D("x"), C(2)),
        new Convert(I("x"), ScalarType.Double), new ArrayRef("a"),
    };

    /// <summary>The concrete subclasses of <typeparamref name="T"/> in the generator.</summary>
    private static List<Type> Kinds<T>() =>
        typeof(Stmt).Assembly.GetTypes().Where(t => typeof(T).IsAssignableFrom(t) && !t.IsAbstract).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

    /// <summary>x renamed to y wherever it is read (indices and integers included).</summary>
    private static Expr Rename(Expr e) => IrRewriter.TopDown(e, x => x is VarRef { Name: "x" } v ? v with { Name = "y" } : null);

    [Fact]
    public void Every_statement_kind_has_a_sample_here_and_the_walker_and_the_rewriter_agree_on_its_expressions()
    {
        var samples = StatementSamples().ToList();
        // A new kind fails here first: give it a sample, then a case in Ir/IrWalker.cs and Ir/IrRewriter.cs.
        Assert.Equal(Kinds<Stmt>().Select(t => t.Name), samples.Select(s => s.GetType()).Distinct().OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => t.Name));
        foreach (var s in samples)
        {
            var expressions = IrWalker.Expressions(s).ToList();
            Assert.Same(s, IrRewriter.MapExpressions(s, e => e)); // nothing changed: the same record
            var renamed = IrRewriter.MapExpressions(s, Rename);
            // What the rewriter rebuilt is exactly what the walker sees: every expression renamed, nothing else.
            Assert.Equal(expressions.Select(Rename), IrWalker.Expressions(renamed));
            Assert.Equal(s.GetType(), renamed.GetType());
            bool mentionsX = expressions.SelectMany(IrWalker.Descendants).Any(e => e is VarRef { Name: "x" });
            Assert.Equal(mentionsX, !ReferenceEquals(s, renamed));

            var blocks = IrWalker.Blocks(s);
            Assert.Equal(s is If ? 2 : s is For or While or DoWhile ? 1 : 0, blocks.Count);
            Assert.Same(s, IrRewriter.MapBlocks(s, b => b));
            var replaced = IrRewriter.MapBlocks(s, _ => Body(new Comment("replaced")));
            Assert.Equal(blocks.Count > 0, !ReferenceEquals(s, replaced));
            Assert.All(IrWalker.Blocks(replaced), b => Assert.Equal(Body(new Comment("replaced")), b));
            Assert.Equal(expressions, IrWalker.Expressions(replaced)); // blocks only
        }
    }

    [Fact]
    public void Every_expression_kind_has_a_sample_here_and_the_walker_and_the_rewriter_agree_on_its_children()
    {
        var samples = ExpressionSamples().ToList();
        Assert.Equal(Kinds<Expr>().Select(t => t.Name), samples.Select(e => e.GetType()).Distinct().OrderBy(t => t.Name, StringComparer.Ordinal).Select(t => t.Name));
        foreach (var e in samples)
        {
            var children = IrWalker.Children(e);
            Assert.Same(e, IrRewriter.MapChildren(e, c => c));
            var mapped = IrRewriter.MapChildren(e, c => new Unary(UnaryOp.Negate, c, c.Type));
            Assert.Equal(children.Select(c => new Unary(UnaryOp.Negate, c, c.Type)), IrWalker.Children(mapped));
            Assert.Equal(children.Count > 0, !ReferenceEquals(e, mapped));
            Assert.Equal(1 + children.Sum(c => IrWalker.Descendants(c).Count()), IrWalker.Descendants(e).Count());
        }
    }

    private sealed record Strange : Stmt;

    private sealed record Weird() : Expr(ScalarType.Double);

    private sealed record StrangeKernel() : VectorKernel("j", CI(0), I("n"), new Comment("loop"))
    {
        public override IEnumerable<Expr> Expressions => Array.Empty<Expr>();

        public override Expr Count => I("n");

        public override IReadOnlyList<ElementRun> Runs => Array.Empty<ElementRun>();
    }

    [Fact]
    public void An_unknown_kind_throws_in_every_walk_and_rewrite_and_in_the_passes_built_on_them()
    {
        var strange = new Strange();
        Assert.Throws<InvalidOperationException>(() => IrWalker.Blocks(strange));
        Assert.Throws<InvalidOperationException>(() => IrWalker.Expressions(strange));
        Assert.Throws<InvalidOperationException>(() => IrRewriter.MapExpressions(strange, e => e));
        Assert.Throws<InvalidOperationException>(() => IrRewriter.MapBlocks(strange, b => b));
        Assert.Throws<InvalidOperationException>(() => IrRewriter.MapExpressions(new StrangeKernel(), e => e));
        // Nested, where a hand-written recursion over If and For would have passed it by.
        var nested = Body(Loop("i", CI(0), I("n"), new If(Less(D("x"), C(0)), Body(strange), Block.Empty)));
        var message = Assert.Throws<InvalidOperationException>(() => IrWalker.Flatten(nested).ToList()).Message;
        Assert.Contains("Strange", message);
        Assert.Throws<InvalidOperationException>(() => StatementWalker.AssignedIn(nested));
        Assert.Throws<InvalidOperationException>(() => ScalarRenaming.Rename(nested, new Dictionary<string, string> { ["x"] = "y" }));

        var weird = new Weird();
        Assert.Throws<InvalidOperationException>(() => IrWalker.Children(weird));
        Assert.Throws<InvalidOperationException>(() => IrRewriter.MapChildren(weird, e => e));
        Assert.Throws<InvalidOperationException>(() => IrWalker.Descendants(Add(D("x"), weird)).ToList());
        Assert.Throws<InvalidOperationException>(() => ExprWalker.Reads(Add(D("x"), weird)));
        Assert.Throws<InvalidOperationException>(() => ScalarRenaming.Rename(Body(Set("z", Mul(D("x"), weird))), new Dictionary<string, string> { ["x"] = "y" }));
        Assert.Throws<InvalidOperationException>(() => new ExprFactory().Import(Add(D("x"), weird)));
        Assert.Throws<InvalidOperationException>(() => new ExprFactory().InternAsIs(weird));
        Assert.Throws<InvalidOperationException>(() => Lowering.ControlFlowLowering.Lower(Method("M", Array.Empty<Parameter>(), Array.Empty<LocalVariable>(),
            new While(Less(D("x"), C(1)), Body(strange)), new Return(D("x")))));
    }

    /// <summary>sum over i of (x[i] &gt; 0 ? s·x[i] : −s), s updated in a nested loop, and one statement that never mentions s.</summary>
    /// <summary>An assignment without source text (which quotes the source, and is never renamed).</summary>
    private static Assign A(string target, Expr value) => new(target, value);

    private static Block Nested(string s) => Body(
        A(s, C(1)),
        A("total", C(0)),
        Loop("i", CI(0), I("n"),
            new If(Greater(At("x", I("i")), C(0)),
                Body(A("total", Add(D("total"), Mul(D(s), At("x", I("i")))))),
                Body(A("total", Sub(D("total"), D(s))), new Push(D(s)))),
            Loop("j", CI(0), new Convert(D(s), ScalarType.Int), A(s, Mul(D(s), C(0.5)))),
            new For("k", CI(0), BinaryOp.Less, I("n"), 1, Body(new Let("u", D(s))), s)),
        new Pop(s, ScalarType.Double),
        A("result", D("total")));

    [Fact]
    public void Renaming_a_variable_in_nested_ifs_and_loops_changes_every_occurrence_and_nothing_else()
    {
        var before = Nested("s");
        var after = ScalarRenaming.Rename(before, new Dictionary<string, string> { ["s"] = "t" });
        Assert.Equal(Nested("t"), after); // targets, reads, conditions, bounds, exit flags, saves and restores
        Assert.DoesNotContain(IrWalker.AllExpressions(after), e => e is VarRef { Name: "s" });
        Assert.Equal(
            IrWalker.AllExpressions(before).Count(e => e is VarRef { Name: "s" }),
            IrWalker.AllExpressions(after).Count(e => e is VarRef { Name: "t" }));
        // What never mentions s is the same record, not a copy: "total = 0", the last statement, and x[i] > 0.
        Assert.Same(before.Statements[1], after.Statements[1]);
        Assert.Same(before.Statements[4], after.Statements[4]);
        Assert.Same(((If)((For)before.Statements[2]).Body.Statements[0]).Condition, ((If)((For)after.Statements[2]).Body.Statements[0]).Condition);
        // Renaming what the block does not mention gives the block back.
        Assert.Same(before, ScalarRenaming.Rename(before, new Dictionary<string, string> { ["nothing"] = "t" }));
    }

    [Fact]
    public void Walk_gives_each_statement_its_enclosing_loops_in_order()
    {
        var sites = IrWalker.Walk(Nested("s")).ToList();
        Assert.Equal(IrWalker.Flatten(Nested("s")), sites.Select(site => site.Statement));
        var depths = sites.Select(site => (site.Statement is Assign a ? a.Target : site.Statement.GetType().Name, site.LoopDepth)).ToList();
        Assert.Equal(new[]
        {
            ("s", 0), ("total", 0), ("For", 0), ("If", 1), ("total", 1), ("total", 1), ("Push", 1), ("For", 1), ("s", 2), ("For", 1), ("Let", 2), ("Pop", 0), ("result", 0),
        }, depths);
        var innermost = sites.Single(site => site.Statement is Let);
        Assert.Equal(new[] { "i", "k" }, innermost.EnclosingLoops.Cast<For>().Select(f => f.Counter));
        Assert.Equal("k", innermost.InnermostFor!.Counter);
        var inBranch = sites.Single(site => site.Statement is Push);
        Assert.Equal(new[] { typeof(For), typeof(If) }, inBranch.Enclosing.Select(e => e.GetType()));
    }

    [Fact]
    public void A_bottom_up_rewrite_sees_rewritten_children_and_rebuilds_only_what_changed()
    {
        // Constant folding of additions, innermost first: (1 + 2) + (x + 0) → 3 + (x + 0).
        var shared = Add(D("x"), C(0));
        var e = Add(Add(C(1), C(2)), shared);
        var folded = IrRewriter.BottomUp(e, n => n is Binary { Op: BinaryOp.Add, Left: Const a, Right: Const b } ? C(a.Value + b.Value) : null);
        Assert.Equal(Add(C(3), shared), folded);
        Assert.Same(shared, ((Binary)folded).Right);
        // Statements one to many, removed, at any depth; blocks without a change stay the same instance.
        var block = Nested("s");
        var rewritten = IrRewriter.Rewrite(block, s => s switch
        {
            Push => Array.Empty<Stmt>(),
            Let l => new Stmt[] { new Comment("u"), l },
            _ => null,
        });
        Assert.DoesNotContain(IrWalker.Flatten(rewritten), s => s is Push);
        Assert.Single(IrWalker.Flatten(rewritten).OfType<Comment>());
        Assert.Equal(IrWalker.Flatten(block).Count(), IrWalker.Flatten(rewritten).Count());
        var loop = (For)rewritten.Statements[2];
        Assert.Same(((For)block.Statements[2]).Body.Statements[1], loop.Body.Statements[1]); // the j loop: untouched
        Assert.Same(block, IrRewriter.Rewrite(block, _ => null));
        Assert.Same(block, IrRewriter.RewriteExpressions(block, x => x));
    }
}
