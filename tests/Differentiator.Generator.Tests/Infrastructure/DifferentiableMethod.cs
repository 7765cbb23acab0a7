using System;
using System.Linq;
using System.Reflection;

namespace Differentiator.Generator.Tests.Infrastructure;

/// <summary>A compiled [Differentiable] method and its three generated gradients, callable with arrays.</summary>
public sealed class DifferentiableMethod
{
    private readonly Type _adapter;

    internal DifferentiableMethod(Type adapter) => _adapter = adapter;

    public string[] Differentiated => (string[])_adapter.GetProperty("Differentiated")!.GetValue(null)!;

    public double Value(params object[] args) => Call("Value", args);

    public (double Value, double[][] Gradient) Gradient(params object[] args) => CallGradient("Gradient", args);

    public (double Value, double[][] Gradient) Tape(params object[] args) => CallGradient("TapeGradient", args);

    public (double Value, double[][] Gradient) Numerical(params object[] args) => CallGradient("NumericalGradient", args);

    /// <summary>Calls Gradient, TapeGradient or NumericalGradient with outputs the caller made (e.g. of a wrong length).</summary>
    public double CallWithOutputs(string kind, object[] args, double[][] outputs) => Call(kind, args.Append(outputs).ToArray());

    /// <summary>Whether the method computes in float (its outputs are floats; values come back widened to double).</summary>
    public bool IsSingle => _adapter.GetMethod("Gradient")!.GetParameters()[^1].ParameterType == typeof(float[][]);

    private (double, double[][]) CallGradient(string name, object[] args)
    {
        var method = _adapter.GetMethod("Value")!;
        var parameters = method.GetParameters();
        int[] lengths = Differentiated.Select(p =>
        {
            int index = Array.FindIndex(parameters, q => q.Name == p);
            return args[index] switch { double[] a => a.Length, float[] f => f.Length, _ => 1 };
        }).ToArray();
        if (IsSingle)
        {
            var singles = lengths.Select(n => new float[n]).ToArray();
            double single = Call(name, args.Append(singles).ToArray());
            return (single, singles.Select(g => g.Select(v => (double)v).ToArray()).ToArray());
        }
        var outputs = lengths.Select(n => new double[n]).ToArray();
        double value = Call(name, args.Append(outputs).ToArray());
        return (value, outputs);
    }

    private double Call(string name, object[] args)
    {
        try
        {
            return System.Convert.ToDouble(_adapter.GetMethod(name)!.Invoke(null, args)!);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
