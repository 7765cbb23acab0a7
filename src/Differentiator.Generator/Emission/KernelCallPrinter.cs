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

    /// <summary><c>Kernels.Slice(a, start, count)</c>, or <c>Kernels.Row(a, row, start, count)</c> for a row of a 2-D or jagged array.</summary>
    private static string Run(ExpressionPrinter e, ElementRun run) =>
        Kernels + (run.Leading.Count == 0 ? "Slice(" : "Row(") + run.Array + ", "
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
