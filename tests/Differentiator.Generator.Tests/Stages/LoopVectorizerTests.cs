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
        Assert.Equal("s", dot.Target);
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
        Assert.Null(Vectorize(new Let("u", At("x", I("j"))), AddTo("y", I("j"), Mul(D("c"), D("u")))));
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
        Assert.Null(LoopVectorizer.Match(new For("j", N, BinaryOp.GreaterOrEqual, CI(0), -1, Body(Set("s", Add(D("s"), Mul(At("a", I("j")), At("b", I("j")))))), null)));
        Assert.Null(LoopVectorizer.Match(Loop("j", CI(0), Add(N, new Convert(D("s"), ScalarType.Int)), Set("s", Add(D("s"), Mul(At("a", I("j")), At("b", I("j"))))))));
    }

    [Fact]
    public void Only_the_inner_loop_is_replaced()
    {
        var outer = Loop("i", CI(0), N, Set("p", C(0)), Loop("j", CI(0), N, Set("p", Add(D("p"), Mul(At("X", I("i"), I("j")), At("w", I("j")))))), Set("q", D("p")));
        var result = LoopVectorizer.Apply(Body(outer));
        var loop = Assert.IsType<For>(Assert.Single(result.Statements));
        Assert.IsType<DotAccumulate>(loop.Body.Statements[1]);
    }
}
