using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Optimization;

/// <summary>
/// Scalar replacement in inner loops: an element the loop only sums into, or only reads, at an index the loop does not
/// change, kept in a local. Sums:
/// <code>
/// for (j…) { …; _d_xcentered[i] += icf[column + j] * g; … }
/// </code>
/// becomes
/// <code>
/// if (the loop runs) { double _d_xcentered_sum = _d_xcentered[i]; for (j…) { …; _d_xcentered_sum += icf[column + j] * g; … } _d_xcentered[i] = _d_xcentered_sum; }
/// </code>
/// and reads, <c>qxcentered[j] += icf[column + j] * xcentered[i]</c>, get <c>double xcentered_i = xcentered[i];</c> before
/// the loop. Why: the JIT keeps a local in a register, but it cannot tell that the loop's stores leave the element
/// alone, so it stores a summed element back every iteration and loads it again the next (each term waits for the
/// previous one to travel through memory), and loads a read element, bounds check included, every iteration.
/// Measured on GMM (interleaved A/B, docs/performance.md): its reverse triangle as plain loops at d = 20 took 15.2 ms
/// with the summed element, 12.7 ms with the local; the read of <c>xcentered[i]</c> hoisted from both triangles made
/// the gradient 3–4 % faster at d = 2, 10 and 20.
/// <para>
/// Exact: the same additions in the same order, the same values read. It applies only where that is certain: the
/// index reads nothing the loop changes; a summed array is one the method allocated itself (a local array or a local
/// array's adjoint, which nothing else can alias — a parameter could be the same array as another) and every mention
/// of it in the loop is a sum into that one element; a read array is not written by the loop, and is one the method
/// allocated or the loop writes only arrays the method allocated. The test around the loop keeps a loop that does not
/// run from reading an element the original code never read.
/// </para>
/// </summary>
internal static class ScalarReplacement
{
    /// <summary>Said above the elements summed in locals, so a reader of the generated file knows why.</summary>
    internal const string SumComment = "Summed in a local, which stays in a register, and written back once: an element would be stored and loaded again for every term.";

    /// <summary>Said above the elements read once before a loop.</summary>
    internal const string ReadComment = "Read once: nothing in the loop writes it, which the JIT cannot tell, so it would load it every iteration.";

