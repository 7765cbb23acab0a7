using Differentiator.Generator.Ir;
using Differentiator.Generator.Optimization;
using Differentiator.Generator.Primitives;

namespace Differentiator.Generator.Differentiation;

/// <summary>
/// Local derivatives ∂f/∂argₖ of a primitive call, as expressions over the arguments and the call itself, read from
/// the one table of primitives (<see cref="PrimitiveTable"/>). The runtime tape implements the same table
/// independently (docs/semantics.md lists it), and a test checks the two against each other.
/// </summary>
internal static class DerivativeRules
{
    public static Expr Partial(MathCall call, int k, ExprFactory f) =>
        PrimitiveTable.Of(call.Function).Partial is { } rule ? rule(call, k, f) : f.Constant(0); // piecewise constant: Sign
}
