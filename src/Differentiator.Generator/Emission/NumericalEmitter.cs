using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Emission;

/// <summary>
/// Prints <c>MNumericalGradient</c>: central differences (f(x+h) − f(x−h)) / 2h per component, calling the user's
/// own method on copies of the inputs (the caller's arrays are never written). The step rule lives in the
/// runtime's <c>NumericalStep</c>.
/// </summary>
internal static class NumericalEmitter
{
    public static void Emit(SourceWriter w, string modifiers, MethodIr method, IReadOnlyList<GradientOutput> outputs)
    {
        w.Line("/// <summary>The gradient of <c>" + method.Name + "</c> by central differences, step <see cref=\"global::Differentiator.NumericalStep.For(double)\"/>: an independent check, 2 calls of <c>" + method.Name + "</c> per component.</summary>");
        w.Line(SourceFileEmitter.GeneratedCodeAttribute);
        w.Open(modifiers + " double " + method.Name + "NumericalGradient(" + ParameterText.GradientSignature(method, outputs) + ")");
        ParameterText.LengthChecks(w, outputs);
        var names = new NameAllocator(method.Parameters.Select(p => p.Name).Concat(outputs.Select(o => o.Name)));
        var probes = outputs.ToDictionary(o => o.Parameter, o => names.Allocate(o.Parameter + "Probe"));
        string value = names.Allocate("value");
        string k = names.Allocate("k");
        string saved = names.Allocate("saved");
        string up = names.Allocate("up");
        string down = names.Allocate("down");
        string fUp = names.Allocate("fUp");
        string fDown = names.Allocate("fDown");

        foreach (var p in method.Parameters.Where(p => p.Differentiated))
        {
            string copy = p.Kind == ParameterKind.DoubleArray ? "(double[])" + p.Name + ".Clone()" : p.Name + ".ToArray()";
            w.Line(p.IsArray ? "double[] " + probes[p.Name] + " = " + copy + ";" : "double " + probes[p.Name] + " = " + p.Name + ";");
        }
        string call = method.Name + "(" + string.Join(", ", method.Parameters.Select(p => probes.TryGetValue(p.Name, out var v) ? v : p.Name)) + ")";
        w.Line("double " + value + " = " + call + ";");
        foreach (var o in outputs)
        {
            string probe = probes[o.Parameter];
            string slot = o.IsArray ? probe + "[" + k + "]" : probe;
            string target = o.IsArray ? o.Name + "[" + k + "]" : o.Name;
            if (o.IsArray) w.Open("for (int " + k + " = 0; " + k + " < " + probe + ".Length; " + k + "++)");
            else w.Open("");
            w.Line("double " + saved + " = " + slot + ";");
            w.Line("double " + up + " = " + saved + " + global::Differentiator.NumericalStep.For(" + saved + ");");
            w.Line("double " + down + " = " + saved + " - global::Differentiator.NumericalStep.For(" + saved + ");");
            w.Line(slot + " = " + up + ";");
            w.Line("double " + fUp + " = " + call + ";");
            w.Line(slot + " = " + down + ";");
            w.Line("double " + fDown + " = " + call + ";");
            w.Line(slot + " = " + saved + ";");
            w.Line(target + " = global::Differentiator.NumericalStep.CentralDifference(" + fUp + ", " + fDown + ", " + up + ", " + down + ");");
            w.Close();
        }
        w.Line("return " + value + ";");
        w.Close();
    }
}
