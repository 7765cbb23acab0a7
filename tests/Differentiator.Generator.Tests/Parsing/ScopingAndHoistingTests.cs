using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Tests.Infrastructure;
using static Differentiator.Generator.Tests.Parsing.ParserHarness;

namespace Differentiator.Generator.Tests.Parsing;

/// <summary>Unique local names across flattened scopes, and calls to [Differentiable] methods hoisted into statements in evaluation order.</summary>
public class ScopingAndHoistingTests
{
    private static string Body(string members, string name = "G") => IrText.Of(Parse(members, name).Ir.Body);

    private static string Lines(string text) => text.Replace("\r\n", "\n");

    [Fact]
    public void Same_named_locals_of_sibling_scopes_get_distinct_names_and_their_uses_follow()
    {
        var g = Parse("""
            [Differentiable] public static double G(double x)
            {
                double s = 0;
                if (x > 0) { double t = x * 2; s += t; }
                else { double t = x * 3; s += t; }
                { double t = 1; s -= t; }
                return s;
            }
            """);
        Assert.Equal(new[] { "s", "t", "t_2", "t_3" }, g.Ir.Locals.Select(l => l.Name).ToArray());
        Assert.Equal(Lines("""
            s = (double)0
            if (x > (double)0)
              t = (x * (double)2)
              s = (s + t)
            else
              t_2 = (x * (double)3)
              s = (s + t_2)
            t_3 = (double)1
            s = (s - t_3)
            return s

            """), IrText.Of(g.Ir.Body));
    }

    [Fact]
    public void Loop_counters_are_not_locals_and_never_collide_with_locals_or_parameters()
    {
        var g = Parse("""
            [Differentiable] public static double G(double[] w, int i_2)
            {
                double s = 0;
                { double i = 1; s += i; }
                for (int i = 0; i < w.Length; i++) s += w[i];
                for (int i = 0; i < w.Length; i++) s -= w[i];
                return s;
            }
            """);
        Assert.Equal(new[] { "s", "i" }, g.Ir.Locals.Select(l => l.Name).ToArray());
        var counters = g.Body.OfType<For>().Select(f => f.Counter).ToArray();
        Assert.Equal(2, counters.Length);
        Assert.DoesNotContain(counters, c => c is "s" or "i" or "w" or "i_2");
        Assert.Equal(counters.Length, counters.Distinct().Count());
        Assert.All(g.Body.OfType<For>(), f => Assert.Equal(new VarRef(f.Counter, ScalarType.Int), ((ElementRef)((Binary)((Assign)f.Body.Statements[0]).Value).Right).Indices[0]));
    }

    [Fact]
    public void A_local_named_like_a_keyword_gets_a_name_later_stages_can_print()
    {
        var g = Parse("[Differentiable] public static double G(double x) { double @base = 2; return Math.Pow(@base, x); }");
        Assert.Equal("base_", g.Ir.Locals.Single().Name);
    }

    [Fact]
    public void Scalar_parameters_are_assignable_by_value_and_declarations_without_initializers_add_only_the_local()
    {
        Assert.Equal(Lines("""
            x = (x * (double)2)
            n = (n - 1)
            y = x
            return (y + (double)n)

            """), Body("[Differentiable] public static double G(double x, int n) { double y; x *= 2; n--; y = x; return y + n; }"));
    }

    [Fact]
    public void Nested_calls_are_hoisted_innermost_first_and_left_to_right()
    {
        var g = Parse("""
            [Differentiable] public static double Sq(double x) => x * x;
            [Differentiable] public static double Cube(double x) => x * x * x;
            [Differentiable] public static double G(double x) => Sq(Cube(x)) + Cube(2 * x) * Sq(x);
            """);
        Assert.Equal(Lines("""
            cubeValue = call Cube(x)
            sqValue = call Sq(cubeValue)
            cubeValue_2 = call Cube(((double)2 * x))
            sqValue_2 = call Sq(x)
            return (sqValue + (cubeValue_2 * sqValue_2))

            """), IrText.Of(g.Ir.Body));
        Assert.Equal(new[] { "cubeValue", "sqValue", "cubeValue_2", "sqValue_2" }, g.Ir.Locals.Select(l => l.Name).ToArray());
        Assert.All(g.Ir.Locals, l => Assert.Equal(ScalarType.Double, l.Type));
        var first = Assert.IsType<CallAssign>(g.Body[0]);
        Assert.Equal("Cube(x)", g.TextOf(first.Location));
        Assert.Equal("Cube(x)", first.Source);
    }

