using System;
using System.Collections.Concurrent;
using System.Linq;
using Differentiator.Generator.Primitives;

namespace Differentiator.Generator.Tests.Infrastructure;

/// <summary>
/// A primitive's value, computed by the .NET function its row of the table names (<c>Math.Log(x, newBase)</c>,
/// <c>double.Hypot</c>), so the test interpreters evaluate exactly what generated code calls.
/// </summary>
internal static class PrimitiveValues
{
    private static readonly ConcurrentDictionary<MathFunction, Func<double[], double>> Functions = new();

    public static double Evaluate(MathFunction function, double[] args) => Functions.GetOrAdd(function, Find)(args);

    private static Func<double[], double> Find(MathFunction function)
    {
        if (function == MathFunction.Truncate) return a => Math.Truncate(a[0]);
        if (function == MathFunction.Sign) return a => double.IsNaN(a[0]) ? double.NaN : Math.Sign(a[0]); // Math.Sign(NaN) throws
        var row = PrimitiveTable.Of(function);
        var host = row.Host == Host.Real ? typeof(double) : typeof(Math);
        var method = host.GetMethod(row.Name, Enumerable.Repeat(typeof(double), row.Arity).ToArray())
            ?? throw new InvalidOperationException(host.Name + "." + row.Name + " with " + row.Arity + " double arguments does not exist");
        return a => Convert.ToDouble(method.Invoke(null, a.Cast<object>().ToArray()));
    }
}
