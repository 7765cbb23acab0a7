using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Differentiator.Generator.Primitives;

namespace Differentiator.Generator.Formulas;

/// <summary>
/// The derivative the generator built, as a Graphviz digraph: one node per distinct subterm of the function and
/// of its partial derivatives (terms are structurally equal records, so a subterm shared by several formulas — the
/// residual of MSE in every ∂/∂w[j] — is drawn once), edges from operands to the operation that uses them (numbered where order matters: base 1 and exponent 2), and a
/// box per result. Leaves (numbers, parameters, array elements, lengths) are ellipses; operations are circles.
/// </summary>
internal static class TermGraph
{
    public static string Dot(string method, FormulaTerms? terms)
    {
        var dot = new StringBuilder();
        dot.Append("digraph ").Append(Quote(method + "Gradient")).Append(" {\n");
        dot.Append("  rankdir=LR;\n  node [fontname=\"DejaVu Sans\"];\n  edge [fontname=\"DejaVu Sans\"];\n");
        if (terms is null)
        {
            // Not every method has a closed form (values overwritten across iterations, branches, calls): say so
            // rather than draw something that is not what the generated code computes.
            dot.Append("  note [shape=note, label=").Append(Quote("No closed-form derivative: " + method
                + " overwrites values across loop iterations, branches or calls.\nRead the reverse sweep in the generated " + method + "Gradient instead.")).Append("];\n}\n");
            return dot.ToString();
        }

        // Records compare structurally, but hashing a record walks its whole subtree: a node's identity is instead its
        // label and its operands' ids, and a term object already seen is looked up by reference.
        var byReference = new Dictionary<object, string>(Model.ReferenceEqualityComparer.Instance);
        var byShape = new Dictionary<string, string>(System.StringComparer.Ordinal);
        string Node(Term t)
        {
            if (byReference.TryGetValue(t, out var id)) return id;
            var childIds = new List<string>();
            foreach (var c in Operands(t)) childIds.Add(Node(c));
            string label = Label(t);
            string shape = label + "\u0001" + string.Join(",", childIds);
            if (!byShape.TryGetValue(shape, out id))
            {
                id = "n" + byShape.Count.ToString(CultureInfo.InvariantCulture);
                byShape.Add(shape, id);
                bool leaf = childIds.Count == 0;
                dot.Append("  ").Append(id).Append(" [label=").Append(Quote(label)).Append(leaf ? ", shape=ellipse" : ", shape=circle").Append("];\n");
                for (int k = 0; k < childIds.Count; k++)
                {
                    // Operand order matters for a power and a comparison: name the edges there.
                    string edge = t is Pow or Rel ? " [label=" + (k == 0 ? "\"1\"" : "\"2\"") + "]" : "";
                    dot.Append("  ").Append(childIds[k]).Append(" -> ").Append(id).Append(edge).Append(";\n");
                }
            }
            byReference[t] = id;
            return id;
        }

        Result("f", method, terms.Function);
        for (int k = 0; k < terms.Partials.Count; k++)
        {
            var p = terms.Partials[k];
            string wrt = p.Parameter.IsArray ? p.Parameter.Name + "[" + string.Join(",", p.FreeIndices) + "]" : p.Parameter.Name;
            Result("d" + k.ToString(CultureInfo.InvariantCulture), "∂" + method + "/∂" + wrt, p.Derivative);
        }
        dot.Append("}\n");
        return dot.ToString();

        void Result(string id, string label, Term term)
        {
            string top = Node(term);
            dot.Append("  ").Append(id).Append(" [label=").Append(Quote(label)).Append(", shape=box, style=bold];\n");
            dot.Append("  ").Append(top).Append(" -> ").Append(id).Append(";\n");
        }
    }

    /// <summary>Elements, lengths and deltas are drawn as one leaf each; a Σ's bounds are part of its label.</summary>
    private static IEnumerable<Term> Operands(Term t) => t switch
    {
        Elem or Len or Delta or Num or Sym => System.Array.Empty<Term>(),
        Sigma s => new[] { s.Body },
        Pow { Exponent: Num } p => new[] { p.Base },
        _ => TermWalk.Children(t),
    };

    /// <summary>An operation shows its operator only (its operands are its in-edges); a leaf shows its text.</summary>
    private static string Label(Term t) => t switch
    {
        Add => "+",
        Mul => "×",
        Pow { Exponent: Num k } => "^" + TermPrinter.PrintPlain(k),
        Pow => "^",
        Fn f => PrimitiveTable.Of(f.Kind).Glyph,
        Sigma s => "Σ " + s.Index + (s.Whole ? "" : " ∈ [" + TermPrinter.PrintPlain(s.Lower) + ", " + TermPrinter.PrintPlain(s.Upper) + ")"),
        Piecewise => "?:",
        Rel { Op: RelOp.IntDivide } => "÷",
        Rel r => TermPrinter.Symbol(r.Op),
        Not => "¬",
        _ => TermPrinter.PrintPlain(t),
    };

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";
}
