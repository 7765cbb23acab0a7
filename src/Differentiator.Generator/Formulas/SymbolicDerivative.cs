using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Differentiator.Generator.Optimization;

namespace Differentiator.Generator.Formulas;

/// <summary>
/// Forward symbolic differentiation of a closed-form term, with respect to a scalar parameter or to the element
/// <c>w[j]</c> of an array parameter (∂w[e]/∂w[j] = δ(e, j), and Σₖ δ(k, j)·f(k) = f(j)). The local derivative of
/// each Math function comes from the same rule table as the generated code.
/// </summary>
internal sealed class SymbolicDerivative
{
    private readonly ExprFactory _f = new();
    private readonly string _parameter;
    private readonly string? _freeIndex;

    /// <param name="freeIndex">For an array parameter, the index symbol of the component, e.g. <c>j</c>; null for scalars.</param>
    public SymbolicDerivative(string parameter, string? freeIndex)
    {
        _parameter = parameter;
        _freeIndex = freeIndex;
    }

    public Expr Differentiate(Expr term) => Present(Simplify(D(Import(term))));

    /// <summary>The function itself, simplified and presented like its derivatives.</summary>
    public Expr Function(Expr term) => Present(Simplify(Import(term)));

    /// <summary>(c·Σ…)/n reads better as (c/n)·Σ…: the constant factor first, as textbooks write it.</summary>
    private Expr Present(Expr e)
    {
        if (e is Binary { Op: BinaryOp.Divide } d && Factors(d.Left).Any(f => f is Sum))
        {
            var factors = Factors(d.Left);
            var constant = factors.Where(f => f is Const).Aggregate((Expr)_f.Constant(1), (a, f) => _f.Multiply(a, f));
            var rest = factors.Where(f => f is not Const).Aggregate((Expr?)null, (a, f) => a is null ? f : _f.Multiply(a, f))!;
            return _f.Multiply(new Binary(BinaryOp.Divide, constant, d.Right, ScalarType.Double), rest);
        }
        return e;
    }

    private static List<Expr> Factors(Expr e) => e is Binary { Op: BinaryOp.Multiply } m ? Factors(m.Left).Concat(Factors(m.Right)).ToList() : new List<Expr> { e };

    private readonly Dictionary<Expr, Expr> _imported = new(Model.ReferenceEqualityComparer.Instance);

    // Memoized by reference, so a subterm the evaluator substituted twice (r in r·r) stays one object: r·r is a square.
    private Expr Import(Expr e)
    {
        if (_imported.TryGetValue(e, out var done)) return done;
        return _imported[e] = ImportNew(e);
    }

    private Expr ImportNew(Expr e) => e switch
    {
        Sum s => new Sum(s.Index == _freeIndex ? Rename(s, FreshIndex(s)).Index : s.Index, Import(s.Index == _freeIndex ? Rename(s, FreshIndex(s)).Body : s.Body)),
        Binary b => _f.Binary(b.Op, Import(b.Left), Import(b.Right), b.Type),
        Unary { Op: UnaryOp.Negate } u => _f.Negate(Import(u.Operand)),
        MathCall m => _f.Call(m.Function, m.Arguments.Select(Import).ToArray()),
        Conditional c => _f.Conditional(Import(c.Condition), Import(c.WhenTrue), Import(c.WhenFalse), c.Type),
        Convert c => _f.ConvertTo(Import(c.Operand), c.Type),
        _ => _f.Import(e),
    };

    // A bound index that has the free index's name is renamed (Σⱼ inside ∂/∂w[j] becomes Σₖ).
    private static string FreshIndex(Sum s)
    {
        foreach (var candidate in new[] { "k", "l", "m", "p", "q" })
        {
            if (!ExprNames(s.Body).Contains(candidate)) return candidate;
        }
        return s.Index + "2";
    }

    private static Sum Rename(Sum s, string to) => new(to, RenameIn(s.Body, s.Index, to));

    private static Expr RenameIn(Expr e, string from, string to) => e switch
    {
        VarRef v when v.Name == from => v with { Name = to },
        ElementRef el => el with { Indices = el.Indices.Select(i => RenameIn(i, from, to)).ToEquatableArray() },
        Unary u => u with { Operand = RenameIn(u.Operand, from, to) },
        Binary b => b with { Left = RenameIn(b.Left, from, to), Right = RenameIn(b.Right, from, to) },
        Conditional c => c with { Condition = RenameIn(c.Condition, from, to), WhenTrue = RenameIn(c.WhenTrue, from, to), WhenFalse = RenameIn(c.WhenFalse, from, to) },
        MathCall m => m with { Arguments = m.Arguments.Select(a => RenameIn(a, from, to)).ToEquatableArray() },
        Convert c => c with { Operand = RenameIn(c.Operand, from, to) },
        Sum s when s.Index != from => s with { Body = RenameIn(s.Body, from, to) },
        _ => e,
    };

