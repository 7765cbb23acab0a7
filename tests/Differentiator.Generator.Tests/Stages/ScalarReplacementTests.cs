using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Differentiator.Generator.Optimization;
using static Differentiator.Generator.Tests.Stages.IrBuilder;

namespace Differentiator.Generator.Tests.Stages;

/// <summary>Optimization/ScalarReplacement.cs on hand-written IR: sums into one element kept in a local, and where that would not be safe.</summary>
public class ScalarReplacementTests
{
    private static readonly string[] Names = { "dx", "dL", "L", "g", "c", "i", "j", "n", "x" };

    private static AssignElement AddTo(string array, Expr index, Expr term) => new(array, EquatableArray.Of(index), Add(At(array, index), term));

    /// <summary>The reverse of GMM's triangle: for (j = n − 1; j ≥ i + 1; j−−) { dL[c + j] += x[i]·g[j]; dx[i] += L[c + j]·g[j]; }.</summary>
    private static For Triangle() => new("j", Sub(I("n"), CI(1)), BinaryOp.GreaterOrEqual, Add(I("i"), CI(1)), -1, Body(
        new Comment("q[j] += L[c + j] * x[i];"),
        AddTo("dL", Add(I("c"), I("j")), Mul(At("x", I("i")), At("g", I("j")))),
        AddTo("dx", I("i"), Mul(At("L", Add(I("c"), I("j"))), At("g", I("j"))))), null);

    private static readonly Stmt OwnDx = new AllocateAdjointArray("dx", "x", OnStack: false);

    [Fact]
    public void A_sum_into_an_element_of_an_own_array_is_kept_in_a_local_and_computes_the_same()
    {
        var loop = Triangle();
        var result = ScalarReplacement.Apply(Body(OwnDx, loop), Names);
        Assert.Equal(OwnDx, result.Statements[0]);
        var guard = Assert.IsType<If>(result.Statements[1]);
        Assert.Equal(new Binary(BinaryOp.GreaterOrEqual, loop.Start, loop.Bound, ScalarType.Bool), guard.Condition);
        Assert.Empty(guard.Else.Statements);
        Assert.Collection(guard.Then.Statements,
            s => Assert.Equal(new Comment(ScalarReplacement.SumComment), s),
            s => Assert.Equal(new Let("dx_sum", At("dx", I("i"))), s),
            s =>
            {
                var body = Assert.IsType<For>(s).Body.Statements;
                Assert.Equal(loop.Body.Statements[1], body[1]); // dL's index moves with j: untouched
                Assert.Equal(new Assign("dx_sum", Add(D("dx_sum"), Mul(At("L", Add(I("c"), I("j"))), At("g", I("j"))))), body[2] with { Location = null, Source = null });
            },
            s => Assert.Equal(new AssignElement("dx", EquatableArray.Of<Expr>(I("i")), D("dx_sum")), s));

        // Same values as the loop as written, for every row — the last one, where the loop does not run, included.
        const int n = 5;
        foreach (int i in Enumerable.Range(0, n))
        {
            (double[] Dx, double[] DL) Run(Block block)
            {
                var run = new IrInterpreter { ["i"] = i, ["c"] = 2, ["n"] = n };
                run.SetArray("x", Enumerable.Range(0, n).Select(k => 0.5 + k).ToArray());
                run.SetArray("g", Enumerable.Range(0, n).Select(k => 1.0 / (k + 3)).ToArray());
                run.SetArray("L", Enumerable.Range(0, n + 2).Select(k => 0.25 * k - 1).ToArray());
                run.SetArray("dx", Enumerable.Range(0, n).Select(k => 0.1 * k).ToArray());
                run.SetArray("dL", new double[n + 2]);
                run.Run(new Block(block.Statements.Where(s => s is not AllocateAdjointArray).ToEquatableArray()));
                return (run.Array("dx"), run.Array("dL"));
            }
            var expected = Run(Body(loop));
            var actual = Run(result);
            Assert.Equal(expected.Dx, actual.Dx); // bit for bit: the same additions in the same order
            Assert.Equal(expected.DL, actual.DL);
        }
    }

    [Fact]
    public void A_loop_that_does_not_run_reads_no_element()
    {
        // for (j = 0; j < m; j++) dx[n] += g[j]: with m = 0 the loop never reads dx[n], which is past the end.
        var loop = Loop("j", CI(0), I("m"), AddTo("dx", I("n"), At("g", I("j"))));
        var result = ScalarReplacement.Apply(Body(OwnDx, loop), Names);
        Assert.IsType<If>(result.Statements[1]);
        var run = new IrInterpreter { ["m"] = 0, ["n"] = 3 };
        run.SetArray("dx", new double[3]);
        run.SetArray("g", new double[1]);
        run.Run(new Block(result.Statements.Skip(1).ToEquatableArray()));
        Assert.Equal(new double[3], run.Array("dx"));
    }

    [Fact]
    public void Local_arrays_count_as_own_and_a_subtraction_is_a_sum_too()
    {
        var loop = Loop("j", CI(0), I("n"), new AssignElement("s", EquatableArray.Of<Expr>(I("i")), Sub(At("s", I("i")), At("g", I("j")))));
        var result = ScalarReplacement.Apply(Body(new AllocateArray("s", I("n"), OnStack: true), loop), Names);
        var guard = Assert.IsType<If>(result.Statements[1]);
        var inner = Assert.IsType<For>(guard.Then.Statements[2]);
        Assert.Equal(new Assign("s_sum", Sub(D("s_sum"), At("g", I("j")))), Assert.Single(inner.Body.Statements) with { Location = null, Source = null });
    }

