namespace Differentiator.Generator;

/// <summary>Names of the incremental pipeline's steps, so tests can check what was cached after an edit.</summary>
public static class TrackingNames
{
    public const string Parse = "Differentiator.Parse";
    public const string Generate = "Differentiator.Generate";
    public const string Options = "Differentiator.Options";

    /// <summary>A <c>[DerivativeOf]</c> method read into the model of its tape form (null when it does not fit).</summary>
    public const string CustomDerivative = "Differentiator.CustomDerivative";

    /// <summary>The model alone, without positions: unchanged when an edit only moved the method.</summary>
    public const string Model = "Differentiator.Model";
}
