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
        string real = ParameterText.Real(method.Precision);
        bool single = method.Precision == Precision.Single;
        string step = single ? "ForSingle(float)" : "For(double)";
        string stepCall = "global::Differentiator.NumericalStep." + (single ? "ForSingle(" : "For(");
        w.Line("/// <summary>The gradient of <c>" + method.Name + "</c> by central differences, step <see cref=\"global::Differentiator.NumericalStep." + step + "\"/>: an independent check, 2 calls of <c>" + method.Name + "</c> per component.</summary>");
        w.Line(SourceFileEmitter.GeneratedCodeAttribute);
        w.Open(modifiers + " " + real + " " + method.Name + "NumericalGradient(" + ParameterText.GradientSignature(method, outputs) + ")");
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

        string k2 = names.Allocate("k2");
        foreach (var p in method.Parameters.Where(p => p.Differentiated))
        {
            string probe = probes[p.Name];
            switch (p.Kind)
            {
                case ParameterKind.DoubleArray2D:
                    w.Line(real + "[,] " + probe + " = (" + real + "[,])" + p.Name + ".Clone();");
                    break;
                case ParameterKind.DoubleJagged:
                    // A deep copy: the probes perturb elements, and the caller's rows must stay untouched.
                    w.Line(real + "[][] " + probe + " = new " + real + "[" + p.Name + ".Length][];");
                    w.Line("for (int " + k + " = 0; " + k + " < " + p.Name + ".Length; " + k + "++) " + probe + "[" + k + "] = (" + real + "[])" + p.Name + "[" + k + "].Clone();");
                    break;
                case ParameterKind.DoubleArray:
                    w.Line(real + "[] " + probe + " = (" + real + "[])" + p.Name + ".Clone();");
                    break;
                default:
                    w.Line(p.IsArray ? real + "[] " + probe + " = " + p.Name + ".ToArray();" : real + " " + probe + " = " + p.Name + ";");
                    break;
            }
        }
        string call = method.Name + "(" + string.Join(", ", method.Parameters.Select(p => probes.TryGetValue(p.Name, out var v) ? v : p.Name)) + ")";
        w.Line(real + " " + value + " = " + call + ";");
        foreach (var o in outputs)
        {
            string probe = probes[o.Parameter];
            var (headers, index) = ElementLoops.Of(o.Kind, o.IsArray, probe, k, k2);
            string slot = probe + index;
            string target = o.Name + index;
            foreach (var header in headers) w.Open(header);
            if (headers.Length == 0) w.Open("");
            w.Line(real + " " + saved + " = " + slot + ";");
            w.Line(real + " " + up + " = " + saved + " + " + stepCall + saved + ");");
            w.Line(real + " " + down + " = " + saved + " - " + stepCall + saved + ");");
            w.Line(slot + " = " + up + ";");
            w.Line(real + " " + fUp + " = " + call + ";");
            w.Line(slot + " = " + down + ";");
            w.Line(real + " " + fDown + " = " + call + ";");
            w.Line(slot + " = " + saved + ";");
            // A float method's quotient is taken in double (the floats widen exactly), then rounded once.
            w.Line(target + " = " + Dialects.Narrow(method.Precision) + "global::Differentiator.NumericalStep.CentralDifference(" + fUp + ", " + fDown + ", " + up + ", " + down + ");");
            w.Close();
            for (int nested = 1; nested < headers.Length; nested++) w.Close();
        }
        w.Line("return " + value + ";");
        w.Close();
    }
}
