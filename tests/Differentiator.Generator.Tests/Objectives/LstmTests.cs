using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.Objectives;

/// <summary>
/// ADBench's LSTM objective (Objectives/Lstm.cs) through the generator, at the shape of ADBench's lstm_l2_c1024
/// (2 layers, 1024 characters, 14 symbols): the value and gradient ADBench publishes for that very instance,
/// three-way agreement, and its value against a separate plain C# port.
/// </summary>
public class LstmTests
{
    private static readonly Lazy<DifferentiableMethod> Objective = new(() =>
        GeneratorRun.Compile(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Objectives", "Lstm.cs"))).AssertClean().Method("Differentiator.Objectives.Lstm", "Objective"));

    private static object[] Arguments(int l, int c, int b, int seed)
    {
        // Uniform in [0, 1), as ADBench's data generator draws them.
        var inputs = new Inputs(seed);
        return new object[] { l, c, b, inputs.Vector(8 * l * b, 0, 1), inputs.Vector(3 * b, 0, 1), inputs.Vector(2 * l * b, 0, 1), inputs.Vector(c * b, 0, 1) };
    }

    [Fact]
    public void Matches_the_value_and_gradient_ADBench_publishes_for_lstm_l2_c1024()
    {
        // ADBench's own instance (Objectives/Data, MIT) and the figures its unit tests publish for it, to their 1e-8.
        string data = Path.Combine(AppContext.BaseDirectory, "Objectives", "Data");
        double[][] rows = File.ReadAllLines(Path.Combine(data, "lstm_l2_c1024.txt"))
            .Where(line => line.Trim().Length > 0)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        int l = (int)rows[0][0], c = (int)rows[0][1], b = (int)rows[0][2];
        Assert.Equal((2, 1024, 14), (l, c, b));
        double[] Flat(int start, int count) => rows.Skip(start).Take(count).SelectMany(row => row).ToArray();
        double[] main = Flat(1, 2 * l), extra = Flat(1 + 2 * l, 3), state = Flat(4 + 2 * l, 2 * l), sequence = Flat(4 + 4 * l, c);
        Assert.Equal((8 * l * b, 3 * b, 2 * l * b, c * b), (main.Length, extra.Length, state.Length, sequence.Length));

        var (value, gradient) = Objective.Value.Gradient(l, c, b, main, extra, state, sequence);

        Assert.Equal(6.66665179558852183e-01, value, 1e-8);
        double[] published = File.ReadAllLines(Path.Combine(data, "lstm_l2_c1024.gradient.txt"))
            .Where(line => !line.StartsWith('#')).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        double[] ours = gradient[0].Concat(gradient[1]).ToArray();
        Assert.Equal(published.Length, ours.Length);
        for (int k = 0; k < published.Length; k++) Assert.True(Math.Abs(published[k] - ours[k]) <= 1e-8, $"gradient[{k}]: ADBench {published[k]:R}, ours {ours[k]:R}");
    }

    [Fact]
    public void Agrees_three_ways_at_the_shape_of_lstm_l2_c1024()
    {
        ThreeWay.Check(Objective.Value, Arguments(2, 1024, 14, 7), tapeTolerance: 1e-9, numericalTolerance: 1e-6);
    }

    [Theory]
    [InlineData(1, 5, 3)]
    [InlineData(4, 20, 6)]
    public void Value_matches_a_plain_port_of_the_reference(int l, int c, int b)
    {
        var args = Arguments(l, c, b, 11 * l + c);
        Assert.Equal(Reference(l, c, b, (double[])args[3], (double[])args[4], (double[])args[5], (double[])args[6]), Objective.Value.Value(args), 12);
    }

    /// <summary>The reference's loops written out with plain arrays and index arithmetic: no helpers, no spans.</summary>
    private static double Reference(int l, int c, int b, double[] w, double[] w2, double[] state, double[] sequence)
    {
        var s = (double[])state.Clone();
        var ypred = new double[b];
        double total = 0;
        for (int t = 0; t < (c - 1) * b; t += b)
        {
            for (int i = 0; i < b; i++) ypred[i] = sequence[t + i] * w2[i];
            for (int layer = 0; layer < l; layer++)
            {
                int wo = 8 * b * layer, so = 2 * b * layer;
                var input = new double[b];
                for (int i = 0; i < b; i++) input[i] = layer == 0 ? ypred[i] : s[so - 2 * b + i];
                for (int i = 0; i < b; i++)
                {
                    double forget = 1 / (1 + Math.Exp(-(input[i] * w[wo + i] + w[wo + 4 * b + i])));
                    double ingate = 1 / (1 + Math.Exp(-(s[so + i] * w[wo + b + i] + w[wo + 5 * b + i])));
                    double outgate = 1 / (1 + Math.Exp(-(input[i] * w[wo + 2 * b + i] + w[wo + 6 * b + i])));
                    double change = Math.Tanh(s[so + i] * w[wo + 3 * b + i] + w[wo + 7 * b + i]);
                    s[so + b + i] = s[so + b + i] * forget + ingate * change;
                    s[so + i] = outgate * Math.Tanh(s[so + b + i]);
                }
            }
            for (int i = 0; i < b; i++) ypred[i] = s[2 * b * (l - 1) + i] * w2[b + i] + w2[2 * b + i];
            double sum = 0;
            for (int i = 0; i < b; i++) sum += Math.Exp(ypred[i]);
            double lse = Math.Log(sum + 2);
            for (int i = 0; i < b; i++) total += sequence[t + b + i] * (ypred[i] - lse);
        }
        return -total / ((c - 1) * b);
    }
}
