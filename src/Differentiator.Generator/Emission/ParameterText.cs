using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Emission;

/// <summary>C# spellings of parameters, outputs and the local declarations shared by the emitters.</summary>
internal static class ParameterText
{
    /// <summary>The keyword of the method's real type.</summary>
    public static string Real(Precision precision) => Dialects.Real(precision);

    /// <summary>The dialect the closed-form gradient is printed in.</summary>
    public static Dialect DialectOf(Precision precision) => Dialects.Of(precision);

    public static string TypeOf(ParameterKind kind, Precision precision)
    {
        string real = Real(precision);
        return kind switch
        {
            ParameterKind.Double => real,
            ParameterKind.Int => "int",
            ParameterKind.DoubleArray => real + "[]",
            ParameterKind.DoubleSpan or ParameterKind.Output => "global::System.Span<" + real + ">",
            ParameterKind.ReadOnlyDoubleSpan => "global::System.ReadOnlySpan<" + real + ">",
            ParameterKind.DoubleJagged => real + "[][]",
            ParameterKind.IntArray => "int[]",
            ParameterKind.IntSpan => "global::System.Span<int>",
            ParameterKind.ReadOnlyIntSpan => "global::System.ReadOnlySpan<int>",
            ParameterKind.IntArray2D => "int[,]",
            _ => real + "[,]",
        };
    }

    /// <summary>M's parameters followed by the outputs: <c>double[] w, double b, Span&lt;double&gt; dw, out double db</c> (floats in a float method).</summary>
    public static string GradientSignature(MethodIr method, IEnumerable<GradientOutput> outputs)
    {
        string real = Real(method.Precision);
        return string.Join(", ", method.Parameters.Select(p => TypeOf(p.Kind, method.Precision) + " " + p.Name)
            .Concat(outputs.Select(o => OutputType(o, method.Precision) + " " + o.Name)));
    }

    /// <summary>A span for an array or span, the parameter's own shape for a matrix (<c>double[,]</c>, <c>double[][]</c>), <c>out</c> for a scalar.</summary>
    public static string OutputType(GradientOutput o, Precision precision) =>
        o.IsMatrix ? TypeOf(o.Kind, precision)
        : o.IsArray ? "global::System.Span<" + Real(precision) + ">"
        : "out " + Real(precision);

    public static string Arguments(MethodIr method) => string.Join(", ", method.Parameters.Select(p => p.Name));

    /// <summary>Throws when an output span's length differs from its parameter's: a silent partial write would be a wrong gradient.</summary>
    public static void LengthChecks(SourceWriter w, IEnumerable<GradientOutput> outputs)
    {
        foreach (var o in outputs.Where(o => o.IsArray))
        {
            if (o.IsMatrix)
            {
                MatrixShapeCheck(w, o);
                continue;
            }
            w.Open("if (" + o.Name + ".Length != " + o.Parameter + ".Length)");
            // Thrown from the runtime: an inline message costs the gradient's hot path even when it never runs.
            w.Line("global::Differentiator.ShapeErrors.LengthMismatch(nameof(" + o.Name + "), \"" + o.Parameter + "\", " + o.Parameter + ".Length, " + o.Name + ".Length);");
            w.Close();
        }
    }

    /// <summary>A matrix output must have its parameter's shape: both dimensions, or every row of a jagged array.</summary>
    private static void MatrixShapeCheck(SourceWriter w, GradientOutput o)
    {
        string fail = "global::Differentiator.ShapeErrors.ShapeMismatch(nameof(" + o.Name + "), \"" + o.Parameter + "\");";
        if (o.Kind == ParameterKind.DoubleArray2D)
        {
            w.Open("if (" + o.Name + ".GetLength(0) != " + o.Parameter + ".GetLength(0) || " + o.Name + ".GetLength(1) != " + o.Parameter + ".GetLength(1))");
            w.Line(fail);
            w.Close();
            return;
        }
        // A row index that can be no user's name: the check runs before any of the method's own code.
        w.Open("if (" + o.Name + ".Length != " + o.Parameter + ".Length)");
        w.Line(fail);
        w.Close();
        w.Open("for (int row__ = 0; row__ < " + o.Parameter + ".Length; row__++)");
        w.Open("if (" + o.Name + "[row__] is null || " + o.Name + "[row__].Length != " + o.Parameter + "[row__].Length)");
        w.Line(fail);
        w.Close();
        w.Close();
    }

