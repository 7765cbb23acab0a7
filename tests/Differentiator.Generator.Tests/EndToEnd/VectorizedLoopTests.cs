using System;
using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>
/// Gradients whose inner loops become <c>Kernels.Dot</c>/<c>Kernels.Axpy</c> calls (Optimization/LoopVectorizer.cs):
/// checked against the tape and central differences at lengths that are not multiples of the vector width, and for
/// the exceptions the loops would have thrown.
/// </summary>
public class VectorizedLoopTests
{
    private const string Source = @"using System;
using Differentiator;
namespace Vec;
public static partial class F
{
    [Differentiable(nameof(w))]
    public static double RowsUpTo(double[,] X, double[] w, int m)
    {
        double s = 0;
        for (int i = 0; i < X.GetLength(0); i++)
        {
            double p = 0;
            for (int j = 0; j < m; j++) p += X[i, j] * w[j];
            s += p * p;
        }
        return s;
    }

    [Differentiable(nameof(w))]
    public static double JaggedRowsUpTo(double[][] X, double[] w, int m)
    {
        double s = 0;
        for (int i = 0; i < X.Length; i++)
        {
            double p = 0;
            for (int j = 0; j < m; j++) p += X[i][j] * w[j];
            s += p * p;
        }
        return s;
    }

    [Differentiable(nameof(w), nameof(b))]
    public static double MseFlat(double[] X, double[] y, double[] w, double b)
    {
        int n = y.Length;
        int d = w.Length;
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double pred = b;
            for (int j = 0; j < d; j++) pred += X[i * d + j] * w[j];
            double r = pred - y[i];
            sum += r * r;
        }
        return sum / n;
    }

    [Differentiable]
    public static double Bilinear(ReadOnlySpan<double> u, ReadOnlySpan<double> v, double c)
    {
        double total = 0;
        for (int i = 0; i < 2; i++)
        {
            double s = c + i;
            for (int j = 0; j < u.Length; j++) s += u[j] * v[j];
            total += s * s;
        }
        return total;
    }

