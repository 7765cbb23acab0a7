using System.Linq;
using static Differentiator.Generator.Tests.Parsing.ParserHarness;

namespace Differentiator.Generator.Tests.Parsing;

/// <summary>
/// Each DIFF0xx error from the parser alone, on exactly the syntax the catalogue names (marked <c>{|DIFFnnn:…|}</c>),
/// with its line. The rule for statements (DIFF007) is the first token; for loop shapes (DIFF010) the offending part,
/// or the <c>for</c> keyword when the part is missing.
/// </summary>
public class DiagnosticSpanTests
{
    [Fact]
    public void DIFF001_on_each_enclosing_type_that_is_not_partial()
    {
        string source = Prelude + "public static class Outer\n{\n    public partial class Inner\n    {\n        [Differentiable] public static double G(double x) => x;\n    }\n}\n";
        var g = ParseFile(source, "G");
        var d = g.Single("DIFF001");
        Assert.Equal("Outer", g.TextOf(d));
        Assert.Equal(3, d.Location!.StartLine);
        Assert.Equal(new[] { "Outer", "G" }, d.Arguments.ToArray());
        Assert.Null(g.Model.Ir);
    }

    [Fact]
    public void DIFF002_on_the_return_type()
    {
        var g = AssertDiagnostics("[Differentiable] public static {|DIFF002:int|} G(double x) => 1;");
        Assert.Equal(new[] { "G", "int" }, g.Single("DIFF002").Arguments.ToArray());
        Assert.Equal(5, g.Single("DIFF002").Location!.StartLine);
    }

    [Fact]
    public void DIFF003_and_DIFF004_on_the_attribute_argument_that_names_the_parameter()
    {
        var g = AssertDiagnostics("[Differentiable({|DIFF003:\"v\"|}, nameof(x), {|DIFF004:nameof(n)|}, nameof(X))] public static double G(double x, int n, double[,] X) => x * n + X[0, 0];");
        Assert.Contains("int values carry no derivative", g.Diagnostics.Where(d => d.Arguments[0] == "n").Single().Arguments.Last());
        Assert.Equal(new[] { "v", "G" }, g.Single("DIFF003").Arguments.ToArray());
    }

    [Fact]
    public void DIFF005_on_the_parameter_type()
    {
        var g = AssertDiagnostics("[Differentiable] public static double G(double x, {|DIFF005:decimal|} f, double[][] jagged, {|DIFF005:double[][][]|} cube, {|DIFF005:System.Collections.Generic.List<double>|} list) => x;");
        Assert.Equal(new[] { "f", "decimal" }, g.Diagnostics.First().Arguments.ToArray());
    }

    [Fact]
    public void DIFF006_on_the_call_naming_the_method()
    {
        var g = AssertDiagnostics("""
            static double Helper(double x) { if (x > 1) return x; return x * 2; }
            [Differentiable] public static double G(double x) => {|DIFF006:Helper(x)|} + {|DIFF006:Math.Floor(x)|} + {|DIFF006:Math.Clamp(3, 0, 2)|} + {|DIFF006:Math.Round(x, 2)|} + Math.Log(x, 2);
            """);
        Assert.Equal(new[] { "F.Helper", "Math.Floor", "Math.Clamp", "Math.Round" }, g.Diagnostics.Select(d => d.Arguments[0]).ToArray());
        // The message lists the primitives table, so it names every function the subset takes, and the base overload of Log.
        string message = Generator.Diagnostics.DiagnosticDescriptors.UnsupportedCall.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("Math.Exp, Log, Sqrt, Pow,", message);
        Assert.Contains("Clamp, FusedMultiplyAdd and Log(x, newBase) on doubles", message);
        Assert.Contains("double.Hypot (float.Hypot)", message);
    }

