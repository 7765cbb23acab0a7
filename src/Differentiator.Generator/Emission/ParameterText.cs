using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Emission;

/// <summary>C# spellings of parameters, outputs and the local declarations shared by the emitters.</summary>
internal static class ParameterText
{
    public static string TypeOf(ParameterKind kind) => kind switch
    {
        ParameterKind.Double => "double",
        ParameterKind.Int => "int",
        ParameterKind.DoubleArray => "double[]",
        ParameterKind.DoubleSpan => "global::System.Span<double>",
        ParameterKind.ReadOnlyDoubleSpan => "global::System.ReadOnlySpan<double>",
        _ => "double[,]",
    };

    /// <summary>M's parameters followed by the outputs: <c>double[] w, double b, Span&lt;double&gt; dw, out double db</c>.</summary>
    public static string GradientSignature(MethodIr method, IEnumerable<GradientOutput> outputs) =>
        string.Join(", ", method.Parameters.Select(p => TypeOf(p.Kind) + " " + p.Name)
            .Concat(outputs.Select(o => o.IsArray ? "global::System.Span<double> " + o.Name : "out double " + o.Name)));

    public static string Arguments(MethodIr method) => string.Join(", ", method.Parameters.Select(p => p.Name));

    /// <summary>Throws when an output span's length differs from its parameter's: a silent partial write would be a wrong gradient.</summary>
    public static void LengthChecks(SourceWriter w, IEnumerable<GradientOutput> outputs)
    {
        foreach (var o in outputs.Where(o => o.IsArray))
        {
            w.Open("if (" + o.Name + ".Length != " + o.Parameter + ".Length)");
            w.Line("throw new global::System.ArgumentException(\"The gradient output '" + o.Name + "' must have the same length as '" + o.Parameter + "' (\" + "
                + o.Parameter + ".Length + \"), but has length \" + " + o.Name + ".Length + \".\", nameof(" + o.Name + "));");
            w.Close();
        }
    }

    /// <summary>
    /// Locals first assigned by a top-level statement before anything mentions them are declared there; the rest
    /// are declared up front with default values (they are read across sweeps or scopes).
    /// </summary>
    public static HashSet<string> DeclaredOnAssign(Block body, IEnumerable<string> locals)
    {
        var candidates = new HashSet<string>(locals, System.StringComparer.Ordinal);
        var result = new HashSet<string>(System.StringComparer.Ordinal);
        var mentioned = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var s in body.Statements)
        {
            var target = StatementWalker.Target(s);
            if ((s is Assign || s is CallAssign) && target is not null && candidates.Contains(target) && !mentioned.Contains(target)
                && !ReverseModeBuilder.StatementExpressions(s).Any(e => ExprWalker.Reads(e).Contains(target)))
                result.Add(target);
            foreach (var inner in StatementWalker.Flatten(new Block(Model.EquatableArray.Of(s))))
            {
                var t = StatementWalker.Target(inner);
                if (t is not null) mentioned.Add(t);
                foreach (var e in ReverseModeBuilder.StatementExpressions(inner)) mentioned.UnionWith(ExprWalker.Reads(e));
            }
        }
        return result;
    }

    public static void DeclareLocals(SourceWriter w, IEnumerable<Ir.LocalVariable> locals, HashSet<string> except, Dialect dialect)
    {
        foreach (var local in locals.Where(l => !except.Contains(l.Name)))
        {
            string zero = local.Type == ScalarType.Bool ? "false" : "0";
            w.Line(StatementPrinter.TypeName(local.Type, dialect) + " " + local.Name + " = " + zero + ";");
        }
    }
}
