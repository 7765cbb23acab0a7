using System;

namespace Differentiator.Training;

/// <summary>
/// Gradient descent, optionally with momentum, with the update rule of PyTorch's <c>torch.optim.SGD</c>:
/// without momentum p ← p − η·g; with momentum μ, v ← μ·v + g (v starts at g), then p ← p − η·v.
/// Called with the full-batch gradient of <c>MGradient</c> it is plain gradient descent; the name is the one
/// people search for.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly double[] _velocity;

    /// <summary>Plain gradient descent (<paramref name="momentum"/> 0) or gradient descent with momentum.</summary>
    /// <param name="learningRate">The step size η.</param>
    /// <param name="blockSizes">The number of parameters in each block (1 for a scalar).</param>
    /// <param name="momentum">μ in [0, 1): how much of the previous step carries over; 0.9 is common.</param>
    /// <exception cref="ArgumentException">The learning rate, the blocks or the momentum are out of range.</exception>
    public Sgd(double learningRate, int[] blockSizes, double momentum = 0)
        : base(learningRate, blockSizes)
    {
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentException($"The momentum must be in [0, 1), not {momentum}.", nameof(momentum));
        Momentum = momentum;
        _velocity = momentum == 0 ? Array.Empty<double>() : new double[ParameterCount];
    }

    /// <summary>μ: 0 for plain gradient descent.</summary>
    public double Momentum { get; }

    /// <inheritdoc/>
    protected override void Update(Span<double> parameters, ReadOnlySpan<double> gradient, int stateOffset, int step)
    {
        double eta = LearningRate;
        if (Momentum == 0)
        {
            for (int k = 0; k < parameters.Length; k++) parameters[k] -= eta * gradient[k];
            return;
        }
        var velocity = _velocity.AsSpan(stateOffset, parameters.Length);
        for (int k = 0; k < parameters.Length; k++)
        {
            // PyTorch starts the velocity at the first gradient rather than at μ·0 + g; the two agree, stated for clarity.
            velocity[k] = step == 1 ? gradient[k] : Momentum * velocity[k] + gradient[k];
            parameters[k] -= eta * velocity[k];
        }
    }

    /// <inheritdoc/>
    protected override void ClearState() => Array.Clear(_velocity);
}
