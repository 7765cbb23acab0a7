using Differentiator.Generator.Model;
using Differentiator.Generator.Primitives;

namespace Differentiator.Generator.Formulas;

// The formulas stage's own small term language. Unlike the IR it speaks of sums over an index (Σ) and Kronecker
// deltas, which code never computes, and it has n-ary sums and products so simplification can see all terms at
// once. Terms are immutable records with structural equality; every term is built through TermSimplifier (or
// SumRules for Σ), which keeps them in simplified form. No Roslyn type and no IR type appears here.

/// <summary>A symbolic term: what a formula in the doc comment says.</summary>
internal abstract record Term;

/// <summary>A finite number.</summary>
internal sealed record Num(double Value) : Term;

/// <summary>A scalar parameter, an integer local kept by name (<c>n</c>), or a summation index.</summary>
internal sealed record Sym(string Name) : Term;

/// <summary><c>X[i,j]</c>: an element of an array parameter.</summary>
internal sealed record Elem(string Array, EquatableArray<Term> Indices) : Term;

/// <summary><c>y.Length</c> (Dimension -1) or <c>X.GetLength(d)</c>.</summary>
internal sealed record Len(string Array, int Dimension) : Term;

/// <summary>A sum of two or more terms, in source order; a − b is a + (−1)·b.</summary>
internal sealed record Add(EquatableArray<Term> Terms) : Term;

/// <summary>A product of two or more factors; a numeric coefficient, if any, comes first. a/b is a·b⁻¹.</summary>
internal sealed record Mul(EquatableArray<Term> Factors) : Term;

internal sealed record Pow(Term Base, Term Exponent) : Term;

/// <summary>A call of a primitive (Primitives/PrimitiveTable.cs gives its glyph and derivative); <c>(int)x</c> is a call of Truncate.</summary>
internal sealed record Fn(MathFunction Kind, EquatableArray<Term> Args) : Term;

/// <summary>
/// Σ of <see cref="Body"/> for <see cref="Index"/> from <see cref="Lower"/> (inclusive) to <see cref="Upper"/>
/// (exclusive). <see cref="Whole"/> means the range is [0, some length): it is then taken as the index range of
/// the arrays it indexes, which licenses Σₖ δ(k, j)·f(k) = f(j).
/// </summary>
internal sealed record Sigma(string Index, Term Lower, Term Upper, bool Whole, Term Body) : Term;

/// <summary>δ(<see cref="Of"/>, <see cref="Index"/>): 1 where they are equal, else 0 — that is ∂w[Of]/∂w[Index].</summary>
internal sealed record Delta(Term Of, string Index) : Term;

/// <summary><c>Condition ? WhenTrue : WhenFalse</c>.</summary>
internal sealed record Piecewise(Term Condition, Term WhenTrue, Term WhenFalse) : Term;

internal enum RelOp
{
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
    NotEqual,
    And,
    Or,
    /// <summary>Integer division (C# truncates).</summary>
    IntDivide,
    /// <summary>Integer remainder.</summary>
    Modulo,
}

/// <summary>A comparison, a logical connective or an integer-only operation: piecewise constant, derivative zero.</summary>
internal sealed record Rel(RelOp Op, Term Left, Term Right) : Term;

internal sealed record Not(Term Operand) : Term;
