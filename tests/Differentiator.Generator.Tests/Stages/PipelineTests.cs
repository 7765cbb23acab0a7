using System.Collections.Immutable;
using System.Linq;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Emission;
using Differentiator.Generator.Model;
using Xunit.Abstractions;
using static Differentiator.Generator.Tests.Stages.IrBuilder;

namespace Differentiator.Generator.Tests.Stages;

/// <summary>The Roslyn-free stages on hand-written IR.</summary>
public class PipelineTests
{
    private readonly ITestOutputHelper _output;

    public PipelineTests(ITestOutputHelper output) => _output = output;

    private static string Emit(Ir.MethodIr ir)
    {
        var result = GradientPipeline.Run(ir);
        Assert.NotNull(result.Program);
        var model = new MethodModel("Demo", EquatableArray.Of(new ContainingType("class", "Losses", true)), "public", true, "Demo.Losses." + ir.Name + ".g.cs", ir, EquatableArray<DiagnosticInfo>.Empty);
        return SourceFileEmitter.Emit(model, result.Program!);
    }

    [Fact]
    public void Mse_fuses_into_one_loop_that_stores_nothing()
    {
        string code = Emit(Mse());
        _output.WriteLine(code);
        Assert.DoesNotContain("scratch", code.Substring(0, code.IndexOf("Mse__Tape", System.StringComparison.Ordinal)));
        // One fused loop per row-length version (Optimization/LoopVersioning.cs): kernels for w.Length >= 4, loops below.
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(code.Substring(0, code.IndexOf("Mse__Tape", System.StringComparison.Ordinal)), @"for \(int i").Count);
    }
}

/// <summary>The differentiation stage checked by interpretation against central differences of the interpreted primal.</summary>
public class InterpretedGradientTests
{
    [Fact]
    public void Mse_gradient_by_interpretation_matches_central_differences()
    {
        var ir = Mse();
        var program = GradientPipeline.Run(ir).Program!;
        var random = new System.Random(5);
        double[] X = Enumerable.Range(0, 12).Select(_ => random.NextDouble()).ToArray();
        double[] y = Enumerable.Range(0, 4).Select(_ => random.NextDouble()).ToArray();
        double[] w = Enumerable.Range(0, 3).Select(_ => random.NextDouble()).ToArray();
        double b = 0.3;

        IrInterpreter Setup(double[] weights, double bias)
        {
            var run = new IrInterpreter();
            run.SetArray("X", X, 4, 3);
            run.SetArray("y", y);
            run.SetArray("w", weights);
            run.SetArray("dw", new double[3]);
            run["b"] = bias;
            foreach (var local in program.Locals) run[local.Name] = 0;
            return run;
        }

        double Primal(double[] weights, double bias)
        {
            var run = Setup(weights, bias);
            run.Run(program.Primal.Method.Body);
            return run[program.Primal.Result];
        }

        var gradient = Setup(w, b);
        gradient.Run(program);
        for (int j = 0; j < 3; j++)
        {
            var up = (double[])w.Clone();
            var down = (double[])w.Clone();
            up[j] += 1e-6;
            down[j] -= 1e-6;
            Assert.Equal((Primal(up, b) - Primal(down, b)) / 2e-6, gradient.Array("dw")[j], 7);
        }
        Assert.Equal((Primal(w, b + 1e-6) - Primal(w, b - 1e-6)) / 2e-6, gradient["db"], 7);
    }
}
