using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Ir;

/// <summary>How a parameter is passed; decides its adjoint output (<c>Span&lt;double&gt;</c> or <c>out double</c>).</summary>
internal enum ParameterKind
{
    Double,
    Int,
    DoubleArray,
    DoubleSpan,
    ReadOnlyDoubleSpan,
    DoubleArray2D,
    /// <summary><c>double[][]</c>: data only, like <see cref="DoubleArray2D"/>.</summary>
    DoubleJagged,
    /// <summary><c>int[]</c>: data (labels, indices), read and never differentiated.</summary>
    IntArray,
    /// <summary><c>Span&lt;int&gt;</c>: data, read only.</summary>
    IntSpan,
    /// <summary><c>ReadOnlySpan&lt;int&gt;</c>: data.</summary>
    ReadOnlyIntSpan,
    /// <summary><c>int[,]</c>: a table of data (indices, counts).</summary>
    IntArray2D,
    /// <summary>
    /// The output <c>Span&lt;double&gt; r</c> of a vector-valued method (a <c>void</c> method whose last parameter it is):
    /// neither data nor differentiated; the body writes its elements (docs/jacobians-and-hessians.md).
    /// </summary>
    Output,
}

internal sealed record Parameter(string Name, ParameterKind Kind, bool Differentiated)
{
    public bool IsArray => Kind is ParameterKind.DoubleArray or ParameterKind.DoubleSpan or ParameterKind.ReadOnlyDoubleSpan or ParameterKind.DoubleArray2D or ParameterKind.DoubleJagged or ParameterKind.Output
        || IsIntArray;

    /// <summary>An array or span of ints: data that indexes, counts or labels; never differentiated, never written.</summary>
    public bool IsIntArray => IsIntArrayKind(Kind);

    public static bool IsIntArrayKind(ParameterKind kind) => kind is ParameterKind.IntArray or ParameterKind.IntSpan or ParameterKind.ReadOnlyIntSpan or ParameterKind.IntArray2D;

    public ScalarType ScalarType => Kind == ParameterKind.Int ? ScalarType.Int : ScalarType.Double;

    /// <summary>The type of the parameter's elements (for an array) or of the parameter itself.</summary>
    public ScalarType ElementType => IsIntArray ? ScalarType.Int : ScalarType;

    /// <summary>How many indices an element takes: 2 for matrices and jagged arrays, else 1.</summary>
    public int Rank => Kind is ParameterKind.DoubleArray2D or ParameterKind.DoubleJagged or ParameterKind.IntArray2D ? 2 : 1;
}

/// <summary>
/// A local variable of the body. Parsing gives every local a unique name (shadowed sibling names get suffixes).
/// <see cref="IsArray"/>: a scratch array of doubles (<c>new double[n]</c> or <c>stackalloc double[n]</c>), allocated
/// by an <see cref="AllocateArray"/> at the top level of the body.
/// </summary>
internal sealed record LocalVariable(string Name, ScalarType Type, bool IsArray = false);

/// <summary>What a caller needs to know of a called <c>[Differentiable]</c> method to call its gradient.</summary>
/// <param name="ContainingType">The fully qualified type, <c>global::</c>-prefixed, or empty when it is the caller's own type.</param>
/// <param name="CustomVjp">
/// For a method with a custom derivative (<c>[DerivativeOf(nameof(F))] static void FVjp(…)</c>), the name of that
/// vector-Jacobian product, in the same type: <c>FVjp(F's arguments, resultBar, F's gradient outputs)</c>, called with
/// resultBar 1 in place of <c>FGradient</c> (its outputs are the same). Null for a <c>[Differentiable]</c> callee.
/// The tape calls <c>F__Tape</c> either way (generated from FVjp for a custom derivative).
/// </param>
internal sealed record CalleeInfo(string ContainingType, string Name, EquatableArray<Parameter> Parameters, string? CustomVjp = null)
{
    /// <summary>The positions of the parameters the callee differentiates, in declaration order (its gradient's outputs, its tangents).</summary>
    public List<int> DifferentiatedIndices() =>
        Parameters.Select((p, k) => (p, k)).Where(x => x.p.Differentiated).Select(x => x.k).ToList();
}

/// <summary>
/// The floating-point type a method computes in: its return type's. Every real value of the IR (<see cref="ScalarType.Double"/>)
/// has this type, so one method never mixes the two, and its gradient rounds exactly where the method does.
/// </summary>
internal enum Precision
{
    Double,
    Single,
}

/// <summary>The body of a <c>[Differentiable]</c> method in IR form, with its parameters and locals.</summary>
internal sealed record MethodIr(string Name, EquatableArray<Parameter> Parameters, EquatableArray<LocalVariable> Locals, Block Body, Precision Precision = Precision.Double)
{
    /// <summary>
    /// The output span of a vector-valued method (its last parameter, of kind <see cref="ParameterKind.Output"/>); null for
    /// a method that returns its value. A vector-valued method gets a Jacobian and a VJP instead of a gradient.
    /// </summary>
    public Parameter? Output => Parameters.Count > 0 && Parameters[Parameters.Count - 1].Kind == ParameterKind.Output ? Parameters[Parameters.Count - 1] : null;
}
