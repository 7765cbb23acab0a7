using System.Text;

namespace Differentiator.Benchmarks.Generator;

/// <summary>
/// The file the editor benchmarks edit: <c>n</c> methods of about 15 lines, each with a loop, a branch, a kink and a
/// square root (so each gets DIFF advisories). benchmarks/EditorLatency/make_project.py writes the same file for the
/// LSP measurement.
/// </summary>
internal static class EditorFile
{
    public static string Text(int methods, bool differentiable)
    {
        var text = new StringBuilder("using System;\nusing Differentiator;\nnamespace Bench;\n\n// Type here: above every method.\npublic static partial class Losses\n{\n");
        for (int m = 0; m < methods; m++)
        {
            if (differentiable) text.Append("    [Differentiable]\n");
            text.Append("    public static double Loss" + m + "(double[] x, double[] w, double b)\n    {\n");
            text.Append("        double s = 0;\n        for (int i = 0; i < x.Length; i++)\n        {\n");
            text.Append("            double z = b + w[i % w.Length] * x[i];\n            double a = Math.Tanh(z);\n");
            text.Append("            double r = a - 0.5 * x[i];\n            if (r > 0) s += r * r;\n            else s += 0.25 * r * r;\n        }\n");
            text.Append("        double norm = Math.Sqrt(s);\n        return norm + Math.Abs(b) * " + m + ".0;\n    }\n\n");
        }
        return text.Append("}\n").ToString();
    }
}
