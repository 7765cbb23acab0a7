using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Emission;

/// <summary>The XML documentation of <c>MGradient</c>: what it computes, for each output the derivative it holds.</summary>
internal static class GradientDocumentation
{
    public static IReadOnlyList<string> Lines(GradientProgram program) => Lines(program, Formulas.FormulaBuilder.Derive(program.Written));

    public static IReadOnlyList<string> Lines(GradientProgram program, Formulas.FormulaTerms? terms)
    {
        var method = program.Primal.Method;
        var lines = new List<string>
        {
            "<summary>",
            "The gradient of <c>" + method.Name + "</c> with respect to " + string.Join(", ", program.Outputs.Select(o => "<c>" + o.Parameter + "</c>"))
                + ", derived at compile time by Differentiator: closed-form code, no tape, no allocation" + Storage(program),
        };
        var formulas = Formulas.FormulaBuilder.Print(program.Written, terms);
        if (formulas is null)
        {
            lines.Add("<para>No closed-form formula is shown: the method overwrites values across loop iterations, branches or calls, so its");
            lines.Add("derivative is best read as the reverse sweep below.</para>");
        }
        else
        {
            lines.Add("<para>" + formulas.Function + "</para>");
            foreach (var (_, derivative) in formulas.Partials) lines.Add("<para>" + derivative + "</para>");
            for (int k = 0; k < formulas.Definitions.Count; k++) lines.Add("<para>" + (k == 0 ? "where " : "and ") + formulas.Definitions[k] + "</para>");
        }
        lines.Add("</summary>");
        // Every parameter has its tag: one missing tag is CS1573 in a project with GenerateDocumentationFile. (A
        // parameter still being typed has no name yet: no tag, rather than name="".)
        foreach (var p in method.Parameters.Where(p => p.Name.Length > 0))
            lines.Add("<param name=\"" + p.Name + "\">As in <c>" + method.Name + "</c>; " + (p.Differentiated ? "differentiated." : "data, not differentiated.") + "</param>");
        foreach (var o in program.Outputs)
        {
            lines.Add("<param name=\"" + o.Name + "\">Receives " + (o.IsMatrix ? "∂" + method.Name + "/∂" + o.Parameter + (o.Kind == ParameterKind.DoubleJagged ? "[i][j]" : "[i, j]") + " for every element (written, not accumulated; must have the shape of <c>" + o.Parameter + "</c>)."
                : o.IsArray ? "∂" + method.Name + "/∂" + o.Parameter + "[i] for every i (written, not accumulated; must have the length of <c>" + o.Parameter + "</c>)." : "∂" + method.Name + "/∂" + o.Parameter + ".") + "</param>");
        }
        lines.Add("<returns>The value of <c>" + method.Name + "</c> at the same arguments.</returns>");
        return lines;
    }

    /// <summary>Where the values loops overwrite are kept, if any: the scratch stack, pooled buffers (saves in place), or both.</summary>
    private static string Storage(Differentiation.GradientProgram program)
    {
        bool pooled = Analysis.StatementWalker.Flatten(program.Body).Any(s => s is Ir.RentScalarSlots or Ir.RentSnapshots);
        return (program.UsesScratch, pooled) switch
        {
            (true, true) => " beyond a reused per-thread stack and pooled buffers for values loops overwrite.",
            (true, false) => " beyond a reused per-thread stack for values loops overwrite.",
            (false, true) => " beyond pooled buffers for values loops overwrite.",
            _ => ".",
        };
    }
}
