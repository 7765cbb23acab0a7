using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;

namespace Differentiator.Generator.Emission;

/// <summary>Prints IR statements as C#, for the gradient, the tape and the primal alike.</summary>
internal sealed class StatementPrinter
{
    private readonly SourceWriter _w;
    private readonly ExpressionPrinter _e;
    private readonly string? _tapeSuffix;
    private readonly string ScratchName;
    private readonly HashSet<string> _declareOnAssign;

    /// <param name="tapeSuffix">In the tape dialect, the suffix of the callee helpers (<c>__Tape</c>); null otherwise.</param>
    /// <param name="scratch">The local that holds the scratch stack, when the code saves values.</param>
    /// <param name="declareOnAssign">Locals declared by their first assignment (<c>int n = y.Length;</c>) rather than up front.</param>
    public StatementPrinter(SourceWriter writer, Dialect dialect, string? tapeSuffix, string scratch, HashSet<string> declareOnAssign, IReadOnlyDictionary<string, ScalarType> types, ISet<string>? liftedArrays = null)
    {
        _liftedArrays = liftedArrays ?? new HashSet<string>();
        _w = writer;
        _e = new ExpressionPrinter(dialect);
        _tapeSuffix = tapeSuffix;
        ScratchName = scratch;
        _declareOnAssign = declareOnAssign;
        _types = types;
        _dialect = dialect;
        _real = Dialects.Real(dialect);
    }

    /// <summary>The real type's keyword in the gradient's dialects (<c>double</c> or <c>float</c>).</summary>
    private readonly string _real;

    private readonly IReadOnlyDictionary<string, ScalarType> _types;
    private readonly Dialect _dialect;
    private readonly ISet<string> _liftedArrays;

    public ExpressionPrinter Expressions => _e;

    public void Block(Block block)
    {
        var statements = block.Statements;
        for (int k = 0; k < statements.Count; k++)
        {
            // Adjacent components of one NGradient call (the parser split them): one call, as the user wrote it.
            var run = _tapeSuffix is null ? Analysis.NestedCalls.RunFrom(statements, k) : null;
            if (run is { Count: > 1 } && run[0].Nested!.Kind == NestedKind.GradientComponent)
            {
                _w.Line(NestedCallPrinter.PrintComponents(run, _e, c => _declareOnAssign.Remove(c.Target) ? TypeName(_types[c.Target], _dialect) + " " : ""));
                k += run.Count - 1;
                continue;
            }
            Statement(statements[k]);
        }
    }