    private static HashSet<string> ExprNames(Expr e)
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        void Walk(Expr x)
        {
            if (x is VarRef v) names.Add(v.Name);
            if (x is Sum s) { names.Add(s.Index); Walk(s.Body); }
            foreach (var c in Analysis.ExprWalker.Children(x)) Walk(c);
        }
        Walk(e);
        return names;
    }

    private Expr D(Expr e)
    {
        switch (e)
        {
            case Const or LengthOf:
                return _f.Constant(0);
            case VarRef v:
                return _freeIndex is null && v.Name == _parameter && v.Type == ScalarType.Double ? _f.Constant(1) : _f.Constant(0);
            case ElementRef el:
                return _freeIndex is not null && el.Array == _parameter ? new Delta(el.Indices[0], _freeIndex) : _f.Constant(0);
            case Convert c:
                return c.Type == ScalarType.Double ? D(c.Operand) : _f.Constant(0);
            case Unary { Op: UnaryOp.Negate } u:
                return _f.Negate(D(u.Operand));
            case Binary { Type: ScalarType.Double } b:
            {
                var da = D(b.Left);
                var db = D(b.Right);
                return b.Op switch
                {
                    BinaryOp.Add => _f.Add(da, db),
                    BinaryOp.Subtract => _f.Subtract(da, db),
                    BinaryOp.Multiply when ReferenceEquals(b.Left, b.Right) => _f.Multiply(_f.Multiply(_f.Constant(2), b.Left), da),
                    BinaryOp.Multiply => _f.Add(_f.Multiply(da, b.Right), _f.Multiply(b.Left, db)),
                    BinaryOp.Divide => _f.Subtract(_f.Divide(da, b.Right), _f.Divide(_f.Multiply(b.Left, db), _f.Multiply(b.Right, b.Right))),
                    _ => _f.Constant(0),
                };
            }
            case Conditional c:
                return _f.Conditional(c.Condition, D(c.WhenTrue), D(c.WhenFalse), c.Type);
            case MathCall m:
            {
                Expr total = _f.Constant(0);
                for (int k = 0; k < m.Arguments.Count; k++)
                    total = _f.Add(total, _f.Multiply(DerivativeRules.Partial(m, k, _f), D(m.Arguments[k])));
                return total;
            }
            case Sum s:
            {
                var body = D(s.Body);
                return ExprFactory.IsZero(body) ? _f.Constant(0) : new Sum(s.Index, body);
            }
            default:
                return _f.Constant(0);
        }
    }

    /// <summary>Σₖ δ(k, j)·f → f[k := j]; constant factors out of sums; products of deltas with other terms stay.</summary>
    private Expr Simplify(Expr e)
    {
        switch (e)
        {
            case Sum s:
            {
                var body = Simplify(s.Body);
                if (ExprFactory.IsZero(body)) return _f.Constant(0);
                if (TakeDelta(body, s.Index) is { } rest) return Simplify(Import(RenameIn(rest, s.Index, _freeIndex!)));
                // Factors that do not involve the index come out front: Σᵢ 2·a·b = 2·Σᵢ a·b, Σᵢ a/n = (Σᵢ a)/n.
                if (body is Binary { Op: BinaryOp.Multiply })
                {
                    var factors = Factors(body);
                    var outside = factors.Where(f => !Involves(f, s.Index)).ToList();
                    if (outside.Count > 0)
                    {
                        var inside = factors.Where(f => Involves(f, s.Index)).Aggregate((Expr)_f.Constant(1), (a, f) => _f.Multiply(a, f));
                        var front = outside.Aggregate((Expr)_f.Constant(1), (a, f) => _f.Multiply(a, f));
                        return _f.Multiply(front, Simplify(new Sum(s.Index, inside)));
                    }
                }
                if (body is Binary { Op: BinaryOp.Divide } d && !Involves(d.Right, s.Index))
                    return _f.Divide(Simplify(new Sum(s.Index, d.Left)), d.Right);
                return new Sum(s.Index, body);
            }
            case Binary b:
                return _f.Binary(b.Op, Simplify(b.Left), Simplify(b.Right), b.Type);
            case Unary { Op: UnaryOp.Negate } u:
                return _f.Negate(Simplify(u.Operand));
            default:
                return e;
        }
    }

    /// <summary>If <paramref name="body"/> is δ(k, j)·f or f·δ(k, j) (k the summation index), f; else null.</summary>
    private static Expr? TakeDelta(Expr body, string index) => body switch
    {
        Delta d when d.Of is VarRef v && v.Name == index => new Const(1, ScalarType.Double),
        Binary { Op: BinaryOp.Multiply, Left: Delta d } m when d.Of is VarRef v && v.Name == index => m.Right,
        Binary { Op: BinaryOp.Multiply, Right: Delta d } m when d.Of is VarRef v && v.Name == index => m.Left,
        Binary { Op: BinaryOp.Multiply } m when TakeDelta(m.Left, index) is { } inner => new Binary(BinaryOp.Multiply, inner, m.Right, ScalarType.Double),
        Binary { Op: BinaryOp.Multiply } m when TakeDelta(m.Right, index) is { } inner => new Binary(BinaryOp.Multiply, m.Left, inner, ScalarType.Double),
        _ => null,
    };

    private static bool Involves(Expr e, string index) => ExprNames(e).Contains(index);
}
