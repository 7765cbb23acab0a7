using System;
using Differentiator.Training;

namespace Differentiator.Runtime.Tests.Training;

/// <summary>Z-scores, and the map of a model trained on them back to the data's units.</summary>
public class StandardizerTests
{
    private static readonly double[,] Data = { { 1, 100, 7 }, { 2, 300, 7 }, { 3, 200, 7 }, { 6, 400, 7 } };

    [Fact]
    public void Columns_get_mean_zero_and_unit_population_deviation()
    {
        var s = Standardizer.Fit(Data);
        Assert.Equal(new[] { 3.0, 250.0, 7.0 }, s.Means);
        Assert.Equal(Math.Sqrt((4 + 1 + 0 + 9) / 4.0), s.StandardDeviations[0], 14);
        Assert.Equal(1.0, s.StandardDeviations[2]); // a constant column: σ = 0 is replaced by 1
        var z = s.Transform(Data);
        for (int j = 0; j < 2; j++)
        {
            double sum = 0, squares = 0;
            for (int i = 0; i < 4; i++) { sum += z[i, j]; squares += z[i, j] * z[i, j]; }
            Assert.Equal(0.0, sum, 12);
            Assert.Equal(4.0, squares, 12);
        }
        Assert.Equal(0.0, z[0, 2]);
        var row = new double[3];
        s.TransformRow(new[] { 1.0, 100, 7 }, row);
        Assert.Equal(new[] { z[0, 0], z[0, 1], z[0, 2] }, row);
    }

    [Fact]
    public void A_model_trained_on_standardized_inputs_maps_back_to_the_same_predictions_in_original_units()
    {
        // y = 2·x₀ − 0.01·x₁ + 5 exactly; train on z-scores with gradient descent, then map back.
        int n = Data.GetLength(0);
        var y = new double[n];
        for (int i = 0; i < n; i++) y[i] = 2 * Data[i, 0] - 0.01 * Data[i, 1] + 5;
        var s = Standardizer.Fit(Data);
        var z = s.Transform(Data);
        var w = new double[3];
        double b = 0;
        var dw = new double[3];
        var sgd = new Sgd(0.1, new[] { 3, 1 });
        for (int epoch = 0; epoch < 5000; epoch++)
        {
            double db = MseGradient(z, y, w, b, dw);
            sgd.Step(0, w, dw);
            sgd.Step(1, ref b, db);
        }
        var w0 = new double[3];
        double b0 = s.ToOriginalUnits(w, b, w0);
        Assert.Equal(2.0, w0[0], 8);
        Assert.Equal(-0.01, w0[1], 8);
        Assert.Equal(0.0, w0[2], 12); // the constant column carries no weight…
        Assert.Equal(5.0, b0, 6);      // …its effect sits in the bias
        for (int i = 0; i < n; i++)
        {
            double onStandardized = b, onRaw = b0;
            for (int j = 0; j < 3; j++) { onStandardized += w[j] * z[i, j]; onRaw += w0[j] * Data[i, j]; }
            Assert.Equal(onStandardized, onRaw, 9);
        }
    }

    [Fact]
    public void Shapes_are_checked()
    {
        var s = Standardizer.Fit(Data);
        Assert.Throws<ArgumentException>(() => s.Transform(new double[2, 2]));
        Assert.Throws<ArgumentException>(() => s.ToOriginalUnits(new double[2], 0, new double[3]));
        Assert.Throws<ArgumentException>(() => Standardizer.Fit(new double[0, 3]));
    }

    // Hand-written MSE gradient (the runtime tests do not run the generator); returns ∂/∂b and fills dw.
    private static double MseGradient(double[,] X, double[] y, double[] w, double b, double[] dw)
    {
        int n = y.Length;
        Array.Clear(dw);
        double db = 0;
        for (int i = 0; i < n; i++)
        {
            double r = b - y[i];
            for (int j = 0; j < w.Length; j++) r += X[i, j] * w[j];
            for (int j = 0; j < w.Length; j++) dw[j] += 2 * r * X[i, j] / n;
            db += 2 * r / n;
        }
        return db;
    }
}