    [Fact]
    public void DIFF007_on_the_first_token_of_each_statement_outside_the_subset()
    {
        var g = AssertDiagnostics("""
            [Differentiable] public static double G(double x)
            {
                {|DIFF007:foreach|} (var v in new[] { 1.0 }) { }
                {|DIFF007:switch|} (x) { default: break; }
                {|DIFF007:try|} { x = x + 1; } catch (Exception) { }
                {|DIFF007:lock|} (typeof(F)) { }
                {|DIFF007:checked|} { x = x + 1; }
                {|DIFF007:double|} Local(double v) => v;
                {|DIFF007:label|}: x = x + 1;
                if (x > 3) {|DIFF007:throw|} new Exception();
                return x;
            }
            """);
        Assert.Equal(7, g.Diagnostics.First().Location!.StartLine);
        Assert.Equal(new[] { "foreach", "switch", "try", "lock", "checked", "local function", "labeled", "throw" }, g.Diagnostics.Select(d => d.Arguments[0]).ToArray());
    }

    [Fact]
    public void DIFF007_for_goto_and_using_but_not_break_and_continue()
    {
        AssertDiagnostics("""
            [Differentiable] public static double G(double[] w)
            {
                double s = 0;
                for (int i = 0; i < w.Length; i++)
                {
                    if (w[i] < 0) continue;
                    if (w[i] > 9) break;
                    s += w[i];
                }
                {|DIFF007:using|} (new System.IO.MemoryStream()) { }
                {|DIFF007:goto|} end;
                end: return s;
            }
            """.Replace("end: return s;", "{|DIFF007:end|}: return s;"));
    }

    [Fact]
    public void DIFF008_on_the_expression_outside_the_subset()
    {
        AssertDiagnostics("""
            static double field = 1;
            [Differentiable] public static double G(double[] x, double y)
            {
                double s = {|DIFF008:"text".Length|} + {|DIFF008:field|};
                double t = {|DIFF008:x is null|} ? 1 : 0;
                double u = {|DIFF019:(float)y|} + {|DIFF008:y % 2|} + {|DIFF008:y++|};
                double v = {|DIFF006:new Random().NextDouble()|};
                double z = {|DIFF008:y switch { > 0 => y, _ => 0 }|};
                {|DIFF008:(s, t) = (t, s)|};
                return s + t + u + v + z;
            }
            """);
    }

    [Fact]
    public void DIFF009_on_the_assignment_to_an_element()
    {
        var g = AssertDiagnostics("[Differentiable] public static double G(double[] w, Span<double> s) { {|DIFF009:w[0] = 1|}; {|DIFF009:w[1] += 2|}; {|DIFF009:s[0]++|}; return w[0]; }");
        Assert.Equal("w[0]", g.Diagnostics.First().Arguments[0]);
    }

    [Fact]
    public void DIFF010_on_the_offending_part_of_the_loop_header()
    {
        AssertDiagnostics("""
            [Differentiable] public static double G(double[] w)
            {
                double s = 0;
                int k;
                for (int i = 0; {|DIFF010:i * 2 < w.Length|}; i++) s += w[i];
                for (int i = 0; {|DIFF010:i != w.Length|}; i++) s += w[i];
                for (int i = 0; {|DIFF010:i < w.Length || s < 1|}; i++) s += w[i];
                for (int i = 0; {|DIFF010:s < 1|} && i < w.Length; i++) s += w[i];
                for (int i = 0; i < w.Length; {|DIFF010:i += 2|}) s += w[i];
                for (int i = 0; i < w.Length; {|DIFF010:i = i + 1|}) s += w[i];
                for (int i = 0; i < w.Length; i++, {|DIFF010:s++|}) s += w[i];
                for ({|DIFF010:double|} d = 0; d < 1; d++) s += d;
                for ({|DIFF010:int i = 0, j = 0|}; i < 2; i++) s += w[j];
                for ({|DIFF010:k = 0|}; k < 2; k++) s += w[k];
                {|DIFF010:for|} (int i = 0; ; i++) s += w[i];
                {|DIFF010:for|} (int i = 0; i < 2;) s += w[i];
                {|DIFF010:for|} (;;) { }
            }
            """);
    }

