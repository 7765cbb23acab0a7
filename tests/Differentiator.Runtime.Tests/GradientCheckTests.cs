using System;
using System.Globalization;
using System.Linq;

namespace Differentiator.Runtime.Tests;

public class GradientCheckTests
{
    private static GradientCheckReport Compare(double expected, double actual, double relative = 1e-6, double absolute = 1e-8) =>
        GradientCheck.Compare(new Gradient { { "b", expected } }, new Gradient { { "b", actual } }, relative, absolute);

    [Fact]
    public void A_component_passes_within_absolute_plus_relative_tolerance()
    {
        // Tolerance at scale 1000 is 1e-8 + 1e-6 · 1000 ≈ 1e-3.
        Assert.True(Compare(1000, 1000.0009).Passed);
        Assert.False(Compare(1000, 1000.0011).Passed);
        // Near 0 the absolute part decides: 1e-9 off passes, 1e-7 off fails.
        Assert.True(Compare(0, 1e-9).Passed);
        Assert.False(Compare(0, 1e-7).Passed);
        Assert.True(Compare(0.0, -0.0).Passed);
    }

    [Fact]
    public void The_report_names_the_worst_component_and_its_errors()
    {
        var expected = new Gradient { { "w", new[] { 1.0, 2.0, -3.0 } }, { "b", 0.5 } };
        var actual = new Gradient { { "b", 0.5 + 1e-12 }, { "w", new[] { 1.0, 2.1, -3.0 } } }; // order may differ
        var report = GradientCheck.Compare(expected, actual);
        Assert.False(report.Passed);
        Assert.Equal("w[1]", report.WorstComponent);
        Assert.Equal(0.1 / 2.1, report.WorstRelativeError, 12);
        Assert.Equal(0.1, report.WorstAbsoluteError, 12);
        Assert.Equal(new[] { "w[0]", "w[1]", "w[2]", "b" }, report.Components.Select(c => c.Component));
        Assert.Equal(new[] { true, false, true, true }, report.Components.Select(c => c.Passed));
        var w = report.PerParameter[0];
        Assert.Equal(("w", "w[1]", false), (w.Parameter, w.WorstComponent, w.Passed));
        var b = report.PerParameter[1];
        Assert.Equal(("b", "b", true), (b.Parameter, b.WorstComponent, b.Passed));
        Assert.Equal(1e-12, b.WorstAbsoluteError, 15);
    }

    [Fact]
    public void NaN_on_either_side_fails_and_is_reported_as_the_worst()
    {
        var expected = new Gradient { { "w", new[] { 1.0, 2.0, 3.0 } } };
        var report = GradientCheck.Compare(expected, new Gradient { { "w", new[] { 1.5, double.NaN, 3.0 } } });
        Assert.False(report.Passed);
        Assert.Equal("w[1]", report.WorstComponent);
        Assert.True(double.IsNaN(report.WorstRelativeError));
        Assert.True(double.IsNaN(report.WorstAbsoluteError));
        Assert.True(double.IsNaN(report.PerParameter[0].WorstRelativeError)); // not hidden by the 0.5 error of w[0]
        var both = Compare(double.NaN, double.NaN);
        Assert.False(both.Passed);
        Assert.True(double.IsNaN(both.WorstRelativeError));
        Assert.False(Compare(double.NaN, 1).Passed);
    }

    [Fact]
    public void Infinities_pass_only_against_the_same_infinity()
    {
        Assert.True(Compare(double.PositiveInfinity, double.PositiveInfinity).Passed);
        var finite = Compare(double.PositiveInfinity, 1);
        Assert.False(finite.Passed);
        Assert.Equal(double.PositiveInfinity, finite.WorstRelativeError);
        Assert.False(Compare(double.NegativeInfinity, double.PositiveInfinity).Passed);
        Assert.False(Compare(1e308, -1e308).Passed); // the difference overflows
    }

