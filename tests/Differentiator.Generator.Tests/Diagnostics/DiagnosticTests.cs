using System.Linq;
using Differentiator.Generator.Diagnostics;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.Diagnostics;

/// <summary>Every diagnostic, on the exact syntax it names, with no generated file for the method and no crash.</summary>
public class DiagnosticTests
{
    private const string Prelude = "using System;\nusing System.Linq;\nusing Differentiator;\nnamespace T;\n";

    private static GeneratorRun Check(string members, string type = "public static partial class F") =>
        Markup.AssertDiagnostics(Prelude + type + "\n{\n" + members + "\n}\n");

    [Fact]
    public void DIFF001_type_not_partial_on_each_enclosing_type()
    {
        var run = Markup.AssertDiagnostics(Prelude + "public static class {|DIFF001:Outer|} { public static partial class Inner { [Differentiable] public static double G(double x) => x; } }");
        Assert.Empty(run.Sources);
        Assert.Contains("'Outer' must be declared 'partial'", run.AnalyzerDiagnostics.Single().GetMessage());
    }

    [Fact]
    public void DIFF002_return_type_not_double() =>
        Check("[Differentiable] public static {|DIFF002:int|} G(double x) => 1;");

    [Fact]
    public void DIFF003_and_DIFF004_attribute_names()
    {
        // Matrices may be named (they are then differentiated); an int may not.
        var run = Check("[Differentiable({|DIFF003:\"v\"|}, {|DIFF004:nameof(n)|}, nameof(X), nameof(J))] public static double G(double x, int n, double[,] X, double[][] J) => x * n + X[0, 0] + J[0][0];");
        Assert.Contains(run.AnalyzerDiagnostics, d => d.GetMessage().Contains("int values carry no derivative"));
    }

    [Fact]
    public void DIFF005_unsupported_parameter_type() =>
        Check("[Differentiable] public static double G(double x, {|DIFF005:System.Collections.Generic.List<double>|} list) => x;");