    [Fact]
    public void DIFF011_on_each_write_to_the_counter_inside_the_body()
    {
        var g = AssertDiagnostics("""
            [Differentiable] public static double G(double[] w)
            {
                double s = 0;
                for (int i = 0; i < w.Length; i++)
                {
                    s += w[i];
                    if (s > 1) {|DIFF011:i = w.Length|};
                    for (int j = 0; j < 2; j++) {|DIFF011:i++|};
                }
                return s;
            }
            """);
        Assert.All(g.Diagnostics, d => Assert.Equal("i", d.Arguments[0]));
    }

    [Fact]
    public void DIFF012_on_the_declarations_type()
    {
        AssertDiagnostics("""
            [Differentiable] public static double G(double x)
            {
                {|DIFF012:decimal|} f = 1;
                {|DIFF012:var|} text = "";
                {|DIFF012:int[]|} k = new int[2];
                double[] a = {|DIFF018:{ x }|};
                return x;
            }
            """);
    }

    [Fact]
    public void DIFF013_on_the_method_identifier()
    {
        AssertDiagnostics("[Differentiable] public static double {|DIFF013:G|}<T>(double x) => x;");
        AssertDiagnostics("[Differentiable] public static extern double {|DIFF013:G|}(double x);");
        AssertDiagnostics("[Differentiable] public static async {|DIFF002:System.Threading.Tasks.Task<double>|} {|DIFF013:G|}(double x) => x;");
        AssertDiagnostics("[Differentiable] public static {|DIFF002:System.Collections.Generic.IEnumerable<double>|} {|DIFF013:G|}(double x) { {|DIFF007:yield|} return x; }");
        var partial = AssertDiagnostics("[Differentiable] public static partial double {|DIFF013:G|}(double x);\npublic static partial double G(double x) => x * x;");
        Assert.Contains("implementing part", partial.Single("DIFF013").Arguments[1]);
    }

    [Fact]
    public void DIFF014_on_the_parameter()
    {
        var g = AssertDiagnostics("[Differentiable] public static double G({|DIFF014:ref double x|}, {|DIFF014:in double y|}, {|DIFF014:out double z|}, {|DIFF014:params double[] rest|}) { z = 0; return x * y; }");
        Assert.Equal(new[] { "ref", "in", "out", "params" }, g.Diagnostics.Select(d => d.Arguments[1]).ToArray());
    }

    [Fact]
    public void DIFF015_on_a_call_that_is_evaluated_conditionally()
    {
        var g = AssertDiagnostics("""
            [Differentiable] public static double Sq(double x) => x * x;
            [Differentiable] public static double G(double[] w, double x)
            {
                double a = x > 0 ? {|DIFF015:Sq(x)|} : 0;
                bool b = x > 0 && {|DIFF015:Sq(x)|} > 1;
                bool c = x > 0 || {|DIFF015:Sq(x)|} > 1;
                for (int i = 0; i < {|DIFF015:Sq(x)|}; i++) a += w[i];
                while ({|DIFF015:Sq(a)|} > 1) a = a / 2;
                do { a = a * 2; } while ({|DIFF015:Sq(a)|} < 1);
                for (int i = 0; i < w.Length && {|DIFF015:Sq(a)|} < 9; i++) a += w[i];
                return a;
            }
            """);
        Assert.Equal(new[] { "in a branch of ?:", "right of &&", "right of ||", "in a for-loop condition, evaluated on every iteration",
            "in a while-loop condition, evaluated on every iteration", "in a do-while condition, evaluated on every iteration", "in a for-loop condition, evaluated on every iteration" }, g.Diagnostics.Select(d => d.Arguments[1]).ToArray());
    }