    [Fact]
    public void Matrix_components_are_named_by_row_and_column()
    {
        // W is 3×4: flat position 11 is row 2, column 3. A flattened name (W[11]) would send the user to the wrong element.
        var W = new double[3, 4];
        var off = (double[,])W.Clone();
        off[2, 3] = 0.5;
        var report = GradientCheck.Compare(new Gradient { { "W", W } }, new Gradient { { "W", off } });
        Assert.Equal("W[2,3]", report.WorstComponent);
        Assert.Equal("W[0,0]", report.Components[0].Component);
        Assert.Equal("W[1,2]", report.Components[6].Component);
        Assert.Equal(0.5, report.Components.Single(c => !c.Passed).Actual);
        // Rows of arrays, of different lengths: V[1][2] is flat position 2 + 2 = 4.
        var V = new[] { new double[2], new double[3] };
        var offV = new[] { new double[2], new[] { 0, 0, -1.0 } };
        var jagged = GradientCheck.Compare(new Gradient { { "V", V } }, new Gradient { { "V", offV } });
        Assert.Equal("V[1][2]", jagged.WorstComponent);
        Assert.Equal(new[] { "V[0][0]", "V[0][1]", "V[1][0]", "V[1][1]", "V[1][2]" }, jagged.Components.Select(c => c.Component));
        Assert.Contains("V[1][2]", jagged.ToString());
        // Copied: a later change to the caller's matrix does not reach the gradient.
        var kept = new Gradient { { "W", off } };
        off[2, 3] = 7;
        Assert.Equal(0.5, kept["W"][11]);
    }

    [Fact]
    public void Matrices_of_different_shapes_do_not_compare()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            GradientCheck.Compare(new Gradient { { "W", new double[2, 3] } }, new Gradient { { "W", new double[3, 2] } }));
        Assert.Contains("2×3", e.Message);
        Assert.Throws<ArgumentException>(() =>
            GradientCheck.Compare(new Gradient { { "V", new[] { new double[1], new double[2] } } }, new Gradient { { "V", new[] { new double[2], new double[1] } } }));
        // The same elements row after row in a plain array compare (the report names them as the expected side does).
        var mixed = GradientCheck.Compare(new Gradient { { "W", new double[2, 2] } }, new Gradient { { "W", new double[4] } });
        Assert.Equal("W[1,1]", mixed.Components[3].Component);
    }

    [Fact]
    public void Mismatched_names_or_lengths_throw()
    {
        var a = new Gradient { { "w", new[] { 1.0 } } };
        Assert.Throws<ArgumentException>(() => GradientCheck.Compare(a, new Gradient { { "v", new[] { 1.0 } } }));
        Assert.Throws<ArgumentException>(() => GradientCheck.Compare(a, new Gradient { { "w", new[] { 1.0, 2.0 } } }));
        Assert.Throws<ArgumentException>(() => GradientCheck.Compare(a, new Gradient { { "w", new[] { 1.0 } }, { "b", 1.0 } }));
        Assert.Throws<ArgumentException>(() => GradientCheck.Compare(a, a, relativeTolerance: double.NaN));
        Assert.Throws<ArgumentException>(() => GradientCheck.Compare(a, a, absoluteTolerance: -1));
    }

    [Fact]
    public void The_report_prints_a_table_in_the_invariant_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            var report = GradientCheck.Compare(new Gradient { { "w", new[] { 2.0, 4.0 } }, { "b", 1.0 } }, new Gradient { { "w", new[] { 2.0, 5.0 } }, { "b", 1.0 } });
            string text = report.ToString();
            Assert.Contains("2.00E-001", text); // 1/5, with a point, not "2,00E-001"
            Assert.Contains("FAIL: worst relative error 2.00E-001 at w[1]", text);
            Assert.Matches(@"\n  w\s+2\.00E-001\s+1\.00E\+000\s+w\[1\]\s+FAIL\n", text);
            Assert.Matches(@"\n  b\s+0\.00E\+000\s+0\.00E\+000\s+b\s+PASS\n", text);
            Assert.Equal("worst relative error 2.00E-001 at w[1]  FAIL", report.Summary);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Three_way_check_is_tight_against_the_tape_and_loose_against_central_differences()
    {
        var generated = new Gradient { { "w", new[] { 1.0, -2.0 } }, { "b", 0.25 } };
        var tape = new Gradient { { "w", new[] { 1.0 + 1e-14, -2.0 } }, { "b", 0.25 } };
        var numerical = new Gradient { { "w", new[] { 1.0 + 1e-7, -2.0 } }, { "b", 0.25 - 1e-8 } };
        var check = GradientCheck.CompareThreeWays(generated, tape, numerical);
        Assert.True(check.Passed);
        string[] lines = check.ToString().Split('\n');
        Assert.StartsWith("generated vs tape:", lines[0]);
        Assert.EndsWith("PASS", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("generated vs central differences:") && l.Contains("at w[0]") && l.EndsWith("PASS"));

        // The numerical error that passed against central differences fails against the tape.
        var strict = GradientCheck.CompareThreeWays(generated, numerical, numerical);
        Assert.False(strict.Passed);
        Assert.False(strict.VersusTape.Passed);
        Assert.True(strict.VersusNumerical.Passed);
        Assert.EndsWith("FAIL", strict.ToString().Split('\n')[0]);
    }
}
