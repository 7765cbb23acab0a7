using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Emission;

/// <summary>
/// The loop headers and the index that visit every element of a parameter or output, by its kind — one spelling for
/// the tape's and the central differences' gradients, which both copy into outputs element by element.
/// </summary>
internal static class ElementLoops
{
    /// <summary>
    /// For <paramref name="array"/> of <paramref name="kind"/>: <c>for</c> headers over counters <paramref name="k"/>
    /// (and <paramref name="k2"/>) and the index to append to a name, e.g. <c>[k, k2]</c>. None and <c>""</c> for a scalar.
    /// </summary>
    public static (string[] Headers, string Index) Of(ParameterKind kind, bool isArray, string array, string k, string k2)
    {
        string For(string counter, string bound) => "for (int " + counter + " = 0; " + counter + " < " + bound + "; " + counter + "++)";
        if (kind == ParameterKind.DoubleArray2D)
            return (new[] { For(k, array + ".GetLength(0)"), For(k2, array + ".GetLength(1)") }, "[" + k + ", " + k2 + "]");
        if (kind == ParameterKind.DoubleJagged)
            return (new[] { For(k, array + ".Length"), For(k2, array + "[" + k + "].Length") }, "[" + k + "][" + k2 + "]");
        if (isArray) return (new[] { For(k, array + ".Length") }, "[" + k + "]");
        return (System.Array.Empty<string>(), "");
    }
}
