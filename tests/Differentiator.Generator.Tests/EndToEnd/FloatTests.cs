using System;
using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>
/// Methods that return <c>float</c> compute in float: <c>float</c>, <c>float[]</c> and float spans in, <c>Span&lt;float&gt;</c>
/// and <c>out float</c> gradients out, <c>MathF</c> and <c>f</c> literals in the generated code. The value must equal the
/// method's bit for bit (same float operations in the same order); the gradient is checked against the tape (which
/// computes in double, so it is the more accurate answer), against float central differences, and against the same
/// method written in double.
/// </summary>
public class FloatTests
{
    private const string Prelude = "using System;\nusing Differentiator;\nnamespace T;\n";

    private static GeneratorRun Compile(string body) =>
        GeneratorRun.Compile(Prelude + "public static partial class F\n{\n" + body + "\n}\n").AssertClean();

    /// <summary>Float rounding: generated (float) against the tape (double) and central differences (float, h ≈ 4.9·10⁻³).</summary>
    private const double TapeTolerance = 1e-5, NumericalTolerance = 2e-3;

    private static float[] Floats(Inputs inputs, int n, double low, double high) => inputs.Vector(n, low, high).Select(v => (float)v).ToArray();

    private const string MseSource = @"[Differentiable(nameof(w), nameof(b))] public static REAL Mse(REAL[] x, REAL[] y, ReadOnlySpan<REAL> w, REAL b)
        {
            int d = w.Length;
            int n = y.Length;
            REAL loss = 0;
            for (int i = 0; i < n; i++)
            {
                REAL pred = b;
                for (int j = 0; j < d; j++) pred += x[i * d + j] * w[j];
                REAL r = pred - y[i];
                loss += r * r;
            }
            return loss / n;
        }";

    [Fact]
    public void Mean_squared_error_in_float_agrees_with_the_tape_central_differences_and_its_double_twin()
    {
        var single = Compile(MseSource.Replace("REAL", "float"));
        var twin = Compile(MseSource.Replace("REAL", "double")).Method("T.F", "Mse");
        var m = single.Method("T.F", "Mse");
        Assert.True(m.IsSingle);
        var inputs = new Inputs(21);
        for (int trial = 0; trial < 5; trial++)
        {
            int n = 7 + trial, d = 1 + trial;
            var x = Floats(inputs, n * d, -1, 1);
            var y = Floats(inputs, n, -1, 1);
            var w = Floats(inputs, d, -1, 1);
            float b = (float)inputs.Vector(1, -1, 1)[0];
            var args = new object[] { x, y, w, b };
            ThreeWay.CheckSingle(m, args, TapeTolerance, NumericalTolerance, exactValue: false); // pred's loop is Kernels.Dot
            // The double method on the same (float-valued) inputs: the float gradient is that gradient, rounded along the way.
            var (_, exact) = twin.Gradient(x.Select(v => (double)v).ToArray(), y.Select(v => (double)v).ToArray(), w.Select(v => (double)v).ToArray(), (double)b);
            var (_, ours) = m.Gradient(args);
            for (int p = 0; p < exact.Length; p++)
                for (int k = 0; k < exact[p].Length; k++)
                    Assert.True(Math.Abs(exact[p][k] - ours[p][k]) <= 1e-5 * Math.Max(1, Math.Abs(exact[p][k])), $"{p}[{k}]: double {exact[p][k]:R}, float {ours[p][k]:R}");
        }
    }

    [Fact]
    public void Generated_code_computes_in_float()
    {
        var run = Compile(MseSource.Replace("REAL", "float"));
        string code = run.Sources.Single(s => s.Key.EndsWith("Mse.g.cs", StringComparison.Ordinal)).Value;
        Assert.Contains("public static float MseGradient(float[] x, float[] y, global::System.ReadOnlySpan<float> w, float b, global::System.Span<float> dw, out float db)", code);
        Assert.Contains("public static float MseTapeGradient(", code);
        Assert.Contains("public static float MseNumericalGradient(", code);
        Assert.Contains("NumericalStep.ForSingle(", code);
        string gradient = code.Substring(code.IndexOf("MseGradient(", StringComparison.Ordinal));
        gradient = gradient.Substring(0, gradient.IndexOf("MseTapeGradient", StringComparison.Ordinal));
        Assert.DoesNotContain("double", gradient);
    }

    /// <summary>GMM's x − μ and Q(x − μ) in float; PASSES stands for the loops around the loop over the points.</summary>
    private const string FloatScratchVectors = @"[Differentiable(nameof(mu), nameof(l))] public static float Q(float[] x, float[] mu, float[] l, int d)
        {
            float[] c = new float[d];
            float[] q = new float[d];
            float total = 0;
            PASSES
            for (int i = 0; i < x.Length / d; i++)
            {
                for (int j = 0; j < d; j++) c[j] = x[i * d + j] - mu[j];
                for (int j = 0; j < d; j++) q[j] = l[j] * c[j];
                for (int a = 0; a < d; a++)
                    for (int b = a + 1; b < d; b++) q[b] += l[a * d + b] * c[a];
                float norm = 0;
                for (int j = 0; j < d; j++) norm += q[j] * q[j];
                total += MathF.Log(1 + norm);
            }
            // Through a function, so the loop is not fused with its reverse (which would need no saving at all).
            return MathF.Sqrt(total);
        }";

