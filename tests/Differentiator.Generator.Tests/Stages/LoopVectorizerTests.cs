using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Differentiator.Generator.Optimization;
using static Differentiator.Generator.Tests.Stages.IrBuilder;

namespace Differentiator.Generator.Tests.Stages;

/// <summary>The dot/axpy recogniser of Optimization/LoopVectorizer.cs on hand-written IR: what it matches, and near misses it must leave alone.</summary>
public class LoopVectorizerTests
{
    private static readonly Expr N = I("n");

    private static AssignElement AddTo(string array, Expr index, Expr term) => new(array, EquatableArray.Of(index), Add(At(array, index), term));

    private static Ir.Stmt[]? Vectorize(params Ir.Stmt[] body) => LoopVectorizer.Match(Loop("j", CI(0), N, body))?.ToArray();

    [Fact]
    public void A_dot_product_with_offsets_becomes_one_call()
    {
        // s += a[o + j] * X[i, j]
        var result = Vectorize(Set("s", Add(D("s"), Mul(At("a", Add(I("o"), I("j"))), At("X", I("i"), I("j"))))));
        var dot = Assert.IsType<DotAccumulate>(Assert.Single(result!));
        Assert.Equal(D("s"), dot.Destination);
        Assert.Equal(new ElementRun("a", EquatableArray<Expr>.Empty, false, I("o"), N), dot.Left);
        Assert.Equal(new ElementRun("X", EquatableArray.Of<Expr>(I("i")), false, CI(0), N), dot.Right);
    }

    [Fact]
    public void An_offset_after_the_counter_and_a_nonzero_start_shift_the_run()
    {
        // for (j = k; j < n; j++) s += a[j + 2] * b[j - 1]
        var loop = Loop("j", I("k"), N, Set("s", Add(D("s"), Mul(At("a", Add(I("j"), CI(2))), At("b", Sub(I("j"), CI(1)))))));
        var dot = Assert.IsType<DotAccumulate>(Assert.Single(LoopVectorizer.Match(loop)!));
        Assert.Equal(Add(CI(2), I("k")), dot.Left.Start);
        Assert.Equal(Sub(I("n"), I("k")), dot.Left.Count);
        Assert.Equal(Add(new Unary(UnaryOp.Negate, CI(1), ScalarType.Int), I("k")), dot.Right.Start);
    }

    [Fact]
    public void An_axpy_either_way_round_becomes_one_call()
    {
        var left = Assert.IsType<AxpyUpdate>(Assert.Single(Vectorize(AddTo("dw", I("j"), Mul(At("X", I("i"), I("j")), D("g"))))!));
        Assert.Equal(D("g"), left.Scale);
        Assert.Equal("X", left.Input.Array);
        Assert.Equal("dw", left.Destination.Array);
        var right = Assert.IsType<AxpyUpdate>(Assert.Single(Vectorize(AddTo("dw", I("j"), Mul(D("g"), At("x", Add(I("o"), I("j"))))))!));
        Assert.Equal(I("o"), right.Input.Start);
        // An invariant element is a scale like any other.
        Assert.IsType<AxpyUpdate>(Assert.Single(Vectorize(AddTo("dw", I("j"), Mul(At("x", I("j")), At("c", I("i")))))!));
    }

    [Fact]
    public void Independent_statements_each_become_a_call_and_comments_stay()
    {
        var result = Vectorize(
            new Comment("s += a[j] * b[j];"),
            AddTo("da", I("j"), Mul(At("b", I("j")), D("ds"))),
            AddTo("db", I("j"), Mul(At("a", I("j")), D("ds"))));
        Assert.Collection(result!, s => Assert.IsType<Comment>(s), s => Assert.IsType<AxpyUpdate>(s), s => Assert.IsType<AxpyUpdate>(s));
    }

