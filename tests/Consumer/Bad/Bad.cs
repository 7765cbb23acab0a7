using Differentiator;

public static partial class Broken
{
    [Differentiable]
    public static double Total(double[] x)
    {
        double s = 0; foreach (var v in x) s += v;
        return s;
    }
}
