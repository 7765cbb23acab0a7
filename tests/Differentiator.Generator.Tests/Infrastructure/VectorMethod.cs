using System;
using System.Linq;
using System.Reflection;

namespace Differentiator.Generator.Tests.Infrastructure;

/// <summary>
/// A compiled vector-valued method (<c>void M(…, Span&lt;double&gt; r)</c>) and its generated derivatives, callable with
/// arrays. The arguments end with r, whose length is the number of outputs; each call works on a copy of r (and of
/// every array), so the caller's stay as they were. Values come back as doubles (a float method's widened).
/// </summary>
public sealed class VectorMethod
{
    private readonly Type _adapter;

    internal VectorMethod(Type adapter) => _adapter = adapter;

    public string[] Differentiated => (string[])_adapter.GetProperty("Differentiated")!.GetValue(null)!;

    public bool IsSingle => (bool)_adapter.GetProperty("Single")!.GetValue(null)!;

    /// <summary>M itself: the values it writes into r.</summary>
    public double[] Value(params object[] args)
    {
        var copy = Copy(args);
        Call("Value", copy);
        return Widen(copy[^1]);
    }

    /// <summary>MVjp with weights <paramref name="weights"/>: the r it writes and one gradient per differentiated parameter.</summary>
    public (double[] R, double[][] Vjp) Vjp(object[] args, double[] weights)
    {
        var copy = Copy(args);
        var outputs = Differentiated.Select(p => IsSingle ? (object)new float[LengthOf(copy, p)] : new double[LengthOf(copy, p)]).ToArray();
        object w = IsSingle ? weights.Select(v => (float)v).ToArray() : weights.ToArray();
        Call("Vjp", copy.Append(w).Append(outputs).ToArray());
        return (Widen(copy[^1]), outputs.Select(Widen).ToArray());
    }

    /// <summary>
    /// <paramref name="kind"/> is Jacobian, TapeJacobian or NumericalJacobian: the r it writes and, per differentiated
    /// parameter, the matrix ∂r[i]/∂p[j] (one column for a scalar parameter).
    /// </summary>
    public (double[] R, double[][,] J) Jacobian(string kind, params object[] args)
    {
        var copy = Copy(args);
        int m = ((Array)copy[^1]).Length;
        var outputs = Differentiated.Select(p => (object)(IsScalar(copy, p)
            ? (IsSingle ? new float[m] : new double[m])
            : IsSingle ? new float[m, LengthOf(copy, p)] : new double[m, LengthOf(copy, p)])).ToArray();
        Call(kind, copy.Append(outputs).ToArray());
        return (Widen(copy[^1]), outputs.Select(o => o switch
        {
            double[,] d => d,
            float[,] f => Matrix(f.GetLength(0), f.GetLength(1), (i, j) => f[i, j]),
            double[] d => Matrix(m, 1, (i, _) => d[i]),
            float[] f => Matrix(m, 1, (i, _) => f[i]),
            _ => throw new ArgumentException(o.GetType().ToString()),
        }).ToArray());
    }

    /// <summary>Calls a member with the arguments after M's (weights, the outputs array) made by the caller, e.g. of a wrong shape.</summary>
    public void CallWithOutputs(string kind, object[] args, object[] extra) => Call(kind, Copy(args).Concat(extra).ToArray());

    private int Index(string parameter) => Array.FindIndex(_adapter.GetMethod("Value")!.GetParameters(), q => q.Name == parameter);

    private int LengthOf(object[] args, string parameter) => args[Index(parameter)] is Array a ? a.Length : 1;

    private bool IsScalar(object[] args, string parameter) => args[Index(parameter)] is not Array;

    private static double[,] Matrix(int rows, int columns, Func<int, int, double> element)
    {
        var m = new double[rows, columns];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < columns; j++) m[i, j] = element(i, j);
        return m;
    }

    private static object[] Copy(object[] args) => args.Select(a => a is Array array ? array.Clone() : a).ToArray();

    private static double[] Widen(object values) => values switch
    {
        double[] d => d.ToArray(),
        float[] f => f.Select(v => (double)v).ToArray(),
        _ => throw new ArgumentException(values.GetType().ToString()),
    };

    private void Call(string name, object[] args)
    {
        try
        {
            _adapter.GetMethod(name)!.Invoke(null, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