    /// <summary>
    /// Locals declared by their first assignment, in the innermost block that holds every mention of them, when
    /// that block's first statement mentioning them assigns without reading them (<c>int n = y.Length;</c>, or
    /// <c>double r = pred - y[i];</c> inside the loop). The rest are declared up front with default values.
    /// <paramref name="readAfterBody"/> (the method's result, returned after the body) is declared by an assignment
    /// only at the body's top level: its only assignment may sit inside a loop (<c>while (true) { … return s; }</c>).
    /// </summary>
    public static HashSet<string> DeclaredOnAssign(Block body, IEnumerable<string> locals, string readAfterBody)
    {
        var result = new HashSet<string>(System.StringComparer.Ordinal);
        // Each statement's mentions, computed once: asking per local and per statement again was cubic in long methods.
        var mentions = new Dictionary<Stmt, HashSet<string>>(Model.ReferenceEqualityComparer.Instance);
        foreach (var name in locals)
        {
            if (DeclarableIn(body, name, mentions, nested: name != readAfterBody)) result.Add(name);
        }
        return result;
    }

    /// <param name="nested">Whether the declaration may go into a block nested in <paramref name="block"/>.</param>
    private static bool DeclarableIn(Block block, string name, Dictionary<Stmt, HashSet<string>> mentions, bool nested = true)
    {
        var mentioning = block.Statements.Where(s => MentionsOf(s, mentions).Contains(name)).ToList();
        if (mentioning.Count == 0) return false;
        var first = mentioning[0];
        if ((first is Assign || first is CallAssign { WritesArray: false }) && StatementWalker.Target(first) == name
            && !IrWalker.Expressions(first).Any(e => ExprWalker.Reads(e).Contains(name)))
            return true;
        if (mentioning.Count > 1 || !nested) return false;
        // Every mention is inside one compound statement: look one block deeper, if only one of its blocks mentions it
        // and the statement's own expressions (a condition, a loop's bounds) and exit flag do not.
        if (IrWalker.Expressions(first).Any(e => ExprWalker.Reads(e).Contains(name)) || first is For { ExitFlag: var flag } && flag == name) return false;
        var blocks = IrWalker.Blocks(first).Where(b => b.Statements.Any(s => MentionsOf(s, mentions).Contains(name))).ToList();
        return blocks.Count == 1 && DeclarableIn(blocks[0], name, mentions);
    }

    /// <summary>Every name a statement (with everything nested in it) assigns, reads, tests or receives.</summary>
    private static HashSet<string> MentionsOf(Stmt statement, Dictionary<Stmt, HashSet<string>> cache)
    {
        if (cache.TryGetValue(statement, out var known)) return known;
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        StatementWalker.CollectMentions(statement, names);
        foreach (var s in IrWalker.Blocks(statement).SelectMany(b => b.Statements)) names.UnionWith(MentionsOf(s, cache));
        cache[statement] = names;
        return names;
    }

    public static void DeclareLocals(SourceWriter w, IEnumerable<Ir.LocalVariable> locals, HashSet<string> except, Dialect dialect)
    {
        foreach (var local in locals.Where(l => !except.Contains(l.Name) && !l.IsArray)) // arrays: declared where allocated
        {
            string zero = local.Type == ScalarType.Bool ? "false" : "0";
            w.Line(StatementPrinter.TypeName(local.Type, dialect) + " " + local.Name + " = " + zero + ";");
        }
    }
}
