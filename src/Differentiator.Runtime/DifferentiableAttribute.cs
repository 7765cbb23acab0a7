using System;
using System.Collections.Generic;

namespace Differentiator;

/// <summary>
/// Marks a static or instance method of a <c>partial</c> type whose gradient the Differentiator source generator
/// derives at compile time. For a method <c>M</c> the generator adds <c>MGradient</c> (closed form),
/// <c>MTapeGradient</c> (runtime tape) and <c>MNumericalGradient</c> (central differences), all with M's parameters
/// followed by one output per differentiated parameter.
/// </summary>
/// <example>
/// <code>
/// [Differentiable(nameof(w), nameof(b))]
/// public static double Mse(double[,] X, double[] y, double[] w, double b) { ... }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute
{
    /// <summary>Differentiate with respect to the named parameters (use <c>nameof</c>); none means every floating-point parameter.</summary>
    /// <param name="parameters">Names of the parameters to differentiate with respect to, in any order.</param>
    public DifferentiableAttribute(params string[] parameters) => Parameters = parameters ?? Array.Empty<string>();

    /// <summary>The parameter names given to the constructor.</summary>
    public IReadOnlyList<string> Parameters { get; }
}
