using Differentiator.Generator.Tests.Infrastructure;

namespace Differentiator.Generator.Tests.EndToEnd;

public class MseTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 1)]
    [InlineData(20, 3)]
    [InlineData(200, 7)]
    public void Mse_gradient_agrees_three_ways_and_with_the_formula(int n, int d)
    {
        var m = GeneratorRun.Compile(Sources.Mse).AssertClean().Method("Demo.Losses", "Mse");
        var inputs = new Inputs(n * 31 + d);
        var X = inputs.Matrix(n, d);
        var y = inputs.Vector(n);
        var w = inputs.Vector(d);
        double b = inputs.Scalar();
        var g = ThreeWay.Check(m, new object[] { X, y, w, b });

        // ∂/∂w[j] = (2/n) Σᵢ rᵢ·X[i,j], ∂/∂b = (2/n) Σᵢ rᵢ with rᵢ = b + Σₖ X[i,k]·w[k] − y[i]
        var dw = new double[d];
        double db = 0;
        for (int i = 0; i < n; i++)
        {
            double r = b - y[i];
            for (int k = 0; k < d; k++) r += X[i, k] * w[k];
            for (int j = 0; j < d; j++) dw[j] += 2.0 / n * r * X[i, j];
            db += 2.0 / n * r;
        }
        for (int j = 0; j < d; j++) Assert.Equal(dw[j], g[0][j], 10);
        Assert.Equal(db, g[1][0], 10);
    }
}
