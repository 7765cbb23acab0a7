using System;
using System.Linq;
using CurveFit;

namespace Differentiator.Samples.Tests;

public sealed class CurveFitRun : SampleFixture<CurveFitResult>
{
    public CurveFitRun() : base("CurveFit", CurveFitSample.Run) { }
}

public class CurveFitSampleTests : IClassFixture<CurveFitRun>
{
    private readonly CurveFitRun _run;

    public CurveFitSampleTests(CurveFitRun run) => _run = run;

    [Fact]
    public void Writes_every_picture() =>
        Pictures.AssertAll(_run.Folder, _run.Result.Files, "fit.png", "fit.svg", "cost.png", "cost.svg");

    [Fact]
    public void The_generated_jacobian_agrees_with_the_tape_and_central_differences()
    {
        Assert.True(_run.Result.JacobianAgreement.Tape < 1e-12, _run.Log);
        Assert.True(_run.Result.JacobianAgreement.Numerical < 1e-7, _run.Log);
    }

    [Fact]
    public void Levenberg_marquardt_recovers_the_parameters_within_the_noise()
    {
        // 40 points with σ = 0.05: the least-squares estimates' standard errors are about 0.03–0.06, so 0.15 is a few of them.
        var fitted = _run.Result.Fitted;
        for (int j = 0; j < 3; j++) Assert.True(Math.Abs(fitted[j] - _run.Result.True[j]) < 0.15, $"parameter {j}: {fitted[j]} vs {_run.Result.True[j]}\n{_run.Log}");
        // The noise floor: ½·Σ r² ≈ ½·40·σ² = 0.05 at the truth; the fit can only be lower (it minimizes), and not by much.
        double cost = _run.Result.Iterations[^1].Cost;
        Assert.InRange(cost, 0.02, 0.08);
        var (t, y) = CurveFitSample.Data(seed: 7);
        var atTruth = new double[t.Length];
        DecayModel.Residuals(_run.Result.True, t, y, atTruth);
        Assert.True(cost <= LevenbergMarquardt.HalfSquares(atTruth), "the fit is no better than the true parameters");
    }

    [Fact]
    public void Every_step_lowers_the_cost_and_the_fit_converges_in_few_steps()
    {
        var costs = _run.Result.Iterations.Select(i => i.Cost).ToArray();
        for (int k = 1; k < costs.Length; k++) Assert.True(costs[k] < costs[k - 1], $"step {k}: {costs[k]} after {costs[k - 1]}");
        Assert.True(costs[0] > 100 * costs[^1], string.Join(", ", costs));
        Assert.InRange(costs.Length - 1, 3, 40);
    }
}
