using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Differentiator;

/// <summary>The result of <see cref="GradientCheck.Compare"/>: every component's error, the worst ones, and a verdict.</summary>
public sealed class GradientCheckReport
{
    internal GradientCheckReport(IReadOnlyList<ComponentError> components, double relativeTolerance, double absoluteTolerance)
    {
        Components = components;
        RelativeTolerance = relativeTolerance;
        AbsoluteTolerance = absoluteTolerance;
        Passed = components.All(c => c.Passed);
        var worst = Worst(components);
        WorstComponent = worst?.Component ?? "";
        WorstRelativeError = worst?.RelativeError ?? 0;
        WorstAbsoluteError = components.Aggregate(0.0, (w, c) => Worse(w, c.AbsoluteError));
        PerParameter = components.GroupBy(c => c.Parameter).Select(g =>
        {
            var parts = g.ToList();
            var worstPart = Worst(parts)!; // a group is never empty
            return new ParameterError(g.Key, parts.Aggregate(0.0, (w, c) => Worse(w, c.AbsoluteError)), worstPart.RelativeError, worstPart.Component, parts.TrueForAll(c => c.Passed));
        }).ToList();
    }

    /// <summary>Every component's comparison, in the expected gradient's order.</summary>
    public IReadOnlyList<ComponentError> Components { get; }

    /// <summary>Each parameter's worst errors, in the expected gradient's order.</summary>
    public IReadOnlyList<ParameterError> PerParameter { get; }

    /// <summary>The relative tolerance used.</summary>
    public double RelativeTolerance { get; }

    /// <summary>The absolute tolerance used.</summary>
    public double AbsoluteTolerance { get; }

    /// <summary>True when every component is within tolerance (and so true for an empty gradient).</summary>
    public bool Passed { get; }

    /// <summary>The largest |actual − expected| over all components; NaN if any component has a NaN.</summary>
    public double WorstAbsoluteError { get; }

    /// <summary>The largest relative error over all components; NaN if any component has a NaN.</summary>
    public double WorstRelativeError { get; }

    /// <summary>The component with the largest relative error (a NaN one first), e.g. <c>w[3]</c>; empty for an empty gradient.</summary>
    public string WorstComponent { get; }

    /// <summary>One line: PASS or FAIL, the worst relative error and where it is.</summary>
    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"worst relative error {WorstRelativeError:E2} at {WorstComponent}  {(Passed ? "PASS" : "FAIL")}");

    /// <summary>A small table of the worst errors per parameter, then the verdict with the tolerances; invariant culture.</summary>
    public override string ToString() =>
        Table() + string.Create(CultureInfo.InvariantCulture,
            $"  {(Passed ? "PASS" : "FAIL")}: worst relative error {WorstRelativeError:E2} at {WorstComponent} (tolerance {RelativeTolerance:E0} relative + {AbsoluteTolerance:E0} absolute)");

    internal string Table()
    {
        var text = new StringBuilder();
        text.Append("  parameter     worst relative   worst absolute   at            result\n");
        foreach (var p in PerParameter)
            text.Append(CultureInfo.InvariantCulture, $"  {p.Parameter,-12} {p.WorstRelativeError,15:E2}  {p.WorstAbsoluteError,15:E2}   {p.WorstComponent,-12}  {(p.Passed ? "PASS" : "FAIL")}\n");
        return text.ToString();
    }

    // NaN is the worst error there is. Math.Max propagates it; Enumerable.Max would skip it and hide exactly the
    // failure to report, hence the fold instead of Max().
    private static double Worse(double a, double b) => Math.Max(a, b);

    private static ComponentError? Worst(IReadOnlyList<ComponentError> components)
    {
        ComponentError? worst = null;
        foreach (var c in components)
        {
            if (worst is null || double.IsNaN(c.RelativeError) && !double.IsNaN(worst.RelativeError) || c.RelativeError > worst.RelativeError)
                worst = c;
        }
        return worst;
    }
}

/// <summary>One component's comparison.</summary>
/// <param name="Parameter">The gradient component (parameter) name.</param>
/// <param name="Component">The component with its index, e.g. <c>w[3]</c> (a scalar has no index).</param>
/// <param name="Expected">The reference value.</param>
/// <param name="Actual">The value checked.</param>
/// <param name="AbsoluteError">|actual − expected|: 0 when equal (equal infinities too), +∞ when only one is infinite, NaN when either is NaN.</param>
/// <param name="RelativeError">|actual − expected| / max(|actual|, |expected|): 0 when equal, +∞ when only one is infinite, NaN when either is NaN.</param>
/// <param name="Passed">Whether the component is within tolerance.</param>
public sealed record ComponentError(string Parameter, string Component, double Expected, double Actual, double AbsoluteError, double RelativeError, bool Passed)
{
    internal static ComponentError Of(string parameter, string component, double expected, double actual, double relativeTolerance, double absoluteTolerance)
    {
        if (double.IsNaN(actual) || double.IsNaN(expected))
            return new(parameter, component, expected, actual, double.NaN, double.NaN, false);
        if (actual == expected) // covers equal infinities (whose difference is NaN) and 0 vs −0
            return new(parameter, component, expected, actual, 0, 0, true);
        if (double.IsInfinity(actual) || double.IsInfinity(expected)) // a tolerance scaled by ∞ would pass anything
            return new(parameter, component, expected, actual, double.PositiveInfinity, double.PositiveInfinity, false);
        double absolute = Math.Abs(actual - expected);
        double scale = Math.Max(Math.Abs(actual), Math.Abs(expected)); // > 0, since actual != expected
        bool passed = absolute <= absoluteTolerance + relativeTolerance * scale;
        return new(parameter, component, expected, actual, absolute, absolute / scale, passed);
    }
}

/// <summary>One parameter's worst errors.</summary>
/// <param name="Parameter">The parameter (gradient component) name.</param>
/// <param name="WorstAbsoluteError">Its largest absolute error (NaN if any of its components has a NaN).</param>
/// <param name="WorstRelativeError">Its largest relative error (NaN if any of its components has a NaN).</param>
/// <param name="WorstComponent">Where that relative error is, e.g. <c>w[3]</c>.</param>
/// <param name="Passed">Whether all its components are within tolerance.</param>
public sealed record ParameterError(string Parameter, double WorstAbsoluteError, double WorstRelativeError, string WorstComponent, bool Passed);