    [Fact]
    public void Where_it_is_not_certain_the_loop_is_left_alone()
    {
        void Unchanged(params Stmt[] body)
        {
            var block = Body(body);
            Assert.Equal(block, ScalarReplacement.Apply(block, Names));
        }

        // A parameter (no allocation in the method) might be the same array as another one the loop reads.
        Unchanged(Triangle());
        // The index moves with the counter, or with what the loop writes.
        Unchanged(OwnDx, Loop("j", CI(0), I("n"), AddTo("dx", I("j"), At("g", I("j")))));
        Unchanged(OwnDx, Loop("j", CI(0), I("n"), Set("i", Add(I("i"), CI(1))), AddTo("dx", I("i"), At("g", I("j")))));
        // The array is read or written another way in the loop.
        Unchanged(OwnDx, Loop("j", CI(0), I("n"), AddTo("dx", I("i"), At("g", I("j"))), Set("t", At("dx", I("j")))));
        Unchanged(OwnDx, Loop("j", CI(0), I("n"), AddTo("dx", I("i"), At("dx", I("j")))));
        Unchanged(OwnDx, Loop("j", CI(0), I("n"), AddTo("dx", I("i"), At("g", I("j"))), AddTo("dx", CI(0), At("g", I("j")))));
        Unchanged(OwnDx, Loop("j", CI(0), I("n"), new AssignElement("dx", EquatableArray.Of<Expr>(I("i")), Mul(At("dx", I("i")), At("g", I("j"))))));
        Unchanged(OwnDx, Loop("j", CI(0), I("n"), AddTo("dx", I("i"), At("g", I("j"))), new PushArray("dx")));
        // A loop that can end early.
        Unchanged(OwnDx, new For("j", CI(0), BinaryOp.Less, I("n"), 1, Body(AddTo("dx", I("i"), At("g", I("j")))), "done"));
    }

    [Fact]
    public void An_element_read_at_an_index_the_loop_does_not_change_is_read_once_and_computes_the_same()
    {
        // GMM's forward triangle: for (j = i + 1; j < n; j++) q[j] += L[c + j] * x[i], q allocated by the method.
        var loop = Loop("j", Add(I("i"), CI(1)), I("n"), AddTo("q", I("j"), Mul(At("L", Add(I("c"), I("j"))), At("x", I("i")))));
        var ownQ = new AllocateArray("q", I("n"), OnStack: false);
        var result = ScalarReplacement.Apply(Body(ownQ, loop), Names);
        var guard = Assert.IsType<If>(result.Statements[1]);
        Assert.Equal(new Binary(BinaryOp.Less, loop.Start, loop.Bound, ScalarType.Bool), guard.Condition);
        Assert.Collection(guard.Then.Statements,
            s => Assert.Equal(new Comment(ScalarReplacement.ReadComment), s),
            s => Assert.Equal(new Let("x_i", At("x", I("i"))), s),
            s => Assert.Equal(loop with { Body = Body(AddTo("q", I("j"), Mul(At("L", Add(I("c"), I("j"))), D("x_i")))) }, s));

        const int n = 4;
        foreach (int i in Enumerable.Range(0, n)) // the last row does not run: x[i] is then read by neither
        {
            double[] Run(Block block)
            {
                var run = new IrInterpreter { ["i"] = i, ["c"] = 1, ["n"] = n };
                run.SetArray("x", Enumerable.Range(0, n).Select(k => 0.5 + k).ToArray());
                run.SetArray("L", Enumerable.Range(0, n + 1).Select(k => 0.25 * k - 1).ToArray());
                run.SetArray("q", Enumerable.Range(0, n).Select(k => 0.1 * k).ToArray());
                run.Run(new Block(block.Statements.Skip(1).ToEquatableArray()));
                return run.Array("q");
            }
            Assert.Equal(Run(Body(ownQ, loop)), Run(result));
        }
    }

    [Fact]
    public void A_read_stays_in_the_loop_when_a_store_of_the_loop_could_reach_it()
    {
        void Unchanged(params Stmt[] body)
        {
            var block = Body(body);
            Assert.Equal(block, ScalarReplacement.Apply(block, Names));
        }
        // dL is a parameter, so it might be the same array as x.
        Unchanged(Loop("j", CI(0), I("n"), AddTo("dL", I("j"), Mul(At("x", I("i")), At("g", I("j"))))));
        // The loop writes the array it reads.
        Unchanged(OwnDx, Loop("j", CI(0), I("n"), new AssignElement("dx", EquatableArray.Of<Expr>(I("j")), Mul(At("dx", I("i")), C(2)))));
        // The index changes.
        Unchanged(OwnDx, Loop("j", CI(0), I("n"), AddTo("dx", I("j"), At("x", I("j")))));
        // A block save in the loop: only plain statements are looked into.
        Unchanged(OwnDx, Loop("j", CI(0), I("n"), Set("s", Add(D("s"), At("x", I("i")))), new PushArray("dx")));
    }

    [Fact]
    public void Only_inner_loops_are_rewritten()
    {
        // for (i…) for (j…) dx[k] += g[j]: the inner loop keeps dx[k] in a local; the outer loop is not made to.
        var inner = Loop("j", CI(0), I("n"), AddTo("dx", I("k"), At("g", I("j"))));
        var outer = Loop("i", CI(0), I("n"), inner);
        var result = ScalarReplacement.Apply(Body(OwnDx, outer), Names);
        var rewritten = Assert.IsType<For>(result.Statements[1]);
        Assert.IsType<If>(Assert.Single(rewritten.Body.Statements));
    }
}
