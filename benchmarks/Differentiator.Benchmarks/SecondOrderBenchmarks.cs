using System;
using BenchmarkDotNet.Attributes;

namespace Differentiator.Benchmarks;

public static partial class Objectives
{
    /// <summary>Rosenbrock's function in n dimensions: the classic test of second-order methods.</summary>
    [Differentiable]
    public static double Rosenbrock(double[] x)
    {
        double sum = 0;
        for (int i = 0; i + 1 < x.Length; i++)
        {
            double a = 1 - x[i];
            double b = x[i + 1] - x[i] * x[i];
            sum += a * a + 100 * b * b;
        }
        return sum;
    }
}

/// <summary>
/// Forward mode and second order against the function itself: <c>MPushforward</c> (target ≤ 2× the function) and
/// <c>MHessianVectorProduct</c> (target ≤ 5×), with <c>MGradient</c> for scale, on Rosenbrock (n = 100) and the
/// logistic loss (1000 × 10); and <c>MHessian</c> on the logistic loss (d + 1 = 11 Hessian-vector products).
/// </summary>
[MemoryDiagnoser]
public class SecondOrderBenchmarks
{
    private double[] _x = null!, _dx = null!, _gx = null!, _hvx = null!;
    private double[,] _X = null!, _Hww = null!, _Hwb = null!, _Hbw = null!, _Hbb = null!;
    private double[] _y = null!, _w = null!, _dw = null!, _gw = null!, _hvw = null!;
    private double _b;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2);
        int n = 100;
        _x = new double[n];
        _dx = new double[n];
        _gx = new double[n];
        _hvx = new double[n];
        for (int i = 0; i < n; i++)
        {
            _x[i] = random.NextDouble() * 2 - 1;
            _dx[i] = random.NextDouble() * 2 - 1;
        }
        int rows = 1000, d = 10;
        _X = new double[rows, d];
        _y = new double[rows];
        _w = new double[d];
        _dw = new double[d];
        _gw = new double[d];
        _hvw = new double[d];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < d; j++) _X[i, j] = random.NextDouble() * 2 - 1;
            _y[i] = random.NextDouble() < 0.5 ? 0 : 1;
        }
        for (int j = 0; j < d; j++)
        {
            _w[j] = random.NextDouble() - 0.5;
            _dw[j] = random.NextDouble() - 0.5;
        }
        _b = 0.1;
        _Hww = new double[d, d];
        _Hwb = new double[d, 1];
        _Hbw = new double[1, d];
        _Hbb = new double[1, 1];
    }

    [Benchmark(Baseline = true, Description = "Rosenbrock n=100: function")]
    public double RosenbrockFunction() => Objectives.Rosenbrock(_x);

    [Benchmark(Description = "Rosenbrock n=100: MPushforward")]
    public double RosenbrockPushforward() => Objectives.RosenbrockPushforward(_x, _dx, out double t) + t;

    [Benchmark(Description = "Rosenbrock n=100: MGradient")]
    public double RosenbrockGradient() => Objectives.RosenbrockGradient(_x, _gx);

    [Benchmark(Description = "Rosenbrock n=100: MHessianVectorProduct")]
    public double RosenbrockHessianVectorProduct() => Objectives.RosenbrockHessianVectorProduct(_x, _dx, _hvx);

    [Benchmark(Description = "Logistic 1000x10: function")]
    public double LogisticFunction() => Objectives.LogisticLoss(_X, _y, _w, _b);

    [Benchmark(Description = "Logistic 1000x10: MPushforward")]
    public double LogisticPushforward() => Objectives.LogisticLossPushforward(_X, _y, _w, _b, _dw, 0.3, out double t) + t;

    [Benchmark(Description = "Logistic 1000x10: MGradient")]
    public double LogisticGradient() => Objectives.LogisticLossGradient(_X, _y, _w, _b, _gw, out _);

    [Benchmark(Description = "Logistic 1000x10: MHessianVectorProduct")]
    public double LogisticHessianVectorProduct() => Objectives.LogisticLossHessianVectorProduct(_X, _y, _w, _b, _dw, 0.3, _hvw, out _);

    [Benchmark(Description = "Logistic 1000x10: MHessian")]
    public double LogisticHessian() => Objectives.LogisticLossHessian(_X, _y, _w, _b, _Hww, _Hwb, _Hbw, _Hbb);
}
