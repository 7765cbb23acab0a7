namespace Differentiator.Generator.Diagnostics;

/// <summary>
/// Every diagnostic id, spelled once: descriptors, advisories, code fixes and tests use these constants. Each id has
/// its page, docs/diagnostics/DIFFnnn.md.
/// </summary>
public static class DiagnosticIds
{
    public const string TypeNotPartial = "DIFF001";
    public const string ReturnTypeNotDouble = "DIFF002";
    public const string UnknownParameter = "DIFF003";
    public const string ParameterNotDifferentiable = "DIFF004";
    public const string UnsupportedParameterType = "DIFF005";
    public const string UnsupportedCall = "DIFF006";
    public const string UnsupportedStatement = "DIFF007";
    public const string UnsupportedExpression = "DIFF008";
    public const string ArrayElementWrite = "DIFF009";
    public const string UnsupportedLoopShape = "DIFF010";
    public const string LoopCounterAssigned = "DIFF011";
    public const string UnsupportedLocalType = "DIFF012";
    public const string UnsupportedMethodKind = "DIFF013";
    public const string UnsupportedParameterModifier = "DIFF014";
    public const string ConditionalCall = "DIFF015";
    public const string LostDerivative = "DIFF016";
    public const string Recursion = "DIFF017";
    public const string UnsupportedLocalArray = "DIFF018";
    public const string MixedPrecision = "DIFF019";
    public const string NestedDerivativeCall = "DIFF020";
    public const string VectorOutputMissing = "DIFF401";
    public const string ZeroGradient = "DIFF101";
    public const string NonSmooth = "DIFF102";
    public const string IntegerConversion = "DIFF103";
    public const string NaNHazard = "DIFF104";
    public const string ScratchStorage = "DIFF105";
    public const string UnknownEmitMember = "DIFF201";
    public const string ForwardModeNotGenerated = "DIFF300";
    public const string SecondOrderNotGenerated = "DIFF301";
    public const string CustomDerivativeTargetNotFound = "DIFF501";
    public const string CustomDerivativeSignature = "DIFF502";
    public const string CustomDerivativeOfDifferentiable = "DIFF503";
    public const string NestedDerivativeCallShape = "DIFF600";
    public const string NestedCallNeedsHessian = "DIFF601";
    public const string InternalError = "DIFF900";
}
