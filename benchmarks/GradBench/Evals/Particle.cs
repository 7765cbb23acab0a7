using System;

namespace Differentiator.GradBench.Evals;

/// <summary>
/// GradBench's particle (evals/particle): a unit charge starting at (0, 8) with velocity (0.75, 0), pushed by the field
/// of unit charges at (10, 10 − w) and (10, 0), Euler steps of 0.1 until it crosses y = 0; the objective is the square of
/// where it crosses, linearly interpolated. The force −∇ₓp comes from p's generated gradient (EulerReverse) or from
/// two pushforwards with unit tangents (EulerForward): nested differentiation.
/// </summary>
public static partial class Particle
{
    /// <summary>The potential at (px, py) of unit charges at (cx0, cy0) and (cx1, cy1).</summary>
    [Differentiable]
    public static double Potential(double cx0, double cy0, double cx1, double cy1, double px, double py) =>
        1 / Math.Sqrt((px - cx0) * (px - cx0) + (py - cy0) * (py - cy0)) + 1 / Math.Sqrt((px - cx1) * (px - cx1) + (py - cy1) * (py - cy1));

    [Differentiable]
    public static double EulerReverse(double w)
    {
        double cy0 = 10 - w;
        double x = 0, y = 8, xdot = 0.75, ydot = 0;
        double dt = 0.1;
        while (true)
        {
            PotentialGradient(10, cy0, 10, 0, x, y, out _, out _, out _, out _, out double px, out double py);
            x += dt * xdot;
            y += dt * ydot;
            if (y <= 0)
            {
                double dtf = -y / ydot;
                double xf = x + dtf * xdot;
                return xf * xf;
            }
            xdot -= dt * px;
            ydot -= dt * py;
        }
    }

    [Differentiable]
    public static double EulerForward(double w)
    {
        double cy0 = 10 - w;
        double x = 0, y = 8, xdot = 0.75, ydot = 0;
        double dt = 0.1;
        while (true)
        {
            PotentialPushforward(10, cy0, 10, 0, x, y, 0, 0, 0, 0, 1, 0, out double px);
            PotentialPushforward(10, cy0, 10, 0, x, y, 0, 0, 0, 0, 0, 1, out double py);
            x += dt * xdot;
            y += dt * ydot;
            if (y <= 0)
            {
                double dtf = -y / ydot;
                double xf = x + dtf * xdot;
                return xf * xf;
            }
            xdot -= dt * px;
            ydot -= dt * py;
        }
    }

    /// <summary>argmin over w from the input's w: outer gradient by EulerXGradient (r) or EulerXPushforward (f).</summary>
    public static double Argmin(double w, bool outerReverse, bool innerReverse)
    {
        PointObjective f = innerReverse ? x => EulerReverse(x[0]) : x => EulerForward(x[0]);
        PointGradient gradient = (x, g) =>
        {
            if (outerReverse && innerReverse) EulerReverseGradient(x[0], out g[0]);
            else if (outerReverse) EulerForwardGradient(x[0], out g[0]);
            else if (innerReverse) EulerReversePushforward(x[0], 1, out g[0]);
            else EulerForwardPushforward(x[0], 1, out g[0]);
        };
        return GradientDescent.Argmin(f, gradient, [w])[0];
    }
}
