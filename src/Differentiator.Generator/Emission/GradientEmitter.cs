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
        var arguments = method.Parameters.Select(p => p.Name)
            .Concat(program.Outputs.Select(o => o.IsArray ? o.Name : "out " + o.Name));
        var shape = new MemberShape(method.Name + "Gradient", ParameterText.GradientSignature(method, program.Outputs), program.Outputs,
            string.Join(", ", arguments), program.Primal.Result);
        EmitMember(w, modifiers, isStatic, program, docLines, shape);
    }

    /// <summary>
    /// A closed-form member printed from a <see cref="GradientProgram"/>: <c>MGradient</c>, and the members made the same
    /// way (<c>MPushforward</c>, <c>MHessianVectorProduct</c>), whose parameters, checked outputs and returned local the
    /// shape gives.
    /// </summary>
    public static void EmitMember(SourceWriter w, string modifiers, bool isStatic, GradientProgram program, IReadOnlyList<string> docLines, MemberShape shape)
    {
        var method = program.Primal.Method;
        string name = shape.Name;
        string Signature(string methodName) => ParameterText.Real(method.Precision) + " " + methodName + "(" + shape.Parameters + ")";
        foreach (var line in docLines) w.Line("/// " + line);
        w.Line(SourceFileEmitter.GeneratedCodeAttribute);
        w.Open(modifiers + " " + Signature(name));
        ParameterText.LengthChecks(w, shape.Checked);
        var dialect = ParameterText.DialectOf(method.Precision);
        if (program.ShortRuns is { } shortRuns)
        {
            w.Line("// " + ShortRunsComment(name));
            w.Open("if (" + new ExpressionPrinter(dialect).Print(shortRuns.Test) + ")");
            w.Line("return " + name + ShortRunsSuffix + "(" + shape.Arguments + ");");
            w.Close();
        }
        Body(w, program, program.Body, program.Locals, shape.Returned);
        w.Close();
        if (program.ShortRuns is not { } version) return;

        w.Line();
        w.Line("/// <summary><c>" + name + "</c> with plain loops where it has vectorized kernels, for the calls where <c>"
            + System.Security.SecurityElement.Escape(new ExpressionPrinter(dialect).Print(version.Test)) + "</c>: there the kernels cost more than they save.</summary>");
        w.Line(SourceFileEmitter.GeneratedCodeAttribute);
        w.Open(TapeEmitter.Modifiers("private", isStatic) + " " + Signature(name + ShortRunsSuffix));
        Body(w, program, version.Body, version.Locals, shape.Returned);
        w.Close();
    }

    /// <summary>Said above the test that sends short runs to the version of their own.</summary>
    internal static string ShortRunsComment(string name) =>
        "Short runs take the same gradient with plain loops, in a method of its own (" + name + ShortRunsSuffix
        + "): kept apart from the kernels, it compiles to the small frame of the hand-written loop.";

    /// <summary>The scratch stack, the locals, the statements, the scalar outputs and the return of one version.</summary>
    private static void Body(SourceWriter w, GradientProgram program, Block body, EquatableArray<LocalVariable> locals, string returned)
    {
        var method = program.Primal.Method;
        var names = new NameAllocator((program with { Body = body }).NamesInUse());
        string scratch = names.Allocate("scratch");
        if (program.UsesScratch) w.Line("var " + scratch + " = global::Differentiator.GradientScratch.Current;");

        var onAssign = ParameterText.DeclaredOnAssign(body, locals.Select(l => l.Name), returned);
        onAssign.ExceptWith(program.FinalWrites.Select(f => f.Adjoint)); // read after the body: declared up front
        var dialect = ParameterText.DialectOf(method.Precision);
        ParameterText.DeclareLocals(w, locals, onAssign, dialect);
        var types = locals.ToDictionary(l => l.Name, l => l.Type);
        var printer = new StatementPrinter(w, dialect, null, scratch, onAssign, types);

        printer.Block(body);
        foreach (var write in program.FinalWrites) w.Line(write.Output + " = " + write.Adjoint + ";");
        w.Line("return " + returned + ";");
    }
}

/// <summary>How a member printed by <see cref="GradientEmitter.EmitMember"/> looks from outside.</summary>
/// <param name="Name">The member's name (<c>MGradient</c>).</param>
/// <param name="Parameters">Its parameter list as C#.</param>
/// <param name="Checked">The span and matrix parameters whose shapes are checked on entry against their parameters'.</param>
/// <param name="Arguments">The same parameters as arguments, for the call to the short-runs version.</param>
/// <param name="Returned">The local returned after the body.</param>
internal sealed record MemberShape(string Name, string Parameters, IEnumerable<GradientOutput> Checked, string Arguments, string Returned);
