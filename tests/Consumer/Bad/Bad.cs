using Differentiator;

public static partial class Broken
{
    [Differentiable]
    public static double Halve(double x)
    {
        while (x > 1) x = x / 2;
        return x;
    }
}
