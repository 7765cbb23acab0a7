namespace Differentiator.Generator.Differentiation;

/// <summary>What a name the gradient introduces is for (<see cref="NameRequest"/>).</summary>
internal enum NamePurpose
{
    /// <summary>The copy of x's adjoint in the reverse of <c>x = f(x, …)</c>.</summary>
    NextAdjoint,
    /// <summary>The element's adjoint taken in the reverse of <c>t[k] = e</c>.</summary>
    ElementAdjoint,
    /// <summary>The partials a call of another method's gradient returns.</summary>
    CallPartials,
    /// <summary>The counter of the loop that chains a whole array's partials (<see cref="NameRequest.Output"/>: which one).</summary>
    CallCounter,
    /// <summary>The gradient of a nested pushforward's callee.</summary>
    NestedGradient,
    /// <summary>The Hessian-vector product of a nested call's callee.</summary>
    NestedHessianVectorProduct,
    /// <summary>The rented zeros a nested call's product takes along a span whose gradient carries no derivative (<see cref="NameRequest.Output"/>: which differentiated parameter).</summary>
    NestedZeroDirection,
    /// <summary>The counter of a nested call's element loop over a span (<see cref="NameRequest.Local"/>: the loop's purpose and array).</summary>
    NestedCounter,
    /// <summary>The flag recording which way a branch went.</summary>
    BranchFlag,
    /// <summary>The first counter value and trip count of a loop whose bounds cannot be recomputed.</summary>
    LoopRecord,
    /// <summary>The buffer of slots in which an assignment's overwritten values are saved.</summary>
    Slot,
    /// <summary>The buffer in which a loop's snapshots of <see cref="NameRequest.Local"/> are written in place.</summary>
    Snapshots,
}

/// <summary>
/// A name the sweeps give, once, for a purpose and a primal statement: the key under which <see cref="GradientNames"/>
/// keeps it. The reversal analysis lists the requests the reverse sweep would make, in its order, so the planner can
/// give the names where it used to build a sweep, and the generated names stay as they were.
/// </summary>
internal sealed record NameRequest(NamePurpose Purpose, StmtId Statement, int Output = 0, string? Local = null);
