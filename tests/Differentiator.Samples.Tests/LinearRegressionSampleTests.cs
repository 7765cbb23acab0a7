using LinearRegression;

namespace Differentiator.Samples.Tests;

public sealed class LinearRegressionRun : SampleFixture<LinearRegressionResult>
{
    public LinearRegressionRun() : base("LinearRegression", LinearRegressionSample.Run) { }
}

public class LinearRegressionSampleTests : IClassFixture<LinearRegressionRun>
{
    private readonly LinearRegressionRun _run;

    public LinearRegressionSampleTests(LinearRegressionRun run) => _run = run;

    [Fact]
    public void Writes_every_picture() =>
        Pictures.AssertAll(_run.Folder, _run.Result.Files,
            "a_fit.png", "a_fit.svg", "ab_loss.png", "ab_loss.svg", "c_predicted_vs_actual.png", "c_predicted_vs_actual.svg");

    [Fact]
    public void The_generated_gradient_passes_the_three_way_check() => Assert.True(_run.Result.GradientCheck.Passed, _run.Log);

    [Fact]
    public void Hours_studied_gives_the_tutorial_line()
    {
        // 2000 epochs at rate 0.01 from 0 stop short of least squares (3·hours + 69.4) at 3.007·hours + 69.35.
        var a = _run.Result.OneFeature;
        Assert.Equal(3.007, a.W[0], 0.0005);
        Assert.Equal(69.35, a.B, 0.005);
        Assert.Equal(2000, a.Fit.Epochs);
    }

    [Fact]
    public void The_large_synthetic_problem_learns_the_weights_but_not_yet_the_bias()
    {
        var c = _run.Result.Synthetic;
        double[] trueW = { 2, 8, 1, 3, 6 };
        for (int j = 0; j < 5; j++) Assert.Equal(trueW[j], c.W[j], 0.05);
        Assert.InRange(c.B, 1.0, 1.2); // from 1 toward 4, slowly: the point samples/Standardization makes
        Assert.True(c.Fit.FinalLoss < c.Fit.LossHistory[0] / 1e5);
    }

    [Fact]
    public void Prints_its_output_folder() => Assert.Contains(_run.Folder, _run.Log);
}
