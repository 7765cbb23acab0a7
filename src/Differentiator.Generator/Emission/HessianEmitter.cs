using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Differentiation;
using Differentiator.Generator.Differentiation.Forward;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Emission;

/// <summary>
/// Prints <c>MHessian</c> (column by column, <c>MHessianVectorProduct</c> with unit tangents) and its check
/// <c>MNumericalHessian</c> (central differences of <c>MGradient</c>). The Hessian comes in blocks, one
/// <c>double[,]</c> per ordered pair (p, q) of differentiated parameters, of shape (size of p, size of q): a scalar
/// has size 1, an array or span its length, a <c>double[,]</c> its element count (row-major). A method with one
/// differentiated parameter has one block, <c>H</c>; otherwise the blocks are <c>H_p_q</c>, p major, in declaration
/// order (docs/jacobians-and-hessians.md).
/// </summary>
internal static class HessianEmitter
{
    /// <summary>Why a method gets no <c>MHessian</c>, or null: jagged rows have no one flat numbering to index blocks by.</summary>
    public static string? Unsupported(MethodIr method) =>
        method.Parameters.Any(p => p.Differentiated && p.Kind == ParameterKind.DoubleJagged)
            ? "MHessian and MNumericalHessian are not written for a differentiated double[][] (its rows have no one flat numbering)" : null;

    public sealed record Block(Parameter Row, Parameter Column, string Name);

    public static IReadOnlyList<Block> Blocks(MethodIr method)
    {
        var names = new NameAllocator(method.Parameters.Select(p => p.Name).Append(method.Name));
        var differentiated = method.Parameters.Where(p => p.Differentiated).ToList();
        if (differentiated.Count == 1) return new[] { new Block(differentiated[0], differentiated[0], names.Allocate("H")) };
        return differentiated.SelectMany(p => differentiated.Select(q => new Block(p, q, names.Allocate("H_" + p.Name + "_" + q.Name)))).ToList();
    }

    private static string Signature(MethodIr method, IReadOnlyList<Block> blocks) =>
        string.Join(", ", method.Parameters.Select(p => ParameterText.TypeOf(p.Kind, method.Precision) + " " + p.Name)
            .Concat(blocks.Select(b => ParameterText.Real(method.Precision) + "[,] " + b.Name)));

    /// <summary>The number of components of a parameter: its flat length.</summary>
    private static string Size(Parameter p) => p.IsArray ? p.Name + ".Length" : "1";

    /// <summary>Component <paramref name="index"/> of <paramref name="storage"/>, shaped like <paramref name="p"/> (row-major for a matrix).</summary>
    private static string Element(Parameter p, string storage, string index) => p.Kind switch
    {
        ParameterKind.Double => storage,
        ParameterKind.DoubleArray2D => storage + "[" + index + " / " + p.Name + ".GetLength(1), " + index + " % " + p.Name + ".GetLength(1)]",
        _ => storage + "[" + index + "]",
    };

    private static void ShapeChecks(SourceWriter w, IReadOnlyList<Block> blocks)
    {
        foreach (var b in blocks)
        {
            w.Open("if (" + b.Name + ".GetLength(0) != " + Size(b.Row) + " || " + b.Name + ".GetLength(1) != " + Size(b.Column) + ")");
            w.Line("global::Differentiator.ShapeErrors.HessianBlockMismatch(nameof(" + b.Name + "), \"" + b.Row.Name + "\", \"" + b.Column.Name + "\", "
                + Size(b.Row) + ", " + Size(b.Column) + ", " + b.Name + ".GetLength(0), " + b.Name + ".GetLength(1));");
            w.Close();
        }
    }

    /// <summary>Declares zeroed storage shaped like <paramref name="p"/>; arrays are rented (given back by the caller), matrices allocated.</summary>
    private static void Storage(SourceWriter w, Parameter p, string name, string rented, string real)
    {
        switch (p.Kind)
        {
            case ParameterKind.Double:
                w.Line(real + " " + name + " = 0;");
                break;
            case ParameterKind.DoubleArray2D:
                w.Line(real + "[,] " + name + " = new " + real + "[" + p.Name + ".GetLength(0), " + p.Name + ".GetLength(1)];");
                break;
            default:
                w.Line(real + "[] " + rented + " = global::System.Buffers.ArrayPool<" + real + ">.Shared.Rent(" + p.Name + ".Length);");
                w.Line("global::System.Span<" + real + "> " + name + " = global::System.MemoryExtensions.AsSpan(" + rented + ", 0, " + p.Name + ".Length);");
                w.Line(name + ".Clear();");
                break;
        }
    }