    [Fact]
    public void DIFF006_calls_that_cannot_be_differentiated() =>
        Check(@"static double Helper(double x) { if (x > 1) return x; return x * 2; }
[Differentiable] public static double G(double x) => {|DIFF006:Helper(x)|} + {|DIFF006:Math.Floor(x)|} + {|DIFF006:Math.Max(1, 2)|};");

    [Fact]
    public void DIFF007_statements_outside_the_subset_on_their_keyword() =>
        Check(@"[Differentiable] public static double G(double x)
{
    {|DIFF007:lock|} (typeof(F)) { x = x / 2; }
    {|DIFF007:try|} { x = x + 1; } catch (Exception) { }
    foreach (var v in new[] { 1.0 }) { }
    return x;
}".Replace("foreach (var v in new[] { 1.0 }) { }", "{|DIFF007:foreach|} (var v in new[] { 1.0 }) { }"));

    [Fact]
    public void DIFF008_expressions_outside_the_subset() =>
        Check(@"static double field = 1;
[Differentiable] public static double G(double[] x)
{
    double s = {|DIFF006:x.Sum()|} + {|DIFF008:""text"".Length|};
    double t = {|DIFF008:x is null|} ? 1 : 0;
    double u = {|DIFF008:x[0]++|};
    return {|DIFF008:field|} + {|DIFF006:x.Select(v => v).First()|} + s + t + u;
}");

    [Fact]
    public void DIFF009_writing_into_a_parameter_array() =>
        Check("[Differentiable] public static double G(double[] w) { {|DIFF009:w[0] = 1|}; return w[0]; }");

    [Fact]
    public void DIFF010_loop_shapes() =>
        Check(@"[Differentiable] public static double G(double[] w)
{
    double s = 0;
    for (int i = 0; {|DIFF010:i * 2 < w.Length|}; i++) s += w[i];
    for (int i = 0; i < w.Length; {|DIFF010:i += 2|}) s += w[i];
    for ({|DIFF010:double|} d = 0; d < 1; d++) s += d;
    return s;
}");

    [Fact]
    public void DIFF011_counter_assigned_in_the_body() =>
        Check("[Differentiable] public static double G(double[] w) { double s = 0; for (int i = 0; i < w.Length; i++) { s += w[i]; {|DIFF011:i++|}; } return s; }");

    [Fact]
    public void DIFF012_local_of_unsupported_type() =>
        Check("[Differentiable] public static double G(double x) { {|DIFF012:decimal|} f = 1; return x; }");

    [Fact]
    public void DIFF019_float_and_double_mixed()
    {
        Check("[Differentiable] public static double G(double x, {|DIFF019:float|} f) { {|DIFF019:float|} t = 1; return x * {|DIFF019:(float)x|}; }");
        Check("[Differentiable] public static float H(float x, {|DIFF019:double[]|} d) { float t = (float){|DIFF019:Math.Exp(x)|} + (float)(x * {|DIFF019:0.5|}); return t * (float){|DIFF019:Math.PI|} * MathF.PI; }");
    }

    [Fact]
    public void DIFF013_generic_and_bodiless_methods()
    {
        Check("[Differentiable] public static double {|DIFF013:G|}<T>(double x) => x;");
        Check("[Differentiable] public static partial double {|DIFF013:H|}(double x);");
    }

    [Fact]
    public void DIFF014_ref_and_out_parameters() =>
        Check("[Differentiable] public static double G({|DIFF014:ref double x|}, double y) => x * y;");

    [Fact]
    public void DIFF015_conditional_call() =>
        Check(@"[Differentiable] public static double Sq(double x) => x * x;
[Differentiable] public static double G(double x) => x > 0 ? {|DIFF015:Sq(x)|} : 0;");

    [Fact]
    public void DIFF016_differentiated_value_into_a_constant_parameter() =>
        Check(@"[Differentiable(nameof(a))] public static double Scale(double a, double k) => a * k;
[Differentiable] public static double G(double x) { double y = 2 * x; return {|DIFF016:Scale(1, y)|}; }");

    [Fact]
    public void DIFF017_recursion() =>
        Check("[Differentiable] public static double G(double x) => x < 1 ? x : {|DIFF017:G(x / 2)|};");

    [Fact]
    public void DIFF018_local_arrays_the_gradient_cannot_follow() =>
        Check(@"[Differentiable] public static double Sum(double[] v) => v[0];
[Differentiable] public static double G(double[] x)
{
    double[] alias = x; // a view of x, not a new array: fine
    double[] listed = {|DIFF018:new double[] { 1, 2 }|};
    var t = new double[2];
    double s = Sum({|DIFF018:t|}) * 0;
    for (int i = 0; i < x.Length; i++)
    {
        var u = {|DIFF018:new double[2]|};
        s += x[i];
    }
    return s;
}".Replace("Sum({|DIFF018:t|})", "{|DIFF018:Sum(t)|}"));

    /// <summary>
    /// Found by the random programs (seventh session): an array declared after an early return was allocated inside
    /// the branch that lowering puts around the rest of the method, out of the reverse sweep's scope (CS0103 in the
    /// generated code). Now it is a diagnostic on the allocation.
    /// </summary>
    [Fact]
    public void DIFF018_a_local_array_after_an_early_return() =>
        Check(@"[Differentiable] public static double G(double[] x, double a)
{
    double[] before = new double[2];
    if (a > 1) return a;
    double[] after = {|DIFF018:new double[2]|};
    after[0] = a * x[0];
    return after[0] + before[1];
}");

    [Fact]
    public void Every_error_in_a_method_is_reported_and_other_methods_still_generate()
    {
        var run = Check(@"[Differentiable] public static double Bad(double x)
{
    {|DIFF007:foreach|} (var v in new double[1]) x = x / 2;
    {|DIFF012:string|} s = """";
    return {|DIFF006:Math.Round(x)|};
}
[Differentiable] public static double Good(double x) => x * x;");
        Assert.Equal(new[] { "T.F.Good.g.cs" }, run.Sources.Keys.ToArray());
    }

    [Fact]
    public void Every_descriptor_has_its_severity_and_a_help_link_to_its_page()
    {
        foreach (var d in DiagnosticDescriptors.All)
        {
            // DIFF1xx: advisories on code that differentiates; DIFF2xx: the build's settings; both warnings (DIFF105 a note).
            // DIFF3xx: members beyond the gradient not written — an error when none could be (DIFF300), a note when some (DIFF301).
            var expected = d.Id is "DIFF105" or "DIFF301" ? Microsoft.CodeAnalysis.DiagnosticSeverity.Info
                : d.Id.StartsWith("DIFF1") || d.Id.StartsWith("DIFF2") ? Microsoft.CodeAnalysis.DiagnosticSeverity.Warning
                : Microsoft.CodeAnalysis.DiagnosticSeverity.Error;
            Assert.Equal(expected, d.DefaultSeverity);
            Assert.EndsWith("docs/diagnostics/" + d.Id + ".md", d.HelpLinkUri);
            string page = System.IO.Path.Combine(RepositoryRoot(), "docs", "diagnostics", d.Id + ".md");
            Assert.True(System.IO.File.Exists(page), "missing " + page);
        }
    }

    internal static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, "..", "..", ".."));
}
