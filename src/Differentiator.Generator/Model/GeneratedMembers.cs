using System;
using System.Collections.Generic;

namespace Differentiator.Generator.Model;

/// <summary>
/// Which members the generator writes for each method, chosen by the MSBuild property <c>DifferentiatorEmit</c>
/// (docs/generated-api.md). <c>MGradient</c> is always written; the checks and the picture are for when they are used.
/// </summary>
[Flags]
internal enum GeneratedMembers
{
    /// <summary><c>MGradient</c>: always written.</summary>
    Gradient = 0,
    /// <summary><c>MTapeGradient</c> and its helper <c>M__Tape</c>.</summary>
    Tape = 1,
    /// <summary><c>MNumericalGradient</c>.</summary>
    Numerical = 2,
    /// <summary><c>MGradientDot</c>, the derivative as a Graphviz digraph (about 40% of a small method's file).</summary>
    Dot = 4,
    /// <summary><c>MPushforward</c>: forward mode (docs/forward-mode.md).</summary>
    Pushforward = 8,
    /// <summary><c>MHessianVectorProduct</c>, <c>MHessian</c> and <c>MNumericalHessian</c> (docs/jacobians-and-hessians.md).</summary>
    Hessian = 16,
    /// <summary>Without the property: the gradient, both checks, forward mode and second order, as the contract promises every method.</summary>
    Default = Tape | Numerical | Pushforward | Hessian,
    All = Tape | Numerical | Dot | Pushforward | Hessian,
}

/// <summary>
/// The parsed <c>DifferentiatorEmit</c> value: the members, and the words that named none (reported as DIFF201); and
/// whether this is an IDE's design-time build, whose files keep the member bodies out of the compilation
/// (Emission/DesignTimeBodies.cs).
/// </summary>
internal sealed record EmitOptions(GeneratedMembers Members, EquatableArray<string> Unknown, bool DesignTime = false)
{
    public const string PropertyName = "DifferentiatorEmit";

    /// <summary>What build/Differentiator.targets passes to the compiler: <see cref="PropertyName"/> with ',' for ';'.</summary>
    public const string CompilerVisibleName = "DifferentiatorEmitForCompiler";

    public static readonly EmitOptions Default = new(GeneratedMembers.Default, EquatableArray<string>.Empty);

    /// <summary>
    /// What build/Differentiator.targets passes as <c>true</c> in a design-time build (<c>DesignTimeBuild</c>), unless
    /// the project sets <c>DifferentiatorEditorBodies</c> to true or <c>dotnet watch</c> builds.
    /// </summary>
    public const string DesignTimeName = "DifferentiatorDesignTimeForCompiler";

    /// <summary>Both properties as the compiler receives them.</summary>
    public static EmitOptions Parse(string? emit, string? designTime) =>
        Parse(emit) with { DesignTime = string.Equals(designTime?.Trim(), "true", StringComparison.OrdinalIgnoreCase) };

    /// <summary>
    /// <c>Gradient;Tape;Numerical;Dot;Pushforward;Hessian</c> in any order and case, separated by <c>;</c>, <c>,</c> or spaces;
    /// <c>All</c> for every member. Empty or absent: <see cref="GeneratedMembers.Default"/>.
    /// </summary>
    public static EmitOptions Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Default;
        var members = GeneratedMembers.Gradient;
        var unknown = new List<string>();
        foreach (var word in text!.Split(new[] { ';', ',', ' ' }, StringSplitOptions.RemoveEmptyEntries))
        {
            switch (word.Trim().ToLowerInvariant())
            {
                case "gradient": break;
                case "tape": members |= GeneratedMembers.Tape; break;
                case "numerical": members |= GeneratedMembers.Numerical; break;
                case "dot": members |= GeneratedMembers.Dot; break;
                case "pushforward": members |= GeneratedMembers.Pushforward; break;
                case "hessian": members |= GeneratedMembers.Hessian; break;
                case "all": members |= GeneratedMembers.All; break;
                default: unknown.Add(word.Trim()); break;
            }
        }
        return new EmitOptions(members, unknown.ToEquatableArray());
    }
}
