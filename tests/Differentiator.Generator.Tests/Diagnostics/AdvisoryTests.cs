using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.Diagnostics;

/// <summary>Warnings and notes about methods that do differentiate, on the exact syntax they concern.</summary>
public class AdvisoryTests
{
    private const string Prelude = "using System;\nusing Differentiator;\nnamespace T;\npublic static partial class F\n{\n";

    private static GeneratorRun Check(string members, bool includeInfo = false)
    {
        var run = Markup.AssertDiagnostics(Prelude + members + "\n}\n", includeInfo);
        Assert.NotEmpty(run.Sources); // advisories never stop generation
        return run;
    }

    [Fact]
    public void DIFF101_a_differentiated_parameter_the_result_ignores() =>
        Check("[Differentiable] public static double G(double[] w, double {|DIFF101:b|}) => w[0] * w[0];");

    [Fact]
    public void DIFF102_kinks_of_abs_max_min_and_comparisons()
    {
        Check(@"[Differentiable] public static double G(double x, double y)
{
    double h = {|DIFF102:Math.Max(0, 1 - x)|} + {|DIFF102:Math.Abs(y)|};
    if ({|DIFF102:x > y|}) h += x;
    return ({|DIFF102:h < 2|} ? h : 2 * h) + Math.Abs(3.0);
}");
    }

    [Fact]
    public void DIFF102_not_for_the_running_maximum_of_a_stable_softmax_or_log_sum_exp()
    {
        // The maximum only shifts: exp(z − m) / Σ exp(z − m) and m + log Σ exp(z − m) do not depend on m, so picking m is no kink.
        Check(@"[Differentiable] public static double Softmax0(double[] z)
{
    double max = z[0];
    for (int k = 1; k < z.Length; k++) if (z[k] > max) max = z[k];
    double sum = 0;
    for (int k = 0; k < z.Length; k++) sum += Math.Exp(z[k] - max);
    return Math.Exp(z[0] - max) / sum;
}
[Differentiable] public static double LogSumExp(double[] z)
{
    double m = z[0];
    for (int k = 1; k < z.Length; k++) m = Math.Max(m, z[k]);
    double sum = 0;
    for (int k = 0; k < z.Length; k++) sum += Math.Exp(z[k] - m);
    return m + {|DIFF104:Math.Log(sum)|}; // still warned: that the sum holds exp(0) = 1 is not proven (DIFF104.md)
}
[Differentiable(nameof(W))] public static double CrossEntropy(double[,] W, double[,] X, int label0, int label1)
{
    double loss = 0;
    for (int i = 0; i < 2; i++)
    {
        int label = i == 0 ? label0 : label1;
        double max = W[0, 0] * X[i, 0];
        for (int k = 0; k < W.GetLength(0); k++) max = W[k, 0] * X[i, 0] > max ? W[k, 0] * X[i, 0] : max;
        double sum = 0;
        for (int k = 0; k < W.GetLength(0); k++) sum += Math.Exp(W[k, 0] * X[i, 0] - max);
        loss += {|DIFF104:Math.Log(sum)|} + max - W[label, 0] * X[i, 0];
    }
    return loss;
}
[Differentiable(nameof(W))] public static double Mixed(double[,] W)
{
    double s1 = 0;
    double s2 = 0;
    for (int i = 0; i < W.GetLength(0); i++)
    {
        double max = W[i, 0];
        for (int k = 1; k < W.GetLength(1); k++) if ({|DIFF102:W[i, k] > max|}) max = W[i, k];
        s1 += Math.Exp(W[i, 0] - max); // the sums mix the rows' maxima: invariant only if all rows moved together
        s2 += Math.Exp(W[i, 1] - max);
    }
    return s1 / s2;
}");
    }

    [Fact]
    public void DIFF102_still_for_a_running_maximum_the_result_depends_on() =>
        // Returned as is, scaled, or one row's maximum carried into the next row's loss: the choice matters.
        Check(@"[Differentiable] public static double Max(double[] z)
{
    double max = z[0];
    for (int k = 1; k < z.Length; k++) if ({|DIFF102:z[k] > max|}) max = z[k];
    return max;
}
[Differentiable] public static double Scaled(double[] z)
{
    double m = z[0];
    for (int k = 1; k < z.Length; k++) m = {|DIFF102:Math.Max(m, z[k])|};
    double sum = 0;
    for (int k = 0; k < z.Length; k++) sum += Math.Exp(z[k] - m);
    return m * sum;
}
[Differentiable(nameof(W))] public static double Carried(double[,] W)
{
    double loss = 0;
    double previous = 0;
    for (int i = 0; i < W.GetLength(0); i++)
    {
        double max = W[i, 0];
        for (int k = 1; k < W.GetLength(1); k++) if ({|DIFF102:W[i, k] > max|}) max = W[i, k];
        if (i > 0) loss += previous - max; // each term moves by 0 when all maxima move together, yet the sum is max₀ − max_last
        previous = max;
    }
    return loss;
}");

    [Fact]
    public void DIFF102_not_for_comparisons_of_data_or_counters() =>
        Check(@"[Differentiable(nameof(w))] public static double G(double[] w, double[] data)
{
    double s = 0;
    for (int i = 0; i < w.Length; i++) if (data[i] > 0) s += w[i];
    return s;
}");

    [Fact]
    public void DIFF102_kinks_of_sign_clamp_and_hypot_on_differentiated_values_only()
    {
        var run = Check(@"[Differentiable(nameof(x))] public static double G(double x, double d)
{
    return {|DIFF102:Math.Sign(x)|} * x + Math.Sign(d) * x + {|DIFF102:Math.Clamp(x, -1, 1)|} + Math.Clamp(d, -1, 1) * x + {|DIFF102:double.Hypot(x, d)|};
}");
        var messages = run.AnalyzerDiagnostics.Select(d => d.GetMessage()).ToList();
        Assert.Contains(messages, m => m.Contains("Math.Sign") && m.Contains("piecewise constant"));
        Assert.Contains(messages, m => m.Contains("Math.Clamp") && m.Contains("[min, max]"));
        Assert.Contains(messages, m => m.Contains("double.Hypot") && m.Contains("origin"));
    }

    [Fact]
    public void DIFF104_not_for_an_integral_power_written_as_an_int_but_for_a_fractional_one() =>
        Check(@"[Differentiable] public static double G(double b) =>
    Math.Pow(b, 3) + Math.Pow(b, 2) + Math.Pow(b, -1) + Math.Pow(b, 3.0) + {|DIFF104:Math.Pow(b, 0.5)|} + Math.Log(Math.Pow(b, 2) + 1, 2) + {|DIFF104:Math.Log(b, 2)|};");

    [Fact]
    public void DIFF104_at_the_edges_of_acosh_atanh_and_the_logarithm_with_a_base() =>
        Check(@"[Differentiable] public static double G(double x) => {|DIFF104:Math.Acosh(x)|} + {|DIFF104:Math.Atanh(x)|} + Math.Asinh(x) + Math.Log(Math.Exp(x), 10) + {|DIFF104:Math.Log(x * x, 10)|};");

    [Fact]
    public void DIFF103_integer_conversion_of_a_differentiated_value() =>
        Check("[Differentiable] public static double G(double x) => {|DIFF103:(int)(x * 10)|} * x;");

    [Fact]
    public void DIFF104_sqrt_of_a_sum_of_squares_that_can_be_zero_but_not_when_guarded()
    {
        var run = Check(@"[Differentiable] public static double Norm(double[] v)
{
    double s = 0;
    for (int i = 0; i < v.Length; i++) s += v[i] * v[i];
    return {|DIFF104:Math.Sqrt(s)|} + Math.Sqrt(s + 1e-12) + Math.Log(1 + Math.Exp(v[0])) + {|DIFF104:Math.Log(v[0])|};
}");
        Assert.Contains(run.AnalyzerDiagnostics, d => d.GetMessage().Contains("its argument can be 0 here") && d.GetMessage().Contains("Math.Sqrt(x + 1e-12)"));
    }

    /// <summary>
    /// Issue 22: a Sqrt or Log the code already guards with if (x != 0) or if (x &gt; 0) is no hazard; one outside the
    /// guard, under a guard that does not exclude 0 for it, or after a write inside the guard still is. (The guards
    /// themselves compare differentiated values: DIFF102, as any such branch.)
    /// </summary>
    [Fact]
    public void DIFF104_not_for_sqrt_or_log_guarded_by_an_if()
    {
        Check(@"[Differentiable] public static double Norm(double[] v, double y)
{
    double s = 0;
    for (int i = 0; i < v.Length; i++) s += v[i] * v[i];
    double r = 0;
    if ({|DIFF102:s != 0|}) r = Math.Sqrt(s);
    if ({|DIFF102:y > 0|}) r += Math.Sqrt(y) + Math.Log(y);
    if ({|DIFF102:0 < y && s > 1e-9|}) r += Math.Sqrt(y) + Math.Log(s);
    if ({|DIFF102:y <= 0|}) r -= y; else r += Math.Sqrt(y);
    if ({|DIFF102:y != 0|}) r += {|DIFF104:Math.Sqrt(y)|};
    if ({|DIFF102:y > 0 || s > 1|}) r += {|DIFF104:Math.Sqrt(y)|};
    if ({|DIFF102:y > 0|}) { y = y - 1; r += {|DIFF104:Math.Sqrt(y)|}; }
    return r + {|DIFF104:Math.Sqrt(s)|};
}");
    }

    [Fact]
    public void DIFF105_scratch_storage_is_noted_on_the_method_and_fused_loops_need_none()
    {
        var run = Check(@"[Differentiable] public static double {|DIFF105:Horner|}(double[] x, double p)
{
    for (int i = 0; i < x.Length; i++) p = p * x[i] + Math.Sin(p);
    return p;
}", includeInfo: true);
        Assert.Contains(run.AnalyzerDiagnostics, d => d.GetMessage().Contains("the overwritten values of p"));
        Markup.AssertDiagnostics(Sources.Mse, includeInfo: true);
    }

    [Fact]
    public void DIFF105_names_the_call_results_a_loop_saves()
    {
        // The reverse loop over h reuses each tanh the forward loop computed (Differentiation/CallResultLocals.cs).
        var run = Check(@"[Differentiable] public static double {|DIFF105:Layer|}(double[] v, double x)
{
    double output = 0;
    for (int h = 0; h < v.Length; h++) output += v[h] * Math.Tanh(x * h);
    return output * output;
}", includeInfo: true);
        Assert.Contains(run.AnalyzerDiagnostics, d => d.GetMessage().Contains("saves the results of Math.Tanh(…) (cheaper than calling again)"));
    }

    [Fact]
    public void Pragma_suppresses_an_advisory()
    {
        var run = GeneratorRun.Compile(Prelude + "#pragma warning disable DIFF102\n[Differentiable] public static double G(double x) => Math.Abs(x);\n}\n");
        Assert.All(run.AnalyzerDiagnostics, d => Assert.True(d.IsSuppressed, d.ToString()));
    }
}
