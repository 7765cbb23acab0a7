using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using static Differentiator.Generator.Tests.Parsing.ParserHarness;

namespace Differentiator.Generator.Tests.Parsing;

/// <summary>Int data and local matrices read into IR: typed elements, flattened local matrices, custom-derivative callees.</summary>
public class IntDataParsingTests
{
    [Fact]
    public void Int_data_parameters_have_their_kinds_and_are_never_differentiated()
    {
        var ir = Parse("[Differentiable] public static double G(double[] w, int[] a, ReadOnlySpan<int> b, Span<int> c, int[,] d) => w[a[0] + b[0] + c[0] + d[0, 1]];").Ir;
        Assert.Equal(
            new[]
            {
                new Parameter("w", ParameterKind.DoubleArray, true),
                new Parameter("a", ParameterKind.IntArray, false),
                new Parameter("b", ParameterKind.ReadOnlyIntSpan, false),
                new Parameter("c", ParameterKind.IntSpan, false),
                new Parameter("d", ParameterKind.IntArray2D, false),
            },
            ir.Parameters.ToArray());
        Assert.All(ir.Parameters.Skip(1), p => Assert.Equal(ScalarType.Int, p.ElementType));
    }

    [Fact]
    public void An_int_element_is_an_int_index_of_a_real_element()
    {
        var ir = Parse("[Differentiable(nameof(W))] public static double G(double[,] W, int[] labels, int i) => W[labels[i], 1] * labels[i];").Ir;
        var ret = Assert.IsType<Return>(ir.Body.Statements.Single());
        var product = Assert.IsType<Binary>(ret.Value);
        var element = Assert.IsType<ElementRef>(product.Left);
        Assert.Equal(ScalarType.Double, element.Type);
        var label = Assert.IsType<ElementRef>(element.Indices[0]);
        Assert.Equal(new ElementRef("labels", EquatableArray.Of<Expr>(new VarRef("i", ScalarType.Int)), ElementType: ScalarType.Int), label);
        // C#'s implicit conversion of the int factor is explicit in the IR.
        Assert.Equal("(double)labels[i]", IrText.Of(product.Right));
    }

    [Fact]
    public void A_local_matrix_is_one_row_major_array_with_its_dimensions_in_int_locals()
    {
        var g = Parse("""
            [Differentiable] public static double G(double[] x)
            {
                double[,] t = new double[2, x.Length];
                t[1, 0] = x[0];
                return t[1, 0] * t.GetLength(1) + t.Length;
            }
            """);
        Assert.Equal("t_rows = 2\nt_columns = x.Length", IrText.Of(g.Body[0]) + "\n" + IrText.Of(g.Body[1]));
        var allocation = Assert.IsType<AllocateArray>(g.Body[2]);
        Assert.Equal("t", allocation.Name);
        Assert.Equal("(t_rows * t_columns)", IrText.Of(allocation.Length));
        Assert.False(allocation.OnStack);
        var write = Assert.IsType<AssignElement>(g.Body[3]);
        Assert.Equal("((1 * t_columns) + 0)", IrText.Of(write.Indices.Single()));
        var ret = Assert.IsType<Return>(g.Body[4]);
        Assert.Equal("((t[((1 * t_columns) + 0)] * (double)t_columns) + (double)t.Length)", IrText.Of(ret.Value));
        Assert.Contains(new LocalVariable("t", ScalarType.Double, IsArray: true), g.Ir.Locals);
    }

    [Fact]
    public void A_call_of_a_function_with_a_custom_derivative_names_its_vjp()
    {
        var g = Parse("""
            public static double Norm(double[] x) => System.Math.Sqrt(System.Linq.Enumerable.Sum(x, v => v * v));
            [DerivativeOf(nameof(Norm))] public static void NormVjp(double[] x, double resultBar, Span<double> dx) { }
            [Differentiable] public static double G(double[] w) => Norm(w);
            """);
        var call = Assert.IsType<CallAssign>(g.Body[0]);
        Assert.Equal(new CalleeInfo("", "Norm", EquatableArray.Of(new Parameter("x", ParameterKind.DoubleArray, true)), CustomVjp: "NormVjp"), call.Callee);
    }
}
