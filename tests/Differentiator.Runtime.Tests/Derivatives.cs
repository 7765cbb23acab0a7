using System;

namespace Differentiator.Runtime.Tests;

/// <summary>Helpers that run a function on a fresh tape and read back its gradient.</summary>
internal static class Derivatives
{
    public static double Of(Func<Value, Value> f, double x)
    {
        var tape = new Tape();
        var v = tape.Variable(x);
        tape.Backward(f(v));
        return v.Grad;
    }

    public static (double Da, double Db) Of(Func<Value, Value, Value> f, double a, double b)
    {
        var tape = new Tape();
        var va = tape.Variable(a);
        var vb = tape.Variable(b);
        tape.Backward(f(va, vb));
        return (va.Grad, vb.Grad);
    }

    /// <summary>Central difference with the runtime's step rule: an estimate independent of the tape.</summary>
    public static double Numerical(Func<double, double> f, double x)
    {
        double up = x + NumericalStep.For(x), down = x - NumericalStep.For(x);
        return NumericalStep.CentralDifference(f(up), f(down), up, down);
    }
}
