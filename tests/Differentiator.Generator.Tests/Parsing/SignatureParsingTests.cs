using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using static Differentiator.Generator.Tests.Parsing.ParserHarness;

namespace Differentiator.Generator.Tests.Parsing;

/// <summary>Where the method lives (namespace, containing types, hint name), its accessibility, and which parameters it differentiates.</summary>
public class SignatureParsingTests
{
    [Fact]
    public void Containing_types_are_listed_outermost_first_with_keyword_generic_parameters_and_static()
    {
        var g = ParseFile("""
            using Differentiator;
            namespace A.B
            {
                public partial record struct Outer<[System.Obsolete] T, U>
                {
                    internal static partial class Middle
                    {
                        private partial record Inner
                        {
                            [Differentiable] internal protected static double G(double x) => x;
                        }
                    }
                }
            }
            """, "G");
        Assert.Equal("A.B", g.Model.Namespace);
        Assert.Equal(
            new[] { new ContainingType("record struct", "Outer<T, U>", false), new ContainingType("class", "Middle", true), new ContainingType("record", "Inner", false) },
            g.Model.ContainingTypes.ToArray());
        Assert.Equal("protected internal", g.Model.Accessibility);
        Assert.Equal("A.B.Outer_2.Middle.Inner.G.g.cs", g.Model.HintName);
    }

    [Fact]
    public void The_global_namespace_is_null_and_instance_methods_are_not_static()
    {
        var g = ParseFile("using Differentiator;\npartial struct S { [Differentiable] double G(double x) => x; }", "G");
        Assert.Null(g.Model.Namespace);
        Assert.Equal(new[] { new ContainingType("struct", "S", false) }, g.Model.ContainingTypes.ToArray());
        Assert.Equal("private", g.Model.Accessibility);
        Assert.False(g.Model.IsStatic);
        Assert.Equal("S.G.g.cs", g.Model.HintName);
    }

    [Fact]
    public void Hint_names_are_unique_for_overloads_and_for_nested_types_of_the_same_name()
    {
        var methods = ParseAll(Prelude + """
            public static partial class F
            {
                [Differentiable] public static double G(double x) => x;
                [Differentiable] public static double G(double[] x) => x[0];
                [Differentiable] public static double G(double[,] x) => x[0, 0];
                public static partial class F2 { [Differentiable] public static double G(double x) => x; }
            }
            public static partial class F2 { [Differentiable] public static double G(double x) => x; }
            public static partial class Gen<T> { [Differentiable] public static double G(double x) => x; }
            public static partial class Gen { [Differentiable] public static double G(double x) => x; }
            """);
        var names = methods.Select(m => m.Model.HintName).ToArray();
        Assert.Equal(7, names.Length);
        Assert.Equal(names.Length, names.Distinct(System.StringComparer.OrdinalIgnoreCase).Count());
        Assert.Contains("T.F.F2.G.g.cs", names);
        Assert.Contains("T.Gen_1.G.g.cs", names);
        Assert.All(names, n => Assert.Matches("^[A-Za-z0-9_.]+\\.g\\.cs$", n));
    }

    [Fact]
    public void Without_names_every_floating_point_parameter_is_differentiated()
    {
        var g = Parse("[Differentiable] public static double G(double a, int n, double[] v, Span<double> s, ReadOnlySpan<double> r, double[,] M) => a;");
        Assert.Equal(
            new[]
            {
                new Parameter("a", ParameterKind.Double, true), new Parameter("n", ParameterKind.Int, false),
                new Parameter("v", ParameterKind.DoubleArray, true), new Parameter("s", ParameterKind.DoubleSpan, true),
                new Parameter("r", ParameterKind.ReadOnlyDoubleSpan, true), new Parameter("M", ParameterKind.DoubleArray2D, false),
            },
            g.Ir.Parameters.ToArray());
    }

    [Fact]
    public void Names_choose_the_parameters_whether_written_with_nameof_or_as_strings()
    {
        var g = Parse("[Differentiable(\"v\", nameof(a))] public static double G(double a, double b, double[] v) => a + b + v[0];");
        Assert.Equal(new[] { true, false, true }, g.Ir.Parameters.Select(p => p.Differentiated).ToArray());
    }

    [Fact]
    public void A_null_name_array_means_no_names_as_the_attribute_reads_it()
    {
        var g = Parse("[Differentiable(null)] public static double G(double a, int n) => a * n;");
        Assert.Equal(new[] { true, false }, g.Ir.Parameters.Select(p => p.Differentiated).ToArray());
    }

    [Fact]
    public void The_attribute_on_a_partial_methods_implementing_part_is_parsed_from_that_body()
    {
        var g = Parse("public static partial double G(double x);\n[Differentiable] public static partial double G(double x) => x * x;");
        Assert.Equal("return (x * x)\n", IrText.Of(g.Ir.Body));
    }
}