    [Fact]
    public void Stride_two_is_not_matched()
    {
        Assert.Null(Vectorize(Set("s", Add(D("s"), Mul(At("a", Mul(CI(2), I("j"))), At("b", I("j")))))));
        Assert.Null(Vectorize(Set("s", Add(D("s"), Mul(At("a", Add(I("j"), I("j"))), At("b", I("j")))))));
        Assert.Null(Vectorize(Set("s", Add(D("s"), Mul(At("a", Sub(I("n"), I("j"))), At("b", I("j"))))))); // descending
        Assert.Null(Vectorize(Set("s", Add(D("s"), Mul(At("X", I("j"), I("i")), At("b", I("j"))))))); // a column
    }

    [Fact]
    public void A_scale_that_depends_on_the_counter_is_not_matched()
    {
        Assert.Null(Vectorize(AddTo("dw", I("j"), Mul(At("x", I("j")), At("g", I("j"))))));          // elementwise product
        Assert.Null(Vectorize(AddTo("dw", I("j"), Mul(At("x", I("j")), Mul(D("g"), new Convert(I("j"), ScalarType.Double))))));
        Assert.Null(Vectorize(AddTo("dw", I("j"), Mul(At("x", I("j")), At("dw", CI(0))))));         // reads what the loop writes
    }

    [Fact]
    public void Aliasing_is_not_matched()
    {
        Assert.Null(Vectorize(AddTo("y", I("j"), Mul(D("c"), At("y", Add(I("j"), CI(1)))))));  // y[j] += c * y[j + 1]
        Assert.Null(Vectorize(
            AddTo("y", I("j"), Mul(D("c"), At("x", I("j")))),
            AddTo("x", I("j"), Mul(D("c"), At("z", I("j"))))));                                  // one statement writes what the other reads
        Assert.Null(Vectorize(
            AddTo("y", I("j"), Mul(D("c"), At("x", I("j")))),
            AddTo("y", I("j"), Mul(D("c"), At("z", I("j"))))));                                  // two writes to y
        Assert.Null(Vectorize(Set("s", Add(D("s"), Mul(At("a", I("j")), At("b", I("j"))))), Set("t", Add(D("t"), Mul(D("s"), At("b", I("j")))))));
    }

    [Fact]
    public void An_extra_statement_in_the_body_is_not_matched()
    {
        Assert.Null(Vectorize(Set("s", Add(D("s"), Mul(At("a", I("j")), At("b", I("j"))))), Set("t", Add(D("t"), C(1)))));
        Assert.Null(Vectorize(AddTo("y", I("j"), Mul(D("c"), At("x", I("j")))), new Push(D("c"))));
        Assert.Null(Vectorize(new Let("u", Mul(At("x", I("j")), D("c"))), AddTo("y", I("j"), D("u"))));         // a let of more than a read
        Assert.Null(Vectorize(new Let("u", At("y", CI(0))), AddTo("y", I("j"), Mul(D("c"), At("x", I("j")))), Set("t", D("u")))); // reads what the body writes
    }

    [Fact]
    public void A_let_of_a_read_is_put_in_place_of_its_name()
    {
        // double u = g[j]; dx[j] += c * u; dc += x[j] * u — the reverse of y[j] = c * x[j] … as the reverse sweep writes it
        var result = Vectorize(new Let("u", At("g", I("j"))), AddTo("dx", I("j"), Mul(D("c"), D("u"))), Set("dc", Add(D("dc"), Mul(At("x", I("j")), D("u")))));
        Assert.Collection(result!,
            s => Assert.Equal("g", Assert.IsType<AxpyUpdate>(s).Input.Array),
            s => Assert.Equal("g", Assert.IsType<DotAccumulate>(s).Right.Array));
    }

    [Fact]
    public void A_dot_product_into_an_element_at_an_invariant_index_becomes_one_call()
    {
        // dx[i] += A[i, j] * g[j]
        var dot = Assert.IsType<DotAccumulate>(Assert.Single(Vectorize(AddTo("dx", I("i"), Mul(At("A", I("i"), I("j")), At("g", I("j")))))!));
        Assert.Equal(At("dx", I("i")), dot.Destination);
        Assert.Null(Vectorize(AddTo("dx", I("j"), Mul(At("a", I("j")), At("g", I("j"))))));               // y[j] += a[j] * g[j]: elementwise
        Assert.Null(Vectorize(AddTo("g", I("i"), Mul(At("a", I("j")), At("g", I("j"))))));                // reads the array it writes
    }

