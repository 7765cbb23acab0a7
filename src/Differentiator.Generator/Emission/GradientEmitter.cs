using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Emission;

/// <summary>Prints <c>MGradient</c>: the closed-form forward and reverse sweeps, no tape.</summary>
internal static class GradientEmitter
{
    public static void Emit(SourceWriter w, string modifiers, GradientProgram program, IReadOnlyList<string> docLines)
    {
        var method = program.Primal.Method;
        foreach (var line in docLines) w.Line("/// " + line);
        w.Line(SourceFileEmitter.GeneratedCodeAttribute);
        w.Open(modifiers + " " + ParameterText.Real(method.Precision) + " " + method.Name + "Gradient(" + ParameterText.GradientSignature(method, program.Outputs) + ")");
        ParameterText.LengthChecks(w, program.Outputs);

        var names = new NameAllocator(program.NamesInUse());
        string scratch = names.Allocate("scratch");
        if (program.UsesScratch) w.Line("var " + scratch + " = global::Differentiator.GradientScratch.Current;");

        var onAssign = ParameterText.DeclaredOnAssign(program.Body, program.Locals.Select(l => l.Name));
        onAssign.ExceptWith(program.FinalWrites.Select(f => f.Adjoint)); // read after the body: declared up front
        var dialect = ParameterText.DialectOf(method.Precision);
        ParameterText.DeclareLocals(w, program.Locals, onAssign, dialect);
        var types = program.Locals.ToDictionary(l => l.Name, l => l.Type);
        var printer = new StatementPrinter(w, dialect, null, scratch, onAssign, types);

        printer.Block(program.Body);
        foreach (var write in program.FinalWrites) w.Line(write.Output + " = " + write.Adjoint + ";");
        w.Line("return " + program.Primal.Result + ";");
        w.Close();
    }
}
