using System.Threading.Tasks;

namespace Differentiator.Generator.Tests.EditorExperience;

/// <summary>The analyzer in an editor buffer (Microsoft.CodeAnalysis.Testing), with exact spans: what users see as they type.</summary>
public class LiveDiagnosticTests
{
    private const string Prelude = "using System;\nusing Differentiator;\n";

    [Fact]
    public Task Errors_and_warnings_appear_live_with_exact_spans() => Verifiers.Analyzer(Prelude + @"
public static class {|DIFF001:Losses|}
{
    [Differentiable({|DIFF003:""v""|})]
    public static double Loss(double x)
    {
        {|DIFF007:foreach|} (var v in new double[1]) x = x / 2;
        return x;
    }
}

public static partial class Ok
{
    [Differentiable]
    public static double Norm(double[] v, double {|DIFF101:unused|})
    {
        double s = 0;
        for (int i = 0; i < v.Length; i++) s += v[i] * v[i];
        return {|DIFF104:Math.Sqrt(s)|} + {|DIFF102:Math.Abs(v[0])|};
    }
}").RunAsync();

    [Fact]
    public Task Code_without_the_attribute_is_left_alone() => Verifiers.Analyzer(Prelude + @"
public static class Plain
{
    public static double Loss(double x) { while (x > 1) x = x / 2; return x; }
}").RunAsync();
}
