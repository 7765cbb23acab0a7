using System.Threading.Tasks;
using Differentiator.CodeFixes;

namespace Differentiator.Generator.Tests.EditorExperience;

/// <summary>Each code fix, before and after.</summary>
public class CodeFixTests
{
    [Fact]
    public Task Make_the_containing_type_partial() => Verifiers.CodeFix<MakeTypePartialFix>(
@"using Differentiator;

public static class {|DIFF001:Losses|}
{
    [Differentiable] public static double Square(double x) => x * x;
}
",
@"using Differentiator;

public static partial class Losses
{
    [Differentiable] public static double Square(double x) => x * x;
}
").RunAsync();

    [Fact]
    public Task Make_a_type_without_modifiers_partial() => Verifiers.CodeFix<MakeTypePartialFix>(
@"using Differentiator;

class {|DIFF001:Losses|}
{
    [Differentiable] public static double Square(double x) => x * x;
}
",
@"using Differentiator;

partial class Losses
{
    [Differentiable] public static double Square(double x) => x * x;
}
").RunAsync();

    [Fact]
    public Task Remove_a_name_that_is_not_a_parameter() => Verifiers.CodeFix<RemoveUnknownParameterNameFix>(
@"using Differentiator;

public static partial class Losses
{
    [Differentiable(nameof(x), {|DIFF003:""weights""|})] public static double Square(double x) => x * x;
}
",
@"using Differentiator;

public static partial class Losses
{
    [Differentiable(nameof(x))] public static double Square(double x) => x * x;
}
").RunAsync();

    [Fact]
    public Task Mark_a_called_helper_differentiable_when_it_is_in_the_subset() => Verifiers.CodeFix<MarkHelperDifferentiableFix>(
@"using Differentiator;

public static partial class Losses
{
    static double Sq(double x) => x * x;

    [Differentiable] public static double Loss(double x) => {|DIFF006:Sq(x)|} + 1;
}
",
@"using Differentiator;

public static partial class Losses
{
    [Differentiable]
    static double Sq(double x) => x * x;

    [Differentiable] public static double Loss(double x) => Sq(x) + 1;
}
").RunAsync();

    [Fact]
    public Task No_fix_is_offered_for_a_helper_outside_the_subset()
    {
        const string code = @"using Differentiator;

public static partial class Losses
{
    static double Halve(double x) { foreach (var v in new double[1]) x = x / 2; return x; }

    [Differentiable] public static double Loss(double x) => {|DIFF006:Halve(x)|};
}
";
        var test = Verifiers.CodeFix<MarkHelperDifferentiableFix>(code, code);
        test.FixedState.MarkupHandling = Microsoft.CodeAnalysis.Testing.MarkupMode.Allow;
        return test.RunAsync();
    }
}