    [Fact]
    public void A_descending_loop_matches_over_the_same_elements()
    {
        // for (j = n - 1; j >= k; j--) dy[j] += c * x[j]  ≡  for (j = k; j < n; j++)
        var loop = new For("j", Sub(N, CI(1)), BinaryOp.GreaterOrEqual, I("k"), -1, Body(AddTo("dy", I("j"), Mul(D("c"), At("x", I("j"))))), null);
        var axpy = Assert.IsType<AxpyUpdate>(Assert.Single(LoopVectorizer.Match(loop)!));
        Assert.Equal(I("k"), axpy.Input.Start);
        Assert.Equal(Sub(N, I("k")), axpy.Input.Count);
        Assert.Null(LoopVectorizer.Match(new For("j", N, BinaryOp.Greater, CI(0), -1, Body(AddTo("dy", I("j"), Mul(D("c"), At("x", I("j"))))), null)));
    }

    [Fact]
    public void A_counter_dependent_offset_or_row_is_not_matched()
    {
        Assert.Null(Vectorize(Set("s", Add(D("s"), Mul(At("a", Add(I("j"), Mul(I("j"), I("o")))), At("b", I("j")))))));
        Assert.Null(Vectorize(Set("s", Add(D("s"), Mul(At("X", I("j"), I("j")), At("b", I("j")))))));
        Assert.Null(Vectorize(Set("s", Add(D("s"), Mul(At("a", Add(I("j"), new Convert(D("s"), ScalarType.Int))), At("b", I("j"))))))); // offset reads s
    }

    [Fact]
    public void Other_shapes_stay_scalar()
    {
        Assert.Null(Vectorize(Set("s", Sub(D("s"), Mul(At("a", I("j")), At("b", I("j")))))));                   // s -= …
        Assert.Null(Vectorize(Set("s", Add(Mul(At("a", I("j")), At("b", I("j"))), D("s")))));                   // … + s
        Assert.Null(Vectorize(Set("s", Add(D("s"), Mul(Mul(At("a", I("j")), At("b", I("j"))), D("c"))))));     // three factors
        Assert.Null(Vectorize(Set("s", Add(D("t"), Mul(At("a", I("j")), At("b", I("j")))))));                   // not an accumulation
        Assert.Null(LoopVectorizer.Match(new For("j", CI(0), BinaryOp.Less, N, 1, Body(Set("s", Add(D("s"), Mul(At("a", I("j")), At("b", I("j")))))), "done")));
        Assert.Null(LoopVectorizer.Match(Loop("j", CI(0), Add(N, new Convert(D("s"), ScalarType.Int)), Set("s", Add(D("s"), Mul(At("a", I("j")), At("b", I("j"))))))));
    }