    [Differentiable(nameof(w), nameof(b))]
    public static double Logistic(double[][] rows, double[] labels, double[] w, double b)
    {
        double loss = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            double z = b;
            for (int j = 0; j < rows[i].Length; j++) z += rows[i][j] * w[j];
            loss += Math.Log(1 + Math.Exp(z)) - labels[i] * z;
        }
        return loss / rows.Length;
    }

    [Differentiable(nameof(w), nameof(b))]
    public static float MseSingle(float[,] X, float[] y, float[] w, float b)
    {
        int n = y.Length;
        float sum = 0;
        for (int i = 0; i < n; i++)
        {
            float pred = b;
            for (int j = 0; j < w.Length; j++) pred += X[i, j] * w[j];
            float r = pred - y[i];
            sum += r * r;
        }
        return sum / n;
    }

    [Differentiable(nameof(W), nameof(V))]
    public static double Layers(double[,] W, double[][] V, double[] x)
    {
        double loss = 0;
        for (int i = 0; i < W.GetLength(0); i++)
        {
            double z = 0;
            for (int j = 0; j < x.Length; j++) z += W[i, j] * x[j];
            double u = 0.5;
            for (int j = 0; j < x.Length; j++) u += V[i][j] * x[j];
            loss += z * z + Math.Sin(u);
        }
        return loss;
    }

    [Differentiable]
    public static double Hidden(double[] x, double[] w, double a)
    {
        double[] h = new double[x.Length];
        for (int j = 0; j < x.Length; j++) h[j] += a * x[j];
        double s = 0;
        for (int j = 0; j < x.Length; j++) s += h[j] * w[j];
        return Math.Sin(s);
    }
}";

    private static readonly Lazy<GeneratorRun> Run = new(() => GeneratorRun.Compile(Source).AssertClean());

    private static string Generated(string name) => Run.Value.Sources.Single(s => s.Key.Contains("." + name + ".")).Value;

    public static TheoryData<int> Widths => new() { 1, 3, 7, 8, 17, 100 };

    [Fact]
    public void The_inner_loops_are_kernel_calls()
    {
        // Hidden's loops stay scalar for now: they are at the top level, so the forward sweep saves what each
        // iteration overwrites (a Push in the body), and the reverse loops restore it.
        foreach (var name in new[] { "MseFlat", "Bilinear", "Logistic", "MseSingle", "Layers" })
        {
            string gradient = Generated(name);
            gradient = gradient.Substring(0, gradient.IndexOf("__Tape", StringComparison.Ordinal));
            Assert.True(gradient.Contains("global::Differentiator.Kernels.Dot(") && gradient.Contains("global::Differentiator.Kernels.Axpy("), name + " is not vectorized:\n" + gradient);
        }
    }

    [Fact]
    public void The_kernel_calls_compile_in_CSharp_12_too()
    {
        // Overload resolution of Slice/Row/Dot (arrays, spans, read-only spans) changed with C# 14's span conversions;
        // consumers on net8.0 compile the generated code as C# 12.
        var options = new CSharpParseOptions(LanguageVersion.CSharp12);
        var compilation = GeneratorRun.CreateCompilation().AddSyntaxTrees(CSharpSyntaxTree.ParseText(Source, options), CSharpSyntaxTree.ParseText(Sources.Mse, options));
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new DifferentiatorGenerator().AsSourceGenerator() }, parseOptions: options);
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        Assert.Contains(output.SyntaxTrees, t => t.ToString().Contains("global::Differentiator.Kernels.Axpy("));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Flat_mse_agrees_three_ways(int d)
    {
        int n = 6;
        var inputs = new Inputs(d);
        ThreeWay.Check(Run.Value.Method("Vec.F", "MseFlat"), new object[] { inputs.Vector(n * d), inputs.Vector(n), inputs.Vector(d), inputs.Scalar() });
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Rectangular_mse_agrees_three_ways(int d)
    {
        var m = GeneratorRun.Compile(Sources.Mse).AssertClean().Method("Demo.Losses", "Mse");
        var inputs = new Inputs(100 + d);
        ThreeWay.Check(m, new object[] { inputs.Matrix(5, d), inputs.Vector(5), inputs.Vector(d), inputs.Scalar() });
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void A_dot_product_of_two_differentiated_spans_agrees_three_ways(int d)
    {
        var inputs = new Inputs(200 + d);
        var g = ThreeWay.Check(Run.Value.Method("Vec.F", "Bilinear"), new object[] { inputs.Vector(d), inputs.Vector(d), inputs.Scalar() });
        Assert.Equal(3, g.Length);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Jagged_rows_agree_three_ways(int d)
    {
        var inputs = new Inputs(300 + d);
        var rows = Enumerable.Range(0, 4).Select(_ => inputs.Vector(d)).ToArray();
        var labels = new[] { 0.0, 1, 1, 0 };
        ThreeWay.Check(Run.Value.Method("Vec.F", "Logistic"), new object[] { rows, labels, inputs.Vector(d), inputs.Scalar() });
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Float_mse_calls_the_float_kernels_and_agrees_with_the_tape(int d)
    {
        Assert.Contains("global::Differentiator.Kernels.Slice(w, 0, w.Length)", Generated("MseSingle"));
        // Rows under eight elements (d = 1, 3, 7) take the version with loops over spans, a method of its own, in float too.
        Assert.Contains("if (w.Length < 8)", Generated("MseSingle"));
        Assert.Contains("for (int j = 0; j < X_run.Length; j++) pred += X_run[j] * w_run[j];", Generated("MseSingle"));
        Assert.Contains("return MseSingleGradient__ShortRuns(X, y, w, b, dw, out db);", Generated("MseSingle"));
        Assert.Contains("private static float MseSingleGradient__ShortRuns(", Generated("MseSingle"));
        var inputs = new Inputs(500 + d);
        var X = new float[5, d];
        for (int i = 0; i < 5; i++)
            for (int j = 0; j < d; j++)
                X[i, j] = (float)inputs.Scalar();
        var args = new object[] { X, inputs.Vector(5).Select(v => (float)v).ToArray(), inputs.Vector(d).Select(v => (float)v).ToArray(), (float)inputs.Scalar() };
        var m = Run.Value.Method("Vec.F", "MseSingle");
        var generated = m.Gradient(args);
        var tape = m.Tape(args);
        Assert.Equal(m.Value(args), generated.Value, 4);
        for (int p = 0; p < generated.Gradient.Length; p++)
            for (int k = 0; k < generated.Gradient[p].Length; k++)
                Assert.True(Math.Abs(generated.Gradient[p][k] - tape.Gradient[p][k]) <= 1e-4 * Math.Max(1, Math.Abs(tape.Gradient[p][k])), $"d = {d}, {m.Differentiated[p]}[{k}]: {generated.Gradient[p][k]} vs {tape.Gradient[p][k]}");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Rows_of_differentiated_matrices_are_axpy_destinations(int d)
    {
        string gradient = Generated("Layers");
        Assert.Contains("global::Differentiator.Kernels.Row(dW, i, 0, x.Length)", gradient);
        Assert.Contains("global::Differentiator.Kernels.Row(dV, i, 0, x.Length)", gradient);
        var inputs = new Inputs(600 + d);
        var V = Enumerable.Range(0, 3).Select(_ => inputs.Vector(d)).ToArray();
        ThreeWay.Check(Run.Value.Method("Vec.F", "Layers"), new object[] { inputs.Matrix(3, d), V, inputs.Vector(d) });
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Loops_that_save_what_they_overwrite_stay_scalar_and_agree_three_ways(int d)
    {
        var inputs = new Inputs(400 + d);
        ThreeWay.Check(Run.Value.Method("Vec.F", "Hidden"), new object[] { inputs.Vector(d), inputs.Vector(d), inputs.Scalar() });
    }

    [Fact]
    public void Empty_loops_run_no_kernel_and_throw_nothing()
    {
        var g = Run.Value.Method("Vec.F", "Bilinear").Gradient(Array.Empty<double>(), Array.Empty<double>(), 0.5);
        Assert.Equal(0.5 * 0.5 + 1.5 * 1.5, g.Value);
        Assert.Equal(2 * 0.5 + 2 * 1.5, g.Gradient[2][0]);
    }

    [Fact]
    public void Views_taken_before_the_row_loop_throw_where_the_loop_would_and_only_there()
    {
        // Short rows (m < 8): the views of w and dw are taken once, before the loop over the rows (Optimization/RunViews.cs).
        string gradient = Generated("RowsUpTo");
        Assert.Contains("var w_run = global::Differentiator.Kernels.SliceWithin(w, 0, m);", gradient);
        Assert.Contains("var X_run = global::Differentiator.Kernels.Row(X, i, 0, m);", gradient);
        var method = Run.Value.Method("Vec.F", "RowsUpTo");
        var inputs = new Inputs(700);
        foreach (int m in new[] { 1, 5, 8, 11 })
            ThreeWay.Check(method, new object[] { inputs.Matrix(3, m), inputs.Vector(m), m });
        var jagged = Run.Value.Method("Vec.F", "JaggedRowsUpTo");
        Assert.Contains("var X_run = global::Differentiator.Kernels.Row(X, i, 0, m);", Generated("JaggedRowsUpTo"));
        foreach (int m in new[] { 1, 5, 8, 11 })
            ThreeWay.Check(jagged, new object[] { Enumerable.Range(0, 3).Select(_ => inputs.Vector(m + 1)).ToArray(), inputs.Vector(m), m });
        // m past w's end: the source's loop reads w[3], which does not exist, in the first row; so does the view's loop.
        var past = new object[] { inputs.Matrix(2, 5), inputs.Vector(3), 5 };
        Assert.Throws<IndexOutOfRangeException>(() => method.Value(past));
        Assert.Throws<IndexOutOfRangeException>(() => method.Gradient(past));
        // The same with no rows: the loop never reads w, and the views taken before it throw nothing either.
        var noRows = new object[] { new double[0, 5], inputs.Vector(3), 5 };
        Assert.Equal(0.0, method.Value(noRows));
        var g = method.Gradient(noRows);
        Assert.Equal(0.0, g.Value);
        Assert.All(g.Gradient[0], v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void An_out_of_range_loop_still_throws_IndexOutOfRangeException()
    {
        // w has more elements than X has columns: the source's loop reads X[i, 2], which does not exist.
        var m = GeneratorRun.Compile(Sources.Mse).AssertClean().Method("Demo.Losses", "Mse");
        var args = new object[] { new double[3, 2], new double[3], new double[3], 0.5 };
        Assert.Throws<IndexOutOfRangeException>(() => m.Value(args));
        Assert.Throws<IndexOutOfRangeException>(() => m.Gradient(args));
        // u longer than v in the span version.
        Assert.Throws<IndexOutOfRangeException>(() => Run.Value.Method("Vec.F", "Bilinear").Gradient(new double[5], new double[4], 1.0));
    }
}
