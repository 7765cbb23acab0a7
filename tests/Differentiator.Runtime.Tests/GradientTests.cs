using System;
using System.Collections.Generic;
using System.Linq;

namespace Differentiator.Runtime.Tests;

public class GradientTests
{
    [Fact]
    public void Components_are_copied_and_kept_in_insertion_order()
    {
        var dw = new[] { 1.0, 2.0 };
        Span<double> dv = stackalloc double[] { 5.0 };
        var g = new Gradient { { "w", dw }, { "v", (ReadOnlySpan<double>)dv }, { "b", 3.0 } };
        dw[0] = 99;
        dv[0] = 99;
        Assert.Equal(new[] { 1.0, 2.0 }, g["w"].ToArray());
        Assert.Equal(new[] { 5.0 }, g["v"].ToArray());
        Assert.Equal(3.0, g["b"][0]);
        Assert.Equal(new[] { "w", "v", "b" }, g.Names);
        Assert.Equal(new[] { "w", "v", "b" }, g.Select(p => p.Key));
        Assert.Equal(3, g.Count);
        Assert.True(g.Contains("v") && !g.Contains("x"));
    }

    [Fact]
    public void Duplicate_and_unknown_names_are_errors()
    {
        var g = new Gradient { { "w", 1.0 } };
        Assert.Throws<ArgumentException>(() => g.Add("w", new[] { 2.0 }));
        Assert.Throws<KeyNotFoundException>(() => g["x"].ToArray());
        Assert.Throws<ArgumentNullException>(() => g.Add("v", (double[])null!));
        Assert.Throws<ArgumentNullException>(() => g.Add(null!, 1.0));
    }
}