    public static void EmitHessian(SourceWriter w, string modifiers, MethodIr method, ForwardNames forward)
    {
        string real = ParameterText.Real(method.Precision);
        var blocks = Blocks(method);
        var differentiated = method.Parameters.Where(p => p.Differentiated).ToList();
        var names = new NameAllocator(method.Parameters.Select(p => p.Name).Concat(blocks.Select(b => b.Name)).Append(method.Name));
        var v = differentiated.ToDictionary(p => p.Name, p => names.Allocate("v" + p.Name));
        var hv = differentiated.ToDictionary(p => p.Name, p => names.Allocate("hv" + p.Name));
        var rented = differentiated.ToDictionary(p => p.Name, p => (V: names.Allocate("v" + p.Name + "Rented"), Hv: names.Allocate("hv" + p.Name + "Rented")));
        string value = names.Allocate("value");
        string j = names.Allocate("j");
        string i = names.Allocate("i");

        w.Line("/// <summary>The Hessian of <c>" + method.Name + "</c> in blocks " + string.Join(", ", blocks.Select(b => "<paramref name=\"" + b.Name + "\"/>"))
            + " (block (p, q) holds ∂²" + method.Name + "/∂p∂q, of shape (size of p, size of q)); returns its value.");
        w.Line("/// Column by column: one <c>" + method.Name + "HessianVectorProduct</c> per component, with a unit tangent; nothing allocated for arrays and spans (pooled buffers).</summary>");
        w.Line(SourceFileEmitter.GeneratedCodeAttribute);
        w.Open(modifiers + " " + real + " " + method.Name + "Hessian(" + Signature(method, blocks) + ")");
        ShapeChecks(w, blocks);
        foreach (var p in differentiated)
        {
            Storage(w, p, v[p.Name], rented[p.Name].V, real);
            Storage(w, p, hv[p.Name], rented[p.Name].Hv, real);
        }
        w.Line(real + " " + value + " = 0;");
        string call = method.Name + "HessianVectorProduct(" + string.Join(", ", method.Parameters.Select(p => p.Name)
            .Concat(differentiated.Select(p => v[p.Name]))
            .Concat(differentiated.Select(p => p.IsArray ? hv[p.Name] : "out " + hv[p.Name]))) + ");";
        foreach (var column in differentiated)
        {
            w.Line("// Columns of " + column.Name + ": H·e for each of its components.");
            w.Open("for (int " + j + " = 0; " + j + " < " + Size(column) + "; " + j + "++)");
            w.Line(Element(column, v[column.Name], j) + " = 1;");
            w.Line(value + " = " + call);
            w.Line(Element(column, v[column.Name], j) + " = 0;");
            foreach (var b in blocks.Where(b => b.Column == column))
                w.Line("for (int " + i + " = 0; " + i + " < " + Size(b.Row) + "; " + i + "++) " + b.Name + "[" + i + ", " + j + "] = " + Element(b.Row, hv[b.Row.Name], i) + ";");
            w.Close();
        }
        foreach (var p in differentiated.Where(p => p.IsArray && p.Kind != ParameterKind.DoubleArray2D))
        {
            w.Line("global::System.Buffers.ArrayPool<" + real + ">.Shared.Return(" + rented[p.Name].V + ");");
            w.Line("global::System.Buffers.ArrayPool<" + real + ">.Shared.Return(" + rented[p.Name].Hv + ");");
        }
        // With no component at all, no column ran: the value comes from the method itself.
        if (differentiated.All(p => p.IsArray))
            w.Line("if (" + string.Join(" && ", differentiated.Select(p => Size(p) + " == 0")) + ") " + value + " = " + method.Name + "(" + ParameterText.Arguments(method) + ");");
        w.Line("return " + value + ";");
        w.Close();
    }