    public static Block Apply(Block body, IEnumerable<string> namesInUse)
    {
        var ownArrays = new HashSet<string>(StatementWalker.Flatten(body)
            .Select(s => s switch { AllocateArray a => a.Name, AllocateAdjointArray a => a.Name, _ => null })
            .OfType<string>(), System.StringComparer.Ordinal);
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

        /// <summary>The block with each innermost loop, at any depth, through <see cref="InnerLoop"/>.</summary>
        public Block Block(Block block) => IrRewriter.MapStatements(block, s =>
            s is For f && !IrWalker.Flatten(f.Body).Any(x => x is For) ? InnerLoop(f) : new[] { IrRewriter.MapBlocks(s, Block) });

        /// <summary>The inner loop as it was, or guarded and with its element sums and reads in locals.</summary>
        private IEnumerable<Stmt> InnerLoop(For loop)
        {
            if (loop.ExitFlag is not null) return new[] { loop };
            var statements = StatementWalker.Flatten(loop.Body).ToList();
            var changing = StatementWalker.AssignedIn(loop.Body); // and the counter: what an unchanging index must not read
            changing.Add(loop.Counter);
            var sums = Candidates(statements, changing);
            var reads = InvariantReads(statements, changing);
            if (sums.Count + reads.Count == 0) return new[] { loop };

            var before = new List<Stmt>();
            var after = new List<Stmt>();
            var body = loop.Body;
            if (sums.Count > 0) before.Add(new Comment(SumComment));
            foreach (var element in sums)
            {
                string local = _names.Allocate(element.Array + "_sum");
                before.Add(new Let(local, element));
                body = Replace(body, element, local);
                after.Add(new AssignElement(element.Array, element.Indices, new VarRef(local, ScalarType.Double)));
            }
            if (reads.Count > 0) before.Add(new Comment(ReadComment));
            foreach (var element in reads)
            {
                var local = new VarRef(_names.Allocate(element.Array + "_" + IndexName(element)), element.Type);
                before.Add(new Let(local.Name, element));
                body = ReplaceReads(body, element, local);
            }
            var guarded = before.Append(loop with { Body = body }).Concat(after).ToEquatableArray();
            var runs = new Binary(loop.Compare, loop.Start, loop.Bound, ScalarType.Bool);
            return new[] { new If(runs, new Block(guarded), Ir.Block.Empty) { Location = loop.Location } };
        }

        /// <summary>The elements every mention of whose array in the loop is a sum into that element at an index the loop does not change.</summary>
        private List<ElementRef> Candidates(List<Stmt> statements, HashSet<string> changing)
        {
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

        /// <summary>
        /// The elements the loop reads at an index it does not change, from arrays nothing in the loop can write: not
        /// written by it, and either allocated by the method or read by a loop that writes only such arrays. Only loops
        /// of plain statements: a kernel or a call could write through a view.
        /// </summary>
        private List<ElementRef> InvariantReads(List<Stmt> statements, HashSet<string> changing)
        {
            var found = new List<ElementRef>();
            if (!statements.All(s => s is Comment or Assign or AssignElement or Let or If or Push or Pop or PopElement)) return found;
            var written = new HashSet<string>(statements.Select(s => s switch { AssignElement a => a.Array, PopElement p => p.Array, _ => null }).OfType<string>(), System.StringComparer.Ordinal);
            bool writesOnlyOwn = written.All(_ownArrays.Contains);
            // A read under a test of its index (idx[k] > 0 ? x[idx[k] - 1] : a) may be out of range before the loop.
            var guarded = IndexGuards.GuardedReads(statements);
            foreach (var e in statements.SelectMany(IrWalker.Expressions).SelectMany(IrWalker.Descendants))
            {
                if (e is ElementRef { Jagged: false } element && !written.Contains(element.Array) && (writesOnlyOwn || _ownArrays.Contains(element.Array)) && !guarded.Contains(element)
                    && !element.Indices.Any(i => ExprWalker.Reads(i).Overlaps(changing)) && !found.Contains(element))
                    found.Add(element);
            }
            return found;
        }

        /// <summary><c>i</c> for <c>x[i]</c>, <c>i_j</c> for <c>X[i, j]</c>, <c>0</c> for <c>x[0]</c>; <c>k</c> for anything longer.</summary>
        private static string IndexName(ElementRef element) =>
            string.Join("_", element.Indices.Select(i => i switch
            {
                VarRef v => v.Name,
                Const c => ((int)c.Value).ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => "k",
            }));

        private static Block ReplaceReads(Block block, ElementRef element, VarRef local) =>
            IrRewriter.RewriteExpressions(block, e => IrRewriter.TopDown(e, x => x.Equals(element) ? local : null));

        /// <summary>Whether the statement leaves the element's array alone, or only adds to (subtracts from) that very element.</summary>
        private static bool MentionsOnlyAsSum(Stmt s, ElementRef element)
        {
            if (s is AssignElement write && write.Array == element.Array)
            {
                return !write.Jagged && write.Indices.Equals(element.Indices)
                    && write.Value is Binary { Op: BinaryOp.Add or BinaryOp.Subtract, Left: ElementRef current } sum
                    && current.Equals(element) && !Mentions(sum.Right, element.Array);
            }
            if (IrWalker.IsCompound(s)) return !IrWalker.Expressions(s).Any(e => Mentions(e, element.Array)); // their bodies are checked statement by statement
            if (Mentions(s, element.Array)) return false;
            var names = new HashSet<string>(System.StringComparer.Ordinal);
            StatementWalker.CollectMentions(s, names); // targets (an array's element write: below)
            if (s is AssignElement other) names.Add(other.Array);
            foreach (var e in IrWalker.Expressions(s)) ExprWalker.CollectReads(e, names, names); // arrays read too
            return !names.Contains(element.Array);
        }

        private static bool Mentions(Expr e, string array) => ExprWalker.Reads(e).Contains(array);

        /// <summary>Statements that name arrays outside their expressions.</summary>
        private static bool Mentions(Stmt s, string array) => s switch
        {
            PushArray p => p.Array == array,
            PopArray p => p.Array == array,
            ViewSnapshot v => v.Array == array || v.Snapshots == array,
            RentSnapshots r => r.Name == array || r.Array == array,
            PopElement p => p.Array == array,
            AllocateArray a => a.Name == array,
            AllocateAdjointArray a => a.Name == array || a.PrimalArray == array,
            ClearArray c => c.Array == array,
            ReleaseRented r => r.Name == array,
            GradientCall g => g.Outputs.Any(o => o.Name == array || o.LengthOf == array),
            CallAssign c => c.Target == array, // a nested gradient written into a whole local array
            VectorKernel or RunView => true, // kernels write through views: never assume they leave an array alone
            _ => false,
        };

        private static Block Replace(Block block, ElementRef element, string local) =>
            IrRewriter.Rewrite(block, s => s is AssignElement write && write.Array == element.Array
                ? new Stmt[] { new Assign(local, ((Binary)write.Value) with { Left = new VarRef(local, ScalarType.Double) }) { Location = write.Location, Source = write.Source } }
                : null);
    }
}
