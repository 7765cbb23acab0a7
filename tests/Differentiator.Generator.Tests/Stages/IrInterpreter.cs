using System;
using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Convert = Differentiator.Generator.Ir.Convert;
using Differentiator.Generator.Primitives;

namespace Differentiator.Generator.Tests.Stages;

/// <summary>
/// A tiny interpreter for the IR, so the differentiation stage is tested without compiling C#: run the primal for
/// values, run a gradient program's two sweeps for derivatives. Arrays are double[] (2-D arrays row-major with
/// their shape alongside).
/// </summary>
internal sealed class IrInterpreter
{
    private readonly Dictionary<string, double> _scalars = new();
    private readonly Dictionary<string, (double[] Data, int[] Shape)> _arrays = new();
    private readonly Stack<double> _stack = new();

    public double this[string name]
    {
        get => _scalars[name];
        set => _scalars[name] = value;
    }

    public void SetArray(string name, double[] data, params int[] shape) => _arrays[name] = (data, shape.Length == 0 ? new[] { data.Length } : shape);

    public double[] Array(string name) => _arrays[name].Data;

    /// <summary>A gradient program: its body, then the writes of its scalar outputs from the locals that summed them.</summary>
    public void Run(Differentiation.GradientProgram program)
    {
        Run(program.Body);
        foreach (var write in program.FinalWrites) _scalars[write.Output] = _scalars.TryGetValue(write.Adjoint, out var v) ? v : 0; // declared = 0
    }

    public void Run(Block block)
    {
        foreach (var s in block.Statements) Run(s);
    }

    private void Run(Stmt s)
    {
        switch (s)
        {
            case Assign a: _scalars[a.Target] = Eval(a.Value); break;
            case Let l: _scalars[l.Name] = Eval(l.Value); break;
            case AssignElement ae: _arrays[ae.Array].Data[Offset(ae.Array, ae.Indices.Select(Eval).ToArray())] = Eval(ae.Value); break;
            // Saves in place: their own slot of a rented buffer, not the stack (Snapshots.cs).
            case RentScalarSlots r: _arrays[r.Name] = (new double[Math.Max(0, (int)Eval(r.Count))], new[] { Math.Max(0, (int)Eval(r.Count)) }); break;
            case ReleaseRented: break;
            // The caller's storage (a vector-valued method's output seen as a local array): set by the test, kept as it is.
            case AllocateArray { External: true } a when _arrays.ContainsKey(a.Name): break;
            case AllocateArray a: _arrays[a.Name] = (new double[(int)Eval(a.Length)], new[] { (int)Eval(a.Length) }); break;
            case AllocateAdjointArray a: _arrays[a.Name] = (new double[_arrays[a.PrimalArray].Data.Length], new[] { _arrays[a.PrimalArray].Data.Length }); break;
            case Push { Slot: { } slot } p: _arrays[slot.Buffer].Data[(int)Eval(slot.Index)] = Eval(p.Value); break;
            case Pop { Slot: { } slot } p: _scalars[p.Target] = _arrays[slot.Buffer].Data[(int)Eval(slot.Index)]; break;
            case Push p: _stack.Push(Eval(p.Value)); break;
            case Pop p: _scalars[p.Target] = _stack.Pop(); break;
            case PopElement p: _arrays[p.Array].Data[Offset(p.Array, p.Indices.Select(Eval).ToArray())] = _stack.Pop(); break;
            case PushArray p: foreach (var value in _arrays[p.Array].Data) _stack.Push(value); break;
            case PopArray p:
                for (int k = _arrays[p.Array].Data.Length - 1; k >= 0; k--) _arrays[p.Array].Data[k] = _stack.Pop();
                break;
            case ClearArray c: System.Array.Clear(_arrays[c.Array].Data); break;
            case Comment or Section: break;
            case If i:
                Run(Eval(i.Condition) != 0 ? i.Then : i.Else);
                break;
            case For f:
                for (_scalars[f.Counter] = Eval(f.Start); Holds(f); _scalars[f.Counter] += f.Step) Run(f.Body);
                break;
            // A short row's view (Optimization/RunViews.cs): its array, the run's first element and its length, fixed now.
            case RunView v:
            {
                int count = Math.Max(0, (int)Eval(v.Run.Count));
                var first = At(v.Run, 0);
                var indices = first.Indices.Select(Eval).ToArray();
                int length = count;
                if (v.Clamped) length = Math.Min(count, Math.Max(0, _arrays[v.Run.Array].Shape[^1] - (int)indices[^1]));
                else if (count > 0) _ = _arrays[v.Run.Array].Data[Offset(v.Run.Array, indices.Take(indices.Length - 1).Append(indices[^1] + count - 1).ToArray())]; // throws as Kernels.Slice/Row would
                _views[v.Name] = (v.Run.Array, indices, length);
                break;
            }
            // A kernel printed as a loop over views: its order, its bound the bounding view's length, each element through its view.
            case VectorKernel { SpanNames.Count: > 0 } k:
            {
                int length = _views[k.SpanNames[k.BoundRun]].Length;
                for (int step = 0; step < length; step++)
                {
                    int j = k.Descending ? length - 1 - step : step;
                    if (k is DotAccumulate dot)
                    {
                        double product = ThroughView(k.SpanNames[0], j) * ThroughView(k.SpanNames[1], j);
                        if (dot.Destination is ElementRef e) _arrays[e.Array].Data[Offset(e.Array, e.Indices.Select(Eval).ToArray())] += product;
                        else _scalars[((VarRef)dot.Destination).Name] += product;
                    }
                    else
                    {
                        var axpy = (AxpyUpdate)k;
                        double scaled = Eval(axpy.Scale) * ThroughView(k.SpanNames[0], j);
                        var (array, offset) = ViewElement(k.SpanNames[1], j);
                        _arrays[array].Data[offset] += scaled;
                    }
                }
                break;
            }
            // Kernel calls (Optimization/LoopVectorizer.cs), element by element along their runs.
            case DotAccumulate d:
                for (int k = 0; k < (int)Eval(d.Left.Count); k++)
                {
                    double product = Eval(At(d.Left, k)) * Eval(At(d.Right, k));
                    if (d.Destination is ElementRef e) _arrays[e.Array].Data[Offset(e.Array, e.Indices.Select(Eval).ToArray())] += product;
                    else _scalars[((VarRef)d.Destination).Name] += product;
                }
                break;
            case AxpyUpdate a:
                for (int k = 0; k < (int)Eval(a.Destination.Count); k++)
                {
                    var target = At(a.Destination, k);
                    _arrays[target.Array].Data[Offset(target.Array, target.Indices.Select(Eval).ToArray())] += Eval(a.Scale) * Eval(At(a.Input, k));
                }
                break;
            default:
                throw new NotSupportedException(s.GetType().Name);
        }
    }

