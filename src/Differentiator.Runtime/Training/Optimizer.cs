using System;
using System.Runtime.InteropServices;

namespace Differentiator.Training;

/// <summary>
/// A first-order optimizer that updates parameters in place from the gradients a generated <c>MGradient</c> writes.
/// Parameters come in blocks, one per differentiated parameter of the loss (an array <c>w</c> is one block, a scalar
/// <c>b</c> another), because that is how <c>MGradient</c> hands out gradients: a span per array, an <c>out double</c>
/// per scalar. Each block keeps its own state (velocity, moments, step count) in one flat array allocated by the
/// constructor, so a step allocates nothing.
/// </summary>
/// <example>
/// <code>
/// var adam = new Adam(learningRate: 0.01, blockSizes: new[] { w.Length, 1 });
/// double loss = Losses.MseGradient(X, y, w, b, dw, out double db);
/// adam.Step(0, w, dw);
/// adam.Step(1, ref b, db);
/// </code>
/// </example>
public abstract class Optimizer
{
    private readonly int[] _offsets;
    private readonly int[] _sizes;
    private readonly int[] _steps;

    /// <summary>Sets the learning rate and lays out the state of each block.</summary>
    /// <param name="learningRate">The step size; positive and finite.</param>
    /// <param name="blockSizes">The number of parameters in each block (1 for a scalar), in the order the blocks are addressed by <see cref="Step(int, Span{double}, ReadOnlySpan{double})"/>.</param>
    /// <exception cref="ArgumentException">The learning rate is not positive and finite, there is no block, or a size is not positive.</exception>
    protected Optimizer(double learningRate, int[] blockSizes)
    {
        ArgumentNullException.ThrowIfNull(blockSizes);
        if (blockSizes.Length == 0) throw new ArgumentException("At least one parameter block is needed.", nameof(blockSizes));
        LearningRate = learningRate;
        _offsets = new int[blockSizes.Length];
        _sizes = (int[])blockSizes.Clone();
        _steps = new int[blockSizes.Length];
        int total = 0;
        for (int k = 0; k < _sizes.Length; k++)
        {
            if (_sizes[k] <= 0) throw new ArgumentException($"Block {k} has size {_sizes[k]}; every block needs at least one parameter.", nameof(blockSizes));
            _offsets[k] = total;
            total = checked(total + _sizes[k]);
        }
        ParameterCount = total;
    }

    /// <summary>The step size. Settable between steps, so that a caller can decay it on a schedule.</summary>
    /// <exception cref="ArgumentException">The value is not positive and finite.</exception>
    public double LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value > 0) || double.IsInfinity(value)) throw new ArgumentException($"The learning rate must be positive and finite, not {value}.", nameof(value));
            _learningRate = value;
        }
    }

    private double _learningRate;

    /// <summary>The number of blocks.</summary>
    public int BlockCount => _sizes.Length;

    /// <summary>The number of parameters over all blocks: the length of the flat state each state array has.</summary>
    public int ParameterCount { get; }

    /// <summary>The number of steps taken so far on <paramref name="block"/> (Adam's bias correction counts them per block).</summary>
    public int StepsTaken(int block) => _steps[CheckBlock(block)];

    /// <summary>Updates the parameters of <paramref name="block"/> in place from their gradient.</summary>
    /// <param name="block">The block's index, in the order of the constructor's sizes.</param>
    /// <param name="parameters">The block's parameters, updated in place.</param>
    /// <param name="gradient">∂loss/∂parameters, as <c>MGradient</c> wrote it.</param>
    /// <exception cref="ArgumentOutOfRangeException">There is no such block.</exception>
    /// <exception cref="ArgumentException">A span's length is not the block's size.</exception>
    public void Step(int block, Span<double> parameters, ReadOnlySpan<double> gradient)
    {
        CheckBlock(block);
        int size = _sizes[block];
        if (parameters.Length != size) throw new ArgumentException($"Block {block} has {size} parameters, but {parameters.Length} were passed.", nameof(parameters));
        if (gradient.Length != size) throw new ArgumentException($"Block {block} has {size} parameters, but the gradient has {gradient.Length} values.", nameof(gradient));
        int step = ++_steps[block];
        Update(parameters, gradient, _offsets[block], step);
    }

    /// <summary>Updates a scalar parameter (a block of size 1) in place from its derivative.</summary>
    /// <param name="block">The block's index.</param>
    /// <param name="parameter">The parameter, updated in place.</param>
    /// <param name="gradient">∂loss/∂parameter, the <c>out double</c> that <c>MGradient</c> wrote.</param>
    /// <exception cref="ArgumentOutOfRangeException">There is no such block.</exception>
    /// <exception cref="ArgumentException">The block's size is not 1.</exception>
    public void Step(int block, ref double parameter, double gradient) =>
        // One-element spans over the caller's variable and the argument: no copy, no allocation.
        Step(block, MemoryMarshal.CreateSpan(ref parameter, 1), MemoryMarshal.CreateReadOnlySpan(ref gradient, 1));

    /// <summary>Forgets all state (velocities, moments, step counts), as if freshly constructed; the learning rate stays.</summary>
    public void Reset()
    {
        Array.Clear(_steps);
        ClearState();
    }

    /// <summary>Applies one step to one block.</summary>
    /// <param name="parameters">The block's parameters, updated in place.</param>
    /// <param name="gradient">Their gradient.</param>
    /// <param name="stateOffset">Where the block's state starts in a flat state array of length <see cref="ParameterCount"/>.</param>
    /// <param name="step">This block's step number, 1 for its first step.</param>
    protected abstract void Update(Span<double> parameters, ReadOnlySpan<double> gradient, int stateOffset, int step);

    /// <summary>Zeroes the optimizer's state arrays.</summary>
    protected abstract void ClearState();

    private int CheckBlock(int block)
    {
        if ((uint)block >= (uint)_sizes.Length) throw new ArgumentOutOfRangeException(nameof(block), block, $"There are {_sizes.Length} blocks.");
        return block;
    }
}
