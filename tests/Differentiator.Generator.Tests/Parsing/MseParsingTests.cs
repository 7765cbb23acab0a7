using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Differentiator.Generator.Tests.Infrastructure;
using static Differentiator.Generator.Tests.Parsing.ParserHarness;

namespace Differentiator.Generator.Tests.Parsing;

/// <summary>The MSE loss, the project's reference example, read into IR and checked record by record.</summary>
public class MseParsingTests
{
    /// <summary>The MSE example as the parsing stage's brief gives it: the tests' shared copy.</summary>
    public const string Source = Sources.Mse;

    private static ParsedMethod Mse() => ParseFile(Source.Replace("\r\n", "\n"), "Mse");

    [Fact]
    public void The_model_names_the_method_where_it_is_declared()
    {
        var model = Mse().Model;
        Assert.Equal("Demo", model.Namespace);
        Assert.Equal(new[] { new ContainingType("class", "Losses", true) }, model.ContainingTypes.ToArray());
        Assert.Equal("public", model.Accessibility);
        Assert.True(model.IsStatic);
        Assert.Equal("Demo.Losses.Mse.g.cs", model.HintName);
        Assert.Empty(model.Diagnostics);
    }

    [Fact]
    public void Parameters_keep_their_order_kinds_and_the_attributes_choice()
    {
        var ir = Mse().Ir;
        Assert.Equal("Mse", ir.Name);
        Assert.Equal(
            new[]
            {
                new Parameter("X", ParameterKind.DoubleArray2D, false),
                new Parameter("y", ParameterKind.DoubleArray, false),
                new Parameter("w", ParameterKind.DoubleArray, true),
                new Parameter("b", ParameterKind.Double, true),
            },
            ir.Parameters.ToArray());
        // Loop counters live in their For, not among the locals.
        Assert.Equal(new[] { new LocalVariable("n", ScalarType.Int), new LocalVariable("sum", ScalarType.Double), new LocalVariable("pred", ScalarType.Double), new LocalVariable("r", ScalarType.Double) }, ir.Locals.ToArray());
    }

    [Fact]
    public void The_body_becomes_the_expected_statements()
    {
        Assert.Equal(
            """
            n = y.Length
            sum = (double)0
            for i = 0; i < n; +1
              pred = b
              for j = 0; j < w.Length; +1
                pred = (pred + (X[i, j] * w[j]))
              r = (pred - y[i])
              sum = (sum + (r * r))
            return (sum / (double)n)

            """.Replace("\r\n", "\n"),
            IrText.Of(Mse().Ir.Body));
    }

    [Fact]
    public void The_records_themselves_have_the_expected_shape()
    {
        var body = Mse().Body;
        Assert.Equal(new Assign("n", new LengthOf("y", -1)), body[0] with { Location = null, Source = null });

        var outer = Assert.IsType<For>(body[2]);
        Assert.Equal(("i", BinaryOp.Less, 1, (string?)null), (outer.Counter, outer.Compare, outer.Step, outer.ExitFlag));
        Assert.Equal(new Const(0, ScalarType.Int), outer.Start);
        Assert.Equal(new VarRef("n", ScalarType.Int), outer.Bound);

        var inner = Assert.IsType<For>(outer.Body.Statements[1]);
        Assert.Equal(new LengthOf("w", -1), inner.Bound);
        var accumulate = Assert.IsType<Assign>(Assert.Single(inner.Body.Statements));
        Assert.Equal("pred", accumulate.Target);
        var sum = Assert.IsType<Binary>(accumulate.Value);
        Assert.Equal((BinaryOp.Add, ScalarType.Double), (sum.Op, sum.ResultType));
        Assert.Equal(new VarRef("pred", ScalarType.Double), sum.Left);
        var product = Assert.IsType<Binary>(sum.Right);
        Assert.Equal(BinaryOp.Multiply, product.Op);
        Assert.Equal(new ElementRef("X", EquatableArray.Of<Expr>(new VarRef("i", ScalarType.Int), new VarRef("j", ScalarType.Int))), product.Left);
        Assert.Equal(new ElementRef("w", EquatableArray.Of<Expr>(new VarRef("j", ScalarType.Int))), product.Right);

        // sum / n: C# converts the int n to double, and the IR says so.
        var result = Assert.IsType<Return>(body[3]);
        Assert.Equal(new Binary(BinaryOp.Divide, new VarRef("sum", ScalarType.Double), new Convert(new VarRef("n", ScalarType.Int), ScalarType.Double), ScalarType.Double), result.Value);
    }

    [Fact]
    public void Every_statement_knows_its_source_line_and_text()
    {
        var mse = Mse();
        var all = Flatten(mse.Ir.Body).ToList();
        Assert.All(all, s => Assert.NotNull(s.Location));
        Assert.All(all, s => AssertConsistent(mse.Where(s.Location)!, mse.Source));
        Assert.Equal(
            new[]
            {
                "int n = y.Length;", "double sum = 0;", "for (int i = 0; i < n; i++)", "double pred = b;", "for (int j = 0; j < w.Length; j++)",
                "pred += X[i, j] * w[j];", "double r = pred - y[i];", "sum += r * r;", "return sum / n;",
            },
            all.Select(s => s.Source).ToArray());
        var accumulate = all.Single(s => s.Source == "pred += X[i, j] * w[j];");
        Assert.Equal(15, mse.Where(accumulate.Location)!.StartLine);
        Assert.Equal(47, mse.Where(accumulate.Location)!.StartCharacter);
        Assert.Equal("pred += X[i, j] * w[j];", mse.TextOf(accumulate.Location));
    }

    [Fact]
    public void Parsing_twice_gives_equal_models()
    {
        // The incremental pipeline caches on this equality; a Roslyn object or a fresh reference inside would break it.
        Assert.Equal(Mse().Model, Mse().Model);
        Assert.Equal(Mse().Model.GetHashCode(), Mse().Model.GetHashCode());
    }

    internal static System.Collections.Generic.IEnumerable<Stmt> Flatten(Block block)
    {
        foreach (var s in block.Statements)
        {
            yield return s;
            var nested = s switch
            {
                For f => new[] { f.Body },
                If i => new[] { i.Then, i.Else },
                _ => System.Array.Empty<Block>(),
            };
            foreach (var inner in nested.SelectMany(Flatten)) yield return inner;
        }
    }
}
