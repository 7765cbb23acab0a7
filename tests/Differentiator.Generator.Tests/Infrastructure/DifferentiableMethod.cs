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

    private (double, double[][]) CallGradient(string name, object[] args)
    {
        var method = _adapter.GetMethod("Value")!;
        var parameters = method.GetParameters();
        var outputs = Differentiated.Select(p =>
        {
            int index = Array.FindIndex(parameters, q => q.Name == p);
            return args[index] is double[] a ? new double[a.Length] : new double[1];
        }).ToArray();
        double value = Call(name, args.Append(outputs).ToArray());
        return (value, outputs);
    }

    private double Call(string name, object[] args)
    {
        try
        {
            return (double)_adapter.GetMethod(name)!.Invoke(null, args)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
