using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Differentiator.Generator.Diagnostics;

/// <summary>Every diagnostic Differentiator reports, with a help link to docs/diagnostics/DIFFnnn.md.</summary>
public static class DiagnosticDescriptors
{
    private const string Category = "Differentiator";
    private const string HelpRoot = "https://github.com/differentiator/differentiator/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor TypeNotPartial = Error(DiagnosticIds.TypeNotPartial, "Containing type must be partial",
        "Type '{0}' must be declared 'partial' so the generator can add the gradient methods of '{1}' to it");

    public static readonly DiagnosticDescriptor ReturnTypeNotDouble = Error(DiagnosticIds.ReturnTypeNotDouble, "Differentiable method must return double or float",
        "'{0}' returns '{1}'; a [Differentiable] method must return double or float (the value whose gradient is computed)");

    public static readonly DiagnosticDescriptor VectorOutputMissing = Error(DiagnosticIds.VectorOutputMissing, "Void method is not vector-valued",
        "'{0}' returns void, so it must be vector-valued: its last parameter a Span<double> (or Span<float>) that the body writes, passed by value; but {1}");

    public static readonly DiagnosticDescriptor UnknownParameter = Error(DiagnosticIds.UnknownParameter, "Attribute names an unknown parameter",
        "[Differentiable] names '{0}', which is not a parameter of '{1}'; use nameof(parameter)");

    public static readonly DiagnosticDescriptor ParameterNotDifferentiable = Error(DiagnosticIds.ParameterNotDifferentiable, "Parameter cannot be differentiated",
        "Parameter '{0}' of type '{1}' cannot be differentiated: only double, double[], Span<double>, ReadOnlySpan<double>, double[,] and double[][] parameters (or their float twins) can ({2})");

    public static readonly DiagnosticDescriptor UnsupportedParameterType = Error(DiagnosticIds.UnsupportedParameterType, "Unsupported parameter type",
        "Parameter '{0}' has type '{1}'; supported parameter types are double, int, double[], Span<double>, ReadOnlySpan<double>, double[,] and double[][] (or float and the same shapes of float in a method that returns float), and int data: int[], ReadOnlySpan<int>, Span<int> and int[,]");

    public static readonly DiagnosticDescriptor UnsupportedCall = Error(DiagnosticIds.UnsupportedCall, "Call cannot be differentiated",
        "Cannot differentiate through a call to '{0}': only static methods of this compilation (inlined, or [Differentiable]) and " + Primitives.PrimitiveTable.Supported() + " are supported{1}");

    public static readonly DiagnosticDescriptor UnsupportedStatement = Error(DiagnosticIds.UnsupportedStatement, "Statement not supported",
        "'{0}' statements are not supported in a [Differentiable] method; {1}");

    /// <summary>DIFF007's advice for most statements; a local function gets its own.</summary>
    public const string StatementAdvice = "use for and while loops (with break and continue), if/else, assignments and return";

    public static readonly DiagnosticDescriptor UnsupportedExpression = Error(DiagnosticIds.UnsupportedExpression, "Expression not supported",
        "{0} is not supported in a [Differentiable] method; use arithmetic on doubles and ints, comparisons, ?:, array elements and Math functions");

    public static readonly DiagnosticDescriptor ArrayElementWrite = Error(DiagnosticIds.ArrayElementWrite, "Cannot write to an array element",
        "Writing to '{0}' is not supported: a [Differentiable] method must not modify its array parameters; compute into a local double or a local array (new double[n]) instead");

    public static readonly DiagnosticDescriptor UnsupportedLoopShape = Error(DiagnosticIds.UnsupportedLoopShape, "Loop shape not supported",
        "This for loop is not supported: {0}; write 'for (int i = start; i < bound; i++)' (or <=, >, >= and i--)");

    public static readonly DiagnosticDescriptor LoopCounterAssigned = Error(DiagnosticIds.LoopCounterAssigned, "Loop counter assigned in the loop body",
        "The loop counter '{0}' is assigned inside the loop body; the reverse sweep replays the loop backwards and needs the counter to change only in the loop header");

    public static readonly DiagnosticDescriptor UnsupportedLocalType = Error(DiagnosticIds.UnsupportedLocalType, "Local of unsupported type",
        "Local '{0}' has type '{1}'; locals of a [Differentiable] method must be double (float in a method that returns float), int, bool, an array of reals (double[], Span<double>, double[,]) or a view of int data (ReadOnlySpan<int> row = labels.AsSpan(…))");

    public static readonly DiagnosticDescriptor UnsupportedMethodKind = Error(DiagnosticIds.UnsupportedMethodKind, "Method kind not supported",
        "'{0}' cannot be differentiated because it is {1}");

    public static readonly DiagnosticDescriptor UnsupportedParameterModifier = Error(DiagnosticIds.UnsupportedParameterModifier, "Parameter modifier not supported",
        "Parameter '{0}' is declared '{1}'; parameters of a [Differentiable] method are passed by value");

    public static readonly DiagnosticDescriptor ConditionalCall = Error(DiagnosticIds.ConditionalCall, "Differentiable call evaluated conditionally",
        "The call to '{0}' is evaluated only on some paths ({1}); move it into its own statement, e.g. 'double v = {0}(...);' before the condition, or use if/else");

    public static readonly DiagnosticDescriptor LostDerivative = Error(DiagnosticIds.LostDerivative, "Derivative lost through a call",
        "A differentiated value is passed to parameter '{0}' of '{1}', which '{1}' does not differentiate; add nameof({0}) to the [Differentiable] attribute of '{1}'");

    public static readonly DiagnosticDescriptor Recursion = Error(DiagnosticIds.Recursion, "Recursion not supported",
        "'{0}' calls itself; recursion is not supported in a [Differentiable] method, use a loop");

    public static readonly DiagnosticDescriptor NestedDerivativeCall = Error(DiagnosticIds.NestedDerivativeCall, "Generated derivative called inside a differentiable method",
        "'{0}' is the generated {1} of '{2}': of another method's generated members, a [Differentiable] method can call only its Gradient and Pushforward (nested differentiation); call this one outside the method, or give the computation that needs it a custom derivative with [DerivativeOf]");

    public static readonly DiagnosticDescriptor NestedDerivativeCallShape = Error(DiagnosticIds.NestedDerivativeCallShape, "Generated derivative called in a way nested differentiation does not support",
        "The call of '{0}' cannot be differentiated: {1}");

    public static readonly DiagnosticDescriptor UnsupportedLocalArray = Error(DiagnosticIds.UnsupportedLocalArray, "Local array not supported here",
        "Local array '{0}': {1}");

    public static readonly DiagnosticDescriptor MixedPrecision = Error(DiagnosticIds.MixedPrecision, "float and double mixed",
        "{0} is {1}, but '{3}' computes in {2} (its return type); one [Differentiable] method computes in one precision so that its gradient rounds exactly where it does: {4}");

    public static readonly DiagnosticDescriptor CustomDerivativeTargetNotFound = Error(DiagnosticIds.CustomDerivativeTargetNotFound, "Custom derivative of an unknown method",
        "[DerivativeOf] names '{0}', which is not a static, non-generic method of '{1}' that returns double or float; name the method whose derivative '{2}' is, with nameof");

    public static readonly DiagnosticDescriptor CustomDerivativeSignature = Error(DiagnosticIds.CustomDerivativeSignature, "Custom derivative does not fit its method",
        "'{0}' does not fit as the vector-Jacobian product of '{1}': {2}; expected 'static void {0}({3})'");

    public static readonly DiagnosticDescriptor CustomDerivativeOfDifferentiable = Error(DiagnosticIds.CustomDerivativeOfDifferentiable, "Custom derivative of a [Differentiable] method",
        "'{0}' is [Differentiable], so its derivative is generated from its body; remove [Differentiable] from '{0}' to use the custom derivative '{1}', or remove [DerivativeOf] from '{1}'");

    public static readonly DiagnosticDescriptor ZeroGradient = Warning(DiagnosticIds.ZeroGradient, "Gradient is identically zero",
        "The result of '{1}' does not depend on '{0}', so its gradient with respect to '{0}' is always zero; remove it from [Differentiable] or check the code");

    public static readonly DiagnosticDescriptor NonSmooth = Warning(DiagnosticIds.NonSmooth, "Differentiated value flows through a kink",
        "A differentiated value flows through {0}, which is not differentiable everywhere; the gradient there is {1}. Suppress this warning if that is intended");

    public static readonly DiagnosticDescriptor IntegerConversion = Warning(DiagnosticIds.IntegerConversion, "Derivative lost in an integer conversion",
        "A differentiated value is converted with {0}: the result is piecewise constant, so no derivative flows through it");

    public static readonly DiagnosticDescriptor NaNHazard = Warning(DiagnosticIds.NaNHazard, "Derivative can be infinite or NaN here",
        "{0}: {1}, and its derivative {2}, so the gradient becomes ∞ or NaN there; {3}");

    public static readonly DiagnosticDescriptor ScratchStorage = new(DiagnosticIds.ScratchStorage, "Gradient needs per-call scratch storage",
        "The gradient of '{0}' saves {1} during the forward sweep, on a per-thread stack or in pooled buffers, because loops overwrite values its reverse sweep needs; it allocates nothing in steady state, but costs a store and a load per saved value",
        Category, DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpRoot + DiagnosticIds.ScratchStorage + ".md");

    public static readonly DiagnosticDescriptor UnknownEmitMember = Warning(DiagnosticIds.UnknownEmitMember, "Unknown member in DifferentiatorEmit",
        "The MSBuild property DifferentiatorEmit names '{0}', which is not a generated member; the known ones are Gradient, Tape, Numerical, Dot, Pushforward, Hessian and All (separated by ';')");

    public static readonly DiagnosticDescriptor ForwardModeNotGenerated = Error(DiagnosticIds.ForwardModeNotGenerated, "Forward-mode and second-order members not generated",
        "The forward-mode and second-order members of '{0}' (Pushforward, HessianVectorProduct, Hessian) were not generated: {1}; its gradient and the checks were; leave them out with DifferentiatorEmit (e.g. Gradient;Tape;Numerical) to build without them");

    public static readonly DiagnosticDescriptor SecondOrderNotGenerated = new(DiagnosticIds.SecondOrderNotGenerated, "Second-order members not generated",
        "Some second-order members of '{0}' were not generated: {1}",
        Category, DiagnosticSeverity.Info, isEnabledByDefault: true, helpLinkUri: HelpRoot + DiagnosticIds.SecondOrderNotGenerated + ".md");

    public static readonly DiagnosticDescriptor NestedCallNeedsHessian = Error(DiagnosticIds.NestedCallNeedsHessian, "Nested derivative call needs the Hessian members",
        "'{0}' calls the generated derivative of '{1}' (nested differentiation), and its gradient calls '{1}HessianVectorProduct', which DifferentiatorEmit leaves out; add Hessian to DifferentiatorEmit (e.g. Gradient;Hessian)");

    public static readonly DiagnosticDescriptor InternalError = Error(DiagnosticIds.InternalError, "Internal error in Differentiator",
        "Differentiator could not generate the gradient of '{0}' because of an internal error ({1}); please report it with this method's code");

    public static readonly IReadOnlyList<DiagnosticDescriptor> All = new[]
    {
        TypeNotPartial, ReturnTypeNotDouble, UnknownParameter, ParameterNotDifferentiable, UnsupportedParameterType,
        UnsupportedCall, UnsupportedStatement, UnsupportedExpression, ArrayElementWrite, UnsupportedLoopShape,
        LoopCounterAssigned, UnsupportedLocalType, UnsupportedMethodKind, UnsupportedParameterModifier, ConditionalCall,
        LostDerivative, Recursion, UnsupportedLocalArray, MixedPrecision, NestedDerivativeCall, VectorOutputMissing, CustomDerivativeTargetNotFound, CustomDerivativeSignature, CustomDerivativeOfDifferentiable, NestedDerivativeCallShape, ZeroGradient, NonSmooth, IntegerConversion, NaNHazard, ScratchStorage, UnknownEmitMember,
        ForwardModeNotGenerated, SecondOrderNotGenerated, NestedCallNeedsHessian, InternalError,
    };

    private static readonly Dictionary<string, DiagnosticDescriptor> Index = All.ToDictionary(d => d.Id);

    public static DiagnosticDescriptor ById(string id) => Index[id];

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpRoot + id + ".md");

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + id + ".md");
}
