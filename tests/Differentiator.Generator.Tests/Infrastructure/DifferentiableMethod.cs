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

    /// <summary>Whether the generator wrote <c>MGradient__ShortRuns</c>, the gradient with plain loops for short runs.</summary>
    public bool HasShortRuns => (bool)_adapter.GetProperty("HasShortRuns")!.GetValue(null)!;

    /// <summary><c>MGradient__ShortRuns</c> called directly, at any length (<see cref="HasShortRuns"/> must hold).</summary>
    public (double Value, double[][] Gradient) ShortRuns(params object[] args) => CallGradient("ShortRunsGradient", args);

    /// <summary>Calls Gradient, TapeGradient or NumericalGradient with outputs the caller made (e.g. of a wrong length).</summary>
    public double CallWithOutputs(string kind, object[] args, object[] outputs) => Call(kind, args.Append(outputs).ToArray());

    /// <summary>Whether the method computes in float (its outputs are floats; values come back widened to double).</summary>
    public bool IsSingle => (bool)_adapter.GetProperty("Single")!.GetValue(null)!;

    /// <summary>Calls a gradient with fresh outputs shaped like the differentiated arguments; returns each output flattened (matrices row by row).</summary>
    private (double, double[][]) CallGradient(string name, object[] args)
    {
        var parameters = _adapter.GetMethod("Value")!.GetParameters();
        var outputs = Differentiated.Select(p => (object)(args[Array.FindIndex(parameters, q => q.Name == p)] switch
        {
            double[] a => new double[a.Length],
            float[] a => new float[a.Length],
            double[,] m => new double[m.GetLength(0), m.GetLength(1)],
            float[,] m => new float[m.GetLength(0), m.GetLength(1)],
            double[][] rows => rows.Select(r => new double[r.Length]).ToArray(),
            float[][] rows => rows.Select(r => new float[r.Length]).ToArray(),
            float => new float[1],
            _ => new double[1],
        })).ToArray();
        double value = Call(name, args.Append(outputs).ToArray());
        return (value, outputs.Select(Flatten).ToArray());
    }

    private static double[] Flatten(object output) => output switch
    {
        double[] a => a,
        float[] a => a.Select(v => (double)v).ToArray(),
        double[,] m => m.Cast<double>().ToArray(),
        float[,] m => m.Cast<float>().Select(v => (double)v).ToArray(),
        double[][] rows => rows.SelectMany(r => r).ToArray(),
        float[][] rows => rows.SelectMany(r => r).Select(v => (double)v).ToArray(),
        _ => throw new ArgumentException("unknown output " + output.GetType()),
    };

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
