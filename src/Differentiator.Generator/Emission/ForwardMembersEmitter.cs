using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Differentiation.Forward;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Emission;

/// <summary>
/// The members beyond the gradient, appended after the existing ones: <c>MPushforward</c>, then
/// <c>MHessianVectorProduct</c>, <c>MHessian</c> and <c>MNumericalHessian</c>. They are built and printed apart, so that
/// a method they cannot handle keeps its gradient and checks: the failure becomes DIFF300 (nothing of them written)
/// or DIFF301 (the second-order part left out, with the reason).
/// </summary>
internal static class ForwardMembersEmitter
{
    public static string Emit(MethodModel model, GradientProgram gradient, GeneratedMembers members, int depth, string modifiers, List<DiagnosticInfo> diagnostics)
    {
        bool pushforward = (members & GeneratedMembers.Pushforward) != 0;
        bool hessian = (members & GeneratedMembers.Hessian) != 0;
        if (!pushforward && !hessian) return "";
        var method = model.Ir!;
        var location = method.Body.Statements.Select(s => s.Location).FirstOrDefault(l => l is not null);
        var w = new SourceWriter(depth);
        try
        {
            var forward = SecondOrderPipeline.Run(method);
            if (pushforward) PushforwardEmitter.EmitPushforward(w, modifiers, model.IsStatic, method, forward);
            if (!hessian) return w.ToString();
            if (forward.HessianVector is null)
            {
                diagnostics.Add(new DiagnosticInfo(Diagnostics.DiagnosticIds.SecondOrderNotGenerated, location, EquatableArray.Of(method.Name, "MHessianVectorProduct, MHessian and MNumericalHessian, because " + forward.NoSecondOrder)));
                return w.ToString();
            }
            if (pushforward) w.Line();
            PushforwardEmitter.EmitHessianVectorProduct(w, modifiers, model.IsStatic, method, forward);
            if (HessianEmitter.Unsupported(method) is { } reason)
            {
                diagnostics.Add(new DiagnosticInfo(Diagnostics.DiagnosticIds.SecondOrderNotGenerated, location, EquatableArray.Of(method.Name, reason)));
                return w.ToString();
            }
            w.Line();
            HessianEmitter.EmitHessian(w, modifiers, method, forward.Names);
            w.Line();
            HessianEmitter.EmitNumericalHessian(w, modifiers, method);
            return w.ToString();
        }
        catch (System.Exception e) when (e is not System.OperationCanceledException)
        {
            string reason = e is ForwardModeUnsupported ? e.Message : "an internal error (" + e.GetType().Name + ": " + e.Message + "); please report it with this method's code";
            diagnostics.Add(new DiagnosticInfo(Diagnostics.DiagnosticIds.ForwardModeNotGenerated, location, EquatableArray.Of(method.Name, reason)));
            return "";
        }
    }
}
