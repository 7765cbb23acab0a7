using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Optimization;

namespace Differentiator.Generator.Differentiation;

/// <summary>
/// Reverse mode through one expression: given the adjoint of its value, the contribution to every active variable
/// or array element it reads. Contributions are built from shared (hash-consed) nodes, so a deep expression yields
/// a DAG linear in its size; the emitter names nodes used twice, which is what prevents expression swell.
/// </summary>
internal sealed class ExpressionAdjoint
{
    private readonly ExprFactory _f;
    private readonly ActivityAnalysis _activity;

    public ExpressionAdjoint(ExprFactory factory, ActivityAnalysis activity)
    {
        _f = factory;
        _activity = activity;
    }

    /// <summary>Contributions in first-seen order; a key is a variable (VarRef) or an array element (ElementRef).</summary>
    public List<KeyValuePair<Expr, Expr>> Contributions(Expr value, Expr adjoint)
    {
        var sums = new Dictionary<Expr, Expr>(Model.ReferenceEqualityComparer.Instance);
        var order = new List<Expr>();
        Propagate(value, adjoint, sums, order);
        return order.Select(k => new KeyValuePair<Expr, Expr>(k, sums[k])).ToList();
    }

    /// <summary>The contributions with every occurrence of the <paramref name="call"/> replaced by the variable or element that holds its value.</summary>
    public List<KeyValuePair<Expr, Expr>> WrittenWith(List<KeyValuePair<Expr, Expr>> contributions, Expr call, Expr holder) =>
        contributions.Select(c => new KeyValuePair<Expr, Expr>(c.Key, _f.Import(ExprWalker.Replace(c.Value, x => x.Equals(call) ? holder : null)))).ToList();

    public bool HasActiveReads(Expr e) => ActivityAnalysis.DifferentiableReads(e).Any(_activity.IsActive);

    private void Propagate(Expr e, Expr adjoint, Dictionary<Expr, Expr> sums, List<Expr> order)
    {
        if (ExprFactory.IsZero(adjoint) || !HasActiveReads(e)) return;
        switch (e)
        {
            case VarRef:
            case ElementRef:
                if (sums.TryGetValue(e, out var previous)) sums[e] = _f.Add(previous, adjoint);
                else
                {
                    sums[e] = adjoint;
                    order.Add(e);
                }
                break;
            case Unary { Op: UnaryOp.Negate } u:
                Propagate(u.Operand, _f.Negate(adjoint), sums, order);
                break;
            case Binary b:
                PropagateBinary(b, adjoint, sums, order);
                break;
            case Conditional c:
                Propagate(c.WhenTrue, _f.Conditional(c.Condition, adjoint, _f.Constant(0)), sums, order);
                Propagate(c.WhenFalse, _f.Conditional(c.Condition, _f.Constant(0), adjoint), sums, order);
                break;
            case MathCall m:
                for (int k = 0; k < m.Arguments.Count; k++)
                {
                    if (HasActiveReads(m.Arguments[k]))
                        Propagate(m.Arguments[k], _f.Multiply(DerivativeRules.Partial(m, k, _f), adjoint), sums, order);
                }
                break;
            case Convert c:
                Propagate(c.Operand, adjoint, sums, order);
                break;
            case Const or LengthOf or RowLength or ArrayRef or Unary { Op: UnaryOp.Not }:
                break; // nothing a derivative flows into
            default:
                throw IrWalker.Unknown(e); // never a silently dropped term
        }
    }

    private void PropagateBinary(Binary b, Expr adjoint, Dictionary<Expr, Expr> sums, List<Expr> order)
    {
        switch (b.Op)
        {
            case BinaryOp.Add:
                Propagate(b.Left, adjoint, sums, order);
                Propagate(b.Right, adjoint, sums, order);
                break;
            case BinaryOp.Subtract:
                Propagate(b.Left, adjoint, sums, order);
                Propagate(b.Right, _f.Negate(adjoint), sums, order);
                break;
            case BinaryOp.Multiply:
                Propagate(b.Left, _f.Multiply(b.Right, adjoint), sums, order);
                Propagate(b.Right, _f.Multiply(b.Left, adjoint), sums, order);
                break;
            case BinaryOp.Divide:
                // ∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −a/b², as the tape records them.
                Propagate(b.Left, _f.Divide(adjoint, b.Right), sums, order);
                if (HasActiveReads(b.Right))
                    Propagate(b.Right, _f.Negate(_f.Divide(_f.Multiply(b.Left, adjoint), _f.Multiply(b.Right, b.Right))), sums, order);
                break;
            // Modulo on doubles and comparisons carry no derivative here: comparisons are Bool, and parsing rejects
            // % of a differentiated value.
        }
    }
}
