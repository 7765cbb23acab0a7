using System;
using System.Collections.Generic;

namespace Differentiator.Generator.Tests.Infrastructure;

/// <summary>Compares doubles within an absolute tolerance, for <c>Assert.Equal(expected, actual, comparer)</c> on sequences.</summary>
public sealed class Tolerance : IEqualityComparer<double>
{
    private readonly double _tolerance;

    public Tolerance(double tolerance) => _tolerance = tolerance;

    public bool Equals(double a, double b) => Math.Abs(a - b) <= _tolerance;

    public int GetHashCode(double d) => 0; // every value may equal every other: no hashing
}