    public void Statement(Stmt s)
    {
        switch (s)
        {
            case Assign a when _declareOnAssign.Remove(a.Target):
                _w.Line(TypeName(_types[a.Target], _dialect) + " " + a.Target + " = " + _e.Print(a.Value) + ";");
                break;
            case Assign a:
                _w.Line(Assignment(a.Target, a.Value));
                break;
            case AssignElement ae:
                _w.Line(Assignment(_e.Print(new ElementRef(ae.Array, ae.Indices, ae.Jagged)), ae.Value));
                break;
            case Let l:
                _w.Line((l.Value.Type == ScalarType.Int ? "int" : _real) + " " + l.Name + " = " + _e.Print(l.Value) + ";");
                break;
            case AllocateArray { External: true }:
                break; // the caller's span, in scope under the same name
            case AllocateArray a when _dialect == Dialect.Tape:
                _w.Line(TypeName(ScalarType.Double, _dialect) + "[] " + a.Name + " = new " + TypeName(ScalarType.Double, _dialect) + "[" + _e.Print(a.Length) + "];");
                break;
            case AllocateArray a:
                _w.Line(a.OnStack
                    ? "global::System.Span<" + _real + "> " + a.Name + " = stackalloc " + _real + "[" + _e.Print(a.Length) + "];"
                    : (a.Viewed ? "global::System.Span<" + _real + "> " : _real + "[] ") + a.Name + " = new " + _real + "[" + _e.Print(a.Length) + "];");
                break;
            case RentSnapshots r:
                _w.Line(_real + "[] " + r.Name + " = global::System.Buffers.ArrayPool<" + _real + ">.Shared.Rent(global::System.Math.Max(0, " + _e.Print(r.Count) + ") * " + r.Array + ".Length);");
                break;
            case ViewSnapshot v:
                _w.Line(v.Array + " = new global::System.Span<" + _real + ">(" + v.Snapshots + ", " + _e.Print(v.Index) + " * " + v.Array + ".Length, " + v.Array + ".Length);");
                break;
            case AllocateAdjointArray a when a.OnStack:
                _w.Line("global::System.Span<" + _real + "> " + a.Name + " = stackalloc " + _real + "[" + a.PrimalArray + ".Length];");
                break;
            case AllocateAdjointArray a:
                // Rented arrays may be longer and hold old values: clear the part this call uses.
                _w.Line(_real + "[] " + a.Name + " = global::System.Buffers.ArrayPool<" + _real + ">.Shared.Rent(" + a.PrimalArray + ".Length);");
                _w.Line("global::System.Array.Clear(" + a.Name + ", 0, " + a.PrimalArray + ".Length);");
                break;
            case PopElement p:
                _w.Line(_e.Print(new ElementRef(p.Array, p.Indices)) + " = " + PopReal() + ";");
                break;
            case PushArray p:
                _w.Line(ScratchName + ".PushAll(" + p.Array + ");");
                break;
            case PopArray p:
                _w.Line(ScratchName + ".PopAll(" + p.Array + ");");
                break;
            case Push { Slot: { } slot } p:
                _w.Line(slot.Buffer + "[" + _e.Print(slot.Index) + "] = " + _e.Print(p.Value) + ";");
                break;
            case Pop { Slot: { } slot } p:
                _w.Line(p.Target + " = " + slot.Buffer + "[" + _e.Print(slot.Index) + "];");
                break;
            case RentScalarSlots r:
                _w.Line(_real + "[] " + r.Name + " = global::System.Buffers.ArrayPool<" + _real + ">.Shared.Rent(global::System.Math.Max(0, " + _e.Print(r.Count) + "));");
                break;
            case Push p:
                _w.Line(ScratchName + ".Push(" + (p.Value.Type == ScalarType.Bool ? _e.Print(p.Value) + " ? 1 : 0" : _e.Print(p.Value)) + ");");
                break;
            case Pop p:
                _w.Line(p.Target + " = " + p.Type switch
                {
                    ScalarType.Double => PopReal() + ";",
                    ScalarType.Int => ScratchName + ".PopInt();",
                    _ => ScratchName + ".PopInt() != 0;",
                });
                break;
            case ClearArray { Kind: ParameterKind.DoubleArray2D } c:
                _w.Line("global::System.Array.Clear(" + c.Array + ");");
                break;
            case ClearArray { Kind: ParameterKind.DoubleJagged } c:
                _w.Line("global::System.Array.ForEach(" + c.Array + ", global::System.Array.Clear);");
                break;
            case ClearArray c:
                _w.Line(c.Array + ".Clear();");
                break;
            case Comment c:
                _w.Line("// " + c.Text);
                break;
            case Section section:
                _w.Line();
                _w.Line("// " + section.Title);
                break;
            case CallAssign { Nested: { } nested } c:
                _w.Line(NestedCallPrinter.Print(c, nested, _e, _tapeSuffix is not null, _declareOnAssign.Remove(c.Target) ? TypeName(_types[c.Target], _dialect) + " " : "",
                    array => _liftedArrays.Contains(array) || _types.ContainsKey(array)));
                break;
            case CallAssign c:
                _w.Line((_declareOnAssign.Remove(c.Target) ? TypeName(_types[c.Target], _dialect) + " " : "") + c.Target + " = " + Callee(c.Callee, _tapeSuffix ?? "") + "(" + string.Join(", ", c.Arguments.Select((a, k) => Argument(a, c.Callee.Parameters[k]))) + ");");
                break;
            case GradientCall g:
                foreach (var o in g.Outputs.Where(o => o.LengthOf is not null && !o.Existing))
                    _w.Line(_real + "[] " + o.Name + " = global::System.Buffers.ArrayPool<" + _real + ">.Shared.Rent(" + o.LengthOf + ".Length);");
                // A custom derivative's vector-Jacobian product with resultBar 1 is the callee's gradient, into the same outputs.
                var seed = g.Callee.CustomVjp is null ? Enumerable.Empty<string>() : new[] { _e.Print(new Const(1, ScalarType.Double)) };
                _w.Line((g.Callee.CustomVjp is { } vjp ? Callee(g.Callee with { Name = vjp }, "") : Callee(g.Callee, g.Member)) + "(" + string.Join(", ", g.Arguments.Select(_e.Print).Concat(seed)
                    .Concat(g.Outputs.Select(o => o.Existing ? o.Name : o.LengthOf is null ? "out " + o.Name : "global::System.MemoryExtensions.AsSpan(" + o.Name + ", 0, " + o.LengthOf + ".Length)"))) + ");");
                break;
            case ReleaseRented r:
                _w.Line("global::System.Buffers.ArrayPool<" + _real + ">.Shared.Return(" + r.Name + ");");
                break;
            case If i:
                PrintIf(i, prefix: "if");
                break;
            case For f:
                PrintFor(f);
                break;
            case VectorKernel k:
                KernelCallPrinter.Print(_w, _e, k);
                break;
            case RunView v:
                KernelCallPrinter.PrintView(_w, _e, v);
                break;
            default:
                throw new System.InvalidOperationException("Unknown statement " + s.GetType().Name);
        }
    }

