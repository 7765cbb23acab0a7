using System.Linq;
using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Emission;

/// <summary>
/// Prints a vectorized loop (Optimization/LoopVectorizer.cs) as a call to <c>Differentiator.Kernels</c>, under a
/// comment that quotes the loop it replaces.
/// </summary>
internal static class KernelCallPrinter
{
    private const string Kernels = "global::Differentiator.Kernels.";

    public static void Print(SourceWriter w, ExpressionPrinter e, VectorKernel kernel)
    {
        if (kernel.SpanNames.Count > 0)
        {
            PrintOverSpans(w, e, kernel);
            return;
        }
        w.Line("// " + LoopText(e, kernel) + " (vectorized)");
        switch (kernel)
        {
            case DotAccumulate d:
                w.Line(e.Print(d.Destination) + " += " + Kernels + "Dot(" + Run(e, d.Left) + ", " + Run(e, d.Right) + ");");
                break;
            case AxpyUpdate a:
                w.Line(Kernels + "Axpy(" + e.Print(a.Scale) + ", " + Run(e, a.Input) + ", " + Run(e, a.Destination) + ");");
                break;
        }
    }

    /// <summary>
    /// The loop the kernel replaced, over its runs as spans (declared by <see cref="RunView"/>s before it):
    /// <c>for (int j = 0; j &lt; X_run.Length; j++) pred += X_run[j] * w_run[j];</c>. The same operations in the same
    /// order as the loop (descending when it was), so the same bits; bounded by the length of its row's view, so the
    /// JIT drops that view's checks per element.
    /// </summary>
    private static void PrintOverSpans(SourceWriter w, ExpressionPrinter e, VectorKernel kernel)
    {
        w.Line("// " + LoopText(e, kernel) + " (over spans)");
        string j = kernel.Counter, bound = kernel.SpanNames[kernel.BoundRun];
        string header = kernel.Descending
            ? "for (int " + j + " = " + bound + ".Length - 1; " + j + " >= 0; " + j + "--) "
            : "for (int " + j + " = 0; " + j + " < " + bound + ".Length; " + j + "++) ";
        string Element(int run) => kernel.SpanNames[run] + "[" + j + "]";
        switch (kernel)
        {
            case DotAccumulate d:
                w.Line(header + e.Print(d.Destination) + " += " + Element(0) + " * " + Element(1) + ";");
                break;
            case AxpyUpdate a:
                w.Line(header + Element(1) + " += " + e.Print(a.Scale) + " * " + Element(0) + ";");
                break;
        }
    }

    /// <summary><c>var X_run = Kernels.Row(X, i, 0, n);</c>, or the clamped view (<c>Kernels.SliceWithin</c>) when the view was hoisted (only flat runs are).</summary>
    public static void PrintView(SourceWriter w, ExpressionPrinter e, RunView view)
    {
        if (view.Clamped && view.Run.Leading.Count > 0) throw new System.InvalidOperationException("A clamped view of a row (" + view.Name + "): Optimization/RunViews.cs hoists only flat runs.");
        w.Line("var " + view.Name + " = " + Run(e, view.Run, view.Clamped ? "Within(" : "(") + ";");
    }

    /// <summary><c>Kernels.Slice(a, start, count)</c>, or <c>Kernels.Row(a, row, start, count)</c> for a row of a 2-D or jagged array.</summary>
    private static string Run(ExpressionPrinter e, ElementRun run, string open = "(") =>
        Kernels + (run.Leading.Count == 0 ? "Slice" : "Row") + open + run.Array + ", "
        + string.Join(", ", run.Leading.Append(run.Start).Append(run.Count).Select(e.Print)) + ")";

    /// <summary>The replaced loop on one line: <c>for (int j = 0; j &lt; n; j++) s += a[j] * b[j];</c>.</summary>
    private static string LoopText(ExpressionPrinter e, VectorKernel kernel)
    {
        string header = "for (int " + kernel.Counter + " = " + e.Print(kernel.LoopStart) + "; " + kernel.Counter + " < " + e.Print(kernel.LoopBound) + "; " + kernel.Counter + "++) ";
        string body = kernel.Original switch
        {
            Assign { Value: Binary b } a => a.Target + " += " + e.Print(b.Right) + ";",
            AssignElement { Value: Binary b } ae => e.Print(new ElementRef(ae.Array, ae.Indices, ae.Jagged)) + " += " + e.Print(b.Right) + ";",
            _ => "…",
        };
        return header + body;
    }
}