    /// <summary><c>MNumericalHessian</c>: each column the central difference of <c>MGradient</c> along one component, on copies of the inputs.</summary>
    public static void EmitNumericalHessian(SourceWriter w, string modifiers, MethodIr method)
    {
        string real = ParameterText.Real(method.Precision);
        bool single = method.Precision == Precision.Single;
        string stepCall = "global::Differentiator.NumericalStep." + (single ? "ForSingle(" : "For(");
        var blocks = Blocks(method);
        var differentiated = method.Parameters.Where(p => p.Differentiated).ToList();
        var names = new NameAllocator(method.Parameters.Select(p => p.Name).Concat(blocks.Select(b => b.Name)).Append(method.Name));
        var probes = differentiated.ToDictionary(p => p.Name, p => names.Allocate(p.Name + "Probe"));
        var up = differentiated.ToDictionary(p => p.Name, p => names.Allocate("gUp" + p.Name));
        var down = differentiated.ToDictionary(p => p.Name, p => names.Allocate("gDown" + p.Name));
        string value = names.Allocate("value"), j = names.Allocate("j"), i = names.Allocate("i");
        string saved = names.Allocate("saved"), xUp = names.Allocate("up"), xDown = names.Allocate("down");

        w.Line("/// <summary>The Hessian of <c>" + method.Name + "</c> by central differences of <c>" + method.Name + "Gradient</c> (step <see cref=\"global::Differentiator.NumericalStep\"/>),");
        w.Line("/// in the blocks of <c>" + method.Name + "Hessian</c>: an independent check, 2 gradients per component.</summary>");
        w.Line(SourceFileEmitter.GeneratedCodeAttribute);
        w.Open(modifiers + " " + real + " " + method.Name + "NumericalHessian(" + Signature(method, blocks) + ")");
        ShapeChecks(w, blocks);
        foreach (var p in differentiated)
        {
            string probe = probes[p.Name];
            w.Line(p.Kind switch
            {
                ParameterKind.Double => real + " " + probe + " = " + p.Name + ";",
                ParameterKind.DoubleArray2D => real + "[,] " + probe + " = (" + real + "[,])" + p.Name + ".Clone();",
                ParameterKind.DoubleArray => real + "[] " + probe + " = (" + real + "[])" + p.Name + ".Clone();",
                _ => real + "[] " + probe + " = " + p.Name + ".ToArray();",
            });
            foreach (var g in new[] { up[p.Name], down[p.Name] })
            {
                w.Line(p.Kind switch
                {
                    ParameterKind.Double => real + " " + g + " = 0;",
                    ParameterKind.DoubleArray2D => real + "[,] " + g + " = new " + real + "[" + p.Name + ".GetLength(0), " + p.Name + ".GetLength(1)];",
                    _ => real + "[] " + g + " = new " + real + "[" + p.Name + ".Length];",
                });
            }
        }
        string Args(Dictionary<string, string> outputs) => string.Join(", ", method.Parameters.Select(p => probes.TryGetValue(p.Name, out var probe) ? probe : p.Name)
            .Concat(differentiated.Select(p => p.IsArray ? outputs[p.Name] : "out " + outputs[p.Name])));
        w.Line(real + " " + value + " = " + method.Name + "(" + string.Join(", ", method.Parameters.Select(p => probes.TryGetValue(p.Name, out var probe) ? probe : p.Name)) + ");");
        foreach (var column in differentiated)
        {
            string slot = Element(column, probes[column.Name], j);
            w.Open("for (int " + j + " = 0; " + j + " < " + Size(column) + "; " + j + "++)");
            w.Line(real + " " + saved + " = " + slot + ";");
            w.Line(real + " " + xUp + " = " + saved + " + " + stepCall + saved + ");");
            w.Line(real + " " + xDown + " = " + saved + " - " + stepCall + saved + ");");
            w.Line(slot + " = " + xUp + ";");
            w.Line(method.Name + "Gradient(" + Args(up) + ");");
            w.Line(slot + " = " + xDown + ";");
            w.Line(method.Name + "Gradient(" + Args(down) + ");");
            w.Line(slot + " = " + saved + ";");
            foreach (var b in blocks.Where(b => b.Column == column))
            {
                w.Line("for (int " + i + " = 0; " + i + " < " + Size(b.Row) + "; " + i + "++) " + b.Name + "[" + i + ", " + j + "] = " + Dialects.Narrow(method.Precision)
                    + "global::Differentiator.NumericalStep.CentralDifference(" + Element(b.Row, up[b.Row.Name], i) + ", " + Element(b.Row, down[b.Row.Name], i) + ", " + xUp + ", " + xDown + ");");
            }
            w.Close();
        }
        w.Line("return " + value + ";");
        w.Close();
    }
}
