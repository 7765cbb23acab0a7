using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Emission;

/// <summary>
/// The two independent checks of <c>MJacobian</c>, with its signature: <c>MTapeJacobian</c> (the body on the runtime
/// tape, one backward pass per element of <c>r</c>) and <c>MNumericalJacobian</c> (central differences of the method
/// itself). Neither shares code with <c>MVjp</c>: they read the method as written.
/// </summary>
internal static class JacobianChecksEmitter
{
    public static void EmitTape(SourceWriter w, string accessibility, bool isStatic, LoweredMethod lowered, IReadOnlyList<GradientOutput> outputs)
    {
        var method = lowered.Method;
        TapeEmitter.EmitHelper(w, isStatic, lowered);
        w.Line();
        string r = method.Output!.Name;
        string narrow = Dialects.Narrow(method.Precision);
        w.Line("/// <summary>The Jacobian of <c>" + method.Name + "</c> by the runtime tape, one backward pass per element of <c>" + r
            + "</c>: an independent check of <c>" + method.Name + VectorEmitter.JacobianSuffix + "</c>, slower and allocating; also writes <c>" + r + "</c>.</summary>");
        foreach (var line in VectorEmitter.JacobianParamDocs(method, outputs)) w.Line("/// " + line);
        w.Line(SourceFileEmitter.GeneratedCodeAttribute);
        w.Open(TapeEmitter.Modifiers(accessibility, isStatic) + " void " + method.Name + "Tape" + VectorEmitter.JacobianSuffix + "(" + VectorEmitter.JacobianParameters(method, outputs) + ")");
        VectorEmitter.JacobianShapeChecks(w, method, outputs);
        var names = new NameAllocator(method.Parameters.Select(p => p.Name).Concat(outputs.Select(o => o.Name)));
        string tape = names.Allocate("tape");
        string i = names.Allocate("i");
        string k = names.Allocate("k");
        var lifted = outputs.ToDictionary(o => o.Parameter, o => names.Allocate(o.Parameter + "Tape"));
        string values = names.Allocate(r + "Tape");
        w.Line("var " + tape + " = new global::Differentiator.Tape();");
        foreach (var o in outputs)
            w.Line("var " + lifted[o.Parameter] + " = " + tape + (o.IsArray ? ".Variables(" : ".Variable(") + o.Parameter + ");");
        // Elements the method does not write keep the caller's values, as in the method itself (constants on the tape).
        w.Line("var " + values + " = new " + Dialects.ValueType + "[" + r + ".Length];");
        w.Line("for (int " + k + " = 0; " + k + " < " + r + ".Length; " + k + "++) " + values + "[" + k + "] = " + r + "[" + k + "];");
        string args = string.Join(", ", method.Parameters.Select(p => p.Kind == ParameterKind.Output ? values : lifted.TryGetValue(p.Name, out var v) ? v : p.Name));
        w.Line(method.Name + TapeEmitter.HelperSuffix + "(" + args + ");");
        w.Open("for (int " + i + " = 0; " + i + " < " + r + ".Length; " + i + "++)");
        w.Line(r + "[" + i + "] = " + narrow + values + "[" + i + "].Data;");
        w.Line(tape + ".Backward(" + values + "[" + i + "]);");
        foreach (var o in outputs)
        {
            if (o.IsArray) w.Line("for (int " + k + " = 0; " + k + " < " + o.Parameter + ".Length; " + k + "++) " + o.Name + "[" + i + ", " + k + "] = " + narrow + lifted[o.Parameter] + "[" + k + "].Grad;");
            else w.Line(o.Name + "[" + i + "] = " + narrow + lifted[o.Parameter] + ".Grad;");
        }
        w.Close();
        w.Close();
    }

