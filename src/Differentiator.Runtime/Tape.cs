using System;
using System.Runtime.CompilerServices;

namespace Differentiator;

/// <summary>
/// A Wengert list for reverse-mode differentiation by operator overloading: each operation on <see cref="Value"/>s
/// appends a node holding up to two parents and its local partial derivatives. Nodes are appended in evaluation
/// order, which is already topological, so <see cref="Backward"/> is one loop over the nodes in reverse — no
/// recursion, so a graph of millions of nodes cannot overflow the stack. Storage is one growable array of node
/// structs, not an object per node: recording allocates nothing between growths, and the reverse sweep reads each
/// node's parents and partials from one place in memory.
/// </summary>
/// <example>
/// <code>
/// var tape = new Tape();
/// Value x = tape.Variable(3), y = tape.Variable(4);
/// Value f = TapeMath.Sqrt(x * x + y * y);
/// tape.Backward(f);            // x.Grad = 0.6, y.Grad = 0.8
/// </code>
/// </example>
public sealed partial class Tape
{
    private Node[] _nodes = new Node[256];
    private double[] _grad = Array.Empty<double>();
    private int _count;
    private int _gradCount;

    /// <summary>A tape that records only what <see cref="Backward"/> needs: the fast default.</summary>
    public Tape()
    {
    }

    /// <summary>
    /// A tape that, if <paramref name="recordGraph"/>, also keeps each node's operation, value and constant operand,
    /// so that <see cref="ToDot"/> can draw the graph. Recording the graph costs memory and time; it is for looking
    /// at small evaluations, not for training.
    /// </summary>
    public Tape(bool recordGraph)
    {
        if (recordGraph) _graph = new GraphNode[_nodes.Length];
    }

    /// <summary>The number of nodes recorded: variables and operations.</summary>
    public int Count => _count;

    /// <summary>Whether this tape keeps what <see cref="ToDot"/> draws.</summary>
    public bool RecordsGraph => _graph is not null;

    /// <summary>Records an input to differentiate with respect to.</summary>
    public Value Variable(double x) => new(this, Record(-1, 0, -1, 0, TapeOperation.Variable, x, ConstantOperand.None, 0), x);

    /// <summary>Records an input named <paramref name="name"/> (the name shows in <see cref="ToDot"/>).</summary>
    public Value Variable(double x, string name)
    {
        var v = Variable(x);
        Label(v, name);
        return v;
    }

    /// <summary>Records one input per element.</summary>
    public Value[] Variables(ReadOnlySpan<double> xs)
    {
        var values = new Value[xs.Length];
        for (int k = 0; k < xs.Length; k++) values[k] = Variable(xs[k]);
        return values;
    }

    /// <summary>Records one input per element of a float array; the tape computes in double (floats widen exactly).</summary>
    public Value[] Variables(ReadOnlySpan<float> xs)
    {
        var values = new Value[xs.Length];
        for (int k = 0; k < xs.Length; k++) values[k] = Variable(xs[k]);
        return values;
    }

    /// <summary>Records one input per element of a matrix, in the matrix's shape.</summary>
    public Value[,] Variables(double[,] xs) => Matrix(xs.GetLength(0), xs.GetLength(1), (i, j) => xs[i, j]);

    /// <summary>Records one input per element of a float matrix (the tape computes in double).</summary>
    public Value[,] Variables(float[,] xs) => Matrix(xs.GetLength(0), xs.GetLength(1), (i, j) => xs[i, j]);

    /// <summary>Records one input per element of a jagged array, row by row.</summary>
    public Value[][] Variables(double[][] xs)
    {
        var rows = new Value[xs.Length][];
        for (int i = 0; i < xs.Length; i++) rows[i] = Variables(xs[i]);
        return rows;
    }

    /// <summary>Records one input per element of a jagged float array, row by row.</summary>
    public Value[][] Variables(float[][] xs)
    {
        var rows = new Value[xs.Length][];
        for (int i = 0; i < xs.Length; i++) rows[i] = Variables(xs[i]);
        return rows;
    }

    private Value[,] Matrix(int rows, int columns, Func<int, int, double> element)
    {
        var values = new Value[rows, columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) values[i, j] = Variable(element(i, j));
        return values;
    }

    /// <summary>Constants (not recorded) for data passed where a tape function takes values.</summary>
    public static Value[] Constants(ReadOnlySpan<double> xs)
    {
        var values = new Value[xs.Length];
        for (int k = 0; k < xs.Length; k++) values[k] = xs[k];
        return values;
    }

    /// <summary>Constants (not recorded) for float data passed where a tape function takes values.</summary>
    public static Value[] Constants(ReadOnlySpan<float> xs)
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
        if (_grad.Length < _count) _grad = new double[_nodes.Length];
        Array.Clear(_grad, 0, _count);
        _gradCount = _count;
        if (output.Tape is null) return; // a constant output (say, a function that returns 1.5): every gradient is 0
        _grad[output.Index] = 1;
        // Nodes recorded after the output cannot influence it, so the sweep starts at the output.
        for (int index = output.Index; index >= 0; index--)
        {
            double g = _grad[index];
            if (g == 0) continue; // nothing flows through this node (an exact zero contributes nothing)
            ref readonly Node node = ref _nodes[index];
            if (node.Parent1 >= 0) _grad[node.Parent1] += g * node.Partial1;
            if (node.Parent2 >= 0) _grad[node.Parent2] += g * node.Partial2;
        }
    }

    /// <summary>The gradient of the last <see cref="Backward"/> output with respect to <paramref name="v"/>; 0 for constants.</summary>
    public double GradientOf(Value v)
    {
        if (v.Tape is null) return 0;
        if (!ReferenceEquals(v.Tape, this)) throw new InvalidOperationException("The value belongs to another tape.");
        return v.Index < _gradCount ? _grad[v.Index] : 0;
    }

    /// <summary>
    /// Records a node computed from one or two recorded parents (a parent of -1 is absent). The operation, the value
    /// and the constant operand are only kept when the tape records its graph; Backward never reads them.
    /// </summary>
    internal int Record(int parent1, double partial1, int parent2, double partial2, TapeOperation operation, double data, ConstantOperand constantSide, double constant)
    {
        if (_count == _nodes.Length) Grow();
        _nodes[_count] = new Node(parent1, partial1, parent2, partial2);
        if (_graph is not null) _graph[_count] = new GraphNode(operation, data, constantSide, constant);
        return _count++;
    }

    // Out of line so that Record, called for every operation, stays small; doubling keeps growth amortised O(1).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow()
    {
        Array.Resize(ref _nodes, _nodes.Length * 2);
        if (_graph is not null) Array.Resize(ref _graph, _nodes.Length);
    }

    /// <summary>One recorded operation: its parents (-1 when absent) and d(node)/d(parent), computed at forward time.</summary>
    private readonly struct Node
    {
        public readonly int Parent1;
        public readonly int Parent2;
        public readonly double Partial1;
        public readonly double Partial2;

        public Node(int parent1, double partial1, int parent2, double partial2)
        {
            Parent1 = parent1;
            Parent2 = parent2;
            Partial1 = partial1;
            Partial2 = partial2;
        }
    }
}
