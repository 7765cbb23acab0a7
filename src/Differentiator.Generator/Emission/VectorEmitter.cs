using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Differentiation.VectorValued;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Emission;

/// <summary>
/// Prints a vector-valued method's closed-form derivatives: <c>MVjp</c> (the gradient of Σ rBar[k]·r[k], from
/// <see cref="VjpTransform"/>), <c>MJvp</c> (its forward mode, from the tangent transform) and <c>MJacobian</c>: its
/// rows by <c>MVjp</c> with unit weights, or its columns by <c>MJvp</c> with unit tangents when there are fewer columns.
/// </summary>
internal static class VectorEmitter
{
    public const string VjpSuffix = "Vjp";
    public const string JvpSuffix = "Jvp";
    public const string JacobianSuffix = "Jacobian";

    /// <summary>
    /// <c>void MJvp(M's parameters, the tangents, Span&lt;double&gt; rDot)</c>: rDot receives J·v, the derivative of r along
    /// the tangents (one forward sweep); r is written as M writes it.
    /// </summary>
    public static void EmitJvp(SourceWriter w, string modifiers, bool isStatic, MethodIr vector, JvpResult jvp)
    {
        var program = jvp.Program!;
        var tangentMethod = program.Primal.Method;
        string r = vector.Output!.Name;
        var differentiated = vector.Parameters.Where(p => p.Differentiated).ToList();
        var tangentChecks = PushforwardEmitter.TangentChecks(vector, jvp.Names);
        string parameters = string.Join(", ", tangentMethod.Parameters.Select(p => ParameterText.TypeOf(p.Kind, vector.Precision) + " " + p.Name));
        var arguments = tangentMethod.Parameters.Select(p => p.Name).ToList();
        var header = new GradientHeader(vector.Name + JvpSuffix, "void", parameters, arguments, w =>
        {
            ParameterText.LengthChecks(w, tangentChecks);
            w.Open("if (" + jvp.OutputTangent + ".Length != " + r + ".Length)");
            w.Line("global::Differentiator.ShapeErrors.OutputLengthMismatch(nameof(" + jvp.OutputTangent + "), \"" + r + "\", " + r + ".Length, " + jvp.OutputTangent + ".Length);");
            w.Close();
        });
        var lines = new List<string>
        {
            "<summary>",
            "The Jacobian-vector product of <c>" + vector.Name + "</c>: <c>" + jvp.OutputTangent + "</c> receives Σⱼ ∂" + r + "[i]/∂pⱼ·dpⱼ along the tangents ("
                + string.Join(", ", jvp.Names.Tangents.Select(t => "<c>" + t + "</c>")) + "), by one forward sweep (closed-form code, no tape);",
            "also writes <c>" + r + "</c> as <c>" + vector.Name + "</c> does. See docs/forward-mode.md.",
            "</summary>",
        };
        lines.AddRange(ParameterDocs(vector));
        for (int k = 0; k < differentiated.Count; k++)
            lines.Add("<param name=\"" + jvp.Names.Tangents[k] + "\">The tangent of <c>" + differentiated[k].Name + "</c>" + (differentiated[k].IsArray ? " (its length)." : ".") + "</param>");
        lines.Add("<param name=\"" + jvp.OutputTangent + "\">Receives the derivative of <c>" + r + "</c> along the tangents (written entirely; the length of <c>" + r + "</c>).</param>");
        GradientEmitter.Emit(w, modifiers, isStatic, program, lines, header);
    }

    /// <summary>M's parameters as written (the output span <c>r</c> among them, last).</summary>
    public static string Parameters(MethodIr vector) =>
        string.Join(", ", vector.Parameters.Select(p => ParameterText.TypeOf(p.Kind, vector.Precision) + " " + p.Name));