    public static void EmitNumerical(SourceWriter w, string modifiers, MethodIr method, IReadOnlyList<GradientOutput> outputs)
    {
        string real = ParameterText.Real(method.Precision);
        bool single = method.Precision == Precision.Single;
        string stepCall = "global::Differentiator.NumericalStep." + (single ? "ForSingle(" : "For(");
        string r = method.Output!.Name;
        w.Line("/// <summary>The Jacobian of <c>" + method.Name + "</c> by central differences, step <see cref=\"global::Differentiator.NumericalStep." + (single ? "ForSingle(float)" : "For(double)")
            + "\"/>: an independent check of <c>" + method.Name + VectorEmitter.JacobianSuffix + "</c>, 2 calls of <c>" + method.Name + "</c> per column; also writes <c>" + r + "</c>.</summary>");
        foreach (var line in VectorEmitter.JacobianParamDocs(method, outputs)) w.Line("/// " + line);
        w.Line(SourceFileEmitter.GeneratedCodeAttribute);
        w.Open(modifiers + " void " + method.Name + "Numerical" + VectorEmitter.JacobianSuffix + "(" + VectorEmitter.JacobianParameters(method, outputs) + ")");
        VectorEmitter.JacobianShapeChecks(w, method, outputs);
        var names = new NameAllocator(method.Parameters.Select(p => p.Name).Concat(outputs.Select(o => o.Name)));
        var probes = outputs.ToDictionary(o => o.Parameter, o => names.Allocate(o.Parameter + "Probe"));
        string rUp = names.Allocate(r + "Up");
        string rDown = names.Allocate(r + "Down");
        string i = names.Allocate("i");
        string k = names.Allocate("k");
        string saved = names.Allocate("saved");
        string up = names.Allocate("up");
        string down = names.Allocate("down");
        foreach (var o in outputs)
        {
            var p = method.Parameters.First(x => x.Name == o.Parameter);
            w.Line(p.Kind == ParameterKind.DoubleArray ? real + "[] " + probes[p.Name] + " = (" + real + "[])" + p.Name + ".Clone();"
                : p.IsArray ? real + "[] " + probes[p.Name] + " = " + p.Name + ".ToArray();"
                : real + " " + probes[p.Name] + " = " + p.Name + ";");
        }
        // Scratch outputs that start as the caller's r: elements the method does not write keep those values, as in the method.
        w.Line(real + "[] " + rUp + " = new " + real + "[" + r + ".Length];");
        w.Line(real + "[] " + rDown + " = new " + real + "[" + r + ".Length];");
        string Call(string into) => method.Name + "(" + string.Join(", ", method.Parameters.Select(p => p.Kind == ParameterKind.Output ? into : probes.TryGetValue(p.Name, out var v) ? v : p.Name)) + ");";
        foreach (var o in outputs)
        {
            string probe = probes[o.Parameter];
            string slot = o.IsArray ? probe + "[" + k + "]" : probe;
            if (o.IsArray) w.Open("for (int " + k + " = 0; " + k + " < " + probe + ".Length; " + k + "++)");
            else w.Open("");
            w.Line(real + " " + saved + " = " + slot + ";");
            w.Line(real + " " + up + " = " + saved + " + " + stepCall + saved + ");");
            w.Line(real + " " + down + " = " + saved + " - " + stepCall + saved + ");");
            w.Line(r + ".CopyTo(" + rUp + ");");
            w.Line(r + ".CopyTo(" + rDown + ");");
            w.Line(slot + " = " + up + ";");
            w.Line(Call(rUp));
            w.Line(slot + " = " + down + ";");
            w.Line(Call(rDown));
            w.Line(slot + " = " + saved + ";");
            // A float method's quotient is taken in double (the floats widen exactly), then rounded once.
            string target = o.IsArray ? o.Name + "[" + i + ", " + k + "]" : o.Name + "[" + i + "]";
            w.Line("for (int " + i + " = 0; " + i + " < " + r + ".Length; " + i + "++) " + target + " = " + Dialects.Narrow(method.Precision)
                + "global::Differentiator.NumericalStep.CentralDifference(" + rUp + "[" + i + "], " + rDown + "[" + i + "], " + up + ", " + down + ");");
            w.Close();
        }
        w.Line(method.Name + "(" + string.Join(", ", method.Parameters.Select(p => p.Name)) + ");");
        w.Close();
    }
}
