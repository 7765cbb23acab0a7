using System;
using Differentiator;

namespace Differentiator.Objectives;

/// <summary>
/// ADBench's LSTM objective, written from its definition the way its C++ reference is structured: helper functions
/// for the sigmoid, the log-sum-exp, one layer and one prediction, working on slices of flat parameter arrays; the
/// state evolves in a scratch copy. As in ADBench every weight matrix is diagonal, and its log-sum-exp adds 2 inside
/// the logarithm (a quirk of the reference, kept so figures stay comparable). Only the objective is
/// <c>[Differentiable]</c>: the helpers are inlined. Compiled by the tests through the generator (see LstmTests).
/// </summary>
public static partial class Lstm
{
    static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    static double LogSumExp(ReadOnlySpan<double> v)
    {
        double sum = 0;
        for (int i = 0; i < v.Length; i++) sum += Math.Exp(v[i]);
        sum += 2;
        return Math.Log(sum);
    }

    /// <summary>One layer: gates from the input and the hidden state, then the new cell and hidden state, in place.</summary>
    static void Model(int hsize, ReadOnlySpan<double> weight, ReadOnlySpan<double> bias, Span<double> hidden, Span<double> cell, ReadOnlySpan<double> input, Span<double> gates)
    {
        for (int i = 0; i < hsize; i++)
        {
            gates[i] = Sigmoid(input[i] * weight[i] + bias[i]);                                          // forget
            gates[hsize + i] = Sigmoid(hidden[i] * weight[hsize + i] + bias[hsize + i]);                 // in
            gates[2 * hsize + i] = Sigmoid(input[i] * weight[2 * hsize + i] + bias[2 * hsize + i]);      // out
            gates[3 * hsize + i] = Math.Tanh(hidden[i] * weight[3 * hsize + i] + bias[3 * hsize + i]);   // change
        }
        for (int i = 0; i < hsize; i++) cell[i] = cell[i] * gates[i] + gates[hsize + i] * gates[3 * hsize + i];
        for (int i = 0; i < hsize; i++) hidden[i] = gates[2 * hsize + i] * Math.Tanh(cell[i]);
    }

    /// <summary>The next character's scores: scale the input, run the layers bottom-up, scale and shift the top hidden state.</summary>
    static void Predict(int l, int b, ReadOnlySpan<double> w, ReadOnlySpan<double> w2, Span<double> s, ReadOnlySpan<double> x, Span<double> x2, Span<double> gates)
    {
        for (int i = 0; i < b; i++) x2[i] = x[i] * w2[i];
        for (int i = 0; i < l; i++)
        {
            // Layer i: weights then biases at w[8bi…], hidden then cell state at s[2bi…]; its input is the layer below's hidden state.
            if (i == 0) Model(b, w.Slice(0, 4 * b), w.Slice(4 * b, 4 * b), s.Slice(0, b), s.Slice(b, b), x2, gates);
            else Model(b, w.Slice(8 * b * i, 4 * b), w.Slice(8 * b * i + 4 * b, 4 * b), s.Slice(2 * b * i, b), s.Slice(2 * b * i + b, b), s.Slice(2 * b * (i - 1), b), gates);
        }
        for (int i = 0; i < b; i++) x2[i] = s[2 * b * (l - 1) + i] * w2[b + i] + w2[2 * b + i];
    }

    [Differentiable(nameof(mainParams), nameof(extraParams))]
    public static double Objective(int l, int c, int b, double[] mainParams, double[] extraParams, double[] state, double[] sequence)
    {
        double[] s = new double[state.Length];
        for (int i = 0; i < s.Length; i++) s[i] = state[i];
        double[] ypred = new double[b];
        double[] ynorm = new double[b];
        double[] gates = new double[4 * b];
        double total = 0;
        int count = 0;
        for (int step = 0; step < c - 1; step++)
        {
            int t = step * b;
            Predict(l, b, mainParams, extraParams, s, sequence.AsSpan(t, b), ypred, gates);
            double lse = LogSumExp(ypred);
            for (int i = 0; i < b; i++) ynorm[i] = ypred[i] - lse;
            for (int i = 0; i < b; i++) total += sequence[t + b + i] * ynorm[i];
            count += b;
        }
        return -total / count;
    }
}
