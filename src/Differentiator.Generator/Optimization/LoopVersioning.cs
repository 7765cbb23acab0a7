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
/// per call (though the unswitched MSE still measures about 1.2× at d = 1: docs/performance.md).
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
    internal const string TwiceComment = "Written twice: with vectorized kernels when the runs have 4 elements or more, with plain loops when shorter.";

    public LoopVersioning(IReadOnlyCollection<string> nonNullArrays) =>
        _nonNullArrays = new HashSet<string>(nonNullArrays, StringComparer.Ordinal);

    /// <summary><see cref="Apply"/>, then a comment above each loop that ended up written twice.</summary>
    public Block Run(Block block) => Annotate(Apply(block));

    private Block Annotate(Block block)
    {
        var output = new List<Stmt>(block.Statements.Count);
        foreach (var s in block.Statements)
        {
            if (s is If i && _unswitched.Contains(i)) output.Add(new Comment(TwiceComment));
            output.Add(s switch
            {
                If i2 => i2 with { Then = Annotate(i2.Then), Else = Annotate(i2.Else) },
                For f => f with { Body = Annotate(f.Body) },
                _ => s,
            });
        }
        return new Block(output.ToEquatableArray());
    }

    private Block Apply(Block block)
    {
        var output = new List<Stmt>(block.Statements.Count);
        foreach (var s in block.Statements)
        {
            switch (s)
            {
                case If i:
                    output.Add(i with { Then = Apply(i.Then), Else = Apply(i.Else) });
                    break;
                case For f when LoopVectorizer.Match(f) is { } kernels:
                    var replacement = Guarded(f, kernels);
                    _tests.UnionWith(replacement.OfType<If>());
                    output.AddRange(replacement);
                    break;
                case For f:
                    output.Add(Unswitch(f with { Body = Apply(f.Body) }));
                    break;
                default:
                    output.Add(s);
                    break;
            }
        }
        return new Block(output.ToEquatableArray());
    }

    /// <summary>
    /// <c>if (count &gt;= LoopVectorizer.ShortestRun) { kernels } else { the loop }</c>: the loop versioned on its trip count; without
    /// the test when the count is a constant.
    /// </summary>
    private static IReadOnlyList<Stmt> Guarded(For loop, IReadOnlyList<Stmt> kernels)
    {
        var count = kernels.OfType<VectorKernel>().First().Count;
        if (count is Const c) return c.Value >= LoopVectorizer.ShortestRun ? kernels : new Stmt[] { loop };
        var condition = new Binary(BinaryOp.GreaterOrEqual, count, new Const(LoopVectorizer.ShortestRun, ScalarType.Int), ScalarType.Bool);
        return new Stmt[] { new If(condition, new Block(kernels.ToEquatableArray()), new Block(EquatableArray.Of<Stmt>(loop))) { Location = loop.Location } };
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

    /// <summary>Whether the expression reads an element (a jagged row's length does): only lengths and integers may move.</summary>
    private static bool ReadsElements(Expr e) => e is ElementRef or RowLength || ExprWalker.Children(e).Any(ReadsElements);
}