    [Fact]
    public void DIFF016_is_defined_for_the_later_stage_that_reports_it()
    {
        var d = Generator.Diagnostics.DiagnosticDescriptors.ById("DIFF016");
        Assert.Equal("A differentiated value is passed to parameter 'k' of 'Scale', which 'Scale' does not differentiate; add nameof(k) to the [Differentiable] attribute of 'Scale'",
            string.Format(System.Globalization.CultureInfo.InvariantCulture, d.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture), "k", "Scale"));
    }

    [Fact]
    public void DIFF017_on_the_recursive_call()
    {
        var g = AssertDiagnostics("[Differentiable] public static double G(double x) { double y = {|DIFF017:G(x / 2)|}; return x < 1 ? x : {|DIFF017:G(y)|}; }");
        Assert.Equal("G", g.Diagnostics.First().Arguments[0]);
    }

    [Fact]
    public void Every_error_of_a_method_is_reported_not_only_the_first()
    {
        var g = AssertDiagnostics("""
            [Differentiable({|DIFF003:"nope"|})] public static double G(double x, {|DIFF014:ref double r|}, {|DIFF005:decimal|} m)
            {
                {|DIFF007:foreach|} (var v in new double[0]) x = x / 2;
                {|DIFF012:string|} s = "";
                for (int i = 0; {|DIFF010:i != 3|}; i++) { {|DIFF007:lock|} (s) { } x += {|DIFF006:Math.Round(x)|}; }
                return {|DIFF006:Math.Round(x)|} + s.Length;
            }
            """);
        // s.Length adds nothing: s's declaration is reported already (one diagnostic per root cause).
        Assert.Equal(9, g.Diagnostics.Count);
    }

    [Fact]
    public void Valid_csharp_outside_the_subset_never_passes_in_silence()
    {
        // Each of these compiles; the parser must either produce IR or say why not.
        string[] snippets =
        {
            "[Differentiable] public static double G(double x) { double a, b; (a, b) = (x, 2 * x); return a + b; }",
            "[Differentiable] public static double G(double x) { _ = x; return x; }",
            "[Differentiable] public static double G(double x) => nameof(x).Length;",
            "[Differentiable] public static double Sq(double x, double k = 2) => k * x * x;\n[Differentiable] public static double G(double x) => Sq(x);",
            "[Differentiable] public static double G(double[] w) => w[^1];",
            "[Differentiable] public static double G(double x) => x is > 0 ? x : 0;",
            "[Differentiable] public static double G(double x) { var t = (x, 1.0); return t.Item1; }",
            "[Differentiable] public static double G(double x) => default(double) + x;",
            "[Differentiable] public static double G(double x) => checked(x + 1);",
            "[Differentiable] public static double G(double x) => sizeof(double) * x;",
        };
        foreach (var snippet in snippets)
        {
            Assert.Empty(CompileErrors(snippet));
            var g = Parse(snippet);
            Assert.True(g.Model.Ir is not null || g.Diagnostics.Count > 0, "silently no IR for: " + snippet);
        }
    }

    [Fact]
    public void Code_with_csharp_errors_gets_no_ir_and_no_noise()
    {
        string[] snippets =
        {
            "[Differentiable] public static double G(double x) { return; }",
            "[Differentiable] public static double G(double x) => y;",
            "[Differentiable] public static double G(double x) => x.Foo;",
            "[Differentiable] public static double G(double x) => Missing(x);",
            "[Differentiable] public static double G(Missing m, double x) => x;",
            "[Differentiable] public static Missing G(double x) => x;",
            "[Differentiable] public static double G(double x) { Missing t = x; return x; }",
            "[Differentiable] public static double G(double[] w) => w[0, 1];",
        };
        foreach (var snippet in snippets)
        {
            Assert.NotEmpty(CompileErrors(snippet));
            var g = Parse(snippet);
            Assert.Null(g.Model.Ir);
            Assert.True(g.Diagnostics.Count == 0, snippet + " reported " + string.Join(", ", g.Spans()));
        }
    }
}