    [Fact]
    public void A_call_in_an_if_condition_or_a_loop_start_runs_before_that_statement_not_inside_its_block()
    {
        Assert.Equal(Lines("""
            y = x
            sqValue = call Sq(x)
            if (sqValue > (double)1)
              y = ((double)3 * x)
            else
              sqValue_2 = call Sq(y)
              if (sqValue_2 > (double)2)
                y = (double)0
            sqValue_3 = call Sq(x)
            for i = (int)sqValue_3; i < 10; +1
              y = (y + x)
            return y

            """), Body("""
            [Differentiable] public static double Sq(double x) => x * x;
            [Differentiable] public static double G(double x)
            {
                double y = x;
                if (Sq(x) > 1) { y = 3 * x; }
                else if (Sq(y) > 2) y = 0;
                for (int i = (int)Sq(x); i < 10; i++) { y += x; }
                return y;
            }
            """));
    }

    [Fact]
    public void The_hoisted_temporary_never_shadows_a_user_local()
    {
        var g = Parse("""
            [Differentiable] public static double Sq(double x) => x * x;
            [Differentiable] public static double G(double x) { double a = Sq(x); double sqValue = a; return sqValue; }
            """);
        Assert.Equal(Lines("""
            sqValue = call Sq(x)
            a = sqValue
            sqValue_2 = a
            return sqValue_2

            """), IrText.Of(g.Ir.Body));
    }

    [Fact]
    public void Callee_info_names_the_other_type_globally_and_carries_the_callees_own_choice()
    {
        var source = Prelude + """
            public static partial class Helpers
            {
                [Differentiable(nameof(a))] public static double Scale(double a, double k, double[] v) => a * k * v[0];
            }
            public static partial class F
            {
                [Differentiable] public static double Own(double x) => x;
                [Differentiable] public static double G(double x, double[] v) => Helpers.Scale(x, 2, v) + Own(x);
            }
            """;
        var g = ParseFile(source, "G");
        var calls = g.Body.OfType<CallAssign>().ToArray();
        Assert.Equal("global::T.Helpers", calls[0].Callee.ContainingType);
        Assert.Equal("Scale", calls[0].Callee.Name);
        Assert.Equal(new[] { new Parameter("a", ParameterKind.Double, true), new Parameter("k", ParameterKind.Double, false), new Parameter("v", ParameterKind.DoubleArray, false) }, calls[0].Callee.Parameters.ToArray());
        Assert.Equal(new Expr[] { new VarRef("x", ScalarType.Double), new Convert(new Const(2, ScalarType.Int), ScalarType.Double), new ArrayRef("v") }, calls[0].Arguments.ToArray());
        Assert.Equal("", calls[1].Callee.ContainingType);
        Assert.Equal("ownValue", calls[1].Target);
    }

    [Fact]
    public void An_omitted_optional_argument_takes_its_default_value()
    {
        Assert.Equal(Lines("""
            sqValue = call Sq(x, 2d)
            return sqValue

            """), Body("""
            [Differentiable] public static double Sq(double x, double k = 2) => k * x * x;
            [Differentiable] public static double G(double x) => Sq(x);
            """));
    }

    [Fact]
    public void A_long_sum_is_cut_into_located_partial_results()
    {
        string sum = string.Join(" + ", Enumerable.Repeat("x", 300));
        var g = Parse("[Differentiable] public static double G(double x) { double y = " + sum + "; return y; }");
        var partials = g.Body.TakeWhile(s => s is Assign { Target: var t } && t.StartsWith("partial", System.StringComparison.Ordinal)).ToList();
        Assert.Equal(2, partials.Count);
        Assert.All(g.Body, s => Assert.NotNull(s.Location));
        Assert.All(partials, s => Assert.Equal("double y = " + g.TextOf(s.Location).Substring("double y = ".Length), g.TextOf(s.Location)));
        Assert.All(g.Body, s => Assert.True(s.Source!.Length <= 100, s.Source));
        Assert.EndsWith("…", partials[0].Source);
    }

    [Fact]
    public void Hoisted_calls_compute_the_right_gradient_end_to_end()
    {
        // Regression: a call in an if condition or a loop start used to be hoisted into the block, so the condition
        // read the temporary before it was assigned and MGradient disagreed with the numerical gradient.
        var run = GeneratorRun.Compile(Wrap("""
            [Differentiable] public static double Sq(double x) => x * x;
            [Differentiable] public static double G(double x)
            {
                double y = x;
                if (Sq(x) > 1) { y = 3 * x; }
                for (int i = (int)Sq(x); i < 10; i++) { y += x; }
                return y;
            }
            """)).AssertClean();
        var g = run.Method("T.F", "G");
        var (value, gradient) = g.Gradient(2.0);
        Assert.Equal(g.Value(2.0), value);
        Assert.Equal(3 + 6, gradient[0][0], 12);
    }
}
