using System;

namespace Differentiator;

/// <summary>
/// Marks a static method <c>FVjp</c> as the vector-Jacobian product of the static method <c>F</c> of the same type:
/// <c>void FVjp(&lt;F's parameters&gt;, double resultBar, &lt;F's gradient outputs&gt;)</c>, which writes
/// resultBar · ∂F/∂p into one output per differentiated parameter of F (<c>Span&lt;double&gt;</c> for arrays and spans,
/// <c>out double</c> for scalars; F's matrices and ints are data). A <c>[Differentiable]</c> method that calls F is
/// differentiated through FVjp instead of F's body, which need not be differentiable (it may call a library); the
/// tape uses FVjp too, and the numerical gradient calls F itself, so it checks FVjp.
/// </summary>
/// <example>
/// <code>
/// static double Norm(double[] x) => Library.Norm(x);
/// [DerivativeOf(nameof(Norm))]
/// static void NormVjp(double[] x, double resultBar, Span&lt;double&gt; dx)
/// {
///     double n = Library.Norm(x);
///     for (int i = 0; i &lt; x.Length; i++) dx[i] = resultBar * x[i] / n;
/// }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DerivativeOfAttribute : Attribute
{
    /// <param name="method">The name of the method whose derivative this is (use <c>nameof</c>).</param>
    public DerivativeOfAttribute(string method) => Method = method;

    /// <summary>The name of the method whose derivative this is.</summary>
    public string Method { get; }
}
