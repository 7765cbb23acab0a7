using System;

namespace Differentiator.Runtime.Tests;

public class SupportTests
{
    [Fact]
    public void Central_differences_with_the_step_rule_match_analytic_derivatives()
    {
        foreach (double x in new[] { 0.0, 0.3, -2.5, 40.0 })
        {
            double h = NumericalStep.For(x);
            Assert.Equal(NumericalStep.CubeRootEpsilon * Math.Max(1, Math.Abs(x)), h);
            double d = NumericalStep.CentralDifference(Math.Sin(x + h), Math.Sin(x - h), x + h, x - h);
            Assert.Equal(Math.Cos(x), d, 8);
            double e = NumericalStep.CentralDifference(Math.Exp(x / 10 + h / 10), Math.Exp(x / 10 - h / 10), x + h, x - h);
            Assert.True(Math.Abs(Math.Exp(x / 10) / 10 - e) < 1e-8 * Math.Max(1, Math.Exp(x / 10)));
        }
    }

    [Fact]
    public void Scratch_is_last_in_first_out_across_growth()
    {
        var scratch = GradientScratch.Current;
        int before = scratch.DoubleCount;
        for (int k = 0; k < 1000; k++) { scratch.Push(k * 0.5); scratch.Push(k); }
        for (int k = 999; k >= 0; k--)
        {
            Assert.Equal(k, scratch.PopInt());
            Assert.Equal(k * 0.5, scratch.PopDouble());
        }
        Assert.Equal(before, scratch.DoubleCount);
    }

    [Fact]
    public void Scratch_is_per_thread_and_popping_too_much_throws()
    {
        var mine = GradientScratch.Current;
        GradientScratch? other = null;
        InvalidOperationException? error = null;
        var thread = new System.Threading.Thread(() =>
        {
            other = GradientScratch.Current;
            error = Assert.Throws<InvalidOperationException>(() => other.PopDouble());
        });
        thread.Start();
        thread.Join();
        Assert.NotSame(mine, other);
        Assert.Contains("empty", error!.Message);
    }

    [Fact]
    public void Gradient_check_passes_within_tolerance_and_fails_outside_it()
    {
        var expected = new Gradient { { "w", new[] { 1.0, 2.0, -3.0 } }, { "b", 0.5 } };
        var close = new Gradient { { "w", new[] { 1.0 + 1e-9, 2.0, -3.0 } }, { "b", 0.5 } };
        var far = new Gradient { { "w", new[] { 1.0, 2.1, -3.0 } }, { "b", 0.5 } };
        var report = GradientCheck.Compare(expected, close);
        Assert.True(report.Passed);
        var bad = GradientCheck.Compare(expected, far);
        Assert.False(bad.Passed);
        Assert.Equal("w[1]", bad.WorstComponent);
        Assert.Equal(0.1 / 2.1, bad.WorstRelativeError, 12);
        Assert.Equal(0.1, bad.WorstAbsoluteError, 12);
        Assert.Contains("FAIL", bad.ToString());
    }

    [Fact]
    public void Gradient_check_fails_on_NaN_and_rejects_mismatched_shapes()
    {
        var a = new Gradient { { "w", new[] { 1.0 } } };
        Assert.False(GradientCheck.Compare(a, new Gradient { { "w", new[] { double.NaN } } }).Passed);
        Assert.Throws<ArgumentException>(() => GradientCheck.Compare(a, new Gradient { { "v", new[] { 1.0 } } }));
        Assert.Throws<ArgumentException>(() => GradientCheck.Compare(a, new Gradient { { "w", new[] { 1.0, 2.0 } } }));
        var three = GradientCheck.CompareThreeWays(a, a, new Gradient { { "w", new[] { 1.0 + 1e-7 } } });
        Assert.True(three.VersusTape.Passed);
        Assert.True(three.Passed);
    }
}
