using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Differentiator;

// Drawing the tape: micrograd's draw_dot for this tape. Kept apart from Tape.cs so that the hot path reads alone.
public sealed partial class Tape
{
    private GraphNode[]? _graph;
    private Dictionary<int, string>? _names;

    /// <summary>Names a recorded value for <see cref="ToDot"/> (a loss, a hidden unit); constants cannot be named.</summary>
    /// <exception cref="InvalidOperationException">The value is a constant or belongs to another tape.</exception>
    public void Label(Value value, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (value.Tape is null) throw new InvalidOperationException("A constant is not recorded, so it cannot be named.");
        if (!ReferenceEquals(value.Tape, this)) throw new InvalidOperationException("The value belongs to another tape.");
        (_names ??= new Dictionary<int, string>())[value.Index] = name;
    }

    /// <summary>
    /// The graph that computed <paramref name="output"/>, in Graphviz DOT: a box per recorded value showing its name
    /// (if given), its value and its gradient from the last <see cref="Backward"/> (“n/a” before one), an ellipse per
    /// operation, a dashed box per constant operand, and on each edge into an operation the local partial derivative
    /// that <see cref="Backward"/> multiplies by. Only the values <paramref name="output"/> depends on are drawn.
    /// Render with <c>dot -Tsvg graph.dot -o graph.svg</c>; more than a few hundred nodes make an unreadable picture.
    /// </summary>
    /// <param name="output">The value whose history to draw.</param>
    /// <param name="graphName">The DOT graph's name (letters, digits and underscores).</param>
    /// <exception cref="InvalidOperationException">The tape was not created with <c>new Tape(recordGraph: true)</c>, or the output belongs to another tape.</exception>
    public string ToDot(Value output, string graphName = "tape")
    {
        if (_graph is null) throw new InvalidOperationException("This tape does not record its graph: create it with new Tape(recordGraph: true).");
        if (output.Tape is not null && !ReferenceEquals(output.Tape, this)) throw new InvalidOperationException("The output belongs to another tape.");
        var dot = new StringBuilder();
        dot.Append("digraph ").Append(graphName).AppendLine(" {");
        dot.AppendLine("  rankdir=LR;");
        dot.AppendLine("  node [fontname=\"DejaVu Sans\", fontsize=11];");
        dot.AppendLine("  edge [fontname=\"DejaVu Sans\", fontsize=9, color=\"#555555\"];");
        if (output.Tape is null)
        {
            dot.Append("  c [shape=box, style=dashed, label=\"constant ").Append(Number(output.Data)).AppendLine("\"];");
            return dot.AppendLine("}").ToString();
        }
        var needed = Ancestors(output.Index);
        for (int i = 0; i <= output.Index; i++)
        {
            if (!needed[i]) continue;
            AppendNode(dot, i);
        }
        return dot.AppendLine("}").ToString();
    }

    private bool[] Ancestors(int outputIndex)
    {
        // Parents always precede their children, so one backward pass marks every ancestor.
        var needed = new bool[outputIndex + 1];
        needed[outputIndex] = true;
        for (int i = outputIndex; i >= 0; i--)
        {
            if (!needed[i]) continue;
            if (_nodes[i].Parent1 >= 0) needed[_nodes[i].Parent1] = true;
            if (_nodes[i].Parent2 >= 0) needed[_nodes[i].Parent2] = true;
        }
        return needed;
    }

    private void AppendNode(StringBuilder dot, int i)
    {
        ref readonly Node node = ref _nodes[i];
        GraphNode info = _graph![i];
        string name = _names is not null && _names.TryGetValue(i, out var n) ? Escape(n) + " | " : "";
        string grad = i < _gradCount ? Number(_grad[i]) : "n/a";
        dot.Append("  v").Append(i).Append(" [shape=record, label=\"{ ").Append(name)
           .Append("data ").Append(Number(info.Data)).Append(" | grad ").Append(grad).AppendLine(" }\"];");
        if (info.Operation == TapeOperation.Variable) return;
        dot.Append("  op").Append(i).Append(" [shape=ellipse, label=\"").Append(Symbol(info.Operation)).AppendLine("\"];");
        dot.Append("  op").Append(i).Append(" -> v").Append(i).AppendLine(";");
        if (info.ConstantSide == ConstantOperand.Left) AppendConstant(dot, i, info.Constant);
        if (node.Parent1 >= 0) AppendEdge(dot, node.Parent1, i, node.Partial1);
        if (node.Parent2 >= 0) AppendEdge(dot, node.Parent2, i, node.Partial2);
        if (info.ConstantSide == ConstantOperand.Right) AppendConstant(dot, i, info.Constant);
    }

    private static void AppendEdge(StringBuilder dot, int parent, int child, double partial) =>
        dot.Append("  v").Append(parent).Append(" -> op").Append(child).Append(" [label=\"∂ ").Append(Number(partial)).AppendLine("\"];");

    private static void AppendConstant(StringBuilder dot, int child, double constant)
    {
        dot.Append("  c").Append(child).Append(" [shape=box, style=dashed, label=\"").Append(Number(constant)).AppendLine("\"];");
        dot.Append("  c").Append(child).Append(" -> op").Append(child).AppendLine(" [style=dashed];");
    }

    private static string Number(double x) => x.ToString("G5", CultureInfo.InvariantCulture);

    // Record labels give { } | < > and quotes a meaning; a backslash escapes them.
    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c is '{' or '}' or '|' or '<' or '>' or '"' or '\\' or ' ') escaped.Append('\\');
            escaped.Append(c);
        }
        return escaped.ToString();
    }

    private static string Symbol(TapeOperation operation) => operation switch
    {
        TapeOperation.Add => "+",
        TapeOperation.Subtract => "-",
        TapeOperation.Multiply => "*",
        TapeOperation.Divide => "/",
        TapeOperation.Negate => "neg",
        _ => operation.ToString().ToLowerInvariant(),
    };

    /// <summary>What a graph-recording tape keeps per node besides what Backward needs.</summary>
    private readonly struct GraphNode
    {
        public readonly double Data;
        public readonly double Constant;
        public readonly TapeOperation Operation;
        public readonly ConstantOperand ConstantSide;

        public GraphNode(TapeOperation operation, double data, ConstantOperand constantSide, double constant)
        {
            Operation = operation;
            Data = data;
            ConstantSide = constantSide;
            Constant = constant;
        }
    }
}
