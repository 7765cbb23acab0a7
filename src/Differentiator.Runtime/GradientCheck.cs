using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Differentiator;

/// <summary>
/// Compares gradients component by component. A component passes when
/// |actual − expected| ≤ absoluteTolerance + relativeTolerance · max(|actual|, |expected|); NaN never passes.
/// The report gives the worst absolute and relative errors, overall and per parameter.
/// </summary>
/// <example>
/// <code>
/// var report = GradientCheck.Compare(new Gradient { { "w", dwTape } }, new Gradient { { "w", dw } });
/// if (!report.Passed) Console.WriteLine(report);
/// </code>
/// </example>
public static class GradientCheck
{
    /// <summary>Compares <paramref name="actual"/> with <paramref name="expected"/>; names and lengths must match.</summary>
    public static GradientCheckReport Compare(Gradient expected, Gradient actual, double relativeTolerance = 1e-6, double absoluteTolerance = 1e-8)
    {
        if (!expected.Names.SequenceEqual(actual.Names))
            throw new ArgumentException($"The gradients have different components: [{string.Join(", ", expected.Names)}] vs [{string.Join(", ", actual.Names)}].", nameof(actual));
        var components = new List<ComponentError>();
        foreach (var part in expected)
        {
            var other = actual[part.Key];
            if (other.Length != part.Value.Length)
                throw new ArgumentException($"Component '{part.Key}' has {part.Value.Length} values in the expected gradient and {other.Length} in the actual one.", nameof(actual));
            for (int k = 0; k < other.Length; k++)
            {
                string name = part.Value.Length == 1 && IsScalar(expected, part.Key) ? part.Key : part.Key + "[" + k.ToString(CultureInfo.InvariantCulture) + "]";
                components.Add(ComponentError.Of(part.Key, name, part.Value[k], other[k], relativeTolerance, absoluteTolerance));
            }
        }
        return new GradientCheckReport(components, relativeTolerance, absoluteTolerance);
    }

    /// <summary>Generated vs tape (tight: the two differ only by rounding) and generated vs central differences (loose: truncation error).</summary>
    public static ThreeWayCheck CompareThreeWays(Gradient generated, Gradient tape, Gradient numerical, double tapeTolerance = 1e-10, double numericalTolerance = 1e-6) =>
        new(Compare(tape, generated, tapeTolerance, tapeTolerance), Compare(numerical, generated, numericalTolerance, numericalTolerance));

    // A scalar added with Add(string, double) prints without an index; arrays of length one keep theirs.
    private static bool IsScalar(Gradient g, string name) => g.IsScalar(name);
}

/// <summary>One component's comparison.</summary>
/// <param name="Parameter">The gradient component (parameter) name.</param>
/// <param name="Component">The component with its index, e.g. <c>w[3]</c>.</param>
/// <param name="Expected">The reference value.</param>
/// <param name="Actual">The value checked.</param>
/// <param name="AbsoluteError">|actual − expected|.</param>
/// <param name="RelativeError">|actual − expected| / max(|actual|, |expected|), 0 when both are 0.</param>
/// <param name="Passed">Whether the component is within tolerance.</param>
public sealed record ComponentError(string Parameter, string Component, double Expected, double Actual, double AbsoluteError, double RelativeError, bool Passed)
{
    internal static ComponentError Of(string parameter, string component, double expected, double actual, double relativeTolerance, double absoluteTolerance)
    {
        double absolute = Math.Abs(actual - expected);
        double scale = Math.Max(Math.Abs(actual), Math.Abs(expected));
        double relative = scale == 0 ? absolute : absolute / scale;
        if (double.IsNaN(actual) || double.IsNaN(expected)) absolute = relative = double.NaN;
        if (actual.Equals(expected)) absolute = relative = 0; // equal infinities
        bool passed = !double.IsNaN(absolute) && absolute <= absoluteTolerance + relativeTolerance * scale;
        return new ComponentError(parameter, component, expected, actual, absolute, relative, passed);
    }
}

/// <summary>The result of <see cref="GradientCheck.Compare"/>.</summary>
public sealed class GradientCheckReport
{
    internal GradientCheckReport(IReadOnlyList<ComponentError> components, double relativeTolerance, double absoluteTolerance)
    {
        Components = components;
        RelativeTolerance = relativeTolerance;
        AbsoluteTolerance = absoluteTolerance;
        var worst = components.OrderByDescending(c => double.IsNaN(c.RelativeError) ? double.PositiveInfinity : c.RelativeError).FirstOrDefault();
        WorstComponent = worst?.Component ?? "";
        WorstRelativeError = worst?.RelativeError ?? 0;
        WorstAbsoluteError = components.Count == 0 ? 0 : components.Max(c => double.IsNaN(c.AbsoluteError) ? double.PositiveInfinity : c.AbsoluteError);
    }

    /// <summary>Every component's comparison, in order.</summary>
    public IReadOnlyList<ComponentError> Components { get; }

    /// <summary>The relative tolerance used.</summary>
    public double RelativeTolerance { get; }

    /// <summary>The absolute tolerance used.</summary>
    public double AbsoluteTolerance { get; }

    /// <summary>True when every component is within tolerance.</summary>
    public bool Passed => Components.All(c => c.Passed);

    /// <summary>The largest |actual − expected| (+∞ if any is NaN).</summary>
    public double WorstAbsoluteError { get; }

    /// <summary>The largest relative error.</summary>
    public double WorstRelativeError { get; }

    /// <summary>The component with the largest relative error, e.g. <c>w[3]</c>.</summary>
    public string WorstComponent { get; }

    /// <summary>The worst relative error of each parameter, in order.</summary>
    public IReadOnlyList<(string Parameter, double WorstRelativeError, double WorstAbsoluteError)> PerParameter =>
        Components.GroupBy(c => c.Parameter).Select(g => (g.Key, g.Max(c => c.RelativeError), g.Max(c => c.AbsoluteError))).ToList();

    /// <summary>A small table: per parameter, the worst errors; then PASS or FAIL.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (parameter, relative, absolute) in PerParameter)
            text.Append(CultureInfo.InvariantCulture, $"  {parameter,-12} worst relative {relative,10:E2}   worst absolute {absolute,10:E2}\n");
        text.Append(CultureInfo.InvariantCulture, $"  {(Passed ? "PASS" : "FAIL")}: worst relative error {WorstRelativeError:E2} at {WorstComponent} (tolerance {RelativeTolerance:E0} relative + {AbsoluteTolerance:E0} absolute)");
        return text.ToString();
    }
}

/// <summary>The result of <see cref="GradientCheck.CompareThreeWays"/>.</summary>
/// <param name="VersusTape">Generated compared with the tape.</param>
/// <param name="VersusNumerical">Generated compared with central differences.</param>
public sealed record ThreeWayCheck(GradientCheckReport VersusTape, GradientCheckReport VersusNumerical)
{
    /// <summary>Both comparisons passed.</summary>
    public bool Passed => VersusTape.Passed && VersusNumerical.Passed;

    /// <inheritdoc/>
    public override string ToString() =>
        "generated vs tape:\n" + VersusTape + "\ngenerated vs central differences:\n" + VersusNumerical;
}
