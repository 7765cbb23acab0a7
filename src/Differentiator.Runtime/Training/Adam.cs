using System;

namespace Differentiator.Training;

/// <summary>
/// Adam (Kingma &amp; Ba, 2015), with the bias correction of the paper and of PyTorch's <c>torch.optim.Adam</c>:
/// m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g², m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), p ← p − η·m̂/(√v̂ + ε),
/// where t counts the steps taken on the block. Each parameter gets a step of about η whatever the scale of its
/// gradient, which is why Adam copes with badly scaled inputs that stall plain gradient descent.
/// </summary>
public sealed class Adam : Optimizer
{
    private readonly double[] _m;
    private readonly double[] _v;

    /// <summary>Adam with the given step size and decay rates.</summary>
    /// <param name="learningRate">The step size η (PyTorch's default is 0.001).</param>
    /// <param name="blockSizes">The number of parameters in each block (1 for a scalar).</param>
    /// <param name="beta1">β₁ in [0, 1): decay of the gradient's running mean.</param>
    /// <param name="beta2">β₂ in [0, 1): decay of the squared gradient's running mean.</param>
    /// <param name="epsilon">ε &gt; 0, added to √v̂ so that a zero gradient does not divide by zero.</param>
    /// <exception cref="ArgumentException">An argument is out of range.</exception>
    public Adam(double learningRate, int[] blockSizes, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
        : base(learningRate, blockSizes)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentException($"beta1 must be in [0, 1), not {beta1}.", nameof(beta1));
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentException($"beta2 must be in [0, 1), not {beta2}.", nameof(beta2));
        if (!(epsilon > 0) || double.IsInfinity(epsilon)) throw new ArgumentException($"epsilon must be positive and finite, not {epsilon}.", nameof(epsilon));
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        _m = new double[ParameterCount];
        _v = new double[ParameterCount];
    }

    /// <summary>β₁.</summary>
    public double Beta1 { get; }

    /// <summary>β₂.</summary>
    public double Beta2 { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    protected override void Update(Span<double> parameters, ReadOnlySpan<double> gradient, int stateOffset, int step)
    {
        var m = _m.AsSpan(stateOffset, parameters.Length);
        var v = _v.AsSpan(stateOffset, parameters.Length);
        double correction1 = 1 - Math.Pow(Beta1, step);
        double correction2 = 1 - Math.Pow(Beta2, step);
        double eta = LearningRate;
        for (int k = 0; k < parameters.Length; k++)
        {
            double g = gradient[k];
            m[k] = Beta1 * m[k] + (1 - Beta1) * g;
            v[k] = Beta2 * v[k] + (1 - Beta2) * g * g;
            double mHat = m[k] / correction1;
            double vHat = v[k] / correction2;
            parameters[k] -= eta * mHat / (Math.Sqrt(vHat) + Epsilon);
        }
    }

    /// <inheritdoc/>
    protected override void ClearState()
    {
        Array.Clear(_m);
        Array.Clear(_v);
    }
}