    [Fact]
    public void Float_scratch_vectors_saved_as_blocks_are_restored_as_floats()
    {
        // The triangle makes the reversed body restore c and q instead of replaying them (ReverseModeBuilder.Snapshots.cs);
        // run twice by an enclosing loop, they go through the stack, not an in-place buffer: a float[] block goes through
        // the double scratch stack and must come back unchanged and in order.
        var run = Compile(FloatScratchVectors.Replace("PASSES", "for (int pass = 1; pass <= 2; pass++)"));
        string code = run.Sources.Single(s => s.Key.EndsWith("Q.g.cs", StringComparison.Ordinal)).Value;
        Assert.Contains("scratch.PushAll(q);", code);
        Assert.Contains("scratch.PopAll(c);", code);
        var m = run.Method("T.F", "Q");
        // Run once, the loop's snapshots are written in place, in float buffers.
        var once = Compile(FloatScratchVectors.Replace("PASSES", ""));
        string inPlace = once.Sources.Single(s => s.Key.EndsWith("Q.g.cs", StringComparison.Ordinal)).Value;
        Assert.Contains("float[] q_saved = global::System.Buffers.ArrayPool<float>.Shared.Rent(", inPlace);
        Assert.Contains("c = new global::System.Span<float>(c_saved, i * c.Length, c.Length);", inPlace);
        var single = once.Method("T.F", "Q");
        var onceInputs = new Inputs(29);
        foreach (int d in new[] { 1, 3, 6 })
            ThreeWay.CheckSingle(single, new object[] { Floats(onceInputs, 4 * d, -1, 1), Floats(onceInputs, d, -1, 1), Floats(onceInputs, d * d, -0.5, 0.5), d },
                TapeTolerance, NumericalTolerance, exactValue: false);
        var inputs = new Inputs(23);
        foreach (int d in new[] { 1, 3, 6 })
            for (int trial = 0; trial < 3; trial++)
                ThreeWay.CheckSingle(m, new object[] { Floats(inputs, 4 * d, -1, 1), Floats(inputs, d, -1, 1), Floats(inputs, d * d, -0.5, 0.5), d },
                    TapeTolerance, NumericalTolerance, exactValue: false);
    }

    [Fact]
    public void MathF_functions_literals_scratch_arrays_helpers_and_generic_math()
    {
        var m = Compile(@"static float Softplus(float z) => MathF.Log(1f + MathF.Exp(z));

        [Differentiable(nameof(v), nameof(s))] public static float G(float[] v, float s, int n)
        {
            Span<float> t = stackalloc float[v.Length];
            float acc = 0.25f;
            for (int k = 0; k < v.Length; k++)
            {
                t[k] = MathF.Tanh(s * v[k]) + Softplus(v[k] - 0.5f) * MathF.Sqrt(v[k] * v[k] + 1f);
                acc += MathF.Max(t[k], -5f) / (1 + n) + float.LogP1(v[k] * v[k]) + MathF.Pow(MathF.Abs(t[k] + 5f), 1.5f); // kinks kept out of reach of the float step
            }
            for (int k = v.Length - 1; k > 0; k--) t[k] = t[k] * t[k - 1] + MathF.Atan(t[k]) - MathF.Cosh(0.1f * t[k]);
            return acc + t[v.Length - 1] * MathF.Log10(2f + s * s) + (float)n * 1e-3f;
        }").Method("T.F", "G");
        var inputs = new Inputs(22);
        for (int trial = 0; trial < 8; trial++)
            ThreeWay.CheckSingle(m, new object[] { Floats(inputs, 5, -1.5, 1.5), (float)inputs.Vector(1, -1, 1)[0], trial }, TapeTolerance, NumericalTolerance);
    }

    [Fact]
    public void A_float_method_calls_another_float_differentiable_method()
    {
        var run = Compile(@"[Differentiable] public static float Sq(float a) => a * a;
        [Differentiable(nameof(w))] public static float Outer(float[] w)
        {
            float s = 0;
            for (int i = 0; i < w.Length; i++) { float q = Sq(w[i] - 0.5f); s += q * w[i]; }
            return s;
        }");
        var m = run.Method("T.F", "Outer");
        var w = new[] { 0.25f, -1.5f, 2f };
        var (value, g) = m.Gradient(w);
        // ∂/∂wᵢ (wᵢ − ½)² wᵢ = 2(wᵢ − ½)wᵢ + (wᵢ − ½)², all exact in float for these inputs.
        for (int i = 0; i < w.Length; i++) Assert.Equal(2 * (w[i] - 0.5f) * w[i] + (w[i] - 0.5f) * (w[i] - 0.5f), g[0][i]);
        Assert.Equal((double)w.Sum(v => (v - 0.5f) * (v - 0.5f) * v), value, 5);
        ThreeWay.CheckSingle(m, new object[] { w }, TapeTolerance, NumericalTolerance);
    }
}