    /// <summary>The scratch stack holds doubles: a float saved there widens exactly and narrows back to itself.</summary>
    private string PopReal() => Dialects.Narrow(_dialect) + ScratchName + ".PopDouble()";

    /// <summary>
    /// On the tape, a data array passed where the callee differentiates becomes constants on the tape; a local array
    /// (on the tape already, as the value of a nested call of a callee that differentiates a span) passes as it is.
    /// </summary>
    private string Argument(Expr argument, Parameter parameter) =>
        _dialect == Dialect.Tape && argument is ArrayRef array && parameter.Differentiated && !_liftedArrays.Contains(array.Array) && !_types.ContainsKey(array.Array)
            ? "global::Differentiator.Tape.Constants(" + array.Array + ")"
            : _e.Print(argument);

    internal static string Callee(CalleeInfo callee, string suffix) =>
        (callee.ContainingType.Length == 0 ? "" : callee.ContainingType + ".") + callee.Name + suffix;

    private string Assignment(string target, Expr value)
    {
        // x = x + e → x += e, x = x - e → x -= e: the shape of accumulation, as a person writes it.
        if (value is Binary { Op: BinaryOp.Add or BinaryOp.Subtract } b && _e.Print(b.Left) == target && b.Type != ScalarType.Bool)
        {
            string op = b.Op == BinaryOp.Add ? " += " : " -= ";
            return target + op + _e.Print(b.Right) + ";";
        }
        return target + " = " + _e.Print(value) + ";";
    }

    private void PrintIf(If i, string prefix)
    {
        _w.Open(prefix + " (" + _e.Print(i.Condition) + ")");
        Block(i.Then);
        _w.Close();
        if (i.Else.Statements.Count == 0) return;
        if (i.Else.Statements.Count == 1 && i.Else.Statements[0] is If nested)
        {
            PrintIf(nested, "else if");
            return;
        }
        _w.Open("else");
        Block(i.Else);
        _w.Close();
    }

    private void PrintFor(For f)
    {
        string condition = f.Counter + " " + Precedence.Symbol(f.Compare) + " " + _e.Print(f.Bound);
        if (f.ExitFlag is not null) condition += " && !" + f.ExitFlag;
        string step = f.Step > 0 ? f.Counter + "++" : f.Counter + "--";
        _w.Open("for (int " + f.Counter + " = " + _e.Print(f.Start) + "; " + condition + "; " + step + ")");
        Block(f.Body);
        _w.Close();
    }

    /// <summary>The C# type of a local in this dialect.</summary>
    public static string TypeName(ScalarType type, Dialect dialect) => type switch
    {
        ScalarType.Double => Dialects.Local(dialect),
        ScalarType.Int => "int",
        _ => "bool",
    };
}
