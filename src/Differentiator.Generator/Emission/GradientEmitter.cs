using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Emission;

/// <summary>Prints <c>MGradient</c>: the closed-form forward and reverse sweeps, no tape.</summary>
internal static class GradientEmitter
{
    /// <summary>Appended to <c>MGradient</c>'s name for its version with plain loops (<see cref="ShortRunsVersion"/>).</summary>
    public const string ShortRunsSuffix = "__ShortRuns";

    public static void Emit(SourceWriter w, string modifiers, bool isStatic, GradientProgram program, IReadOnlyList<string> docLines)
    {
        var method = program.Primal.Method;
        var header = new GradientHeader(method.Name + "Gradient", ParameterText.Real(method.Precision), ParameterText.GradientSignature(method, program.Outputs),
            method.Parameters.Select(p => p.Name).Concat(program.Outputs.Select(o => o.IsArray ? o.Name : "out " + o.Name)).ToList(),
            w => ParameterText.LengthChecks(w, program.Outputs));
        Emit(w, modifiers, isStatic, program, docLines, header);
    }

    /// <summary>
    /// A closed-form member under another name and signature, printed the same way: <c>MVjp</c> (void; the caller's
    /// <c>r</c> among its parameters), <c>MPushforward</c>, <c>MHessianVectorProduct</c>.
    /// </summary>
    public static void Emit(SourceWriter w, string modifiers, bool isStatic, GradientProgram program, IReadOnlyList<string> docLines, GradientHeader header)
    {
        var method = program.Primal.Method;
        string name = header.Name;
        string Signature(string methodName) => header.ReturnType + " " + methodName + "(" + header.Parameters + ")";
        foreach (var line in docLines) w.Line("/// " + line);
        w.Line(SourceFileEmitter.GeneratedCodeAttribute);
        w.Open(modifiers + " " + Signature(name));
        header.Checks(w);
        var dialect = ParameterText.DialectOf(method.Precision);
        if (program.ShortRuns is { } shortRuns)
        {
            w.Line("// " + ShortRunsComment(name, OverSpans(shortRuns.Body)));
            w.Open("if (" + new ExpressionPrinter(dialect).Print(shortRuns.Test) + ")");
            string call = name + ShortRunsSuffix + "(" + string.Join(", ", header.Arguments) + ");";
            if (header.ReturnsValue) w.Line("return " + call);
            else
            {
                w.Line(call);
                w.Line("return;");
            }
            w.Close();
        }
        Body(w, program, program.Body, program.Locals, header);
        w.Close();
        if (program.ShortRuns is not { } version) return;

        w.Line();
        w.Line("/// <summary><c>" + name + "</c> with " + LoopsText(OverSpans(version.Body)) + " where it has vectorized kernels, for the calls where <c>"
            + System.Security.SecurityElement.Escape(new ExpressionPrinter(dialect).Print(version.Test)) + "</c>: there the kernels cost more than they save.</summary>");
        w.Line(SourceFileEmitter.GeneratedCodeAttribute);
        w.Open(TapeEmitter.Modifiers("private", isStatic) + " " + Signature(name + ShortRunsSuffix));
        Body(w, program, version.Body, version.Locals, header);
        w.Close();
    }

    /// <summary>Said above the test that sends short runs to the version of their own.</summary>
    internal static string ShortRunsComment(string name, bool overSpans = false) =>
        "Short runs take the same gradient with " + LoopsText(overSpans) + ", in a method of its own (" + name + ShortRunsSuffix
        + "): kept apart from the kernels, it compiles to the small frame of the hand-written loop.";

    private static string LoopsText(bool overSpans) => overSpans ? "loops over views of the rows" : "plain loops";

    /// <summary>Whether the version has a kernel printed as a loop over views (Optimization/RunViews.cs), not only plain loops.</summary>
    private static bool OverSpans(Block version) =>
        Analysis.StatementWalker.Flatten(version).Any(s => s is VectorKernel { SpanNames.Count: > 0 });

    /// <summary>The scratch stack, the locals, the statements, the scalar outputs and the return of one version.</summary>
    private static void Body(SourceWriter w, GradientProgram program, Block body, EquatableArray<LocalVariable> locals, GradientHeader header)
    {
        var method = program.Primal.Method;
        header.Prologue?.Invoke(w);
        var names = new NameAllocator((program with { Body = body }).NamesInUse());
        string scratch = names.Allocate("scratch");
        if (program.UsesScratch) w.Line("var " + scratch + " = global::Differentiator.GradientScratch.Current;");

        var onAssign = ParameterText.DeclaredOnAssign(body, locals.Select(l => l.Name), program.Primal.Result);
        onAssign.ExceptWith(program.FinalWrites.Select(f => f.Adjoint)); // read after the body: declared up front
        var dialect = ParameterText.DialectOf(method.Precision);
        ParameterText.DeclareLocals(w, locals, onAssign, dialect);
        var types = locals.ToDictionary(l => l.Name, l => l.Type);
        var printer = new StatementPrinter(w, dialect, null, scratch, onAssign, types);

        printer.Block(body);
        foreach (var write in program.FinalWrites) w.Line(write.Output + " = " + write.Adjoint + ";");
        header.Epilogue?.Invoke(w);
        if (header.ReturnsValue) w.Line("return " + (header.Returned ?? program.Primal.Result) + ";");
    }
}

/// <summary>
/// What differs between gradients printed from one <see cref="GradientProgram"/>: the name, the return type
/// (<c>void</c> when <see cref="ReturnsValue"/> is false), the parameter list, the arguments that pass those
/// parameters on (to the short-runs version), and the checks made on entry.
/// </summary>
internal sealed record GradientHeader(string Name, string ReturnType, string Parameters, IReadOnlyList<string> Arguments, System.Action<SourceWriter> Checks)
{
    public bool ReturnsValue => ReturnType != "void";

    /// <summary>Printed before the body, in each version (the short runs' too).</summary>
    public System.Action<SourceWriter>? Prologue { get; init; }

    /// <summary>Printed after the body (and its final writes), before any return.</summary>
    public System.Action<SourceWriter>? Epilogue { get; init; }

    /// <summary>The local returned, when not the program's result: <c>MHessianVectorProduct</c> returns M's value, not the tangent its program ends with.</summary>
    public string? Returned { get; init; }
}