    [Fact]
    public void Only_the_inner_loop_is_replaced_and_its_test_moves_out_of_the_outer_loop()
    {
        var inner = Loop("j", CI(0), N, Set("p", Add(D("p"), Mul(At("X", I("i"), I("j")), At("w", I("j"))))));
        var outer = Loop("i", CI(0), I("m"), Set("p", C(0)), inner, Set("q", D("p")));
        // n is an integer the outer loop does not change: the test runs once, and each version is a whole outer loop.
        var result = LoopVectorizer.Apply(Body(outer));
        Assert.Equal(2, result.Statements.Count);
        Assert.Equal(new Comment(LoopVersioning.TwiceComment(LoopVectorizer.ShortestRowRun, overSpans: true)), result.Statements[0]); // tells the reader why the loop is there twice
        var test = Assert.IsType<If>(result.Statements[1]);
        // A row of X: the kernels from ShortestRowRun on, shorter rows as the loop over views of the row and of w.
        Assert.Equal(new Binary(BinaryOp.GreaterOrEqual, N, CI(LoopVectorizer.ShortestRowRun), ScalarType.Bool), test.Condition);
        var fast = Assert.IsType<For>(Assert.Single(test.Then.Statements));
        Assert.IsType<DotAccumulate>(fast.Body.Statements[1]);
        var slow = Assert.IsType<For>(Assert.Single(test.Else.Statements));
        Assert.Equal(outer.Body.Statements[0], slow.Body.Statements[0]);
        Assert.Equal(new RunView("X_run", new ElementRun("X", EquatableArray.Of<Expr>(I("i")), false, CI(0), N), Clamped: false), slow.Body.Statements[1]);
        Assert.Equal(new RunView("w_run", new ElementRun("w", EquatableArray<Expr>.Empty, false, CI(0), N), Clamped: false), slow.Body.Statements[2]);
        var overSpans = Assert.IsType<DotAccumulate>(slow.Body.Statements[3]);
        Assert.Equal(new[] { "X_run", "w_run" }, overSpans.SpanNames);
        Assert.Equal(0, overSpans.BoundRun);
        Assert.Equal(outer.Body.Statements[2], slow.Body.Statements[4]);
        foreach (int n in new[] { 1, 3, 8, 9 }) // both versions, against the loop as written
            Assert.Equal(FinalQ(Body(outer), n), FinalQ(result, n), 12);

        // A test that reads what the outer loop changes stays inside it.
        var varying = Loop("i", CI(0), I("m"), Set("p", C(0)), Loop("j", CI(0), I("i"), Set("p", Add(D("p"), Mul(At("X", I("i"), I("j")), At("w", I("j")))))));
        var kept = Assert.IsType<For>(Assert.Single(LoopVectorizer.Apply(Body(varying)).Statements));
        Assert.IsType<If>(kept.Body.Statements[1]);
    }

    [Fact]
    public void Each_version_sums_in_locals_of_its_own_and_computes_the_same()
    {
        // for (i…) { p = 0; for (j…) p += X[i, j] * w[j]; t = t + p * p; }: t is carried from row to row, p is not.
        var inner = Loop("j", CI(0), N, Set("p", Add(D("p"), Mul(At("X", I("i"), I("j")), At("w", I("j"))))));
        var outer = Loop("i", CI(0), I("m"), Set("p", C(0)), inner, Set("t", Add(D("t"), Mul(D("p"), D("p")))));
        var result = LoopVectorizer.Apply(Body(outer), namesInUse: new[] { "t", "t_2", "p", "m", "n", "i", "j", "X", "w" });
        var test = Assert.IsType<If>(result.Statements[1]);
        // The kernels' version: t copied too (t_2 is taken), so that t itself never lives across a kernel call.
        Assert.Collection(test.Then.Statements,
            s => Assert.Equal(new Comment(LoopVersioning.KernelSumsComment), s),
            s => Assert.Equal(new Let("t_3", D("t")), s),
            s =>
            {
                var kernels = Assert.IsType<For>(s);
                Assert.IsType<DotAccumulate>(kernels.Body.Statements[1]);
                Assert.Equal(Set("t", Add(D("t_3"), Mul(D("p"), D("p")))) with { Target = "t_3" }, kernels.Body.Statements.Last());
            },
            s => Assert.Equal(new Assign("t", D("t_3")), s));
        // The version over views: t copied into a name of its own, the loop on the copy, the copy back.
        Assert.Collection(test.Else.Statements,
            s => Assert.Equal(new Comment(LoopVersioning.OwnSumsComment), s),
            s => Assert.Equal(new Let("t_4", D("t")), s),
            // (the statement still quotes its source, which names t)
            s => Assert.Equal(Set("t", Add(D("t_4"), Mul(D("p"), D("p")))) with { Target = "t_4" }, Assert.IsType<For>(s).Body.Statements.Last()),
            s => Assert.Equal(new Assign("t", D("t_4")), s));

        foreach (int n in new[] { 1, 3, 5 }) // both versions run, each against the loop as written
            Assert.Equal(FinalT(Body(outer), n, 0.75), FinalT(result, n, 0.75), 12);
    }

