using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Differentiation;

namespace Differentiator.Generator.Emission;

/// <summary>The XML documentation of <c>MGradient</c>: what it computes, for each output the derivative it holds.</summary>
internal static class GradientDocumentation
{
    public static IReadOnlyList<string> Lines(GradientProgram program)
    {
        var method = program.Primal.Method;
        var lines = new List<string>
        {
            "<summary>",
            "The gradient of <c>" + method.Name + "</c> with respect to " + string.Join(", ", program.Outputs.Select(o => "<c>" + o.Parameter + "</c>"))
                + ", derived at compile time by Differentiator: closed-form code, no tape, no allocation" + (program.UsesScratch ? " beyond a reused per-thread stack for values loops overwrite." : "."),
            "</summary>",
        };
        foreach (var o in program.Outputs)
        {
            lines.Add("<param name=\"" + o.Name + "\">Receives " + (o.IsArray ? "∂" + method.Name + "/∂" + o.Parameter + "[i] for every i (written, not accumulated; must have the length of <c>" + o.Parameter + "</c>)." : "∂" + method.Name + "/∂" + o.Parameter + ".") + "</param>");
        }
        lines.Add("<returns>The value of <c>" + method.Name + "</c> at the same arguments.</returns>");
        return lines;
    }
}
