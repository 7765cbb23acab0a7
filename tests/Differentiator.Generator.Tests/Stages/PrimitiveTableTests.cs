using System;
using System.Linq;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Formulas;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Differentiator.Generator.Optimization;
using Differentiator.Generator.Primitives;
using Differentiator.Generator.Tests.Formulas;
using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.Stages;

/// <summary>
/// The table of primitives is the specification; the runtime's <see cref="TapeMath"/> implements it independently.
/// At each row's sample points: TapeMath's value is the .NET function's, and its derivatives are the row's IR rule
/// and the row's formula rule. A row without a TapeMath method of its name fails.
/// </summary>
public class PrimitiveTableTests
{
    /// <summary>The callable rows by name (MathFunction is internal to the generator, so not a public theory parameter).</summary>
    public static TheoryData<string> Callable()
    {
        var data = new TheoryData<string>();
        foreach (var row in PrimitiveTable.Callable) data.Add(row.Function.ToString());
        return data;
    }

    [Theory]
    [MemberData(nameof(Callable))]
    public void TapeMath_computes_each_rows_value_and_derivatives(string name)
    {
        var function = Enum.Parse<MathFunction>(name);
        var row = PrimitiveTable.Of(function);
        var method = typeof(TapeMath).GetMethod(row.Name, Enumerable.Repeat(typeof(Value), row.Arity).ToArray());
        Assert.True(method is not null, "TapeMath has no " + row.Name + " of " + row.Arity + " Values: the tape cannot run code that calls " + row.Display);
        Assert.NotEmpty(row.Samples);
        foreach (var sample in row.Samples)
        {
            Assert.Equal(row.Arity, sample.Length);
            var tape = new Tape();
            var variables = sample.Select(tape.Variable).ToArray();
            object? result = method!.Invoke(null, variables.Cast<object>().ToArray());
            double expected = PrimitiveValues.Evaluate(function, sample);
            if (result is Value value)
            {
                Assert.Equal(expected, value.Data);
                tape.Backward(value);
            }
            else Assert.Equal(expected, System.Convert.ToDouble(result)); // Sign: an int, no derivative on the tape

            var rules = IrRule(row, sample);
            var formulas = FormulaRule(row, sample);
            for (int k = 0; k < row.Arity; k++)
            {
                double tapeGrad = result is Value ? variables[k].Grad : 0;
                Close(rules[k], tapeGrad, $"{row.Display} ∂{k} at ({string.Join(", ", sample)}): IR rule {rules[k]:R}, TapeMath {tapeGrad:R}");
                Close(formulas[k], tapeGrad, $"{row.Display} ∂{k} at ({string.Join(", ", sample)}): formula {formulas[k]:R}, TapeMath {tapeGrad:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Callable))]
    public void Each_row_is_spelled_as_dotnet_declares_it_in_both_precisions(string name)
    {
        var row = PrimitiveTable.Of(Enum.Parse<MathFunction>(name));
        var (doubleHost, floatHost) = row.Host switch
        {
            Host.Real => (typeof(double), typeof(float)),
            Host.MathOnly => (typeof(Math), typeof(Math)),
            _ => (typeof(Math), typeof(MathF)),
        };
        var returns = row.ResultType == ScalarType.Int ? typeof(int) : null;
        var d = doubleHost.GetMethod(row.Name, Enumerable.Repeat(typeof(double), row.Arity).ToArray());
        var f = floatHost.GetMethod(row.Name, Enumerable.Repeat(typeof(float), row.Arity).ToArray());
        Assert.True(d is not null && d.ReturnType == (returns ?? typeof(double)), doubleHost.Name + "." + row.Name + " on doubles");
        Assert.True(f is not null && f.ReturnType == (returns ?? typeof(float)), floatHost.Name + "." + row.Name + " on floats");
    }

    /// <summary>The row's partials ∂f/∂argₖ, built as IR by the reverse mode's rule and evaluated.</summary>
    private static double[] IrRule(Primitive row, double[] sample)
    {
        var factory = new ExprFactory();
        var call = (MathCall)factory.Call(row.Function, sample.Select((_, k) => factory.Var("a" + k)).ToArray());
        var interpreter = new IrInterpreter();
        for (int k = 0; k < sample.Length; k++) interpreter["a" + k] = sample[k];
        return Enumerable.Range(0, row.Arity).Select(k => interpreter.Eval(DerivativeRules.Partial(call, k, factory))).ToArray();
    }

    /// <summary>The row's partials as the doc-comment formulas derive them, evaluated.</summary>
    private static double[] FormulaRule(Primitive row, double[] sample)
    {
        var args = sample.Select((_, k) => (Term)new Sym("a" + k)).ToList();
        var term = row.Term is { } build ? build(args) : TermSimplifier.Call(row.Function, args.ToArray());
        var scalars = sample.Select((v, k) => ("a" + k, v)).ToDictionary(p => p.Item1, p => p.v);
        return Enumerable.Range(0, row.Arity).Select(k => new TermEvaluator(scalars, new()).Eval(new SymbolicDerivative("a" + k, null).Differentiate(term))).ToArray();
    }

    private static void Close(double expected, double actual, string message) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-12 * Math.Max(1, Math.Abs(expected)), message);
}
