using TestScores;

namespace Differentiator.Samples.Tests;

public sealed class TestScoresRun : SampleFixture<TestScoresResult>
{
    public TestScoresRun() : base("TestScores", TestScoresSample.Run) { }
}

public class TestScoresSampleTests : IClassFixture<TestScoresRun>
{
    private readonly TestScoresRun _run;

    public TestScoresSampleTests(TestScoresRun run) => _run = run;

    [Fact]
    public void Writes_every_picture() =>
        Pictures.AssertAll(_run.Folder, _run.Result.Files, "one_feature_fit.png", "one_feature_fit.svg",
            "two_features_predicted_vs_actual.png", "two_features_predicted_vs_actual.svg", "loss_curves.png", "loss_curves.svg");

    [Fact]
    public void One_feature_reaches_3_007_hours_plus_69_35_after_2000_epochs()
    {
        var one = _run.Result.OneFeature;
        Assert.Equal(3.007, one.W[0], 0.0005);
        Assert.Equal(69.35, one.B, 0.005);
        Assert.Equal(2000, one.Fit.Epochs);
    }

    [Fact]
    public void Two_features_train_too_and_give_sleep_a_positive_weight()
    {
        var two = _run.Result.TwoFeatures;
        Assert.Equal(2000, two.Fit.Epochs);
        Assert.True(two.Fit.FinalLoss < two.Fit.LossHistory[0] / 100);
        Assert.InRange(two.W[0], 0, 3.5);
        Assert.InRange(two.W[1], 0, 15); // more sleep, better score, in this made-up data
        for (int k = 1; k < two.Fit.LossHistory.Count; k++)
            Assert.True(two.Fit.LossHistory[k] <= two.Fit.LossHistory[k - 1] * (1 + 1e-12), $"the loss rose at epoch {k + 1}");
    }
}
