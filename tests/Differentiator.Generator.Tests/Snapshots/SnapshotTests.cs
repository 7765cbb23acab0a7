using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.Snapshots;

/// <summary>The generated files, compared with the committed expectations in Snapshots/Expected.</summary>
public class SnapshotTests
{
    private static string Generate(string source, string hintName)
    {
        var run = GeneratorRun.Compile(source).AssertClean();
        Assert.True(run.Sources.ContainsKey(hintName), "Generated: " + string.Join(", ", run.Sources.Keys));
        return run.Sources[hintName];
    }

    [Fact]
    public void Mse_is_closed_form_loops_with_no_tape()
    {
        string code = Generate(Sources.Mse, "Demo.Losses.Mse.g.cs");
        Snapshot.Match("Mse", code);

        string gradient = code.Substring(0, code.IndexOf("MseTapeGradient", System.StringComparison.Ordinal));
        Assert.DoesNotContain("Tape", gradient.Replace("MseTapeGradient", ""));
        Assert.DoesNotContain("new ", gradient.Replace("new global::System.ArgumentException", ""));
        // Forward and reverse sweeps fused into one pass over the samples, storing nothing: one such loop for rows of
        // eight or more (the kernels), one for shorter rows (loops over views of the rows) in a method of their own,
        // chosen once, on entry, by the row length (LoopVersioning.RunVersioned).
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(gradient, @"for \(int i ").Count);
        Assert.Matches(@"if \(w\.Length < 8\)\s*\{\s*return MseGradient__ShortRuns\(X, y, w, b, dw, out db\);\s*\}", gradient);
        // In the short rows' method, w's and dw's views taken once per call, X's row once per row (Optimization/RunViews.cs).
        Assert.Contains("var w_run = global::Differentiator.Kernels.SliceWithin(w, 0, w.Length);", gradient);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(gradient, @"var X_run\w* = "));
        Assert.Contains("private static double MseGradient__ShortRuns(double[,] X, double[] y, double[] w, double b, global::System.Span<double> dw, out double db)", gradient);
        // Each method holds one version, so neither needs the copies of the sums one with both keeps (LoopVersioning.OwnSums).
        Assert.DoesNotContain("sum_2", gradient);
        Assert.DoesNotContain("scratch", gradient);
    }

    [Fact]
    public void Curve_fit_residuals_get_a_vjp_a_jvp_and_a_jacobian_by_columns()
    {
        const string source = @"using System;
using Differentiator;
namespace Demo;
public static partial class CurveFit
{
    /// <summary>The residuals of y = a·exp(−b·t) + c at the points (t[i], y[i]).</summary>
    [Differentiable(nameof(a), nameof(b), nameof(c))]
    public static void Residuals(double a, double b, double c, double[] t, double[] y, Span<double> r)
    {
        for (int i = 0; i < t.Length; i++)
            r[i] = a * Math.Exp(-b * t[i]) + c - y[i];
    }
}";
        string code = Generate(source, "Demo.CurveFit.Residuals.g.cs");
        Snapshot.Match("Residuals", code);
        string vjp = code.Substring(0, code.IndexOf("ResidualsJacobian(", System.StringComparison.Ordinal));
        // One fused pass, r written in place, nothing saved: each r[i] is written once and its derivative needs exp, not r.
        Assert.DoesNotContain("scratch", vjp);
        Assert.DoesNotContain("Residuals(a, b, c, t, y, r);", vjp);
        Assert.Contains("public static void ResidualsVjp(double a, double b, double c, double[] t, double[] y, global::System.Span<double> r, global::System.ReadOnlySpan<double> rBar, out double da, out double db, out double dc)", code);
        Assert.Contains("public static void ResidualsJacobian(double a, double b, double c, double[] t, double[] y, global::System.Span<double> r, global::System.Span<double> da, global::System.Span<double> db, global::System.Span<double> dc)", code);
        // Three parameters and t.Length residuals: columns by MJvp when there are fewer columns, else rows by MVjp.
        Assert.Contains("public static void ResidualsJvp(double a, double b, double c, double[] t, double[] y, global::System.Span<double> r, double da, double db, double dc, global::System.Span<double> rDot)", code);
        string jacobian = code.Substring(code.IndexOf("void ResidualsJacobian(", System.StringComparison.Ordinal));
        Assert.Contains("if (columns < rows)", jacobian);
        Assert.Contains("ResidualsJvp(a, b, c, t, y, r, da_2, db_2, dc_2, ", jacobian);
    }

    [Fact]
    public void Loop_carried_overwrite_saves_each_overwritten_value()
    {
        const string source = @"using System;
using Differentiator;
namespace Demo;
public static partial class Polynomials
{
    [Differentiable]
    public static double Horner(double[] x, double p0)
    {
        double p = p0;
        for (int i = 0; i < x.Length; i++) p = p * x[i] + Math.Sin(p);
        return p;
    }
}";
        string code = Generate(source, "Demo.Polynomials.Horner.g.cs");
        Snapshot.Match("Horner", code);
        // Each overwritten p in its iteration's slot of a rented buffer (the loop's trip count is known before it
        // runs, and it is reversed once), not on the scratch stack; the argument p0 overwrote needs no save.
        Assert.Contains("p_saved[i] = p;", code);
        Assert.Contains("p = p_saved[i];", code);
        Assert.DoesNotContain("scratch", code.Substring(0, code.IndexOf("HornerTapeGradient", System.StringComparison.Ordinal)));
    }

    [Fact]
    public void Early_return_and_branches()
    {
        const string source = @"using System;
using Differentiator;
namespace Demo;
public static partial class Piecewise
{
    [Differentiable]
    public static double Huber(double[] r, double delta)
    {
        double sum = 0;
        for (int i = 0; i < r.Length; i++)
        {
            double a = Math.Abs(r[i]);
            if (a <= delta) sum += 0.5 * r[i] * r[i];
            else sum += delta * (a - 0.5 * delta);
        }
        if (sum == 0) return 0;
        return Math.Sqrt(sum);
    }
}";
        Snapshot.Match("Huber", Generate(source, "Demo.Piecewise.Huber.g.cs"));
    }

    [Fact]
    public void Generated_code_has_no_trivial_terms()
    {
        foreach (var source in new[] { Sources.Mse })
        {
            var run = GeneratorRun.Compile(source).AssertClean();
            foreach (var code in run.Sources.Values)
            {
                foreach (var trivial in new[] { "0 * ", " * 0;", "1 * ", " * 1;", " + 0;", "--", "- -", "+ -" })
                    Assert.DoesNotContain(trivial, code.Replace("i--", "").Replace("j--", "").Replace("k--", ""));
            }
        }
    }

    [Fact]
    public void Output_is_byte_identical_across_runs()
    {
        var first = GeneratorRun.Compile(Sources.Mse).Sources;
        var second = GeneratorRun.Compile(Sources.Mse).Sources;
        Assert.Equal(first.Keys.OrderBy(k => k), second.Keys.OrderBy(k => k));
        foreach (var key in first.Keys) Assert.Equal(first[key], second[key]);
    }

    [Fact]
    public void While_break_and_continue_record_the_trip_count()
    {
        const string source = @"using System;
using Differentiator;
namespace Demo;
public static partial class Series
{
    [Differentiable]
    public static double Damped(double[] x, double a)
    {
        double s = 0;
        int i = 0;
        while (i < x.Length)
        {
            i++;
            if (x[i - 1] < 0) continue;
            s = s * a + x[i - 1];
            if (s > 10) break;
        }
        return s;
    }
}";
        string code = Generate(source, "Demo.Series.Damped.g.cs");
        Snapshot.Match("Damped", code);
        // The loop runs until its flag says stop, so the forward sweep counts iterations for the reverse sweep to replay.
        Assert.Contains("&& !broke", code);
        Assert.Contains("iteration_count", code);
    }

    private const string CrossEntropySource = @"using System;
