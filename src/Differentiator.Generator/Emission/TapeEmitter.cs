using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Emission;

/// <summary>
/// Prints <c>MTapeGradient</c> and its helper <c>M__Tape</c>: the primal body evaluated on the runtime tape's
/// <c>Value</c> type. It shares no derivative code with <c>MGradient</c>, which is what makes it an oracle.
/// </summary>
internal static class TapeEmitter
{
    public const string HelperSuffix = "__Tape";
    private const string ValueType = Dialects.ValueType;

    public static void Emit(SourceWriter w, string accessibility, bool isStatic, LoweredMethod lowered, IReadOnlyList<GradientOutput> outputs)
    {
        var method = lowered.Method;
        EmitHelper(w, isStatic, lowered);
        w.Line();

        w.Line("/// <summary>The gradient of <c>" + method.Name + "</c> by the runtime tape (reverse-mode operator overloading): an independent check of <c>" + method.Name + "Gradient</c>, slower and allocating.</summary>");
        w.Line(SourceFileEmitter.GeneratedCodeAttribute);
        string real = ParameterText.Real(method.Precision);
        // A float method's tape computes in double (Value holds doubles): a more accurate answer to check against.
        string narrow = Dialects.Narrow(method.Precision);
        w.Open(Modifiers(accessibility, isStatic) + " " + real + " " + method.Name + "TapeGradient(" + ParameterText.GradientSignature(method, outputs) + ")");
        ParameterText.LengthChecks(w, outputs);
        var names = new NameAllocator(method.Parameters.Select(p => p.Name).Concat(outputs.Select(o => o.Name)));
        string tape = names.Allocate("tape");
        string result = names.Allocate("result");
        string k = names.Allocate("k");
        string k2 = names.Allocate("k2");
        var lifted = outputs.ToDictionary(o => o.Parameter, o => names.Allocate(o.Parameter + "Tape"));
        w.Line("var " + tape + " = new global::Differentiator.Tape();");
        foreach (var o in outputs)
            w.Line("var " + lifted[o.Parameter] + " = " + tape + (o.IsArray ? ".Variables(" : ".Variable(") + o.Parameter + ");");
        string args = string.Join(", ", method.Parameters.Select(p => lifted.TryGetValue(p.Name, out var v) ? v : p.Name));
        w.Line("var " + result + " = " + method.Name + HelperSuffix + "(" + args + ");");
        w.Line(tape + ".Backward(" + result + ");");
        foreach (var o in outputs)
        {
            var (headers, index) = ElementLoops.Of(o.Kind, o.IsArray, o.Name, k, k2);
            w.Line(string.Concat(headers.Select(h => h + " ")) + o.Name + index + " = " + narrow + lifted[o.Parameter] + index + ".Grad;");
        }
        w.Line("return " + narrow + result + ".Data;");
        w.Close();
    }

    /// <summary><c>M__Tape</c>: returns the result's <c>Value</c>, or, for a vector-valued method, writes its span of values and returns nothing.</summary>
    internal static void EmitHelper(SourceWriter w, bool isStatic, LoweredMethod lowered)
    {
        var method = lowered.Method;
        bool vectorValued = method.Output is not null;
        string parameters = string.Join(", ", method.Parameters.Select(p => HelperParameterType(p, method.Precision) + " " + p.Name));
        w.Line("/// <summary>The body of <c>" + method.Name + "</c> on the runtime tape; used by <c>" + method.Name + (vectorValued ? "TapeJacobian" : "TapeGradient") + "</c> and by tape code that calls <c>" + method.Name + "</c>.</summary>");
        w.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        w.Line(SourceFileEmitter.GeneratedCodeAttribute);
        w.Open(Modifiers("internal", isStatic) + " " + (vectorValued ? "void" : ValueType) + " " + method.Name + HelperSuffix + "(" + parameters + ")");
        var onAssign = ParameterText.DeclaredOnAssign(method.Body, method.Locals.Select(l => l.Name), lowered.Result);
        ParameterText.DeclareLocals(w, method.Locals, onAssign, Dialect.Tape);
        var types = method.Locals.ToDictionary(l => l.Name, l => l.Type);
        var lifted = new HashSet<string>(method.Parameters.Where(p => p.Differentiated && p.IsArray).Select(p => p.Name));
        var printer = new StatementPrinter(w, Dialect.Tape, HelperSuffix, "scratch", onAssign, types, lifted);
        printer.Block(method.Body);
        if (!vectorValued) w.Line("return " + lowered.Result + ";");
        w.Close();
    }

    /// <summary>Scalars become tape values (a reassigned data scalar may later hold one); differentiated arrays become spans of values.</summary>
    public static string HelperParameterType(Parameter p, Precision precision) => p.Kind switch
    {
        ParameterKind.Double => ValueType,
        ParameterKind.Output => "global::System.Span<" + ValueType + ">",
        ParameterKind.DoubleArray2D when p.Differentiated => ValueType + "[,]",
        ParameterKind.DoubleJagged when p.Differentiated => ValueType + "[][]",
        _ when p.Differentiated && p.IsArray => "global::System.ReadOnlySpan<" + ValueType + ">",
        _ => ParameterText.TypeOf(p.Kind, precision),
    };

    public static string Modifiers(string accessibility, bool isStatic) => accessibility + (isStatic ? " static" : "");
}
