using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Differentiation.VectorValued;

/// <summary>
/// Turns a vector-valued method into the scalar one whose gradient is its vector-Jacobian product, so the reverse
/// pipeline needs to know nothing about outputs: the output span <c>r</c> becomes an active local array whose storage
/// is the caller's <c>r</c> (<see cref="AllocateArray.External"/>), and after the body the result is the weighted sum
/// <c>result = Σ rBar[k]·r[k]</c>, <c>rBar</c> a data parameter. Its gradient is rBarᵀ·J, and its forward sweep writes
/// <c>r</c> as the method does.
/// <para>
/// On the lowered method: its early returns are flags that guard the rest of the body, so the sum appended at the end
/// runs on every path. The lowering's <c>result = 0</c> at a <c>return;</c> is dead (the sum starts from 0 again).
/// </para>
/// </summary>
internal static class VjpTransform
{
    /// <summary>The scalar method, and the name of its weights parameter (<c>rBar</c>, unless the method uses that name).</summary>
    public static (LoweredMethod Scalar, string Weights) Apply(LoweredMethod vector)
    {
        var method = vector.Method;
        var output = method.Output ?? throw new System.ArgumentException("Not a vector-valued method: " + method.Name);
        var names = new NameAllocator(method.Parameters.Select(p => p.Name).Concat(method.Locals.Select(l => l.Name))
            .Concat(StatementWalker.Flatten(method.Body).OfType<For>().Select(f => f.Counter)));
        string weights = names.Allocate(output.Name + "Bar");
        string k = names.Allocate("k");

        var r = output.Name;
        string source = vector.Result + " = Σ " + weights + "[" + k + "]·" + r + "[" + k + "] (the vector-Jacobian product's weights)";
        var storage = new AllocateArray(r, new LengthOf(weights, -1), OnStack: false) { External = true, Source = r + ": the caller's output span" };
        var sum = new Binary(BinaryOp.Add, new VarRef(vector.Result, ScalarType.Double),
            new Binary(BinaryOp.Multiply, new ElementRef(weights, EquatableArray.Of<Expr>(new VarRef(k, ScalarType.Int))),
                new ElementRef(r, EquatableArray.Of<Expr>(new VarRef(k, ScalarType.Int))), ScalarType.Double), ScalarType.Double);
        var weighted = new For(k, new Const(0, ScalarType.Int), BinaryOp.Less, new LengthOf(weights, -1), 1,
            new Block(EquatableArray.Of<Stmt>(new Assign(vector.Result, sum) { Source = source })), null) { Source = source };
        // r's length is rBar's (checked on entry): read from rBar, so that a loop's bound does not make the reverse
        // sweep read r, and r's elements are saved and restored only where the derivative needs their values.
        var lengthFromWeights = IrRewriter.RewriteExpressions(method.Body, e => IrRewriter.TopDown(e, x => x is LengthOf { Array: var a, Dimension: -1 } && a == r ? new LengthOf(weights, -1) : null));
        var body = new Stmt[] { storage }
            .Concat(lengthFromWeights.Statements)
            .Append(new Assign(vector.Result, new Const(0, ScalarType.Double)) { Source = source })
            .Append(weighted)
            .ToEquatableArray();

        var parameters = method.Parameters.Where(p => p.Kind != ParameterKind.Output)
            .Append(new Parameter(weights, ParameterKind.ReadOnlyDoubleSpan, Differentiated: false))
            .ToEquatableArray();
        var locals = method.Locals.Append(new LocalVariable(r, ScalarType.Double, IsArray: true)).ToEquatableArray();
        var scalar = method with { Parameters = parameters, Locals = locals, Body = new Block(body) };
        return (vector with { Method = scalar }, weights);
    }
}