    /// <summary>q after running the block on a 2 × n matrix X and a vector w of n (m = 2 rows).</summary>
    private static double FinalQ(Block block, int n)
    {
        var run = new IrInterpreter { ["q"] = 0, ["m"] = 2, ["n"] = n, ["p"] = 0 };
        run.SetArray("X", Enumerable.Range(0, 2 * n).Select(k => 0.5 + k).ToArray(), 2, n);
        run.SetArray("w", Enumerable.Range(0, n).Select(k => 1.0 - 0.25 * k).ToArray());
        run.Run(block);
        return run["q"];
    }

    /// <summary>t after running the block on a 2 × n matrix X and a vector w of n (m = 2 rows), t starting at <paramref name="t0"/>.</summary>
    private static double FinalT(Block block, int n, double t0)
    {
        var run = new IrInterpreter { ["t"] = t0, ["m"] = 2, ["n"] = n, ["p"] = 0 };
        run.SetArray("X", Enumerable.Range(0, 2 * n).Select(k => 0.5 + k).ToArray(), 2, n);
        run.SetArray("w", Enumerable.Range(0, n).Select(k => 1.0 - 0.25 * k).ToArray());
        run.Run(block);
        return run["t"];
    }

    [Fact]
    public void A_test_on_values_fixed_from_entry_writes_the_whole_body_twice_and_computes_the_same()
    {
        // t = 0.5; for (i…) { p = 0; for (j < n) p += X[i, j] * w[j]; t = t + p * p; } t = t * 2: n never changes.
        var inner = Loop("j", CI(0), N, Set("p", Add(D("p"), Mul(At("X", I("i"), I("j")), At("w", I("j"))))));
        var outer = Loop("i", CI(0), I("m"), Set("p", C(0)), inner, Set("t", Add(D("t"), Mul(D("p"), D("p")))));
        var body = Body(Set("t", C(0.5)), outer, Set("t", Mul(D("t"), C(2))));
        var names = new[] { "t", "p", "m", "n", "i", "j", "X", "w" };

        var versioned = LoopVectorizer.ApplyVersioned(body, new string[0], names, new[] { "n", "m", "X", "w" });
        Assert.Equal(new Binary(BinaryOp.Less, N, CI(LoopVectorizer.ShortestRowRun), ScalarType.Bool), versioned.ShortRunsTest);
        // Each version is the whole body with one version of the loop, without the copies of the sums a method
        // holding both needs (t stays t), and without the test.
        Assert.Collection(versioned.Body.Statements,
            s => Assert.Equal(body.Statements[0], s),
            s => Assert.IsType<DotAccumulate>(Assert.IsType<For>(s).Body.Statements[1]),
            s => Assert.Equal(body.Statements[2], s));
        // The short rows' version: the body with the inner loop over views of the row and of w.
        Assert.Equal(body.Statements[0], versioned.ShortRuns!.Statements[0]);
        Assert.Contains(Assert.IsType<For>(versioned.ShortRuns.Statements[1]).Body.Statements, s => s is DotAccumulate { SpanNames.Count: 2 });
        Assert.Equal(body.Statements[2], versioned.ShortRuns.Statements[2]);

        foreach (int n in new[] { 1, 3, 5, 8, 9 })
        {
            Assert.Equal(FinalT(body, n, 0), FinalT(versioned.Body, n, 0), 12);
            Assert.Equal(FinalT(body, n, 0), FinalT(versioned.ShortRuns, n, 0), 12);
        }

        // n assigned somewhere in the method: the test may not move to the entry, and the loop is written twice in place.
        var inPlace = LoopVectorizer.ApplyVersioned(body, new string[0], names, new[] { "m", "X", "w" });
        Assert.Null(inPlace.ShortRuns);
        Assert.Null(inPlace.ShortRunsTest);
        Assert.Equal(LoopVectorizer.Apply(body, new string[0], names), inPlace.Body);

        // Two loops tested on different counts: one test on entry could not choose for both, so both stay in place.
        var other = Loop("k", CI(0), I("m"), Set("q", C(0)), Loop("j", CI(0), I("h"), Set("q", Add(D("q"), Mul(At("X", I("k"), I("j")), At("w", I("j")))))));
        var allNames = names.Append("h").Append("k").Append("q").Append("s").ToArray();
        var twoTests = LoopVectorizer.ApplyVersioned(Body(outer, other), new string[0], allNames, new[] { "n", "h", "m", "X", "w" });
        Assert.Null(twoTests.ShortRuns);
        Assert.Equal(2, twoTests.Body.Statements.OfType<If>().Count());

        // A loop whose body tests both counts stays one loop with both tests inside; once n's test is made on entry,
        // its test of n is decided in each version, its test of h is not.
        var both = Loop("k", CI(0), I("m"), Set("q", C(0)),
            Loop("j", CI(0), N, Set("q", Add(D("q"), Mul(At("X", I("k"), I("j")), At("w", I("j")))))),
            Set("s", C(0)),
            Loop("j", CI(0), I("h"), Set("s", Add(D("s"), Mul(At("X", I("k"), I("j")), At("w", I("j")))))));
        var nested = LoopVectorizer.ApplyVersioned(Body(outer, both), new string[0], allNames, new[] { "n", "h", "m", "X", "w" });
        Assert.NotNull(nested.ShortRuns);
        foreach (var version in new[] { nested.Body, nested.ShortRuns! })
        {
            var tests = Differentiator.Generator.Analysis.StatementWalker.Flatten(version).OfType<If>().Select(i => i.Condition).ToList();
            Assert.Equal(new Binary(BinaryOp.GreaterOrEqual, I("h"), CI(LoopVectorizer.ShortestRowRun), ScalarType.Bool), Assert.Single(tests));
        }
        // The kernel calls a version runs whatever h is: both loops over n in the kernels' version, none in the other.
        static int DotsOutsideTests(Block b) => b.Statements.Sum(s => s switch { DotAccumulate { SpanNames.Count: 0 } => 1, For f => DotsOutsideTests(f.Body), _ => 0 });
        Assert.Equal(2, DotsOutsideTests(nested.Body));
        Assert.Equal(0, DotsOutsideTests(nested.ShortRuns!));
    }

