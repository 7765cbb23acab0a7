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

    /// <summary>Calls an adapter wrapper with exactly these arguments (e.g. a tangent of the wrong length).</summary>
    public double Invoke(string wrapper, params object[] args) => Call(wrapper, args);

    public bool HasPushforward => (bool)_adapter.GetProperty("HasPushforward")!.GetValue(null)!;

    public bool HasHessianVectorProduct => (bool)_adapter.GetProperty("HasHessianVectorProduct")!.GetValue(null)!;

    public bool HasHessian => (bool)_adapter.GetProperty("HasHessian")!.GetValue(null)!;

    /// <summary><c>MPushforward</c> along <paramref name="v"/> (one flat vector per differentiated parameter, matrices row by row).</summary>
    public (double Value, double Tangent) Pushforward(object[] args, double[][] v)
    {
        var r = new double[1];
        double value = Call("Pushforward", args.Append(Shaped(args, v)).Append(r).ToArray());
        return (value, r[0]);
    }

    /// <summary><c>MHessianVectorProduct</c> along <paramref name="v"/>; H·v comes back flat per differentiated parameter.</summary>
    public (double Value, double[][] Hv) HessianVectorProduct(object[] args, double[][] v)
    {
        var outputs = Shaped(args, Differentiated.Select(_ => (double[]?)null).ToArray());
        double value = Call("HessianVectorProduct", args.Append(Shaped(args, v)).Append(outputs).ToArray());
        return (value, outputs.Select(Flatten).ToArray());
    }

    /// <summary><c>MHessian</c> or <c>MNumericalHessian</c>, its blocks put together into one matrix over all differentiated components in order.</summary>
    public (double Value, double[,] H) Hessian(object[] args, bool numerical = false)
    {
        var sizes = Shaped(args, Differentiated.Select(_ => (double[]?)null).ToArray()).Select(o => Flatten(o).Length).ToArray();
        var blocks = new object[sizes.Length * sizes.Length];
        for (int p = 0; p < sizes.Length; p++)
            for (int q = 0; q < sizes.Length; q++)
                blocks[p * sizes.Length + q] = IsSingle ? new float[sizes[p], sizes[q]] : new double[sizes[p], sizes[q]];
        double value = Call(numerical ? "NumericalHessian" : "Hessian", args.Append(blocks).ToArray());
        int n = sizes.Sum();
        var h = new double[n, n];
        int rowStart = 0;
        for (int p = 0; p < sizes.Length; p++)
        {
            int columnStart = 0;
            for (int q = 0; q < sizes.Length; q++)
            {
                var block = Flatten(blocks[p * sizes.Length + q]);
                for (int i = 0; i < sizes[p]; i++)
                    for (int j = 0; j < sizes[q]; j++) h[rowStart + i, columnStart + j] = block[i * sizes[q] + j];
                columnStart += sizes[q];
            }
            rowStart += sizes[p];
        }
        return (value, h);
    }

    /// <summary>The arguments with every differentiated one moved by <paramref name="h"/>·<paramref name="v"/> (copies; the rest shared).</summary>
    public object[] Moved(object[] args, double[][] v, double h)
    {
        var parameters = _adapter.GetMethod("Value")!.GetParameters();
        var moved = (object[])args.Clone();
        var names = Differentiated;
        for (int k = 0; k < names.Length; k++)
        {
            int index = Array.FindIndex(parameters, q => q.Name == names[k]);
            var d = v[k];
            moved[index] = args[index] switch
            {
                double[] a => a.Select((x, i) => x + h * d[i]).ToArray(),
                double[,] m => Reshape(m, d, h),
                double[][] rows => MoveRows(rows, d, h),
                double x => x + h * d[0],
                var other => throw new ArgumentException("cannot move " + other.GetType() + " (float methods: compare in double)"),
            };
        }
        return moved;

        static double[,] Reshape(double[,] m, double[] d, double h)
        {
            var o = (double[,])m.Clone();
            for (int i = 0; i < o.Length; i++) o[i / m.GetLength(1), i % m.GetLength(1)] += h * d[i];
            return o;
        }

        static double[][] MoveRows(double[][] rows, double[] d, double h)
        {
            int start = 0;
            return rows.Select(r => { var o = r.Select((x, i) => x + h * d[start + i]).ToArray(); start += r.Length; return o; }).ToArray();
        }
    }

    /// <summary>One object per differentiated parameter shaped like its argument, filled from <paramref name="flat"/> (zeros where null).</summary>
    private object[] Shaped(object[] args, double[]?[] flat)
    {
        var parameters = _adapter.GetMethod("Value")!.GetParameters();
        return Differentiated.Select((p, k) =>
        {
            var arg = args[Array.FindIndex(parameters, q => q.Name == p)];
            double Get(int i) => flat[k] is { } f ? f[i] : 0;
            switch (arg)
            {
                case double[] a: return (object)Enumerable.Range(0, a.Length).Select(Get).ToArray();
                case float[] a: return Enumerable.Range(0, a.Length).Select(i => (float)Get(i)).ToArray();
                case double[,] m:
                {
                    var o = new double[m.GetLength(0), m.GetLength(1)];
                    for (int i = 0; i < o.Length; i++) o[i / m.GetLength(1), i % m.GetLength(1)] = Get(i);
                    return o;
                }
                case float[,] m:
                {
                    var o = new float[m.GetLength(0), m.GetLength(1)];
                    for (int i = 0; i < o.Length; i++) o[i / m.GetLength(1), i % m.GetLength(1)] = (float)Get(i);
                    return o;
                }
                case double[][] rows:
                {
                    int start = 0;
                    return rows.Select(r => { var o = Enumerable.Range(start, r.Length).Select(Get).ToArray(); start += r.Length; return o; }).ToArray();
                }
                case float: return new[] { (float)Get(0) };
                default: return new[] { Get(0) };
            }
        }).ToArray();
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
