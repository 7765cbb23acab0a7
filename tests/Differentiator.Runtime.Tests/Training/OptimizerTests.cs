using System;
using Differentiator.Training;

namespace Differentiator.Runtime.Tests.Training;

/// <summary>Each optimizer against steps computed by hand from the published update rules.</summary>
public class OptimizerTests
{
    [Fact]
    public void Sgd_subtracts_the_learning_rate_times_the_gradient()
    {
        var sgd = new Sgd(learningRate: 0.1, blockSizes: new[] { 2, 1 });
        var w = new[] { 1.0, -2.0 };
        double b = 0.5;
        sgd.Step(0, w, new[] { 3.0, -4.0 });
        sgd.Step(1, ref b, 2.0);
        Assert.Equal(new[] { 0.7, -1.6 }, w, new Tolerance(1e-15));
        Assert.Equal(0.3, b, 15);
    }

    [Fact]
    public void Momentum_follows_the_PyTorch_rule_v_equals_mu_v_plus_g()
    {
        // By hand, μ = 0.9, η = 0.1, p₀ = 1, gradients 1, 2, −1:
        // v₁ = 1, p₁ = 0.9; v₂ = 0.9·1 + 2 = 2.9, p₂ = 0.61; v₃ = 0.9·2.9 − 1 = 1.61, p₃ = 0.449.
        var sgd = new Sgd(learningRate: 0.1, blockSizes: new[] { 1 }, momentum: 0.9);
        double p = 1;
        double[] expected = { 0.9, 0.61, 0.449 };
        double[] gradients = { 1, 2, -1 };
        for (int t = 0; t < 3; t++)
        {
            sgd.Step(0, ref p, gradients[t]);
            Assert.Equal(expected[t], p, 14);
        }
    }

    [Fact]
    public void Adam_matches_the_bias_corrected_rule_of_Kingma_and_Ba()
    {
        // Reference computed separately from the paper's Algorithm 1 (= PyTorch's documented rule), η = 0.1, defaults
        // β₁ = 0.9, β₂ = 0.999, ε = 1e-8. The first step is ≈ η·sign(g) whatever |g| — the bias correction at work.
        var adam = new Adam(learningRate: 0.1, blockSizes: new[] { 2 });
        var p = new[] { 1.0, -2.0 };
        double[][] gradients = { new[] { 0.5, -1.0 }, new[] { 0.2, 0.3 }, new[] { -0.4, 0.1 } };
        double[][] expected =
        {
            new[] { 0.900000002, -1.900000001 },
            new[] { 0.8101424839029282, -1.8572151424292265 },
            new[] { 0.7925145982082051, -1.830389924788512 },
        };
        for (int t = 0; t < 3; t++)
        {
            adam.Step(0, p, gradients[t]);
            Assert.Equal(expected[t], p, new Tolerance(1e-13));
        }
        Assert.Equal(3, adam.StepsTaken(0));
    }

    [Fact]
    public void Blocks_keep_separate_state_and_step_counts()
    {
        // Block 1 starts later; its first step must still be bias-corrected as a first step (≈ η).
        var adam = new Adam(learningRate: 0.1, blockSizes: new[] { 1, 1 });
        double a = 0, b = 0;
        for (int t = 0; t < 5; t++) adam.Step(0, ref a, 1.0);
        adam.Step(1, ref b, 1e-3);
        Assert.Equal(-0.1 * 1e-3 / (1e-3 + 1e-8), b, 15); // m̂ = g, v̂ = g² exactly on a first step
        Assert.Equal(5, adam.StepsTaken(0));
        Assert.Equal(1, adam.StepsTaken(1));
    }

    [Fact]
    public void Reset_forgets_the_state()
    {
        var sgd = new Sgd(learningRate: 0.1, blockSizes: new[] { 1 }, momentum: 0.9);
        double p = 0;
        sgd.Step(0, ref p, 1);
        sgd.Reset();
        double q = 0;
        sgd.Step(0, ref q, 1);
        Assert.Equal(-0.1, q, 15); // no velocity carried over
        Assert.Equal(1, sgd.StepsTaken(0));
    }

    [Fact]
    public void Steps_allocate_nothing()
    {
        var w = new double[16];
        var dw = new double[16];
        Array.Fill(dw, 0.5);
        double b = 0;
        Optimizer[] optimizers =
        {
            new Sgd(0.01, new[] { 16, 1 }),
            new Sgd(0.01, new[] { 16, 1 }, momentum: 0.9),
            new Adam(0.01, new[] { 16, 1 }),
        };
        foreach (var optimizer in optimizers)
        {
            optimizer.Step(0, w, dw); // warm up: JIT compilation may allocate
            optimizer.Step(1, ref b, 0.5);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int t = 0; t < 1000; t++)
            {
                optimizer.Step(0, w, dw);
                optimizer.Step(1, ref b, 0.5);
            }
            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }

    [Fact]
    public void Wrong_shapes_and_settings_are_rejected()
    {
        var sgd = new Sgd(0.1, new[] { 2, 1 });
        Assert.Throws<ArgumentException>(() => sgd.Step(0, new double[3], new double[3]));
        Assert.Throws<ArgumentException>(() => sgd.Step(0, new double[2], new double[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.Step(2, new double[1], new double[1]));
        double p = 0;
        Assert.Throws<ArgumentException>(() => sgd.Step(0, ref p, 1)); // block 0 has two parameters
        Assert.Throws<ArgumentException>(() => new Sgd(0, new[] { 1 }));
        Assert.Throws<ArgumentException>(() => new Sgd(double.NaN, new[] { 1 }));
        Assert.Throws<ArgumentException>(() => new Sgd(0.1, new[] { 1 }, momentum: 1));
        Assert.Throws<ArgumentException>(() => new Sgd(0.1, Array.Empty<int>()));
        Assert.Throws<ArgumentException>(() => new Adam(0.1, new[] { 0 }));
        Assert.Throws<ArgumentException>(() => new Adam(0.1, new[] { 1 }, beta2: 1));
        Assert.Throws<ArgumentException>(() => new Adam(0.1, new[] { 1 }, epsilon: 0));
        Assert.Throws<ArgumentException>(() => sgd.LearningRate = -1);
    }

    private sealed class Tolerance : System.Collections.Generic.IEqualityComparer<double>
    {
        private readonly double _tolerance;
        public Tolerance(double tolerance) => _tolerance = tolerance;
        public bool Equals(double x, double y) => Math.Abs(x - y) <= _tolerance;
        public int GetHashCode(double obj) => 0;
    }
}
