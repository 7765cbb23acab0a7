using System;

namespace Differentiator.Runtime.Tests;

/// <summary>The exceptions generated gradients throw for outputs that do not fit: the message and the parameter name users see.</summary>
public class ShapeErrorsTests
{
    [Fact]
    public void A_length_mismatch_names_the_output_and_both_lengths()
    {
        var e = Assert.Throws<ArgumentException>(() => ShapeErrors.LengthMismatch("dw", "w", 3, 2));
        Assert.Equal("dw", e.ParamName);
        Assert.StartsWith("The gradient output 'dw' must have the same length as 'w' (3), but has length 2.", e.Message);
    }

    [Fact]
    public void A_shape_mismatch_names_the_output_and_the_parameter()
    {
        var e = Assert.Throws<ArgumentException>(() => ShapeErrors.ShapeMismatch("dW", "W"));
        Assert.Equal("dW", e.ParamName);
        Assert.StartsWith("The gradient output 'dW' must have the shape of 'W'.", e.Message);
    }

    [Fact]
    public void An_output_length_mismatch_names_the_argument_and_the_output()
    {
        var e = Assert.Throws<ArgumentException>(() => ShapeErrors.OutputLengthMismatch("rBar", "r", 5, 4));
        Assert.Equal("rBar", e.ParamName);
        Assert.StartsWith("'rBar' must have the length of the output 'r' (5), but has length 4.", e.Message);
    }

    [Fact]
    public void A_jacobian_shape_mismatch_gives_both_shapes()
    {
        var e = Assert.Throws<ArgumentException>(() => ShapeErrors.JacobianShapeMismatch("dx", "r", "x", 5, 3, 3, 5));
        Assert.Equal("dx", e.ParamName);
        Assert.StartsWith("The Jacobian output 'dx' must have the shape (r.Length, x.Length) = (5, 3), but has the shape (3, 5).", e.Message);
    }
}