    public static void EmitVjp(SourceWriter w, string modifiers, bool isStatic, MethodIr vector, GradientProgram program, string weights)
    {
        var output = vector.Output!;
        string real = ParameterText.Real(vector.Precision);
        string parameters = Parameters(vector) + ", global::System.ReadOnlySpan<" + real + "> " + weights
            + string.Concat(program.Outputs.Select(o => ", " + ParameterText.OutputType(o, vector.Precision) + " " + o.Name));
        var arguments = vector.Parameters.Select(p => p.Name).Append(weights).Concat(program.Outputs.Select(o => o.IsArray ? o.Name : "out " + o.Name)).ToList();
        // A reverse sweep that restores elements of r it had overwritten leaves r as the caller passed it: the method
        // then writes r once more (one more call), rather than MVjp returning something else in r than the method would.
        bool restoresOutput = new[] { program.Body }.Concat(program.ShortRuns is { } v ? new[] { v.Body } : new Block[0])
            .SelectMany(StatementWalker.Flatten)
            .Any(s => s is PopElement { Array: var a } && a == output.Name || s is PopArray { Array: var b } && b == output.Name);
        // The method may assign its scalar parameters; the call that writes r again needs the arguments as passed.
        var names = new NameAllocator(program.NamesInUse().Append(weights).Append("scratch"));
        var assigned = Analysis.StatementWalker.AssignedIn(vector.Body);
        var arguments0 = vector.Parameters.Where(p => !p.IsArray && assigned.Contains(p.Name)).ToDictionary(p => p.Name, p => names.Allocate(p.Name + "Argument"));
        string Real(Parameter p) => p.Kind == ParameterKind.Int ? "int" : real;
        var header = new GradientHeader(vector.Name + VjpSuffix, "void", parameters, arguments, w =>
        {
            ParameterText.LengthChecks(w, program.Outputs);
            w.Open("if (" + weights + ".Length != " + output.Name + ".Length)");
            w.Line("global::Differentiator.ShapeErrors.OutputLengthMismatch(nameof(" + weights + "), \"" + output.Name + "\", " + output.Name + ".Length, " + weights + ".Length);");
            w.Close();
        })
        {
            Prologue = !restoresOutput || arguments0.Count == 0 ? null : w =>
            {
                foreach (var p in vector.Parameters.Where(p => arguments0.ContainsKey(p.Name))) w.Line(Real(p) + " " + arguments0[p.Name] + " = " + p.Name + "; // " + vector.Name + " assigns " + p.Name);
            },
            Epilogue = !restoresOutput ? null : w =>
            {
                w.Line("// The reverse sweep put back the elements of " + output.Name + " it had overwritten: " + vector.Name + " writes them once more.");
                w.Line(vector.Name + "(" + string.Join(", ", vector.Parameters.Select(p => arguments0.TryGetValue(p.Name, out var copy) ? copy : p.Name)) + ");");
            },
        };
        var lines = new List<string>
        {
            "<summary>",
            "The vector-Jacobian product of <c>" + vector.Name + "</c>: " + string.Join(", ", program.Outputs.Select(o => "<c>" + o.Name + "</c>"))
                + " receive Σₖ " + weights + "[k]·∂" + output.Name + "[k]/∂(" + string.Join(", ", program.Outputs.Select(o => o.Parameter)) + ")",
            "(one reverse sweep, closed-form code derived at compile time); also writes <c>" + output.Name + "</c> as <c>" + vector.Name + "</c> does.",
            "</summary>",
        };
        lines.AddRange(ParameterDocs(vector));
        lines.Add("<param name=\"" + weights + "\">The weights of the outputs (the cotangent), of the length of <c>" + output.Name + "</c>.</param>");
        foreach (var o in program.Outputs)
            lines.Add("<param name=\"" + o.Name + "\">Receives Σₖ " + weights + "[k]·∂" + output.Name + "[k]/∂" + o.Parameter + (o.IsArray ? "[j] for every j (written, not accumulated; must have the length of <c>" + o.Parameter + "</c>)." : ".") + "</param>");
        GradientEmitter.Emit(w, modifiers, isStatic, program, lines, header);
    }

    /// <summary>The Jacobian's output for a differentiated parameter: a matrix (rows of r, columns of the parameter), or a span for a scalar.</summary>
    public static string JacobianOutputType(GradientOutput o, Precision precision) =>
        o.IsArray ? ParameterText.Real(precision) + "[,]" : "global::System.Span<" + ParameterText.Real(precision) + ">";