    private readonly Dictionary<string, (string Array, double[] First, int Length)> _views = new();

    private double ThroughView(string view, int k)
    {
        var (array, offset) = ViewElement(view, k);
        return _arrays[array].Data[offset];
    }

    /// <summary>The k-th element of a view: IndexOutOfRange past its length, as a span's indexer.</summary>
    private (string Array, int Offset) ViewElement(string view, int k)
    {
        var (array, first, length) = _views[view];
        if (k < 0 || k >= length) throw new IndexOutOfRangeException("View " + view + " has " + length + " elements; element " + k + " read.");
        return (array, Offset(array, first.Take(first.Length - 1).Append(first[^1] + k).ToArray()));
    }

    /// <summary>The k-th element of a run.</summary>
    private static ElementRef At(ElementRun run, int k) =>
        new(run.Array, run.Leading.Append(new Binary(BinaryOp.Add, run.Start, new Const(k, ScalarType.Int), ScalarType.Int)).ToEquatableArray(), run.Jagged);

    private bool Holds(For f)
    {
        double i = _scalars[f.Counter];
        double bound = Eval(f.Bound);
        bool inRange = f.Compare switch
        {
            BinaryOp.Less => i < bound,
            BinaryOp.LessOrEqual => i <= bound,
            BinaryOp.Greater => i > bound,
            _ => i >= bound,
        };
        return inRange && (f.ExitFlag is null || _scalars[f.ExitFlag] == 0);
    }

    private int Offset(string array, double[] indices)
    {
        var shape = _arrays[array].Shape;
        int offset = 0;
        for (int k = 0; k < indices.Length; k++) offset = offset * shape[k] + (int)indices[k];
        return offset;
    }

    public double Eval(Expr e) => e switch
    {
        Const c => c.Value,
        VarRef v => _scalars[v.Name],
        ElementRef el => _arrays[el.Array].Data[Offset(el.Array, el.Indices.Select(Eval).ToArray())],
        LengthOf len => len.Dimension < 0 ? _arrays[len.Array].Data.Length : _arrays[len.Array].Shape[len.Dimension],
        Unary u => u.Op == UnaryOp.Negate ? -Eval(u.Operand) : (Eval(u.Operand) == 0 ? 1 : 0),
        Binary b => Binary(b),
        Conditional c => Eval(c.Condition) != 0 ? Eval(c.WhenTrue) : Eval(c.WhenFalse),
        MathCall m => Call(m.Function, m.Arguments.Select(Eval).ToArray()),
        Convert c => c.Type == ScalarType.Int ? Math.Truncate(Eval(c.Operand)) : Eval(c.Operand),
        _ => throw new NotSupportedException(e.GetType().Name),
    };

    private double Binary(Binary b)
    {
        double l = Eval(b.Left);
        if (b.Op == BinaryOp.And) return l != 0 && Eval(b.Right) != 0 ? 1 : 0;
        if (b.Op == BinaryOp.Or) return l != 0 || Eval(b.Right) != 0 ? 1 : 0;
        double r = Eval(b.Right);
        bool integer = b.Type == ScalarType.Int;
        return b.Op switch
        {
            BinaryOp.Add => l + r,
            BinaryOp.Subtract => l - r,
            BinaryOp.Multiply => l * r,
            BinaryOp.Divide => integer ? Math.Truncate(l / r) : l / r,
            BinaryOp.Modulo => l % r,
            BinaryOp.Less => l < r ? 1 : 0,
            BinaryOp.LessOrEqual => l <= r ? 1 : 0,
            BinaryOp.Greater => l > r ? 1 : 0,
            BinaryOp.GreaterOrEqual => l >= r ? 1 : 0,
            BinaryOp.Equal => l == r ? 1 : 0,
            _ => l != r ? 1 : 0,
        };
    }

    private static double Call(MathFunction f, double[] a) => Infrastructure.PrimitiveValues.Evaluate(f, a);
}
