using System;
using System.IO;
using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.Objectives;

/// <summary>
/// ADBench's GMM objective (Objectives/Gmm.cs) through the generator: its value and gradient against the figures
/// ADBench's own unit tests publish for their test input, and three ways at ADBench's shapes (n = 1000).
/// </summary>
public class GmmTests
{
    private static readonly Lazy<DifferentiableMethod> Objective = new(() =>
        GeneratorRun.Compile(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Objectives", "Gmm.cs"))).AssertClean().Method("Differentiator.Objectives.Gmm", "Objective"));

    /// <summary>
    /// The per-(point, component) scratch vectors are saved once, as each (i, k) iteration leaves them, and restored
    /// at the top of the reversed iteration (in place, not copied): rebuilding them would replay the triangular product. They are not saved
    /// at every overwrite (2d + d(d−1)/2 + d values), and the row offset <c>column</c>, an integer, is recomputed.
    /// The gradient itself is checked by the tests below.
    /// </summary>
    [Fact]
    public void The_scratch_vectors_are_saved_once_per_iteration_and_the_row_offset_recomputed()
    {
        var run = GeneratorRun.Compile(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Objectives", "Gmm.cs"))).AssertClean();
        string code = run.Sources["Differentiator.Objectives.Gmm.Objective.g.cs"];
        code = code.Substring(0, code.IndexOf("Objective__Tape", StringComparison.Ordinal));
        Assert.Contains("// Restored, not recomputed: qxcentered, xcentered", code);
        Assert.DoesNotContain("// Recomputed, not saved: qxcentered", code);
        Assert.Contains("// Recomputed, not saved: column", code);
        // Written in place (Snapshots.cs): each component's x − μ and Q(x − μ) in its own part of a buffer of K of
        // them, which the reversed component reads as it was left; the loop over points is fused, so the next point
        // reuses the buffer only after this one's reverse.
        Assert.Contains("xcentered = new global::System.Span<double>(xcentered_saved, ik_2 * xcentered.Length, xcentered.Length);", code);
        Assert.Contains("ArrayPool<double>.Shared.Rent(global::System.Math.Max(0, k) * qxcentered.Length);", code);
        Assert.DoesNotContain("scratch.PushAll(", code);
        Assert.DoesNotContain("scratch.PopAll(", code);
        Assert.DoesNotContain("scratch.Push(qxcentered[j])", code);
        Assert.DoesNotContain("scratch.Push(qxcentered[id", code);
        Assert.DoesNotContain("scratch.Push(xcentered[id", code);
        Assert.DoesNotContain("scratch.Push(column)", code);
    }

    [Fact]
    public void Matches_the_value_and_gradient_ADBench_publishes_for_its_test_input()
    {
        // ADBench data/gmm/test.txt (MIT): d = 2, K = 3, n = 1; Wishart γ = 1, m = 0.
        double[] alphas = { -0.649014, 1.181166, -0.758453 };
        double[] means = { 0.092339, 0.186260, 0.345561, 0.396767, 0.538817, 0.419195 };
        double[] icf = { 0.586443, -0.851887, 0.800321, -1.509405, 0.875874, -0.242790, 0.166813, -1.965419, -1.270071 };
        double[] x = { 1.175171, 2.029160 };
        var (value, gradient) = Objective.Value.Gradient(2, 3, 1, alphas, means, icf, x, 1.0, 0);

        // ADBench's GMM unit tests: objective 8.0738 and this gradient (alphas, means, icf), both to 1e-5.
        Assert.Equal(8.0738, value, 1e-5);
        double[] published = { 0.108663, -0.74127, 0.632607, 1.116926, 0.163333, -0.022, 0.227778, 1.20963, -0.06064, 2.5853, 0.11263, 0.38574, 0.07352, 5.41836, -0.3215, 1.71892, 0.86009, -0.99464 };
        var ours = gradient[0].Concat(gradient[1]).Concat(gradient[2]).ToArray();
        Assert.Equal(published.Length, ours.Length);
        for (int k = 0; k < published.Length; k++) Assert.True(Math.Abs(published[k] - ours[k]) <= 1e-5, $"gradient[{k}]: ADBench {published[k]}, ours {ours[k]}");
    }

    [Theory]
    [InlineData(2, 5)]
    [InlineData(10, 5)]
    public void Agrees_three_ways_at_ADBench_shapes(int d, int k)
    {
        // The shapes of ADBench's 1k files; the values drawn as its generator does (uniform), from a fixed seed.
        const int n = 1000;
        var inputs = new Inputs(100 * d + k);
        int icfSize = d * (d + 1) / 2;
        var args = new object[] { d, k, n, inputs.Vector(k, 0, 1), inputs.Vector(d * k, 0, 1), inputs.Vector(icfSize * k, 0, 1), inputs.Vector(d * n, 0, 1), 1.0, 0 };
        ThreeWay.Check(Objective.Value, args, tapeTolerance: 1e-9, numericalTolerance: 1e-5);
    }

    /// <summary>
    /// Every shape of ADBench's 1k GMM files asked for (d = 2, 10, 20; K = 5, 10, 25; n = 1000): the generated gradient
    /// against the tape on every component, against central differences on 12 random components each (all 5,775
    /// components at d = 20, K = 25 would take minutes), and its value against the method itself.
    /// </summary>
    [Theory]
    [InlineData(2, 5)] [InlineData(2, 10)] [InlineData(2, 25)]
    [InlineData(10, 5)] [InlineData(10, 10)] [InlineData(10, 25)]
    [InlineData(20, 5)] [InlineData(20, 10)] [InlineData(20, 25)]
    public void Agrees_three_ways_at_every_ADBench_1k_shape(int d, int k)
    {
        const int n = 1000;
        var inputs = new Inputs(1000 * d + k);
        int icfSize = d * (d + 1) / 2;
        var parameters = new[] { inputs.Vector(k, 0, 1), inputs.Vector(d * k, 0, 1), inputs.Vector(icfSize * k, 0, 1) };
        var x = inputs.Vector(d * n, 0, 1);
        object[] Args() => new object[] { d, k, n, parameters[0], parameters[1], parameters[2], x, 1.0, 0 };
        var (value, gradient) = Objective.Value.Gradient(Args());
        Assert.Equal(Objective.Value.Value(Args()), value, 12);
        var (tapeValue, tape) = Objective.Value.Tape(Args());
        Assert.Equal(value, tapeValue, 12);
        for (int block = 0; block < 3; block++)
            for (int j = 0; j < tape[block].Length; j++)
                Assert.True(Math.Abs(gradient[block][j] - tape[block][j]) <= 1e-9 * Math.Max(1, Math.Abs(tape[block][j])),
                    $"d={d} K={k} block {block}[{j}]: generated {gradient[block][j]:R}, tape {tape[block][j]:R}");

        var random = new Random(d * k);
        for (int trial = 0; trial < 12; trial++)
        {
            int block = random.Next(3);
            int index = random.Next(parameters[block].Length);
            double original = parameters[block][index];
            double h = NumericalStep.For(original);
            parameters[block][index] = original + h;
            double up = Objective.Value.Value(Args());
            parameters[block][index] = original - h;
            double down = Objective.Value.Value(Args());
            parameters[block][index] = original;
            double numerical = (up - down) / (2 * h);
            double scale = Math.Max(1, Math.Abs(numerical));
            Assert.True(Math.Abs(gradient[block][index] - numerical) <= 1e-6 * Math.Max(scale, Math.Abs(value) * 1e-3),
                $"d={d} K={k} block {block}[{index}]: generated {gradient[block][index]:R}, central differences {numerical:R}");
        }
    }
}
