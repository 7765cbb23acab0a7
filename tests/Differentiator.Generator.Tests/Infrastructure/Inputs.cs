using System;

namespace Differentiator.Generator.Tests.Infrastructure;

/// <summary>Reproducible random inputs.</summary>
public sealed class Inputs
{
    private readonly Random _random;

    public Inputs(int seed) => _random = new Random(seed);

    public double Scalar(double low = -1.5, double high = 1.5) => low + (high - low) * _random.NextDouble();

    public double[] Vector(int length, double low = -1.5, double high = 1.5)
    {
        var v = new double[length];
        for (int k = 0; k < length; k++) v[k] = Scalar(low, high);
        return v;
    }

    public double[,] Matrix(int rows, int columns, double low = -1.5, double high = 1.5)
    {
        var m = new double[rows, columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) m[i, j] = Scalar(low, high);
        return m;
    }
}
