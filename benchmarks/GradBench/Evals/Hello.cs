using System;
using System.Text.Json.Nodes;

namespace Differentiator.GradBench.Evals;

/// <summary>GradBench's hello: <c>square</c> is f(x) = x², <c>double</c> is its gradient, derived by the generator.</summary>
public static partial class Hello
{
    [Differentiable]
    public static double Square(double x) => x * x;
}

sealed class HelloModule : IModule
{
    public Evaluation Prepare(string function, JsonNode input)
    {
        double x = input.GetValue<double>();
        double result = 0;
        return function switch
        {
            "square" => new Evaluation(() => result = Hello.Square(x), () => result),
            "double" => new Evaluation(() => Hello.SquareGradient(x, out result), () => result),
            _ => throw new ArgumentException($"hello has no function '{function}'"),
        };
    }
}
