using System;
using System.Collections.Generic;
using System.Linq;

namespace Differentiator;

/// <summary>
/// Compares gradients component by component. A component passes when
/// |actual − expected| ≤ absoluteTolerance + relativeTolerance · max(|actual|, |expected|): the absolute part keeps
/// components that should be 0 from failing on rounding noise, the relative part scales with the component. NaN on
/// either side never passes; an infinity passes only against the same infinity.
/// </summary>
/// <example>
/// <code>
/// var report = GradientCheck.Compare(new Gradient { { "w", dwTape } }, new Gradient { { "w", dw } });
/// if (!report.Passed) Console.WriteLine(report);
/// </code>
/// </example>
public static class GradientCheck
{
    /// <summary>Compares <paramref name="actual"/> with <paramref name="expected"/>, component by component.</summary>
    /// <param name="expected">The reference gradient; the report lists components in its order.</param>
    /// <param name="actual">The gradient checked: the same names (in any order) with the same lengths.</param>
    /// <param name="relativeTolerance">Allowed error relative to max(|actual|, |expected|).</param>
    /// <param name="absoluteTolerance">Allowed error regardless of scale (matters for components near 0).</param>
    /// <exception cref="ArgumentException">The names or the lengths differ, two matrices differ in shape, or a tolerance is negative or NaN.</exception>
    public static GradientCheckReport Compare(Gradient expected, Gradient actual, double relativeTolerance = 1e-6, double absoluteTolerance = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if (!(relativeTolerance >= 0)) throw new ArgumentException("The relative tolerance must be a non-negative number.", nameof(relativeTolerance));
        if (!(absoluteTolerance >= 0)) throw new ArgumentException("The absolute tolerance must be a non-negative number.", nameof(absoluteTolerance));
        if (expected.Count != actual.Count || !expected.Names.All(actual.Contains))
            throw new ArgumentException($"The gradients have different components: [{string.Join(", ", expected.Names)}] vs [{string.Join(", ", actual.Names)}].", nameof(actual));

        var components = new List<ComponentError>();
        foreach (string name in expected.Names)
        {
            double[] e = expected.Values(name), a = actual.Values(name);
            if (a.Length != e.Length)
                throw new ArgumentException($"Component '{name}' has {e.Length} values in the expected gradient and {a.Length} in the actual one.", nameof(actual));
            var shape = expected.ShapeOf(name);
            // A matrix compared with a vector of as many values is fine (the same elements, row after row), but two
            // matrices of different shapes are not: the same flat position would be a different element.
            var otherShape = actual.ShapeOf(name);
            if (IsMatrix(shape) && IsMatrix(otherShape) && !shape.Equals(otherShape))
                throw new ArgumentException($"Component '{name}' is {shape} in the expected gradient and {otherShape} in the actual one.", nameof(actual));
            for (int k = 0; k < e.Length; k++)
            {
                // A scalar added with Add(string, double) prints without an index; arrays, even of length one, keep
                // theirs; a matrix's element is named by row and column (W[2,3], or W[2][3] for rows of arrays).
                string component = shape.Name(name, k);
                components.Add(ComponentError.Of(name, component, e[k], a[k], relativeTolerance, absoluteTolerance));
            }
        }
        return new GradientCheckReport(components, relativeTolerance, absoluteTolerance);
    }

    private static bool IsMatrix(ComponentShape shape) => !shape.Equals(ComponentShape.Scalar) && !shape.Equals(ComponentShape.Vector);

    /// <summary>
    /// Checks a generated gradient two ways: against the tape, tightly (the two compute the same expression and differ
    /// only by rounding), and against central differences, loosely (they carry truncation and rounding error). Each
    /// tolerance is used as both the relative and the absolute tolerance, i.e. |a − b| ≲ tolerance · max(1, |a|, |b|).
    /// </summary>
    /// <param name="generated">The gradient under test (from <c>MGradient</c>).</param>
    /// <param name="tape">The reference from the runtime tape (<c>MTapeGradient</c>).</param>
    /// <param name="numerical">The reference from central differences (<c>MNumericalGradient</c>).</param>
    /// <param name="tapeTolerance">Tolerance against the tape.</param>
    /// <param name="numericalTolerance">Tolerance against central differences.</param>
    /// <exception cref="ArgumentException">The three gradients do not have the same components.</exception>
    public static ThreeWayCheck CompareThreeWays(Gradient generated, Gradient tape, Gradient numerical, double tapeTolerance = 1e-10, double numericalTolerance = 1e-6) =>
        new(Compare(tape, generated, tapeTolerance, tapeTolerance), Compare(numerical, generated, numericalTolerance, numericalTolerance));
}

/// <summary>The result of <see cref="GradientCheck.CompareThreeWays"/>.</summary>
/// <param name="VersusTape">Generated compared with the tape.</param>
/// <param name="VersusNumerical">Generated compared with central differences.</param>
public sealed record ThreeWayCheck(GradientCheckReport VersusTape, GradientCheckReport VersusNumerical)
{
    /// <summary>Both comparisons passed.</summary>
    public bool Passed => VersusTape.Passed && VersusNumerical.Passed;

    /// <summary>
    /// One summary line per comparison (<c>generated vs tape: worst relative error … at w[3]  PASS</c>), each followed
    /// by its per-parameter table; invariant culture.
    /// </summary>
    public override string ToString() =>
        "generated vs tape:                " + VersusTape.Summary + "\n" + VersusTape.Table() +
        "generated vs central differences: " + VersusNumerical.Summary + "\n" + VersusNumerical.Table();
}