    [Fact]
    public void A_local_fixed_from_parameters_on_entry_lets_the_short_rows_test_move_to_the_entry()
    {
        // d = w.Length; for (i < m) { p = 0; for (j < d) p += X[i * d + j] * w[j]; t = t + p * p; }: the flat MSE.
        var d = I("d");
        Block Program(Expr index) => Body(new Let("d", new LengthOf("w", -1)), Set("t", C(0)),
            Loop("i", CI(0), I("m"), Set("p", C(0)), Loop("j", CI(0), d, Set("p", Add(D("p"), Mul(At("X", index), At("w", I("j")))))),
                Set("t", Add(D("t"), Mul(D("p"), D("p"))))));
        var names = new[] { "d", "t", "p", "m", "i", "j", "X", "w" };
        var rows = LoopVectorizer.ApplyVersioned(Program(Add(Mul(I("i"), d), I("j"))), new[] { "w" }, names, new[] { "m", "X", "w" });
        Assert.Equal(new Binary(BinaryOp.Less, new LengthOf("w", -1), CI(LoopVectorizer.ShortestRowRun), ScalarType.Bool), rows.ShortRunsTest);
        // Not a row (X[j]): the rule stays the one measured for those loops, parameters only, and the loop is written twice in place.
        var flat = LoopVectorizer.ApplyVersioned(Program(I("j")), new[] { "w" }, names, new[] { "m", "X", "w" });
        Assert.Null(flat.ShortRuns);
        // w might be null: reading its length on entry could throw where the method would not have yet.
        Assert.Null(LoopVectorizer.ApplyVersioned(Program(Add(Mul(I("i"), d), I("j"))), new string[0], names, new[] { "m", "X", "w" }).ShortRuns);
    }

    [Fact]
    public void A_test_on_an_array_length_moves_out_only_when_the_array_cannot_be_null()
    {
        var inner = Loop("j", CI(0), new LengthOf("w", 0), Set("p", Add(D("p"), Mul(At("X", I("i"), I("j")), At("w", I("j"))))));
        var outer = Loop("i", CI(0), N, Set("p", C(0)), inner);
        // w might be a null array that the outer loop, running zero times, would never touch.
        Assert.IsType<For>(Assert.Single(LoopVectorizer.Apply(Body(outer)).Statements));
        Assert.IsType<If>(LoopVectorizer.Apply(Body(outer), new[] { "w" }).Statements.Last());
    }