    /// <summary><c>MJacobian</c>'s parameters: M's, then one output per differentiated parameter (named as MGradient's).</summary>
    public static string JacobianParameters(MethodIr vector, IEnumerable<GradientOutput> outputs) =>
        Parameters(vector) + string.Concat(outputs.Select(o => ", " + JacobianOutputType(o, vector.Precision) + " " + o.Name));

    /// <summary>Throws when an output does not have the Jacobian's shape: (r.Length, the parameter's length), or r.Length for a scalar.</summary>
    public static void JacobianShapeChecks(SourceWriter w, MethodIr vector, IEnumerable<GradientOutput> outputs)
    {
        string r = vector.Output!.Name;
        foreach (var o in outputs)
        {
            if (o.IsArray)
            {
                w.Open("if (" + o.Name + ".GetLength(0) != " + r + ".Length || " + o.Name + ".GetLength(1) != " + o.Parameter + ".Length)");
                w.Line("global::Differentiator.ShapeErrors.JacobianShapeMismatch(nameof(" + o.Name + "), \"" + r + "\", \"" + o.Parameter + "\", " + r + ".Length, " + o.Parameter + ".Length, "
                    + o.Name + ".GetLength(0), " + o.Name + ".GetLength(1));");
            }
            else
            {
                w.Open("if (" + o.Name + ".Length != " + r + ".Length)");
                w.Line("global::Differentiator.ShapeErrors.OutputLengthMismatch(nameof(" + o.Name + "), \"" + r + "\", " + r + ".Length, " + o.Name + ".Length);");
            }
            w.Close();
        }
    }

    /// <summary>The <c>param</c> tag of each of M's own parameters, shared by every member of a vector-valued method.</summary>
    private static IEnumerable<string> ParameterDocs(MethodIr vector) =>
        vector.Parameters.Where(p => p.Name.Length > 0).Select(p => "<param name=\"" + p.Name + "\">As in <c>" + vector.Name + "</c>; " + (p.Kind == ParameterKind.Output ? "receives its values." : p.Differentiated ? "differentiated." : "data, not differentiated.") + "</param>");

    /// <summary>Doc lines shared by the three Jacobians: what each output holds.</summary>
    public static IEnumerable<string> JacobianParamDocs(MethodIr vector, IEnumerable<GradientOutput> outputs)
    {
        string r = vector.Output!.Name;
        foreach (var line in ParameterDocs(vector)) yield return line;
        foreach (var o in outputs)
            yield return "<param name=\"" + o.Name + "\">Receives " + (o.IsArray
                ? "∂" + r + "[i]/∂" + o.Parameter + "[j] at [i, j] (written; shape (" + r + ".Length, " + o.Parameter + ".Length))."
                : "∂" + r + "[i]/∂" + o.Parameter + " at [i] (written; length " + r + ".Length).") + "</param>";
    }

