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
}
