using System;

namespace Differentiator.Runtime.Tests;

public class NumericalStepTests
{
    [Fact]
    public void The_step_is_the_cube_root_of_epsilon_scaled_by_the_magnitude()
    {
        Assert.True(Math.Abs(NumericalStep.CubeRootEpsilon - 6.0554544523933395e-6) < 1e-20);
        Assert.Equal(NumericalStep.CubeRootEpsilon, NumericalStep.For(0));
        Assert.Equal(NumericalStep.CubeRootEpsilon, NumericalStep.For(-0.5)); // absolute below 1
        Assert.Equal(NumericalStep.CubeRootEpsilon * 40, NumericalStep.For(-40));
        Assert.Equal(NumericalStep.CubeRootEpsilon * 1e6, NumericalStep.For(1e6));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    [InlineData(-2.5)]
    [InlineData(3.0)]
    public void Central_differences_match_analytic_derivatives_of_sin_and_exp(double x)
    {
        Assert.True(Math.Abs(Derivatives.Numerical(Math.Sin, x) - Math.Cos(x)) < 1e-8);
        Assert.True(Math.Abs(Derivatives.Numerical(Math.Exp, x) - Math.Exp(x)) < 1e-8 * Math.Exp(x));
    }

    [Theory]
    [InlineData(40.0)]
    [InlineData(-1000.0)]
    [InlineData(1e6)]
    public void The_relative_step_suits_functions_that_vary_on_the_scale_of_x(double x)
    {
        // exp(t/|x|) changes by a factor e over a distance |x|: the step grows with |x| and the accuracy stays.
        double scale = Math.Abs(x);
        double numerical = Derivatives.Numerical(t => Math.Exp(t / scale), x);
        double analytic = Math.Exp(x / scale) / scale;
        Assert.True(Math.Abs(numerical / analytic - 1) < 1e-8, $"{numerical} vs {analytic}");
    }

    [Fact]
    public void The_quotient_divides_by_the_representable_difference()
    {
        Assert.Equal(4.0, NumericalStep.CentralDifference(5, 1, 1.5, 0.5));
        // At 1e6, 1e6 ± h rounds: 2h and the stored difference differ, and only the latter gives slope 1 exactly.
        double x = 1e6, h = NumericalStep.For(x), up = x + h, down = x - h;
        Assert.NotEqual(2 * h, up - down);
        Assert.Equal(1.0, NumericalStep.CentralDifference(up, down, up, down));
    }
}
