using System;

namespace Differentiator;

public sealed partial class Tape
{
    /// <summary>
    /// Records the result of a function the tape does not see inside — a method with a custom derivative
    /// (<see cref="DerivativeOfAttribute"/>): <paramref name="value"/> and its partial derivatives with respect to each of
    /// <paramref name="inputs"/> (the function's vector-Jacobian product with a seed of 1). The backward sweep then
    /// sends g · partials[k] to inputs[k]. Inputs that are constants are skipped; if all are, the result is a constant.
    /// </summary>
    /// <remarks>
    /// A node has at most two parents, so n inputs become a chain of n − 1 nodes, each adding one more input with
    /// its partial to the one before (whose partial is 1): the derivative of the last with respect to inputs[k] is
    /// partials[k], as one node with n parents would give.
    /// </remarks>
    public static Value Custom(double value, ReadOnlySpan<Value> inputs, ReadOnlySpan<double> partials)
    {
        if (inputs.Length != partials.Length) throw new ArgumentException("One partial derivative per input is needed.", nameof(partials));
        Value chain = value;
        bool recorded = false;
        for (int k = 0; k < inputs.Length; k++)
        {
            var input = inputs[k];
            if (input.Tape is null) continue;
            if (chain.Tape is not null && !ReferenceEquals(chain.Tape, input.Tape))
                throw new InvalidOperationException("These values belong to two different tapes.");
            var tape = input.Tape;
            int index = recorded
                ? tape.Record(chain.Index, 1, input.Index, partials[k], TapeOperation.Custom, value, ConstantOperand.None, 0)
                : tape.Record(input.Index, partials[k], -1, 0, TapeOperation.Custom, value, ConstantOperand.None, 0);
            chain = new Value(tape, index, value);
            recorded = true;
        }
        return chain;
    }
}