using Differentiator;
namespace Demo;
public static partial class Classifier
{
    static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    [Differentiable(nameof(z))]
    public static double CrossEntropy(double[] z, int label)
    {
        double[] p = new double[z.Length];
        double sum = 0;
        for (int k = 0; k < z.Length; k++) { p[k] = Math.Exp(z[k]); sum += p[k]; }
        for (int k = 0; k < z.Length; k++) p[k] /= sum;
        return -Math.Log(p[label]) + 0.1 * Sigmoid(z[0]);
    }
}";

    [Fact]
    public void Local_array_and_inlined_helper()
    {
        string source = CrossEntropySource;
        string code = Generate(source, "Demo.Classifier.CrossEntropy.g.cs");
        Snapshot.Match("CrossEntropy", code);
        // The scratch array's adjoint is pooled, and the one overwrite of each element (p[k] /= sum) is saved.
        Assert.Contains("ArrayPool<double>.Shared.Rent(p.Length)", code);
        Assert.Contains("p[k] = scratch.PopDouble();", code);
        // The helper is inlined: the gradient calls no Sigmoid (the comments quote the source that did).
        string gradient = code.Substring(0, code.IndexOf("CrossEntropyTapeGradient", System.StringComparison.Ordinal));
        Assert.DoesNotContain(gradient.Split('\n'), line => !line.TrimStart().StartsWith("//", System.StringComparison.Ordinal) && line.Contains("Sigmoid("));
    }

    [Fact]
    public void Float_method_computes_in_float()
    {
        // The double test's source in float (float, MathF, 0.1f): only the precision differs.
        string source = Sources.ToFloat(CrossEntropySource);
        string code = Generate(source, "Demo.Classifier.CrossEntropy.g.cs");
        Snapshot.Match("CrossEntropySingle", code);
        // Float throughout: MathF, f literals, float scratch; saved floats come back from the (double) scratch stack exactly.
        Assert.Contains("ArrayPool<float>.Shared.Rent(p.Length)", code);
        Assert.Contains("p[k] = (float)scratch.PopDouble();", code);
        Assert.Contains("global::System.MathF.Exp(", code);
        Assert.Contains("0.1f", code);
    }

    [Fact]
    public void Jagged_rows_and_slices_are_views()
    {
        const string source = @"using System;
using Differentiator;
namespace Demo;
public static partial class Rows
{
    static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double s = 0;
        for (int j = 0; j < a.Length; j++) s += a[j] * b[j];
        return s;
    }

    [Differentiable(nameof(w))]
    public static double Score(double[][] X, double[] w)
    {
        double total = 0;
        for (int i = 0; i < X.Length; i++) total += Math.Exp(Dot(X[i], w.AsSpan(0, X[i].Length)));
        return total;
    }
}";
        string code = Generate(source, "Demo.Rows.Score.g.cs");
        Snapshot.Match("Score", code);
        // A row and a slice are an index and an offset fixed where they are taken; elements read through them.
        Assert.Contains("X[X_row][", code);
        Assert.Contains("X[X_row].Length", code);
    }

    [Fact]
    public void Hessian_vector_product_is_one_fused_pass_that_stores_nothing()
    {
        const string source = @"using System;
using Differentiator;
namespace Demo;
public static partial class Functions
{
    [Differentiable]
    public static double Rosenbrock(double[] x)
    {
        double sum = 0;
        for (int i = 0; i + 1 < x.Length; i++)
        {
            double a = 1 - x[i];
            double b = x[i + 1] - x[i] * x[i];
            sum += a * a + 100 * b * b;
        }
        return sum;
    }
}";
        string code = Generate(source, "Demo.Functions.Rosenbrock.g.cs");
        Snapshot.Match("Rosenbrock", code);
        int start = code.IndexOf("public static double RosenbrockHessianVectorProduct(", System.StringComparison.Ordinal);
        string hvp = code.Substring(start, code.IndexOf("/// <summary>", start, System.StringComparison.Ordinal) - start);
        // Reverse over forward: the tangent program's loop and its reverse fused, as MGradient's are; no tape, no
        // scratch stack, no allocation; the tangent of the result, which only its adjoint needs, is not summed.
        Assert.Contains(Differentiation.SweepTitles.Fused, hvp);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(hvp, @"for \(int i "));
        Assert.DoesNotContain("scratch", hvp);
        Assert.DoesNotContain("new ", hvp);
        Assert.DoesNotContain("dsum", hvp);
        Assert.Contains("double db = dx[i + 1] - t * dx[i];", hvp);
        Assert.Contains("return value;", hvp);
        // The pushforward: tangents before the statements they belong to, the square's tangent written once.
        Assert.Contains("double db = dx[i + 1] - 2 * x[i] * dx[i];\n                double b = x[i + 1] - x[i] * x[i];", code);
    }
}
