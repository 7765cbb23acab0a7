using Differentiator.Generator.Ir;
using Differentiator.Generator.Primitives;

namespace Differentiator.Generator.Model;

/// <summary>Which code an expression is printed for: doubles, floats (a method that returns float), or the runtime tape's <c>Value</c>.</summary>
internal enum Dialect
{
    Double,
    Tape,
    Single,
}

/// <summary>
/// The one place that spells a precision: its type keyword, its <c>Math</c> class, its literal suffix, the cast that
/// narrows a double into it, and the tape's types. The parser recognizes, and the emitters write, what this says.
/// </summary>
internal static class Dialects
{
    /// <summary>The runtime tape's number type.</summary>
    public const string ValueType = "global::Differentiator.Value";

    /// <summary>The runtime tape's functions on <see cref="ValueType"/>, one per primitive, with the primitive's name.</summary>
    public const string TapeMath = "global::Differentiator.TapeMath";

    /// <summary>The float dialect's literal suffix: <c>0.5f</c>.</summary>
    public const string SingleSuffix = "f";

    public static Dialect Of(Precision precision) => precision == Precision.Single ? Dialect.Single : Dialect.Double;

    /// <summary>The keyword of plain real numbers: <c>float</c> in the float dialect, else <c>double</c> (the tape's constants and casts are doubles).</summary>
    public static string Real(Dialect dialect) => dialect == Dialect.Single ? "float" : "double";

    public static string Real(Precision precision) => Real(Of(precision));

    /// <summary>The type of a real-valued local: the tape's <c>Value</c> on the tape, else <see cref="Real(Dialect)"/>.</summary>
    public static string Local(Dialect dialect) => dialect == Dialect.Tape ? ValueType : Real(dialect);

    /// <summary><c>Math</c>, or <c>MathF</c> for floats: the class of a precision's functions.</summary>
    public static string MathClass(Dialect dialect) => dialect == Dialect.Single ? "MathF" : "Math";

    /// <summary>The full names of the classes whose functions the parser looks up in the primitives table.</summary>
    public static bool IsMathClass(string? fullName) => fullName == "System." + MathClass(Dialect.Double) || fullName == "System." + MathClass(Dialect.Single);

    /// <summary>The cast that brings a double (the tape's, a central difference, a saved value) into the dialect's precision.</summary>
    public static string Narrow(Dialect dialect) => dialect == Dialect.Single ? "(" + Real(dialect) + ")" : "";

    public static string Narrow(Precision precision) => Narrow(Of(precision));

    /// <summary>Where a primitive's function is called from, with the dot: <c>global::System.MathF.</c>, <c>double.</c>, the tape's <c>TapeMath</c>.</summary>
    public static string Host(Host host, Dialect dialect) => (host, dialect) switch
    {
        (_, Dialect.Tape) => TapeMath + ".",
        (Primitives.Host.Real, _) => Real(dialect) + ".",
        (Primitives.Host.Math, _) => "global::System." + MathClass(dialect) + ".",
        _ => "global::System." + MathClass(Dialect.Double) + ".",
    };
}
