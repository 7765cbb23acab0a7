using Standardization;

namespace Differentiator.Samples.Tests;

public sealed class StandardizationRun : SampleFixture<StandardizationResult>
{
    public StandardizationRun() : base("Standardization", StandardizationSample.Run) { }
}

public class StandardizationSampleTests : IClassFixture<StandardizationRun>
{
    private readonly StandardizationRun _run;

    public StandardizationSampleTests(StandardizationRun run) => _run = run;

    [Fact]
    public void Writes_every_picture() =>
        Pictures.AssertAll(_run.Folder, _run.Result.Files, "convergence.png", "convergence.svg", "predicted_vs_actual.png", "predicted_vs_actual.svg");

    [Fact]
    public void Standardized_inputs_converge_in_far_fewer_epochs_than_raw_ones()
    {
        int standardized = _run.Result.StandardizedEpochsToTarget ?? int.MaxValue;
        int plain = _run.Result.PlainEpochsToTarget ?? StandardizationSample.MaxEpochs + 1; // not at all counts as more than the maximum
        Assert.True(standardized <= 100, $"standardized took {standardized} epochs");
        Assert.True(standardized * 20 < plain, $"standardized {standardized} vs raw {plain} epochs");
    }

    [Fact]
    public void The_standardized_model_mapped_back_recovers_the_true_parameters()
    {
        for (int j = 0; j < 5; j++) Assert.Equal(StandardizationSample.TrueW[j], _run.Result.W[j], 1e-3);
        Assert.Equal(StandardizationSample.TrueB, _run.Result.B, 0.05);
        // The raw run has the weights roughly but its bias has barely moved from 0.
        Assert.True(_run.Result.PlainB < 1);
    }
}
