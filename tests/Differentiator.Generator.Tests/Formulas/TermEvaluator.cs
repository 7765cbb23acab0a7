using System;
using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Formulas;
using Differentiator.Generator.Primitives;

namespace Differentiator.Generator.Tests.Formulas;

/// <summary>Evaluates a formula term numerically, with C#'s meaning for each node, so tests can check formulas against the code.</summary>
internal sealed class TermEvaluator
{
    private readonly Dictionary<string, double> _scalars;
    private readonly Dictionary<string, (double[] Data, int[] Shape)> _arrays;

    public TermEvaluator(Dictionary<string, double> scalars, Dictionary<string, (double[] Data, int[] Shape)> arrays)
    {
        _scalars = new Dictionary<string, double>(scalars);
        _arrays = arrays;
    }

    public double this[string name]
    {
        set => _scalars[name] = value;
    }

    public double Eval(Term t)
    {
        switch (t)
        {
            case Num n: return n.Value;
            case Sym s: return _scalars[s.Name];
            case Elem e:
            {
                var (data, shape) = _arrays[e.Array];
                int offset = 0;
                for (int k = 0; k < e.Indices.Count; k++)
                {
                    int index = (int)Eval(e.Indices[k]);
                    if (k >= shape.Length || index < 0 || index >= shape[k]) throw new IndexOutOfRangeException(); // as C# does
                    offset = offset * shape[k] + index;
                }
                return data[offset];
            }
            case Len l: return l.Dimension < 0 ? _arrays[l.Array].Data.Length : _arrays[l.Array].Shape[l.Dimension];
            case Add a: return a.Terms.Sum(Eval);
            case Mul m: return m.Factors.Aggregate(1.0, (p, f) => p * Eval(f));
            case Pow p: return Math.Pow(Eval(p.Base), Eval(p.Exponent));
            case Fn f: return Call(f.Kind, f.Args.Select(Eval).ToArray());
            case Sigma s:
            {
                double total = 0;
                bool had = _scalars.TryGetValue(s.Index, out var outer);
                for (int k = (int)Eval(s.Lower), end = (int)Eval(s.Upper); k < end; k++)
                {
                    _scalars[s.Index] = k;
                    total += Eval(s.Body);
                }
                if (had) _scalars[s.Index] = outer;
                else _scalars.Remove(s.Index);
                return total;
            }
            case Delta d: return (int)Eval(d.Of) == (int)_scalars[d.Index] ? 1 : 0; // indices convert as element reads do
            case Piecewise c: return Eval(c.Condition) != 0 ? Eval(c.WhenTrue) : Eval(c.WhenFalse);
            case Not n: return Eval(n.Operand) == 0 ? 1 : 0;
            case Rel r:
            {
                double a = Eval(r.Left), b = Eval(r.Right);
                return r.Op switch
                {
                    RelOp.Less => a < b ? 1 : 0,
                    RelOp.LessOrEqual => a <= b ? 1 : 0,
                    RelOp.Greater => a > b ? 1 : 0,
                    RelOp.GreaterOrEqual => a >= b ? 1 : 0,
                    RelOp.Equal => a == b ? 1 : 0,
                    RelOp.NotEqual => a != b ? 1 : 0,
                    RelOp.And => a != 0 && b != 0 ? 1 : 0,
                    RelOp.Or => a != 0 || b != 0 ? 1 : 0,
                    RelOp.IntDivide => Math.Truncate(a / b),
                    _ => a % b,
                };
            }
            default: throw new NotSupportedException(t.GetType().Name);
        }
    }

    private static double Call(MathFunction kind, double[] a) => Infrastructure.PrimitiveValues.Evaluate(kind, a);
}
