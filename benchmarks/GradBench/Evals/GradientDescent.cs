using System;

namespace Differentiator.GradBench.Evals;

/// <summary>f at a point (particle's and saddle's objectives).</summary>
public delegate double PointObjective(ReadOnlySpan<double> x);

/// <summary>∇f at a point, into <paramref name="g"/>.</summary>
public delegate void PointGradient(ReadOnlySpan<double> x, Span<double> g);

/// <summary>
/// GradBench's gradient descent for particle and saddle (its cpp/gradbench/gd.hpp, as its README describes it), plain
/// C#, not differentiated: stop when |∇f| ≤ 1e-5 or a step would move less than 1e-5; after 10 accepted steps double
/// η; halve it after a step that does not decrease f. η starts at 1e-5.
/// </summary>
public static class GradientDescent
{
    public static double[] Argmin(PointObjective f, PointGradient gradient, ReadOnlySpan<double> start)
    {
        int n = start.Length;
        var x = start.ToArray();
        var g = new double[n];
        var next = new double[n];
        double fx = f(x);
        gradient(x, g);
        int accepted = 0;
        double eta = 1e-5;
        while (true)
        {
            if (Norm(g) <= 1e-5) return x;
            if (accepted == 10)
            {
                eta *= 2;
                accepted = 0;
                continue;
            }
            double moved = 0;
            for (int j = 0; j < n; j++)
            {
                next[j] = x[j] - eta * g[j];
                moved += (next[j] - x[j]) * (next[j] - x[j]);
            }
            if (Math.Sqrt(moved) <= 1e-5) return x;
            double fNext = f(next);
            if (fNext < fx)
            {
                Array.Copy(next, x, n);
                fx = fNext;
                gradient(x, g);
                accepted++;
            }
            else
            {
                eta /= 2;
                accepted = 0;
            }
        }
    }

    /// <summary>The argmax: the argmin of −f with −∇f.</summary>
    public static double[] Argmax(PointObjective f, PointGradient gradient, ReadOnlySpan<double> start) =>
        Argmin(x => -f(x), (x, g) =>
        {
            gradient(x, g);
            for (int j = 0; j < g.Length; j++) g[j] = -g[j];
        }, start);

    private static double Norm(double[] v)
    {
        double sum = 0;
        foreach (double e in v) sum += e * e;
        return Math.Sqrt(sum);
    }

    /// <summary>The variant's two modes: <c>rr</c>, <c>rf</c>, <c>fr</c>, <c>ff</c> (outer, inner; r reverse, f forward).</summary>
    public static (bool OuterReverse, bool InnerReverse) Modes(string eval, string function) => function switch
    {
        "rr" => (true, true),
        "rf" => (true, false),
        "fr" => (false, true),
        "ff" => (false, false),
        _ => throw new ArgumentException($"{eval} has no function '{function}'"),
    };
}
