using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.Diagnostics;

/// <summary>
/// The shape of a vector-valued method, accepted exactly: <c>void</c>, the last parameter a <c>Span&lt;double&gt;</c>
/// (or float) passed by value, written by the body. Near misses get DIFF401 on the return type, saying what is
/// missing; the output may not be named in the attribute (DIFF004); other spans stay read-only (DIFF009). The
/// generator's and the analyzer's diagnostics agree (Markup checks both).
/// </summary>
public class VectorValuedDiagnosticTests
{
    private const string Prelude = "using System;\nusing Differentiator;\nnamespace T;\n";

    private static GeneratorRun Check(string members) =>
        Markup.AssertDiagnostics(Prelude + "public static partial class F\n{\n" + members + "\n}\n");

    [Fact]
    public void DIFF401_void_without_a_span_output()
    {
        var run = Check("[Differentiable] public static {|DIFF401:void|} G(double x, double[] r) { }");
        Assert.Contains("no Span<double>", run.AnalyzerDiagnostics.Single().GetMessage());
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void DIFF401_span_output_not_last()
    {
        var run = Check("[Differentiable] public static {|DIFF401:void|} G(Span<double> r, double x) { }");
        Assert.Contains("'r' is not its last parameter", run.AnalyzerDiagnostics.First(d => d.Id == "DIFF401").GetMessage());
    }

    [Fact]
    public void DIFF401_and_DIFF014_span_output_passed_by_ref()
    {
        var run = Check("[Differentiable] public static {|DIFF401:void|} G(double x, {|DIFF014:ref Span<double> r|}) { }");
        Assert.Contains("passed by 'ref'", run.AnalyzerDiagnostics.First(d => d.Id == "DIFF401").GetMessage());
    }

    [Fact]
    public void DIFF401_for_a_span_of_ints_which_is_int_data_not_an_output() =>
        Check("[Differentiable] public static {|DIFF401:void|} G(double x, Span<int> r) { }");

    [Fact]
    public void DIFF004_the_output_named_in_the_attribute()
    {
        var run = Check("[Differentiable(nameof(x), {|DIFF004:nameof(r)|})] public static void G(double x, Span<double> r) { r[0] = x; }");
        Assert.Contains("output of the vector-valued method", run.AnalyzerDiagnostics.Single().GetMessage());
    }

    [Fact]
    public void DIFF004_a_differentiated_matrix_of_a_vector_valued_method() =>
        Check("[Differentiable(nameof(W))] public static void G({|DIFF004:double[,] W|}, Span<double> r) { r[0] = W[0, 0]; }");

    [Fact]
    public void DIFF009_writes_to_other_spans_stay_refused() =>
        Check("[Differentiable] public static void G(double x, Span<double> scratch, Span<double> r) { {|DIFF009:scratch[0] = x|}; r[0] = x; }");

    [Fact]
    public void DIFF008_calling_a_vector_valued_method_from_a_differentiated_one() =>
        Check(@"[Differentiable] public static void V(double x, Span<double> r) { r[0] = x; }
[Differentiable] public static double G(double x, double[] r) { {|DIFF008:V(x, r)|}; return x; }");

    [Fact]
    public void DIFF002_still_for_other_return_types() =>
        Check("[Differentiable] public static {|DIFF002:int|} G(double x, Span<double> r) => 1;");

    [Fact]
    public void Accepted_shape_has_no_diagnostics_and_generates_the_jacobian()
    {
        var run = Check(@"[Differentiable(nameof(x))] public static void G(double x, double[] y, Span<double> r) => r[0] = x * y[0];
[Differentiable] public static void H(float x, Span<float> r) { if (r.Length == 0) return; r[0] = x * x; }");
        var source = run.Sources.Single(s => s.Key.EndsWith("F.G.g.cs")).Value;
        Assert.Contains("public static void GVjp(double x, double[] y, global::System.Span<double> r, global::System.ReadOnlySpan<double> rBar, out double dx)", source);
        Assert.Contains("public static void GJacobian(double x, double[] y, global::System.Span<double> r, global::System.Span<double> dx)", source);
        Assert.DoesNotContain("GGradient", source);
        Assert.Contains("public static void HJacobian(float x, global::System.Span<float> r, global::System.Span<float> dx)", run.Sources.Single(s => s.Key.EndsWith("F.H.g.cs")).Value);
    }

    [Fact]
    public void Instance_methods_of_partial_classes_and_structs_compile_cleanly()
    {
        var run = GeneratorRun.Compile(Prelude + @"public partial class Model
{
    [Differentiable] public void Map(double[] x, Span<double> r) { for (int i = 0; i < r.Length; i++) r[i] = Math.Sin(x[i]) * x[0]; }
}
public partial struct Pair
{
    [Differentiable] internal void Both(double a, double b, Span<double> r) { r[0] = a * b; if (a > b) return; r[1] = r[0] * a; }
}").AssertClean();
        Assert.Contains("public void MapJacobian(double[] x, global::System.Span<double> r, double[,] dx)", run.Sources["T.Model.Map.g.cs"]);
        Assert.Contains("internal void BothVjp(double a, double b, global::System.Span<double> r, global::System.ReadOnlySpan<double> rBar, out double da, out double db)", run.Sources["T.Pair.Both.g.cs"]);
    }

    [Fact]
    public void Advisories_of_a_vector_valued_method_come_from_its_vjp()
    {
        // y reaches no output (every Jacobian column of y is zero: DIFF101); the branch on x is a kink (DIFF102).
        var run = Check(@"[Differentiable] public static void G(double x, double {|DIFF101:y|}, Span<double> r)
{
    r[0] = x * x;
    if ({|DIFF102:x > 1|}) r[1] = x; else r[1] = 1;
}");
        Assert.NotEmpty(run.Sources);
    }
}
