using System;
using System.Globalization;

namespace Differentiator.Runtime.Tests;

public class ValueTests
{
    [Fact]
    public void Comparisons_compare_the_numbers_whatever_their_tape()
    {
        var tape = new Tape();
        Value a = tape.Variable(1), b = 2.0, c = new Tape().Variable(1);
        Assert.True(a < b && a <= b && b > a && b >= a && a != b);
        Assert.True(a == c && a <= c && a >= c && !(a < c)); // different tapes may be compared: no arithmetic happens
        Value nan = double.NaN, otherNan = double.NaN;
        Assert.False(nan == otherNan || nan < a || nan >= a);
        Assert.True(nan != otherNan);
        Assert.Equal(1, tape.Count); // only the variable: comparing records nothing
    }

    [Fact]
    public void Equals_and_GetHashCode_agree_like_double()
    {
        Value nan = double.NaN, zero = 0.0, negativeZero = -0.0;
        Assert.True(nan.Equals((Value)double.NaN)); // as double.Equals: NaN equals itself, so it can be a key
        Assert.True(zero.Equals(negativeZero));
        Assert.Equal(zero.GetHashCode(), negativeZero.GetHashCode());
        Assert.Equal(new Tape().Variable(2.5).GetHashCode(), ((Value)2.5).GetHashCode());
        Assert.True(((Value)2.5).Equals((object)new Tape().Variable(2.5)));
        Assert.False(((Value)2.5).Equals((object)2.5)); // a boxed double is not a Value
    }

    [Fact]
    public void ToString_shows_the_number_in_the_invariant_culture()
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal("1.5", ((Value)1.5).ToString());
            Assert.Equal("-0.1", new Tape().Variable(-0.1).ToString()); // round-trips: not -0.10000000000000001
            Assert.Equal("NaN", ((Value)double.NaN).ToString());
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void A_double_converts_to_a_constant()
    {
        Value v = 4.25;
        Assert.Equal(4.25, v.Data);
        Assert.Equal(0.0, v.Grad);
        Assert.Equal(0.0, default(Value).Data); // default is the constant 0, not a node of some tape
        Assert.Equal(0.0, new Tape().GradientOf(v));
    }
}