    /// <summary>
    /// <c>MJacobian</c>: row i is <c>MVjp</c> with the i-th unit vector as weights (one forward and one reverse sweep per
    /// row, the weights and row buffers rented from the pool: nothing allocated in steady state).
    /// </summary>
    public static void EmitJacobian(SourceWriter w, string modifiers, MethodIr vector, IReadOnlyList<GradientOutput> outputs, JvpResult? jvp = null)
    {
        string real = ParameterText.Real(vector.Precision);
        string r = vector.Output!.Name;
        w.Line("/// <summary>");
        w.Line("/// The Jacobian of <c>" + vector.Name + "</c> with respect to " + string.Join(", ", outputs.Select(o => "<c>" + o.Parameter + "</c>"))
            + ": row i holds ∂" + r + "[i]/∂(…); also writes <c>" + r + "</c>.");
        w.Line("/// Row by row, by <c>" + vector.Name + VjpSuffix + "</c> with unit weights: one forward and one reverse sweep per row of <c>" + r + "</c>"
            + (jvp?.Program is null ? "" : "; or, when there are fewer columns than rows, column by column, by <c>" + vector.Name + JvpSuffix + "</c> with unit tangents: one forward sweep per column")
            + "; no allocation in steady state.");
        w.Line("/// </summary>");
        foreach (var line in JacobianParamDocs(vector, outputs)) w.Line("/// " + line);
        w.Line(SourceFileEmitter.GeneratedCodeAttribute);
        w.Open(modifiers + " void " + vector.Name + JacobianSuffix + "(" + JacobianParameters(vector, outputs) + ")");
        JacobianShapeChecks(w, vector, outputs);
        var names = new NameAllocator(vector.Parameters.Select(p => p.Name).Concat(outputs.Select(o => o.Name)));
        string rows = names.Allocate("rows");
        string weights = names.Allocate("weights");
        string i = names.Allocate("i");
        string j = names.Allocate("j");
        var rowBuffers = outputs.ToDictionary(o => o.Name, o => names.Allocate(o.Name + "Row"));
        string pool = "global::System.Buffers.ArrayPool<" + real + ">.Shared";
        // A method that reads r (r[i] += …) computes from the values it finds there: each row must start from the caller's.
        bool readsOutput = IrWalker.Flatten(vector.Body).SelectMany(IrWalker.Expressions).SelectMany(IrWalker.Descendants)
            .Any(e => e is ElementRef { Array: var array } && array == r);
        string initial = names.Allocate(r + "Initial");
        w.Line("int " + rows + " = " + r + ".Length;");
        if (jvp?.Program is not null) Columns(w, vector, outputs, jvp, names, rows, readsOutput);
        w.Line(real + "[] " + weights + " = " + pool + ".Rent(" + rows + ");");
        if (readsOutput)
        {
            w.Line("// " + vector.Name + " reads " + r + " before it writes it: every row starts from the values the caller passed.");
            w.Line(real + "[] " + initial + " = " + pool + ".Rent(" + rows + ");");
            w.Line(r + ".CopyTo(" + initial + ");");
        }
        w.Line("global::System.Array.Clear(" + weights + ", 0, " + rows + ");");
        foreach (var o in outputs.Where(o => o.IsArray)) w.Line(real + "[] " + rowBuffers[o.Name] + " = " + pool + ".Rent(" + o.Parameter + ".Length);");
        w.Open("for (int " + i + " = 0; " + i + " < " + rows + "; " + i + "++)");
        if (readsOutput) w.Line("if (" + i + " > 0) new global::System.ReadOnlySpan<" + real + ">(" + initial + ", 0, " + rows + ").CopyTo(" + r + ");");
        w.Line(weights + "[" + i + "] = 1;");
        var arguments = vector.Parameters.Select(p => p.Name)
            .Append("new global::System.ReadOnlySpan<" + real + ">(" + weights + ", 0, " + rows + ")")
            .Concat(outputs.Select(o => o.IsArray ? "new global::System.Span<" + real + ">(" + rowBuffers[o.Name] + ", 0, " + o.Parameter + ".Length)" : "out " + real + " " + rowBuffers[o.Name]));
        w.Line(vector.Name + VjpSuffix + "(" + string.Join(", ", arguments) + ");");
        w.Line(weights + "[" + i + "] = 0;");
        foreach (var o in outputs)
        {
            if (o.IsArray) w.Line("for (int " + j + " = 0; " + j + " < " + o.Parameter + ".Length; " + j + "++) " + o.Name + "[" + i + ", " + j + "] = " + rowBuffers[o.Name] + "[" + j + "];");
            else w.Line(o.Name + "[" + i + "] = " + rowBuffers[o.Name] + ";");
        }
        w.Close();
        w.Line(pool + ".Return(" + weights + ");");
        if (readsOutput) w.Line(pool + ".Return(" + initial + ");");
        foreach (var o in outputs.Where(o => o.IsArray)) w.Line(pool + ".Return(" + rowBuffers[o.Name] + ");");
        w.Close();
    }