    [Fact]
    public void A_loop_that_becomes_two_kernels_runs_them_only_on_longer_runs()
    {
        // GMM's reverse triangle: dL[c + j] += x[i] * g[j]; dx[i] += L[c + j] * g[j] — an axpy and a dot product that
        // the loop does in one pass over g.
        Ir.Stmt Triangle(Expr bound) => Loop("j", CI(0), bound,
            AddTo("dL", Add(I("c"), I("j")), Mul(At("x", I("i")), At("g", I("j")))),
            AddTo("dx", I("i"), Mul(At("L", Add(I("c"), I("j"))), At("g", I("j")))));
        Assert.Equal(16, LoopVectorizer.ShortestSharedRun);
        var test = Assert.IsType<If>(Assert.Single(LoopVectorizer.Apply(Body(Triangle(N))).Statements));
        Assert.Equal(new Binary(BinaryOp.GreaterOrEqual, N, CI(LoopVectorizer.ShortestSharedRun), ScalarType.Bool), test.Condition);
        Assert.Collection(test.Then.Statements, s => Assert.IsType<AxpyUpdate>(s), s => Assert.IsType<DotAccumulate>(s));
        Assert.IsType<For>(Assert.Single(LoopVectorizer.Apply(Body(Triangle(CI(LoopVectorizer.ShortestSharedRun - 1)))).Statements));
        Assert.Equal(2, LoopVectorizer.Apply(Body(Triangle(CI(LoopVectorizer.ShortestSharedRun)))).Statements.Count);
    }

    [Fact]
    public void One_axpy_over_flat_runs_needs_longer_runs_than_one_along_a_matrix_row()
    {
        // GMM's forward triangle, q[j] += L[c + j] * x[i]: flat arrays, whose plain loop is about as fast as the kernel
        // on short runs, so the kernel waits for 8 elements; MSE's dw[j] += X[i, j] * g, along a row of a 2-D array,
        // takes the kernel from ShortestRowRun.
        Ir.Stmt Flat(Expr bound) => Loop("j", CI(0), bound, AddTo("q", Add(I("c"), I("j")), Mul(At("L", Add(I("c"), I("j"))), At("x", I("i")))));
        Ir.Stmt Row(Expr bound) => Loop("j", CI(0), bound, AddTo("dw", I("j"), Mul(At("X", I("i"), I("j")), D("g"))));
        Assert.Equal(8, LoopVectorizer.ShortestFlatAxpyRun);
        var flat = Assert.IsType<If>(Assert.Single(LoopVectorizer.Apply(Body(Flat(N))).Statements));
        Assert.Equal(new Binary(BinaryOp.GreaterOrEqual, N, CI(LoopVectorizer.ShortestFlatAxpyRun), ScalarType.Bool), flat.Condition);
        Assert.IsType<AxpyUpdate>(Assert.Single(flat.Then.Statements));
        Assert.IsType<For>(Assert.Single(LoopVectorizer.Apply(Body(Flat(CI(LoopVectorizer.ShortestFlatAxpyRun - 1)))).Statements));
        Assert.IsType<AxpyUpdate>(Assert.Single(LoopVectorizer.Apply(Body(Flat(CI(LoopVectorizer.ShortestFlatAxpyRun)))).Statements));
        // Along a row, the short form is the loop over views (no index checks per element either), the kernel from ShortestRowRun.
        var row = Assert.IsType<If>(Assert.Single(LoopVectorizer.Apply(Body(Row(N))).Statements));
        Assert.Equal(new Binary(BinaryOp.GreaterOrEqual, N, CI(LoopVectorizer.ShortestRowRun), ScalarType.Bool), row.Condition);
        Assert.IsType<AxpyUpdate>(Assert.Single(LoopVectorizer.Apply(Body(Row(CI(LoopVectorizer.ShortestRowRun)))).Statements));
        Assert.Collection(LoopVectorizer.Apply(Body(Row(CI(LoopVectorizer.ShortestRowRun - 1)))).Statements,
            s => Assert.IsType<RunView>(s), s => Assert.IsType<RunView>(s), s => Assert.Equal(new[] { "X_run", "dw_run" }, Assert.IsType<AxpyUpdate>(s).SpanNames));
    }

