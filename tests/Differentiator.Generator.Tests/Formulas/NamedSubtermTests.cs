using System.Linq;
using Differentiator.Generator.Tests.Infrastructure;
namespace Differentiator.Generator.Tests.Formulas;
/// <summary>Long formulas name what they repeat, preferring the source's own locals (issue 22, item 9).</summary>
public class NamedSubtermTests
{
    [Fact]
    public void The_logistic_loss_names_its_probability_after_the_source_and_its_exponential()
    {
        var run = GeneratorRun.Compile(@"using System;
using Differentiator;
namespace Demo;
public static partial class Models
{
    [Differentiable(nameof(w), nameof(b))]
    public static double LogisticLoss(double[,] X, double[] y, double[] w, double b)
    {
        double loss = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double z = b;
            for (int j = 0; j < w.Length; j++) z += X[i, j] * w[j];
            double p = 1 / (1 + Math.Exp(-z));
            loss -= y[i] * Math.Log(p) + (1 - y[i]) * Math.Log(1 - p);
        }
        return loss / y.Length;
    }
    [Differentiable]
    public static double Rosenbrock(double[] x)
    {
        double f = 0;
        for (int i = 0; i + 1 < x.Length; i++)
        {
            double a = 1 - x[i];
            double c = x[i + 1] - x[i] * x[i];
            f += a * a + 100 * c * c;
        }
        return f;
    }
}").AssertClean();
        var lines = run.Sources["Demo.Models.LogisticLoss.g.cs"].Split('\n').Where(l => l.Contains("<para>")).Select(l => l.Trim()).ToList();
        Assert.Equal(new[]
        {
            "/// <para>LogisticLoss = (1/y.Length)·Σᵢ (−y[i]·ln(p[i]) − (1 − y[i])·ln(1 − p[i]))</para>",
            "/// <para>∂LogisticLoss/∂w[j] = (1/y.Length)·Σᵢ (−y[i]·p[i]·X[i,j]·u[i] + (1 − y[i])·X[i,j]·u[i]/((1 + u[i])²·(1 − p[i])))</para>",
            "/// <para>∂LogisticLoss/∂b = (1/y.Length)·Σᵢ (−y[i]·p[i]·u[i] + (1 − y[i])·u[i]/((1 + u[i])²·(1 − p[i])))</para>",
            "/// <para>where p[i] = 1/(1 + u[i])</para>",
            "/// <para>and u[i] = exp(−b − Σₖ X[i,k]·w[k])</para>",
        }, lines);
        // A short formula reads as before: nothing named.
        var rosenbrock = run.Sources["Demo.Models.Rosenbrock.g.cs"];
        Assert.DoesNotContain("<para>where", rosenbrock);
    }

    [Fact]
    public void A_stable_softmax_shows_its_formula_without_the_running_maximum()
    {
        var run = GeneratorRun.Compile(@"using System;
using Differentiator;
namespace Demo;
public static partial class Models
{
    [Differentiable]
    public static double Softmax0(double[] z)
    {
        double max = z[0];
        for (int k = 1; k < z.Length; k++) if (z[k] > max) max = z[k];
        double sum = 0;
        for (int j = 0; j < z.Length; j++) sum += Math.Exp(z[j] - max);
        return Math.Exp(z[0] - max) / sum;
    }
}").AssertClean();
        var lines = run.Sources["Demo.Models.Softmax0.g.cs"].Split('\n').Where(l => l.Contains("<para>")).Select(l => l.Trim()).ToList();
        // The maximum cancels, so the formula is the softmax's own (the code still subtracts it, for overflow).
        Assert.Equal("/// <para>Softmax0 = exp(z[0])/(Σⱼ exp(z[j]))</para>", lines[0]);
        Assert.StartsWith("/// <para>∂Softmax0/∂z[", lines[1]);
    }
}
