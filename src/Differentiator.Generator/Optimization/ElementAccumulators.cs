using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Optimization;

/// <summary>
/// Sums into one array element, in an inner loop, kept in a local instead (scalar replacement):
/// <code>
/// for (j…) { …; _d_xcentered[i] += icf[column + j] * g; … }
/// </code>
/// becomes
/// <code>
/// if (the loop runs) { double acc = _d_xcentered[i]; for (j…) { …; acc += icf[column + j] * g; … } _d_xcentered[i] = acc; }
/// </code>
/// Why: the JIT keeps a local in a register but must store an element back every iteration and load it again the
/// next, so each term waits for the previous one to travel through memory. Measured on GMM's reverse triangle at
/// d = 20 (rows of 1–19 elements, plain loops): 15.2 ms with the element, 12.7 ms with the local (interleaved A/B,
/// docs/performance.md). The reverse sweep makes this pattern wherever the primal reads an element at an index the
/// inner loop does not change (the adjoint of <c>xcentered[i]</c> in <c>qxcentered[j] += L[j, i] * xcentered[i]</c>).
/// <para>
/// Exact: the same additions in the same order. It applies only where that is certain: the array is one the method
/// allocated itself (a local array or a local array's adjoint, which nothing else can alias — a parameter could be the
/// same array as another), the index reads nothing the loop changes, and every mention of the array in the loop is
/// such a sum into that one element. The test around it keeps a loop that does not run from reading an element the
/// original code never read.
/// </para>
/// </summary>
internal static class ElementAccumulators
{
    /// <summary>Said above each element summed in a local, so a reader of the generated file knows why.</summary>
    internal const string CommentText = "Summed in a local, which stays in a register, and written back once: an element would be stored and loaded again for every term.";

    public static Block Apply(Block body, IEnumerable<string> namesInUse)
    {
        var ownArrays = new HashSet<string>(StatementWalker.Flatten(body)
            .Select(s => s switch { AllocateArray a => a.Name, AllocateAdjointArray a => a.Name, _ => null })
            .OfType<string>(), System.StringComparer.Ordinal);
        if (ownArrays.Count == 0) return body;
        return new Rewriter(ownArrays, new NameAllocator(namesInUse)).Block(body);
    }

    private sealed class Rewriter
    {
        private readonly HashSet<string> _ownArrays;
        private readonly NameAllocator _names;

        public Rewriter(HashSet<string> ownArrays, NameAllocator names)
        {
            _ownArrays = ownArrays;
            _names = names;
        }

        public Block Block(Block block)
        {
            var output = new List<Stmt>(block.Statements.Count);
            foreach (var s in block.Statements)
            {
                switch (s)
                {
                    case If i:
                        output.Add(i with { Then = Block(i.Then), Else = Block(i.Else) });
                        break;
                    case For f when StatementWalker.Flatten(f.Body).Any(x => x is For):
                        output.Add(f with { Body = Block(f.Body) });
                        break;
                    case For f:
                        output.AddRange(InnerLoop(f));
                        break;
                    default:
                        output.Add(s);
                        break;
                }
            }
            return new Block(output.ToEquatableArray());
        }

        /// <summary>The inner loop as it was, or guarded and with its element sums in locals.</summary>
        private IEnumerable<Stmt> InnerLoop(For loop)
        {
            if (loop.ExitFlag is not null) return new[] { loop };
            var sums = Candidates(loop);
            if (sums.Count == 0) return new[] { loop };

            var before = new List<Stmt> { new Comment(CommentText) };
            var after = new List<Stmt>();
            var body = loop.Body;
            foreach (var element in sums)
            {
                string local = _names.Allocate(element.Array + "_sum");
                before.Add(new Let(local, element));
                body = Replace(body, element, local);
                after.Add(new AssignElement(element.Array, element.Indices, new VarRef(local, ScalarType.Double)));
            }
            var guarded = before.Append(loop with { Body = body }).Concat(after).ToEquatableArray();
            var runs = new Binary(loop.Compare, loop.Start, loop.Bound, ScalarType.Bool);
            return new[] { new If(runs, new Block(guarded), Ir.Block.Empty) { Location = loop.Location } };
        }

        /// <summary>The elements every mention of whose array in the loop is a sum into that element at an index the loop does not change.</summary>
        private List<ElementRef> Candidates(For loop)
        {
            var statements = StatementWalker.Flatten(loop.Body).ToList();
            var changing = StatementWalker.AssignedIn(loop.Body);
            changing.Add(loop.Counter);
            var found = new List<ElementRef>();
            foreach (var s in statements)
            {
                if (s is not AssignElement { Jagged: false } write || !_ownArrays.Contains(write.Array)) continue;
                var element = new ElementRef(write.Array, write.Indices);
                if (found.Any(e => e.Array == write.Array)) continue;
                if (write.Indices.Any(i => ExprWalker.Reads(i).Overlaps(changing))) continue;
                if (statements.All(other => MentionsOnlyAsSum(other, element))) found.Add(element);
            }
            return found;
        }

        /// <summary>Whether the statement leaves the element's array alone, or only adds to (subtracts from) that very element.</summary>
        private static bool MentionsOnlyAsSum(Stmt s, ElementRef element)
        {
            if (s is AssignElement write && write.Array == element.Array)
            {
                return !write.Jagged && write.Indices.Equals(element.Indices)
                    && write.Value is Binary { Op: BinaryOp.Add or BinaryOp.Subtract, Left: ElementRef current } sum
                    && current.Equals(element) && !Mentions(sum.Right, element.Array);
            }
            if (s is For or If) return !Differentiation.ReverseModeBuilder.StatementExpressions(s).Any(e => Mentions(e, element.Array)); // their bodies are checked statement by statement
            if (Mentions(s, element.Array)) return false;
            var names = new HashSet<string>(System.StringComparer.Ordinal);
            Differentiation.ReverseModeBuilder.CollectMentions(s, names); // targets (an array's element write: below)
            if (s is AssignElement other) names.Add(other.Array);
            foreach (var e in Differentiation.ReverseModeBuilder.StatementExpressions(s)) ExprWalker.CollectReads(e, names, names); // arrays read too
            return !names.Contains(element.Array);
        }

        private static bool Mentions(Expr e, string array) => ExprWalker.Reads(e).Contains(array);

        /// <summary>Statements that name arrays outside their expressions.</summary>
        private static bool Mentions(Stmt s, string array) => s switch
        {
            PushArray p => p.Array == array,
            PopArray p => p.Array == array,
            PopElement p => p.Array == array,
            AllocateArray a => a.Name == array,
            AllocateAdjointArray a => a.Name == array || a.PrimalArray == array,
            ClearArray c => c.Array == array,
            ReleaseRented r => r.Name == array,
            GradientCall g => g.Outputs.Any(o => o.Name == array || o.LengthOf == array),
            VectorKernel => true, // kernels write through views: never assume they leave an array alone
            _ => false,
        };

        private static Block Replace(Block block, ElementRef element, string local) =>
            new(block.Statements.Select(s => s switch
            {
                AssignElement write when write.Array == element.Array =>
                    new Assign(local, ((Binary)write.Value) with { Left = new VarRef(local, ScalarType.Double) }) { Location = write.Location, Source = write.Source },
                If i => i with { Then = Replace(i.Then, element, local), Else = Replace(i.Else, element, local) },
                _ => s,
            }).ToEquatableArray());
    }
}