    [Fact]
    public void A_short_row_loop_over_views_keeps_the_loops_order_and_bits_and_its_views_are_taken_once()
    {
        // for (i < m) { p = 0; for (j = n - 1; j >= 0; j--) p += X[i, j] * w[j]; for (j…) dw[j] += X[i, j] * p; t = t + p }:
        // the reverse sweep's descending loop, and an axpy over the same row.
        var down = new For("j", Sub(N, CI(1)), BinaryOp.GreaterOrEqual, CI(0), -1, Body(Set("p", Add(D("p"), Mul(At("X", I("i"), I("j")), At("w", I("j")))))), null);
        var axpy = Loop("j", CI(0), N, AddTo("dw", I("j"), Mul(At("X", I("i"), I("j")), D("p"))));
        var outer = Loop("i", CI(0), I("m"), Set("p", C(0)), down, axpy, Set("t", Add(D("t"), D("p"))));
        var versioned = LoopVectorizer.ApplyVersioned(Body(outer), new[] { "w", "dw" }, new[] { "t", "p", "m", "n", "i", "j", "X", "w", "dw" }, new[] { "n", "m", "X", "w", "dw" });
        var shortRows = RunViews.Apply(versioned.ShortRuns!, new[] { "w", "dw" });
        // w's and dw's views before the row loop, clamped; one view of the row for both loops.
        Assert.Collection(shortRows.Statements,
            s => Assert.Equal(new RunView("w_run", new ElementRun("w", EquatableArray<Expr>.Empty, false, CI(0), N), Clamped: true), s),
            s => Assert.Equal(new RunView("dw_run", new ElementRun("dw", EquatableArray<Expr>.Empty, false, CI(0), N), Clamped: true), s),
            s =>
            {
                var rows = Assert.IsType<For>(s);
                Assert.Single(rows.Body.Statements.OfType<RunView>());
                var dot = Assert.Single(rows.Body.Statements.OfType<DotAccumulate>());
                Assert.True(dot.Descending);
                Assert.Equal(new[] { "X_run", "w_run" }, dot.SpanNames);
                Assert.Equal(new[] { "X_run", "dw_run" }, Assert.Single(rows.Body.Statements.OfType<AxpyUpdate>()).SpanNames);
            });
        foreach (int n in new[] { 1, 3, 7 })
        {
            double Final(Block block, string name)
            {
                var run = new IrInterpreter { ["t"] = 0, ["m"] = 3, ["n"] = n, ["p"] = 0 };
                run.SetArray("X", Enumerable.Range(0, 3 * n).Select(k => 0.1 + 0.37 * k).ToArray(), 3, n);
                run.SetArray("w", Enumerable.Range(0, n).Select(k => 1.0 / (k + 3)).ToArray());
                run.SetArray("dw", new double[n]);
                run.Run(block);
                return name == "t" ? run["t"] : run.Array("dw").Sum();
            }
            // Bit for bit: the same operations in the same order.
            Assert.Equal(Final(Body(outer), "t"), Final(shortRows, "t"));
            Assert.Equal(Final(Body(outer), "dw"), Final(shortRows, "dw"));
        }
    }

    [Fact]
    public void A_constant_trip_count_decides_without_a_test()
    {
        Ir.Stmt Dot(int n) => Loop("j", CI(0), CI(n), Set("s", Add(D("s"), Mul(At("a", I("j")), At("b", I("j"))))));
        Assert.IsType<DotAccumulate>(Assert.Single(LoopVectorizer.Apply(Body(Dot(LoopVectorizer.ShortestRun))).Statements));
        Assert.IsType<For>(Assert.Single(LoopVectorizer.Apply(Body(Dot(LoopVectorizer.ShortestRun - 1))).Statements));
    }
}
