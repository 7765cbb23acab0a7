using System;

namespace Differentiator.GradBench.Evals;

/// <summary>
/// GradBench's saddle (evals/saddle): min over p1 of max over p2 of f(p1, p2) = (x1² + y1²) − (x2² + y2²), both by
/// GradBench's gradient descent from the start. The inner ascent runs inside a [Differentiable] method (MaxReverse: its
/// gradient by ObjectiveGradient; MaxForward: by ObjectivePushforward with unit tangents), which the outer descent
/// differentiates with respect to p1: nested differentiation.
/// </summary>
public static partial class Saddle
{
    [Differentiable]
    public static double Objective(double x1, double y1, double x2, double y2) => (x1 * x1 + y1 * y1) - (x2 * x2 + y2 * y2);

    /// <summary>max over p2 of f(p1, p2) by gradient ascent from the start, as GradBench's argmax (descent on −f).</summary>
    [Differentiable(nameof(p1x), nameof(p1y))]
    public static double MaxReverse(double p1x, double p1y, double startX, double startY)
    {
        double x = startX, y = startY;
        double fx = -Objective(p1x, p1y, x, y);
        ObjectiveGradient(p1x, p1y, x, y, out _, out _, out double ascentX, out double ascentY);
        double gx = -ascentX, gy = -ascentY;
        int accepted = 0;
        double eta = 1e-5;
        while (true)
        {
            if (Math.Sqrt(gx * gx + gy * gy) <= 1e-5) return Objective(p1x, p1y, x, y);
            else if (accepted == 10) { eta *= 2; accepted = 0; }
            else
            {
                double nx = x - eta * gx, ny = y - eta * gy;
                if (Math.Sqrt((nx - x) * (nx - x) + (ny - y) * (ny - y)) <= 1e-5) return Objective(p1x, p1y, x, y);
                else
                {
                    double fNext = -Objective(p1x, p1y, nx, ny);
                    if (fNext < fx)
                    {
                        x = nx; y = ny; fx = fNext;
                        ObjectiveGradient(p1x, p1y, x, y, out _, out _, out double nextX, out double nextY);
                        gx = -nextX; gy = -nextY;
                        accepted++;
                    }
                    else { eta /= 2; accepted = 0; }
                }
            }
        }
    }

    [Differentiable(nameof(p1x), nameof(p1y))]
    public static double MaxForward(double p1x, double p1y, double startX, double startY)
    {
        double x = startX, y = startY;
        double fx = -Objective(p1x, p1y, x, y);
        ObjectivePushforward(p1x, p1y, x, y, 0, 0, 1, 0, out double ascentX);
        ObjectivePushforward(p1x, p1y, x, y, 0, 0, 0, 1, out double ascentY);
        double gx = -ascentX, gy = -ascentY;
        int accepted = 0;
        double eta = 1e-5;
        while (true)
        {
            if (Math.Sqrt(gx * gx + gy * gy) <= 1e-5) return Objective(p1x, p1y, x, y);
            else if (accepted == 10) { eta *= 2; accepted = 0; }
            else
            {
                double nx = x - eta * gx, ny = y - eta * gy;
                if (Math.Sqrt((nx - x) * (nx - x) + (ny - y) * (ny - y)) <= 1e-5) return Objective(p1x, p1y, x, y);
                else
                {
                    double fNext = -Objective(p1x, p1y, nx, ny);
                    if (fNext < fx)
                    {
                        x = nx; y = ny; fx = fNext;
                        ObjectivePushforward(p1x, p1y, x, y, 0, 0, 1, 0, out double nextX);
                        ObjectivePushforward(p1x, p1y, x, y, 0, 0, 0, 1, out double nextY);
                        gx = -nextX; gy = -nextY;
                        accepted++;
                    }
                    else { eta /= 2; accepted = 0; }
                }
            }
        }
    }

    /// <summary>p1 = argmin of the inner max (outer gradient by MGradient, r, or two MPushforward calls, f), then p2 = argmax of f(p1, ·).</summary>
    public static double[] Solve(double startX, double startY, bool outerReverse, bool innerReverse)
    {
        double[] start = [startX, startY];
        PointObjective max = innerReverse ? p => MaxReverse(p[0], p[1], startX, startY) : p => MaxForward(p[0], p[1], startX, startY);
        PointGradient gradient = (p, g) =>
        {
            if (outerReverse)
            {
                if (innerReverse) MaxReverseGradient(p[0], p[1], startX, startY, out g[0], out g[1]);
                else MaxForwardGradient(p[0], p[1], startX, startY, out g[0], out g[1]);
                return;
            }
            for (int k = 0; k < 2; k++)
            {
                double t;
                if (innerReverse) MaxReversePushforward(p[0], p[1], startX, startY, k == 0 ? 1 : 0, k == 1 ? 1 : 0, out t);
                else MaxForwardPushforward(p[0], p[1], startX, startY, k == 0 ? 1 : 0, k == 1 ? 1 : 0, out t);
                g[k] = t;
            }
        };
        var p1 = GradientDescent.Argmin(max, gradient, start);
        // Step 2, not nested: the argmax of f(p1, ·), its gradient in the inner mode.
        var p2 = GradientDescent.Argmax(q => Objective(p1[0], p1[1], q[0], q[1]), (q, g) =>
        {
            if (innerReverse)
            {
                ObjectiveGradient(p1[0], p1[1], q[0], q[1], out _, out _, out g[0], out g[1]);
                return;
            }
            ObjectivePushforward(p1[0], p1[1], q[0], q[1], 0, 0, 1, 0, out g[0]);
            ObjectivePushforward(p1[0], p1[1], q[0], q[1], 0, 0, 0, 1, out g[1]);
        }, start);
        return [p1[0], p1[1], p2[0], p2[1]];
    }
}