    /// <summary>
    /// The column path of <c>MJacobian</c>: when the differentiated parameters have fewer components than r has
    /// elements, one <c>MJvp</c> per component (a unit tangent) gives a column, cheaper than a reverse sweep per row.
    /// </summary>
    private static void Columns(SourceWriter w, MethodIr vector, IReadOnlyList<GradientOutput> outputs, JvpResult jvp, NameAllocator names, string rows, bool readsOutput)
    {
        string initial = names.Allocate(vector.Output!.Name + "Start"); // not the rows' name: C# scopes would clash
        string real = ParameterText.Real(vector.Precision);
        string r = vector.Output!.Name;
        string pool = "global::System.Buffers.ArrayPool<" + real + ">.Shared";
        var differentiated = vector.Parameters.Where(p => p.Differentiated).ToList();
        string columns = names.Allocate("columns");
        string dots = names.Allocate("dots");
        string i = names.Allocate("i");
        string j = names.Allocate("j");
        var tangents = differentiated.Select((p, k) => names.Allocate(jvp.Names.Tangents[k])).ToList();
        w.Line("int " + columns + " = " + string.Join(" + ", outputs.Select(o => o.IsArray ? o.Parameter + ".Length" : "1")) + ";");
        w.Line("// Fewer columns than rows: one forward sweep (" + vector.Name + JvpSuffix + ") per column costs less than one reverse sweep per row.");
        w.Open("if (" + columns + " < " + rows + ")");
        if (readsOutput)
        {
            w.Line(real + "[] " + initial + " = " + pool + ".Rent(" + rows + ");");
            w.Line(r + ".CopyTo(" + initial + ");");
        }
        w.Line(real + "[] " + dots + " = " + pool + ".Rent(" + rows + ");");
        for (int k = 0; k < differentiated.Count; k++)
        {
            var p = differentiated[k];
            if (p.IsArray)
            {
                w.Line(real + "[] " + tangents[k] + " = " + pool + ".Rent(" + p.Name + ".Length);");
                w.Line("global::System.Array.Clear(" + tangents[k] + ", 0, " + p.Name + ".Length);");
            }
            else w.Line(real + " " + tangents[k] + " = 0;");
        }
        var arguments = vector.Parameters.Select(p => p.Name)
            .Concat(differentiated.Select((p, k) => p.IsArray ? "new global::System.ReadOnlySpan<" + real + ">(" + tangents[k] + ", 0, " + p.Name + ".Length)" : tangents[k]))
            .Append("new global::System.Span<" + real + ">(" + dots + ", 0, " + rows + ")");
        string call = vector.Name + JvpSuffix + "(" + string.Join(", ", arguments) + ");";
        string restore = readsOutput ? "new global::System.ReadOnlySpan<" + real + ">(" + initial + ", 0, " + rows + ").CopyTo(" + r + "); // every column starts from the caller's " + r : null!;
        for (int k = 0; k < differentiated.Count; k++)
        {
            var p = differentiated[k];
            var o = outputs.First(x => x.Parameter == p.Name);
            if (p.IsArray)
            {
                w.Open("for (int " + j + " = 0; " + j + " < " + p.Name + ".Length; " + j + "++)");
                if (readsOutput) w.Line(restore);
                w.Line(tangents[k] + "[" + j + "] = 1;");
                w.Line(call);
                w.Line(tangents[k] + "[" + j + "] = 0;");
                w.Line("for (int " + i + " = 0; " + i + " < " + rows + "; " + i + "++) " + o.Name + "[" + i + ", " + j + "] = " + dots + "[" + i + "];");
                w.Close();
            }
            else
            {
                if (readsOutput) w.Line(restore);
                w.Line(tangents[k] + " = 1;");
                w.Line(call);
                w.Line(tangents[k] + " = 0;");
                w.Line("for (int " + i + " = 0; " + i + " < " + rows + "; " + i + "++) " + o.Name + "[" + i + "] = " + dots + "[" + i + "];");
            }
        }
        w.Line(pool + ".Return(" + dots + ");");
        if (readsOutput) w.Line(pool + ".Return(" + initial + ");");
        for (int k = 0; k < differentiated.Count; k++) if (differentiated[k].IsArray) w.Line(pool + ".Return(" + tangents[k] + ");");
        w.Line("return;");
        w.Close();
    }
}
