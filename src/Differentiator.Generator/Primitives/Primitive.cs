using System;
using System.Collections.Generic;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Formulas;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Optimization;

namespace Differentiator.Generator.Primitives;

/// <summary>
/// The functions the subset differentiates. Each member has exactly one row in <see cref="PrimitiveTable"/>, which
/// says everything about it; nothing else in the generator lists them.
/// </summary>
internal enum MathFunction
{
    Exp,
    Log,
    Sqrt,
    Pow,
    Sin,
    Cos,
    Tan,
    Tanh,
    Abs,
    Max,
    Min,
    Sinh,
    Cosh,
    Atan,
    Asin,
    Acos,
    Log10,
    Log2,
    Cbrt,
    Asinh,
    Acosh,
    Sign,
    Clamp,
    FusedMultiplyAdd,
    /// <summary><c>Math.Log(x, newBase)</c>.</summary>
    LogBase,
    Hypot,
    /// <summary><c>(int)x</c> in formulas: truncation toward zero. Never parsed from a call, so it has no tape operation.</summary>
    Truncate,
    Atanh,
}

/// <summary>Which C# type declares a primitive, and so how each dialect spells a call to it.</summary>
internal enum Host
{
    /// <summary><c>Math.X</c> on doubles, <c>MathF.X</c> on floats.</summary>
    Math,
    /// <summary><c>Math.X</c> in both precisions (<c>MathF</c> has no such function; Math has a float overload).</summary>
    MathOnly,
    /// <summary><c>double.X</c> / <c>float.X</c> (generic math: no <c>Math.X</c> exists).</summary>
    Real,
    /// <summary>Not a C# call: used by the formulas only.</summary>
    None,
}

/// <summary>Why a call's derivative can be ∞ or NaN (DIFF104): the reason, or null where the code rules it out.</summary>
internal sealed record Hazard(Func<MathCall, Func<Expr, Sign>, string?> Reason, string Derivative, string Advice);

/// <summary>
/// One row of the primitives table: a function's C# name and arity, its local derivatives for the generated code
/// (as IR, built from the arguments and the call itself) and for the doc-comment formulas (as terms), its formula
/// glyph, whether it has a kink (DIFF102) or a NaN/∞ hazard (DIFF104), and the points at which a test checks the
/// runtime's independent <c>TapeMath</c> against it. Its value is the .NET function it names.
/// </summary>
internal sealed class Primitive
{
    public Primitive(MathFunction function, int arity, string? name = null)
    {
        Function = function;
        Arity = arity;
        Name = name ?? function.ToString();
        Glyph = Name.ToLowerInvariant();
    }

    public MathFunction Function { get; }

    /// <summary>The C# method name: <c>Math.{Name}</c>, <c>MathF.{Name}</c>, <c>double.{Name}</c>, <c>TapeMath.{Name}</c>.</summary>
    public string Name { get; }

    public int Arity { get; }

    public Host Host { get; init; } = Host.Math;

    /// <summary>Int for <c>Math.Sign</c>, which returns an int; else Double.</summary>
    public ScalarType ResultType { get; init; } = ScalarType.Double;

    /// <summary>∂f/∂arg_k as an IR expression over the arguments and the call; null: zero everywhere (piecewise constant).</summary>
    public Func<MathCall, int, ExprFactory, Expr>? Partial { get; init; }

    /// <summary>Whether <see cref="Partial"/> uses the call's own value (eˣ for exp), so the gradient keeps it in a local.</summary>
    public bool PartialUsesResult { get; init; }

    /// <summary>Cheaper to recompute in the reverse sweep than a save and a load (Abs, Max, Sqrt…).</summary>
    public bool Cheap { get; init; }

    /// <summary>The formula's name of the function: <c>ln</c>, <c>√</c>, <c>log₁₀</c>.</summary>
    public string Glyph { get; init; }

    /// <summary>The call as a formula term, when it is not a plain call of <see cref="Glyph"/> (xʸ is a power, ln x/ln b a quotient).</summary>
    public Func<IReadOnlyList<Term>, Term>? Term { get; init; }

    /// <summary>The derivative of the formula call <c>f</c> given its arguments' derivatives; null: zero.</summary>
    public Func<Fn, IReadOnlyList<Term>, Term>? Formula { get; init; }

    /// <summary>The gradient's convention where the function is not differentiable (DIFF102's text); null: smooth.</summary>
    public string? Kink { get; init; }

    /// <summary>The sign of the call's value, given a way to find its arguments' signs; null: unknown.</summary>
    public Func<MathCall, Func<Expr, Sign>, Sign>? SignOf { get; init; }

    public Hazard? Hazard { get; init; }

    /// <summary>Arguments inside the domain where the runtime test compares the tape's value and derivatives with this row.</summary>
    public double[][] Samples { get; init; } = Array.Empty<double[]>();

    /// <summary>How the user writes it (<c>Math.Log</c>, <c>double.Hypot</c>), for messages.</summary>
    public string Display => (Host == Host.Real ? "double." : "Math.") + Name;
}
