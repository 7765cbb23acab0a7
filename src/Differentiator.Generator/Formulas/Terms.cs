using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Formulas;

// Math-only nodes: the formulas in doc comments speak of sums and Kronecker deltas, which code never computes.

/// <summary>Σ over <see cref="Index"/> (the loop's range) of <see cref="Body"/>.</summary>
internal sealed record Sum(string Index, Expr Body) : Expr(ScalarType.Double);

/// <summary>δ(<see cref="Of"/>, <see cref="Index"/>): 1 where the two indices are equal, else 0 — ∂w[e]/∂w[j].</summary>
internal sealed record Delta(Expr Of, string Index) : Expr(ScalarType.Double);
