using System.Linq;
using System.Threading;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Emission;
using Differentiator.Generator.Model;

namespace Differentiator.Generator;

/// <summary>From a parsed model to a file: the Roslyn-free part of the generator, testable on its own.</summary>
internal static class GenerationStep
{
    public static GeneratedFile Generate(MethodModel model, CancellationToken cancellationToken) => Generate(model, GeneratedMembers.Default, cancellationToken);

    /// <param name="designTime">An IDE's design-time build: bodies as text only (Emission/DesignTimeBodies.cs); the diagnostics are the same.</param>
    public static GeneratedFile Generate(MethodModel model, GeneratedMembers members, CancellationToken cancellationToken, bool designTime = false)
    {
        var file = Emit(model, members, cancellationToken);
        return designTime && file.Source is { } source
            ? file with { Source = DesignTimeBodies.Apply(source, (model.Namespace is null ? 0 : 1) + model.ContainingTypes.Count, model.ContainingTypes.Count > 0 ? model.Ir!.Name : null) }
            : file;
    }

    private static GeneratedFile Emit(MethodModel model, GeneratedMembers members, CancellationToken cancellationToken)
    {
        if (model.Ir is null) return new GeneratedFile(model.HintName, null, model.Diagnostics);
        try
        {
            if (model.Ir.Output is not null)
            {
                // Vector-valued: MVjp and MJacobian in place of MGradient (Differentiation/VectorValued/).
                var vector = Differentiation.VectorValued.VectorPipeline.Run(model.Ir);
                var found = model.Diagnostics.Concat(vector.Vjp.Diagnostics).ToEquatableArray();
                if (vector.Vjp.Program is null) return new GeneratedFile(model.HintName, null, found);
                return new GeneratedFile(model.HintName, SourceFileEmitter.EmitVector(model, vector, members), found);
            }
            // A nested call's reverse sweep calls the callee's HessianVectorProduct, which exists only with the Hessian
            // members (the option is the project's, so the callee's file leaves them out too): say so instead of CS0117.
            if ((members & GeneratedMembers.Hessian) == 0
                && Ir.IrWalker.Flatten(model.Ir.Body).OfType<Ir.CallAssign>().FirstOrDefault(c => c.Nested is not null) is { } nested)
            {
                var info = new DiagnosticInfo(Diagnostics.DiagnosticIds.NestedCallNeedsHessian, nested.Location, EquatableArray.Of(model.Ir.Name, nested.Callee.Name));
                return new GeneratedFile(model.HintName, null, model.Diagnostics.Concat(new[] { info }).ToEquatableArray());
            }
            var result = GradientPipeline.Run(model.Ir);
            cancellationToken.ThrowIfCancellationRequested();
            var diagnostics = model.Diagnostics.Concat(result.Diagnostics).ToEquatableArray();
            if (result.Program is null) return new GeneratedFile(model.HintName, null, diagnostics);
            var reported = new System.Collections.Generic.List<DiagnosticInfo>();
            var source = SourceFileEmitter.Emit(model, result.Program, members,
                (depth, modifiers) => ForwardMembersEmitter.Emit(model, result.Program, members, depth, modifiers, reported));
            return new GeneratedFile(model.HintName, source, reported.Count == 0 ? diagnostics : diagnostics.Concat(reported).ToEquatableArray());
        }
        catch (System.Exception e) when (e is not System.OperationCanceledException)
        {
            // A bug of ours must not become CS8785 and silently no code: say so on the method, with what failed.
            var location = model.Ir.Body.Statements.Select(s => s.Location).FirstOrDefault(l => l is not null);
            var info = new DiagnosticInfo(Diagnostics.DiagnosticIds.InternalError, location, EquatableArray.Of(model.Ir.Name, e.GetType().Name + ": " + e.Message));
            return new GeneratedFile(model.HintName, null, model.Diagnostics.Concat(new[] { info }).ToEquatableArray());
        }
    }
}
