using System;
using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.EndToEnd;

/// <summary>
/// Integer data (<c>int[]</c>, <c>ReadOnlySpan&lt;int&gt;</c>, <c>Span&lt;int&gt;</c>, <c>int[,]</c>) read as labels and
/// indices, and local matrices (<c>new double[rows, columns]</c>): checked three ways and against closed forms.
/// </summary>
public class IntDataTests
{
    private const string Prelude = "using System;\nusing Differentiator;\nnamespace T;\n";

    private static GeneratorRun Compile(string body) =>
        GeneratorRun.Compile(Prelude + "public static partial class F\n{\n" + body + "\n}\n").AssertClean();

    private static int[] Labels(Random random, int n, int classes) => Enumerable.Range(0, n).Select(_ => random.Next(classes)).ToArray();

    [Fact]
    public void Softmax_classifier_with_int_labels_indexes_the_weight_rows()
    {
        var m = Compile(@"[Differentiable(nameof(W))] public static double Loss(double[,] X, int[] labels, double[,] W)
        {
            int n = X.GetLength(0), d = X.GetLength(1), classes = W.GetLength(0);
            double[] scores = new double[classes];
            double loss = 0;
            for (int i = 0; i < n; i++)
            {
                double max = double.NegativeInfinity;
                for (int c = 0; c < classes; c++)
                {
                    double s = 0;
                    for (int k = 0; k < d; k++) s += W[c, k] * X[i, k];
                    scores[c] = s;
                    if (s > max) max = s;
                }
                double sum = 0;
                for (int c = 0; c < classes; c++) sum += Math.Exp(scores[c] - max);
                double picked = 0;
                for (int k = 0; k < d; k++) picked += W[labels[i], k] * X[i, k];
                loss += max + Math.Log(sum) - picked;
            }
            return loss / n;
        }").Method("T.F", "Loss");
        var inputs = new Inputs(31);
        var random = new Random(31);
        for (int trial = 0; trial < 5; trial++)
            ThreeWay.Check(m, new object[] { inputs.Matrix(6, 3), Labels(random, 6, 4), inputs.Matrix(4, 3) });

        // ∂/∂W[c, k] = (1/n) Σ_i (softmax_c(W X_i) − [labels[i] = c]) X[i, k].
        var X = inputs.Matrix(5, 2);
        var W = inputs.Matrix(3, 2);
        var labels = new[] { 0, 2, 2, 1, 0 };
        var (_, g) = m.Gradient(X, labels, W);
        for (int c = 0; c < 3; c++)
        {
            for (int k = 0; k < 2; k++)
            {
                double expected = 0;
                for (int i = 0; i < 5; i++)
                {
                    var s = Enumerable.Range(0, 3).Select(cc => W[cc, 0] * X[i, 0] + W[cc, 1] * X[i, 1]).ToArray();
                    double p = Math.Exp(s[c]) / s.Sum(Math.Exp);
                    expected += (p - (labels[i] == c ? 1 : 0)) * X[i, k] / 5;
                }
                Assert.Equal(expected, g[0][c * 2 + k], 12);
            }
        }
    }

    [Fact]
    public void A_gather_with_repeated_indices_accumulates_the_adjoints()
    {
        var m = Compile(@"[Differentiable(nameof(x), nameof(w))] public static double Gather(double[] x, ReadOnlySpan<int> idx, double[] w)
        {
            double sum = 0;
            for (int j = 0; j < idx.Length; j++) sum += w[j] * Math.Sin(x[idx[j]]) * x[idx[j]];
            return sum;
        }").Method("T.F", "Gather");
        var inputs = new Inputs(32);
        int[] idx = { 2, 0, 2, 2, 1, 0, 3 };
        for (int trial = 0; trial < 5; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(5), idx, inputs.Vector(idx.Length) });

        var x = inputs.Vector(5);
        var w = inputs.Vector(idx.Length);
        var (_, g) = m.Gradient(x, idx, w);
        for (int i = 0; i < 5; i++)
        {
            double expected = 0;
            for (int j = 0; j < idx.Length; j++) if (idx[j] == i) expected += w[j] * (Math.Cos(x[i]) * x[i] + Math.Sin(x[i]));
            Assert.Equal(expected, g[0][i], 13);
        }
        Assert.Equal(0.0, g[0][4]); // never gathered
    }

    [Fact]
    public void Int_data_passed_to_helpers_to_differentiable_callees_and_through_slices()
    {
        var m = Compile(@"static double Pick(double[] x, ReadOnlySpan<int> idx, int j) => x[idx[j]] * x[idx[j]];

        [Differentiable(nameof(x))] public static double Inner(double[] x, int[] idx)
        {
            double s = 0;
            for (int j = 0; j < idx.Length; j++) s += Math.Sin(x[idx[j]]);
            return s;
        }

        [Differentiable(nameof(w))] public static double Outer(double[] w, int[] idx)
        {
            ReadOnlySpan<int> tail = idx.AsSpan(1);
            double s = Inner(w, idx);
            for (int j = 0; j < tail.Length; j++) s += Pick(w, tail, j) * tail[j];
            return s;
        }").Method("T.F", "Outer");
        var inputs = new Inputs(36);
        int[] idx = { 3, 0, 3, 1, 2 };
        for (int trial = 0; trial < 5; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(4), idx });
    }

    [Fact]
    public void Int_labels_in_a_float_method()
    {
        var m = Compile(@"[Differentiable(nameof(w))] public static float Hinge(float[] x, int[] labels, float[] w)
        {
            float loss = 0;
            for (int i = 0; i < labels.Length; i++)
            {
                float margin = 1 - (2 * labels[i] - 1) * w[labels[i]] * x[i];
                loss += margin * margin * (1 + 0.5f * labels[i]);
            }
            return loss / labels.Length;
        }").Method("T.F", "Hinge");
        var inputs = new Inputs(37);
        int[] labels = { 1, 0, 1, 1, 0, 0 };
        for (int trial = 0; trial < 5; trial++)
            ThreeWay.CheckSingle(m, new object[] { inputs.Vector(6).Select(v => (float)v).ToArray(), labels, inputs.Vector(2).Select(v => (float)v).ToArray() }, 1e-5, 2e-3);
    }

    [Fact]
    public void An_int_table_pairs_elements_and_counts_in_arithmetic()
    {
        var m = Compile(@"[Differentiable(nameof(x))] public static double Springs(double[] x, int[,] pairs, Span<int> weights, double[] bias)
        {
            double energy = 0;
            for (int r = 0; r < pairs.GetLength(0); r++)
            {
                int a = pairs[r, 0], b = pairs[r, 1];
                double stretch = x[a] - x[b] - 0.5 * (b - a);
                double k = weights[r] > 1 ? weights[r] * 0.5 : 1.0 / (1 + weights[r]);
                energy += k * stretch * stretch + Math.Sign(weights[r] - 2) * x[pairs[r, pairs.GetLength(1) - 1]] + Math.Sign(bias[r]) * x[a];
            }
            return energy;
        }").Method("T.F", "Springs");
        var inputs = new Inputs(33);
        var pairs = new[,] { { 0, 1 }, { 1, 3 }, { 3, 0 }, { 2, 3 }, { 1, 1 } };
        int[] weights = { 1, 3, 0, 2, 5 };
        for (int trial = 0; trial < 5; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(4), pairs, weights, inputs.Vector(5) });
    }

    [Fact]
    public void Int_max_min_and_abs_in_index_arithmetic()
    {
        // A 3-point stencil clamped at the ends, with int Math.Max/Min/Abs computing the neighbours' indices.
        var m = Compile(@"[Differentiable(nameof(x))] public static double Stencil(double[] x, int[] shift)
        {
            int n = x.Length;
            double s = 0;
            for (int i = 0; i < n; i++)
            {
                int left = Math.Max(0, i - 1), right = Math.Min(n - 1, i + Math.Abs(shift[i]));
                s += x[i] * (x[left] + 2 * x[right]) + Math.Sin(x[Math.Min(Math.Max(i - shift[i], 0), n - 1)]);
            }
            return s;
        }").Method("T.F", "Stencil");
        var inputs = new Inputs(38);
        int[] shift = { 1, -2, 0, 3, -1, 2 };
        for (int trial = 0; trial < 5; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(6), shift });
    }

    [Fact]
    public void Parents_index_earlier_elements_of_a_local_array_as_in_hand_tracking()
    {
        // GradBench ht: each bone's transform is its parent's composed with its own; parents[i] < i, -1 for the root.
        var m = Compile(@"[Differentiable(nameof(theta))] public static double Chain(double[] theta, int[] parents)
        {
            int n = theta.Length;
            double[] angle = new double[n];
            double[] reach = new double[n];
            for (int i = 0; i < n; i++)
            {
                int p = parents[i];
                angle[i] = p < 0 ? theta[i] : angle[p] + theta[i];
                reach[i] = (p < 0 ? 0 : reach[p]) + Math.Cos(angle[i]);
            }
            double total = 0;
            for (int i = 0; i < n; i++) total += reach[i] * reach[i];
            return total;
        }").Method("T.F", "Chain");
        var inputs = new Inputs(34);
        int[] parents = { -1, 0, 1, 1, 0, 4, 3 };
        for (int trial = 0; trial < 5; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(parents.Length), parents });
    }

    [Fact]
    public void A_local_matrix_written_and_overwritten_in_loops()
    {
        var m = Compile(@"[Differentiable(nameof(w))] public static double Layers(double[] x, double[] w, int steps)
        {
            int n = x.Length;
            double[,] h = new double[2, n];
            for (int j = 0; j < n; j++) h[0, j] = x[j];
            for (int s = 0; s < steps; s++)
            {
                for (int j = 0; j < h.GetLength(1); j++)
                    h[1, j] = Math.Tanh(w[j] * h[0, j] + w[(j + 1) % n] * h[0, (j + 1) % n]);
                for (int j = 0; j < n; j++) h[0, j] = h[1, j] * h[1, j] + 0.1 * h[0, j];
            }
            double sum = 0;
            for (int j = 0; j < n; j++) sum += h[0, j] * (j + 1);
            return sum / h.Length;
        }").Method("T.F", "Layers");
        var inputs = new Inputs(35);
        for (int trial = 0; trial < 5; trial++) ThreeWay.Check(m, new object[] { inputs.Vector(4), inputs.Vector(4), trial });
    }

    [Fact]
    public void A_local_matrix_of_data_only_needs_no_adjoint()
    {
        var m = Compile(@"[Differentiable(nameof(a))] public static double Distances(double[] p, double a)
        {
            int n = p.Length;
            double[,] d = new double[n, n];
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) d[i, j] = Math.Abs(p[i] - p[j]);
            double sum = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < n; j++) sum += Math.Exp(-a * d[i, j]);
            return sum;
        }").Method("T.F", "Distances");
        var p = new[] { 0.0, 0.5, 2.0 };
        var (value, g) = m.Gradient(p, 0.7);
        double expected = 0;
        foreach (var pi in p) foreach (var pj in p) expected += -Math.Abs(pi - pj) * Math.Exp(-0.7 * Math.Abs(pi - pj));
        Assert.Equal(expected, g[0][0], 13);
        ThreeWay.Check(m, new object[] { p, 0.7 });
    }
}
