using System.Linq;
using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Differentiation;

/// <summary>
/// The names a sweep gives (<see cref="GradientNames"/>, once per <see cref="NameRequest"/>), and <see cref="Give"/>, by
/// which the planner gives them in the order the reversal analysis lists them (slots and snapshot buffers are named in
/// Snapshots.cs, a nested call's products in Nested.cs).
/// </summary>
internal sealed partial class ReverseModeBuilder
{
    private string NextAdjoint(Assign assign) =>
        _names.Once(new NameRequest(NamePurpose.NextAdjoint, IdOf(assign)), () => _names.Allocate(_adjointNames[assign.Target] + "_next"));

    private string ElementAdjoint(AssignElement write) =>
        _names.Once(new NameRequest(NamePurpose.ElementAdjoint, IdOf(write)), () => _names.Allocate("_d_" + write.Array + "_k"));

    /// <summary>The partials a call of the callee's gradient returns, one per differentiated parameter.</summary>
    private string[] CallPartials(CallAssign call) =>
        _names.Once(new NameRequest(NamePurpose.CallPartials, IdOf(call)), () => call.Callee.Parameters.Where(p => p.Differentiated)
            .Select(p => p.IsArray ? _names.Allocate("_d_" + call.Target + "_" + p.Name) : AddLocal("_d_" + call.Target + "_" + p.Name, ScalarType.Double)).ToArray());

    /// <summary>
    /// Gives the name <paramref name="request"/> asks for, as the sweep would when it first needs it: the planner gives,
    /// in the reversal analysis's order, the names of the sweeps it no longer builds.
    /// </summary>
    internal void Give(NameRequest request)
    {
        var statement = _context.Ids[request.Statement];
        switch (request.Purpose)
        {
            case NamePurpose.NextAdjoint: NextAdjoint((Assign)statement); break;
            case NamePurpose.ElementAdjoint: ElementAdjoint((AssignElement)statement); break;
            case NamePurpose.CallPartials: CallPartials((CallAssign)statement); break;
            case NamePurpose.CallCounter: CallCounter((CallAssign)statement, request.Output); break;
            case NamePurpose.NestedGradient: NestedGradient((CallAssign)statement); break;
            case NamePurpose.NestedHessianVectorProduct: NestedHessianVectorProduct((CallAssign)statement); break;
            case NamePurpose.NestedZeroDirection: NestedZeroDirection((CallAssign)statement, request.Output); break;
            case NamePurpose.NestedCounter: NestedCounter((CallAssign)statement, request.Local!); break;
            case NamePurpose.BranchFlag: BranchFlag((If)statement); break;
            case NamePurpose.LoopRecord: LoopRecord((For)statement); break;
            case NamePurpose.Slot: SlotFor(statement); break;
            case NamePurpose.Snapshots: SnapshotBuffer((For)statement, _primal.Method.Locals.First(l => l.Name == request.Local)); break;
            default: throw new System.InvalidOperationException("No name is given for " + request.Purpose);
        }
    }

    private string CallCounter(CallAssign call, int output) => _names.Once(new NameRequest(NamePurpose.CallCounter, IdOf(call), output), () => _names.Allocate("k"));

    private string BranchFlag(If branch) => _names.Once(new NameRequest(NamePurpose.BranchFlag, IdOf(branch)), () => AddLocal("branch", ScalarType.Bool));

    private (string Start, string Count) LoopRecord(For loop) =>
        _names.Once(new NameRequest(NamePurpose.LoopRecord, IdOf(loop)), () => (AddLocal(loop.Counter + "_first", ScalarType.Int), AddLocal(loop.Counter + "_count", ScalarType.Int)));
}
