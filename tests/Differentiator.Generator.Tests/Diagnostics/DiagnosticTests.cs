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
[Differentiable] public static double G(double x) => {|DIFF006:Helper(x)|} + {|DIFF006:Math.Floor(x)|} + {|DIFF006:Math.Clamp(1, 0, 2)|};");

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
    public void DIFF009_writing_into_int_data() =>
        Check(@"[Differentiable] public static double G(double[] w, int[] labels, Span<int> counts, int[,] table)
{
    {|DIFF009:labels[0] = 1|};
    {|DIFF009:counts[labels[0]]++|};
    {|DIFF009:table[0, 1] += 2|};
    return w[labels[0]];
}");

    [Fact]
    public void DIFF004_int_data_named_for_differentiation()
    {
        var run = Check("[Differentiable(nameof(w), {|DIFF004:nameof(labels)|}, {|DIFF004:nameof(table)|})] public static double G(double[] w, ReadOnlySpan<int> labels, int[,] table) => w[labels[0]] * table[0, 0];");
        Assert.All(run.AnalyzerDiagnostics, d => Assert.Contains("int values carry no derivative", d.GetMessage()));
        Assert.Contains(run.AnalyzerDiagnostics, d => d.GetMessage().Contains("'labels' of type 'System.ReadOnlySpan<int>'"));
    }

    [Fact]
    public void DIFF018_local_matrices_allocated_where_the_gradient_cannot_follow() =>
        Check(@"[Differentiable] public static double Sum(double[,] v) => v[0, 0];
[Differentiable] public static double G(double[] x)
{
    double[,] listed = {|DIFF018:new double[,] { { 1, 2 } }|};
    var t = new double[2, 2];
    t[1, 0] = x[0];
    double s = {|DIFF018:Sum(t)|};
    for (int i = 0; i < x.Length; i++)
    {
        double[,] u = {|DIFF018:new double[2, 2]|};
        s += x[i];
    }
    return s;
}");

    [Fact]
    public void DIFF501_a_custom_derivative_of_no_such_method()
    {
        var run = Check(@"public static double Energy(double[] x) => x.Sum();
public double Instance(double[] x) => x[0];
[DerivativeOf({|DIFF501:""Enrgy""|})] public static void EnergyVjp(double[] x, double resultBar, Span<double> dx) { }
[DerivativeOf({|DIFF501:nameof(Instance)|})] public static void InstanceVjp(double[] x, double resultBar, Span<double> dx) { }", "public partial class F");
        Assert.Contains(run.AnalyzerDiagnostics, d => d.GetMessage().Contains("names 'Enrgy', which is not a static, non-generic method of 'F'"));
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void DIFF502_a_custom_derivative_that_does_not_fit_names_the_parameter_and_the_signature_expected()
    {
        var run = Check(@"public static double Scale(double[] x, double k, int n) => k * x.Sum() * n;
[DerivativeOf(nameof(Scale))] public static void ScaleVjp(double[] x, double k, int n, double resultBar, {|DIFF502:out double dk|}, Span<double> dx) { dk = 0; }
public static double Two(double a, double b) => a * b;
[DerivativeOf(nameof(Two))] public static void TwoVjp{|DIFF502:(double a, double b, double resultBar, out double da)|} { da = b; }
public static double Three(double a) => a;
[DerivativeOf(nameof(Three))] public static {|DIFF502:double|} ThreeVjp(double a, double resultBar, out double da) { da = resultBar; return 0; }
public static double Four(double a) => a;
[DerivativeOf(nameof(Four))] public void {|DIFF502:FourVjp|}(double a, double resultBar, out double da) { da = resultBar; }
public static double Six(double a) => a;
[DerivativeOf(nameof(Six))] static void {|DIFF502:SixVjp|}(double a, double resultBar, out double da) { da = resultBar; }
public static double Five(double a, double[] x) => a;
[DerivativeOf(nameof(Five))] public static void FiveVjp(double a, {|DIFF502:Span<double> x|}, double resultBar, out double da, Span<double> dx) { da = resultBar; }
[Differentiable] public static double Caller(double[] w) => Scale(w, 2, 1) + Two(w[0], w[1]);", "public partial class F");
        Assert.Contains(run.AnalyzerDiagnostics, d => d.GetMessage().Contains(
            "its parameter 'dk' must receive the derivative with respect to 'x', as a Span; expected 'static void ScaleVjp(double[] x, double k, int n, double resultBar, Span<double> dx, out double dk)'"));
        Assert.Contains(run.AnalyzerDiagnostics, d => d.GetMessage().Contains("it has 4 parameters, and 5 are needed"));
        Assert.Contains(run.AnalyzerDiagnostics, d => d.GetMessage().Contains("it is less accessible than 'Six', whose callers' gradients call it; make it public"));
        // The caller of a function whose custom derivative does not fit generates nothing, and says nothing more.
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void DIFF503_a_custom_derivative_of_a_differentiable_method()
    {
        var run = Check(@"[Differentiable] public static double Square(double x) => x * x;
[DerivativeOf({|DIFF503:nameof(Square)|})] public static void SquareVjp(double x, double resultBar, out double dx) => dx = resultBar * 2 * x;");
        Assert.DoesNotContain(run.Sources.Keys, k => k.Contains("DerivativeOf"));
    }

    [Fact]
    public void DIFF001_a_custom_derivative_in_a_type_that_is_not_partial()
    {
        // The check of a custom derivative is the analyzer's (the generator keeps only its verdict: no tape form).
        var run = GeneratorRun.Compile(Prelude + @"public static class G
{
    public static double Square(double x) => x * x;
    [DerivativeOf(nameof(Square))] public static void SquareVjp(double x, double resultBar, out double dx) => dx = resultBar * 2 * x;
}");
        var diagnostic = Assert.Single(run.AnalyzerDiagnostics);
        Assert.Equal("DIFF001", diagnostic.Id);
        Assert.Equal("G", diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan));
        Assert.Empty(run.Sources);
    }

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
    public void One_diagnostic_per_root_cause_with_advice_that_fits()
    {
        // A lambda is named as such; a local function is told to become a static helper; the uses of a reported
        // declaration (its calls, its members) add nothing; a generated member called inside gets DIFF020 (or, for a
        // gradient nested differentiation does not handle yet, DIFF600 with the reason), not DIFF008.
        var run = Check(@"[Differentiable] public static double Lambda(double x) { Func<double, double> f = {|DIFF008:t => t * t|}; return f(x) + f(2 * x); }
[Differentiable] public static double Local(double x)
{
    {|DIFF007:double|} Sq(double t) => t * t;
    return Sq(x) + Sq(1 - x);
}
[Differentiable] public static double Named(double x, {|DIFF005:string|} name) => x * name.Length + name.Length;
[Differentiable] public static double Inner(double[] x) => x[0] * x[0];
[Differentiable] public static double Outer(double[] x)
{
    Span<double> g = stackalloc double[x.Length];
    double v = {|DIFF600:InnerGradient(x, g)|};
    return v + g[0];
}
[Differentiable] public static double OuterChecked(double[] x)
{
    Span<double> g = stackalloc double[x.Length];
    return {|DIFF020:F.InnerTapeGradient(x, g)|};
}
[Differentiable] public static double OuterDiscarding(double[] x)
{
    Span<double> g = stackalloc double[x.Length];
    {|DIFF600:InnerGradient(x, g)|};
    return g[0] * x[0];
}");
        var messages = run.AnalyzerDiagnostics.Select(d => d.GetMessage()).ToList();
        Assert.Contains(messages, m => m.Contains("A lambda") && m.Contains("static helper method"));
        Assert.Contains(messages, m => m.Contains("'local function' statements") && m.Contains("make it a static method"));
        Assert.Contains(messages, m => m.Contains("The call of 'InnerGradient' cannot be differentiated: 'Inner' has the parameter 'x' that is neither a double, nor an array of data, nor a ReadOnlySpan<double> it differentiates (declare it ReadOnlySpan<double>"));
        Assert.Contains(messages, m => m.Contains("'InnerTapeGradient' is the generated gradient on the tape of 'Inner'"));
    }

    [Fact]
    public void DIFF600_and_DIFF020_nested_calls_it_cannot_differentiate()
    {
        // Each names its reason; a generated member other than Gradient and Pushforward stays DIFF020; a differentiated
        // value into a parameter the callee does not differentiate is DIFF016, as for a plain call. The locals a refused
        // call declares (out double g) are still locals: reading them adds no diagnostic of its own.
        var run = Check(@"[Differentiable] public static double Inner(double x, double y) => x * x * y;
[Differentiable(nameof(x))] public static double Data(double x, double c) => x * c;
[Differentiable] public static double Caller(double x) => Inner(x, x) * 2;
[Differentiable] public static double CallsCaller(double a) { {|DIFF600:CallerGradient(a, out double g)|}; return g; }
[Differentiable] public static double InsideAnExpression(double a) { double g = a; double v = g + {|DIFF600:InnerGradient(a, a, out g, out _)|}; return v; }
[Differentiable] public static double Hvp(double a) { {|DIFF020:InnerHessianVectorProduct(a, a, 1, 0, out double h, out _)|}; return h; }
[Differentiable] public static double Lost(double a) { {|DIFF016:DataGradient(a, a, out double g)|}; return g; }
[Differentiable] public static double Fine(double a) { double v = InnerGradient(a, 2 * a, out _, out double gy); double w = DataGradient(a, 3, out double g); return v + w * gy + g; }");
        var messages = run.AnalyzerDiagnostics.Select(d => d.GetMessage()).ToList();
        Assert.Contains(messages, m => m.Contains("'Caller' calls 'Inner', so its Hessian-vector product") && m.Contains("DIFF301"));
        Assert.Contains(messages, m => m.Contains("whole right side of an assignment"));
        Assert.Contains(messages, m => m.Contains("'InnerHessianVectorProduct' is the generated Hessian-vector product of 'Inner'"));
    }

    [Fact]
    public void DIFF600_data_arrays_a_nested_call_cannot_pass_through()
    {
        // A callee's data array takes a data array parameter of the caller: not a local array (a loop could overwrite
        // it before the reverse sweep reads it), not an array the caller differentiates (its derivative through the
        // call would be lost); a callee that differentiates its array is refused with that reason.
        var run = Check(@"[Differentiable(nameof(x))] public static double Q(ReadOnlySpan<double> A, double x) => A[0] * x * x + A[1] * Math.Sin(x);
[Differentiable] public static double Vec(double[] v, double x) => v[0] * x;
[Differentiable(nameof(a))] public static double FromLocal(double a, double[] A)
{
    double[] B = new double[2];
    B[0] = A[0] * a;
    {|DIFF600:QGradient(B, a, out double g)|};
    return g;
}
[Differentiable] public static double FromDifferentiated(double a, double[] A) { {|DIFF600:QGradient(A, a, out double g)|}; return g; }
[Differentiable(nameof(a))] public static double DifferentiatedArray(double a, double[] w) { {|DIFF600:VecGradient(w, a, w, out double g)|}; return g; }
[Differentiable(nameof(a))] public static double Fine(double a, double[] A) { QGradient(A, a * a, out double g); return g * a; }");
        var messages = run.AnalyzerDiagnostics.Select(d => d.GetMessage()).ToList();
        Assert.Contains(messages, m => m.Contains("the argument 'B' for the data array 'A' must be a whole array parameter of this method (local arrays are not supported yet)"));
        Assert.Contains(messages, m => m.Contains("the argument 'A' for the data array 'A' is differentiated here, but the call does not differentiate it"));
        Assert.Contains(messages, m => m.Contains("'Vec' has the parameter 'v' that is neither a double, nor an array of data, nor a ReadOnlySpan<double> it differentiates (declare it ReadOnlySpan<double>"));
    }

    [Fact]
    public void DIFF600_span_gradients_a_nested_call_cannot_take()
    {
        // A callee's differentiated span takes a whole local array or array parameter; its gradient goes into a local
        // array of the caller (not a parameter), which must not be an argument of the same call (NGradient writes it
        // while it reads its arguments); a differentiated double[] of the callee is told to become a ReadOnlySpan<double>.
        var run = Check(@"[Differentiable] public static double Bowl(ReadOnlySpan<double> x, double a) => a * x[0] * x[0] + x[1];
[Differentiable] public static double Arr(double[] v, double a) => a * v[0] * v[0];
[Differentiable(nameof(a))] public static double IntoParameter(double a, Span<double> d) { Span<double> x = stackalloc double[2]; x[0] = a; {|DIFF600:BowlGradient(x, a, d, out _)|}; return d[0]; }
[Differentiable] public static double Aliased(double a) { Span<double> x = stackalloc double[2]; x[0] = a; {|DIFF600:BowlGradient(x, a, x, out _)|}; return x[0]; }
[Differentiable] public static double ArrayParameter(double a) { double[] v = new double[1]; v[0] = a; double[] g = new double[1]; {|DIFF600:ArrGradient(v, a, g, out _)|}; return g[0]; }
[Differentiable] public static double Fine(double a) { Span<double> x = stackalloc double[2]; x[0] = a; Span<double> g = stackalloc double[2]; BowlGradient(x, a, g, out _); double v = BowlPushforward(x, a, g, 1, out double t); return g[0] * a + v * t; }");
        var messages = run.AnalyzerDiagnostics.Select(d => d.GetMessage()).ToList();
        Assert.Contains(messages, m => m.Contains("the argument 'd' for the gradient of the span 'x' must be a whole local array"));
        Assert.Contains(messages, m => m.Contains("the array 'x' is both an argument and an output"));
        Assert.Contains(messages, m => m.Contains("'Arr' has the parameter 'v' that is neither a double, nor an array of data, nor a ReadOnlySpan<double> it differentiates (declare it ReadOnlySpan<double>"));
    }

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
