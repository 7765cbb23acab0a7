using System;

namespace Differentiator;

/// <summary>
/// A Wengert list for reverse-mode differentiation by operator overloading: each operation on <see cref="Value"/>s
/// appends a node holding up to two parents and its local partial derivatives. Nodes are appended in evaluation
/// order, which is already topological, so <see cref="Backward"/> is one loop over the nodes in reverse — no
/// recursion, so a graph of millions of nodes cannot overflow the stack. Storage is a few growable arrays, not an
/// object per node.
/// </summary>
/// <example>
/// <code>
/// var tape = new Tape();
/// Value x = tape.Variable(3), y = tape.Variable(4);
/// Value f = TapeMath.Sqrt(x * x + y * y);
/// tape.Backward(f);            // x.Grad = 0.6, y.Grad = 0.8
/// </code>
/// </example>
public sealed class Tape
{
    private int[] _parent1 = new int[256];
    private int[] _parent2 = new int[256];
    private double[] _partial1 = new double[256];
    private double[] _partial2 = new double[256];
    private double[] _grad = Array.Empty<double>();
    private int _count;
    private int _gradCount;

    /// <summary>The number of nodes recorded: variables and operations.</summary>
    public int Count => _count;

    /// <summary>Records an input to differentiate with respect to.</summary>
    public Value Variable(double x) => new(this, Record(-1, 0, -1, 0), x);

    /// <summary>Records one input per element.</summary>
    public Value[] Variables(ReadOnlySpan<double> xs)
    {
        var values = new Value[xs.Length];
        for (int k = 0; k < xs.Length; k++) values[k] = Variable(xs[k]);
        return values;
    }

    /// <summary>Constants (not recorded) for data passed where a tape function takes values.</summary>
    public static Value[] Constants(ReadOnlySpan<double> xs)
    {
        var values = new Value[xs.Length];
        for (int k = 0; k < xs.Length; k++) values[k] = xs[k];
        return values;
    }

    /// <summary>
    /// Computes d<paramref name="output"/>/d(node) for every node recorded up to <paramref name="output"/>: seeds 1
    /// and walks the nodes backwards. Calling it again starts from zero.
    /// </summary>
    public void Backward(Value output)
    {
        if (output.Tape is not null && !ReferenceEquals(output.Tape, this)) throw new InvalidOperationException("The output belongs to another tape.");
        if (_grad.Length < _count) _grad = new double[_parent1.Length];
        Array.Clear(_grad, 0, _count);
        _gradCount = _count;
        if (output.Tape is null) return; // a constant output (say, a function that returns 1.5): every gradient is 0
        _grad[output.Index] = 1;
        for (int node = output.Index; node >= 0; node--)
        {
            double g = _grad[node];
            if (g == 0) continue; // nothing flows through this node (an exact zero contributes nothing)
            int p1 = _parent1[node];
            if (p1 >= 0) _grad[p1] += g * _partial1[node];
            int p2 = _parent2[node];
            if (p2 >= 0) _grad[p2] += g * _partial2[node];
        }
    }

    /// <summary>The gradient of the last <see cref="Backward"/> output with respect to <paramref name="v"/>; 0 for constants.</summary>
    public double GradientOf(Value v)
    {
        if (v.Tape is null) return 0;
        if (!ReferenceEquals(v.Tape, this)) throw new InvalidOperationException("The value belongs to another tape.");
        return v.Index < _gradCount ? _grad[v.Index] : 0;
    }

    /// <summary>Records a node computed from one or two recorded parents (a parent of -1 is absent).</summary>
    internal int Record(int parent1, double partial1, int parent2, double partial2)
    {
        if (_count == _parent1.Length) Grow();
        _parent1[_count] = parent1;
        _partial1[_count] = partial1;
        _parent2[_count] = parent2;
        _partial2[_count] = partial2;
        return _count++;
    }

    private void Grow()
    {
        int size = _parent1.Length * 2;
        Array.Resize(ref _parent1, size);
        Array.Resize(ref _parent2, size);
        Array.Resize(ref _partial1, size);
        Array.Resize(ref _partial2, size);
    }
}
