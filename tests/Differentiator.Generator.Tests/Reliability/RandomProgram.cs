using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Differentiator.Generator.Tests.Reliability;

/// <summary>
/// Writes a random [Differentiable] method from the whole supported subset — nested for and while loops, loops
/// left early by break, continue or a data test in the header, a scratch array whose elements are overwritten, locals that are
/// overwritten (in loops, some without being read first), branches, early returns, Math functions, calls to another
/// differentiable method, array reads — with every function kept inside its domain (Log of 1 + e², Sqrt of 1 + e²,
/// division by 2 + cos e). The same
/// (seed, size) always writes the same program; a smaller size writes a smaller one, which is how failures shrink.
/// With <c>vectorLoops</c>, it also writes the loops Optimization/LoopVectorizer.cs turns into kernel calls — dot
/// products of x with itself or with a local array u of x's length (from zero or from a value, with or without an
/// offset), sums of x times one element of u, and axpys into u — among the rest (the programs without it are unchanged).
/// With <c>whileTrue</c>, the method ends in a <c>while (true)</c> loop whose only ways out are its returns (issue 22:
/// a result assigned only inside a loop was once declared there and returned after it, CS0103); the body and the
/// returned value are drawn as without it.
/// With <c>intData</c>, the method also takes <c>int[] idx</c> (five indices into x, 0 to 3) and reads x through it:
/// gathers <c>x[idx[2]]</c> and <c>x[idx[i % 5]]</c>, the sentinel test of GradBench ht's parents
/// (<c>idx[k] &gt; 0 ? x[idx[k] - 1] : a</c>, whose index is out of range in the branch not taken), ints in arithmetic.
/// </summary>
public sealed class RandomProgram
{
    public const string Helper = "[Differentiable] public static double H(double u) => Math.Sin(u) * u + 0.5 * u;\n"
        + "static double K(double u) { double t = Math.Tanh(u); for (int j = 0; j < 2; j++) t = 0.5 * t + Math.Sin(u * t); return t * u; }";

    /// <summary>
    /// The callee of nested calls (<c>nested</c> programs only, so the others' sources stay as they were): bounded partials,
    /// ∂/∂p = cos p·tanh q + 0.1q and ∂/∂q = sin p·(1 − tanh² q) + 0.1p.
    /// </summary>
    public const string NestedHelper = "[Differentiable] public static double NG(double p, double q) => Math.Sin(p) * Math.Tanh(q) + 0.1 * p * q;\n";

    /// <summary>
    /// The callee that differentiates a span (<c>nestedSpans</c> programs only): its gradient in z goes into the local
    /// array gs, its argument the scratch array v.
    /// </summary>
    public const string NestedSpanHelper = "[Differentiable] public static double NS(ReadOnlySpan<double> z, double q) => Math.Sin(z[0] * q) + z[1] * z[2] * Math.Tanh(q) + 0.1 * z[3] * z[3] * z[0];\n";

    private readonly Random _random;
    private readonly StringBuilder _text = new();
    private readonly List<string> _scalars = new() { "a", "b" };
    private readonly Stack<string> _counters = new();
    private int _budget;
    /// <summary>Whether the method has the scratch array v of length 4 (elements written and read anywhere).</summary>
    private bool _scratch;
    private int _locals;
    /// <summary>How many assignments in loops have been written (see Statement).</summary>
    private int _overwrites;
    /// <summary>How many loops over x have been written (every fourth counts to a local: see Statement).</summary>
    private int _localBounds;
    /// <summary>Whether to write dot-product and axpy loops, on the local array u of x's length.</summary>
    private readonly bool _vectorLoops;
    /// <summary>The loop depth of the final <c>while (true)</c>, where a <c>break</c> would fall off the method's end; 0 outside it.</summary>
    private int _whileTrueDepth;

    /// <summary>Whether the method reads x through the int data idx (see the class summary).</summary>
    private readonly bool _intData;

    /// <summary>Whether statements may call NG's generated gradient or pushforward (nested differentiation, docs/nested.md).</summary>
    private readonly bool _nested;

    /// <summary>Whether nested calls may also be NS's gradient in the span v into gs (a fourth kind, drawn in these programs only).</summary>
    private readonly bool _nestedSpans;

    private RandomProgram(int seed, int size, bool vectorLoops, bool intData, bool nested = false, bool nestedSpans = false)
    {
        _nestedSpans = nestedSpans;
        _random = new Random(seed);
        _budget = size;
        _vectorLoops = vectorLoops;
        _intData = intData;
        _nested = nested;
    }

    /// <summary>The int data a program with <c>intData</c> takes: five indices into x, from 0 to 3.</summary>
    public static int[] Indices(int seed)
    {
        var random = new Random(seed ^ 0x5eed);
        return new[] { random.Next(4), random.Next(4), random.Next(4), 0, random.Next(4) };
    }

    public static string Write(int seed, int size, string name, bool vectorLoops = false, bool whileTrue = false, bool intData = false, bool nested = false, bool nestedSpans = false)
    {
        var p = new RandomProgram(seed, size, vectorLoops, intData, nested, nestedSpans);
        p._text.Append("[Differentiable] public static double ").Append(name).Append("(double[] x, double a, double b" + (intData ? ", int[] idx" : "") + ")\n{\n");
        p._scratch = p._random.Next(3) == 0 || nestedSpans; // drawn all the same: the stream stays
        if (nestedSpans) p.Line(1, "double[] gs = new double[4];");
        if (p._scratch) p.Line(1, p._random.Next(2) == 0 ? "double[] v = new double[4];" : "Span<double> v = stackalloc double[4];");
        if (vectorLoops) p.Line(1, "double[] u = new double[x.Length];");
        // For SampleLoop's loop nest: declared before the body, as arrays must be before any return (DIFF018).
        p.Line(1, "double[] r = new double[4];");
        p.Block(1, Math.Max(1, size / 3));
        // Drawn after the body, so the body of every (seed, size) is what it was before this loop was added.
        string? sum = p._random.Next(2) == 0 ? p.SampleLoop() : null;
        // Half the time the loss is that loop's mean plus the rest: a sum whose adjoint is known before the loop.
        string value = sum is not null && p._random.Next(2) == 0 ? sum + " / x.Length + " + p.Expr(2) : p.Expr(2);
        if (whileTrue) p.WhileTrue(value);
        else p._text.Append("    return ").Append(value).Append(";\n");
        p._text.Append("}\n");
        return p._text.ToString();
    }

    /// <summary>
    /// <c>while (true)</c>, counted by hand, after a random body returning <paramref name="value"/> once the count
    /// reaches x.Length or a test on the data says so: the loop's one return (with no early return before it, the only
    /// assignment to the lowered result; two would not show the bug this shape is for).
    /// </summary>
    private void WhileTrue(string value)
    {
        string count = "w" + _locals++;
        string counter = "i" + _counters.Count;
        Line(1, "int " + count + " = 0;");
        Line(1, "while (true)");
        Line(1, "{");
        Line(2, count + "++;");
        Line(2, "int " + counter + " = " + count + " - 1;");
        _counters.Push(counter);
        _whileTrueDepth = _counters.Count;
        int scope = _scalars.Count;
        _budget = Math.Max(_budget, 1);
        Block(2, 1 + _random.Next(3));
        Line(2, "if (" + count + " >= x.Length || " + Expr(1) + " > " + Number(1) + ") return " + value + ";");
        _scalars.RemoveRange(scope, _scalars.Count - scope);
        _whileTrueDepth = 0;
        _counters.Pop();
        Line(1, "}");
    }

    /// <summary>
    /// A call of NG's generated gradient (into new locals, or into an existing scalar and a discard) or pushforward
    /// (its value and tangent into new locals), differentiated through NG's Hessian-vector product.
    /// </summary>
    private void NestedCall(int indent)
    {
        string p = Expr(1), q = Expr(1);
        switch (_random.Next(_nestedSpans ? 4 : 3))
        {
            case 3:
            {
                // NS's gradient in the span v into gs, every element overwritten; folded into a scalar, and, half the
                // time, a step on v (which the call read: the reverse sweep needs v as the call saw it).
                string gq = "g" + _locals++, folded = "t" + _locals++;
                Line(indent, "NSGradient(v, " + q + ", gs, out double " + gq + ");");
                Line(indent, "double " + folded + " = 0.25 * Math.Tanh(gs[0] * gs[1] + gs[2] - gs[3] * " + p + ");");
                if (_random.Next(2) == 0)
                {
                    string f = "f" + _locals++;
                    Line(indent, "for (int " + f + " = 0; " + f + " < 4; " + f + "++) v[" + f + "] -= 0.1 * Math.Tanh(gs[" + f + "]);");
                }
                _scalars.Add(gq);
                _scalars.Add(folded);
                break;
            }
            case 0:
            {
                string gp = "g" + _locals++, gq = "g" + _locals++;
                Line(indent, "NGGradient(" + p + ", " + q + ", out double " + gp + ", out double " + gq + ");");
                _scalars.Add(gp);
                _scalars.Add(gq);
                break;
            }
            case 1:
                Line(indent, "NGGradient(" + p + ", " + q + ", out _, out " + Pick(_scalars) + ");");
                break;
            default:
            {
                string value = "t" + _locals++, tangent = "d" + _locals++;
                Line(indent, "double " + value + " = NGPushforward(" + p + ", " + q + ", " + Expr(1) + ", " + Expr(1) + ", out double " + tangent + ");");
                _scalars.Add(value);
                _scalars.Add(tangent);
                break;
            }
        }
    }

    private void Line(int indent, string line) => _text.Append(' ', indent * 4).Append(line).Append('\n');

    private void Block(int indent, int statements)
    {
        int scope = _scalars.Count;
        for (int k = 0; k < statements && _budget > 0; k++)
        {
            _budget--;
            Statement(indent);
        }
        _scalars.RemoveRange(scope, _scalars.Count - scope); // locals declared here go out of scope
    }

    private void Statement(int indent)
    {
        // Drawn only in nested programs, so every other program's random stream stays what it was.
        if (_nested && _random.Next(4) == 0)
        {
            NestedCall(indent);
            return;
        }
        if (_vectorLoops && _random.Next(4) == 0)
        {
            VectorLoop(indent);
            return;
        }
        int choice = _random.Next(100);
        if (choice < 30 || _scalars.Count < 3)
        {
            string name = "t" + _locals++;
            Line(indent, "double " + name + " = " + Expr(2) + ";");
            _scalars.Add(name);
        }
        else if (choice < 55)
        {
            string target = Pick(_scalars);
            string op = _random.Next(3) switch { 0 => " = ", 1 => " += ", _ => " -= " };
            // Inside loops, damp the update so values stay finite over iterations.
            string value = _counters.Count > 0 ? "0.25 * Math.Tanh(" + Expr(2) + ")" : Expr(2);
            if (op == " = " && _counters.Count > 0)
            {
                string factor = Expr(1);
                // Every third such assignment does not read its target, so a local declared before a loop can be
                // written before it is read in each iteration and then read after the loop (the code after a fused
                // loop must not read such a value). Counted, not drawn, so the random stream stays the same.
                if (_overwrites++ % 3 != 2) value = "Math.Sin(" + target + ") * " + factor + " + " + value;
            }
            Line(indent, target + op + value + ";");
        }
        else if (choice < 70 && _counters.Count < 2)
        {
            string counter = "i" + _counters.Count;
            int shape = _random.Next(8);
            if (shape < 4)
            {
                // Every fourth such loop counts to a local set just before it: at the top level, in a branch or in a
                // loop, which decides whether its saves may go in place (Snapshots.cs: the bound must be known
                // before the top-level statement that holds the loop). Counted, not drawn: the random stream stays.
                string bound = "x.Length";
                if (_localBounds++ % 4 == 3)
                {
                    bound = "n" + _locals++;
                    Line(indent, "int " + bound + " = x.Length;");
                }
                Line(indent, "for (int " + counter + " = 0; " + counter + " < " + bound + "; " + counter + "++)");
            }
            else if (shape == 4)
            {
                Line(indent, "for (int " + counter + " = x.Length - 1; " + counter + " >= 0; " + counter + "--)");
            }
            else if (shape == 5)
            {
                // An exit on the data in the header: the trip count is known only at run time.
                Line(indent, "for (int " + counter + " = 0; " + counter + " < x.Length && " + Expr(1) + " < " + Number(2) + "; " + counter + "++)");
            }
            else
            {
                // A while loop, counted by hand; the count moves first so a continue cannot skip it.
                string raw = "w" + _locals++;
                Line(indent, "int " + raw + " = 0;");
                Line(indent, shape == 6 ? "while (" + raw + " < x.Length)" : "while (" + raw + " < x.Length && " + Expr(1) + " > " + Number(-2) + ")");
                Line(indent, "{");
                Line(indent + 1, raw + "++;");
                Line(indent + 1, "int " + counter + " = " + raw + " - 1;");
            }
            if (shape < 6) Line(indent, "{");
            _counters.Push(counter);
            Block(indent + 1, 1 + _random.Next(3));
            _counters.Pop();
            Line(indent, "}");
        }
        else if (choice < 73 && _scratch && _random.Next(3) == 0)
        {
            // The whole scratch array filled by a loop (what the reverse sweep may recompute instead of restoring);
            // the value may read v itself, which makes it a carried value again.
            string fill = "f" + _locals++;
            string value = _counters.Count > 0 ? "0.5 * Math.Tanh(" + Expr(2) + ")" : Expr(2);
            Line(indent, "for (int " + fill + " = 0; " + fill + " < 4; " + fill + "++) v[" + fill + "] = " + value + " + 0.25 * " + fill + ";");
        }
        else if (choice < 73 && _scratch)
        {
            // An element of the scratch array, overwritten (damped inside loops like the scalars).
            string element = "v[" + Index() + "]";
            string value = _counters.Count > 0 ? "0.25 * Math.Tanh(" + Expr(2) + ")" : Expr(2);
            string op = _random.Next(3) switch { 0 => " = ", 1 => " += ", _ => " -= " };
            if (op == " = " && _counters.Count > 0) value = "Math.Sin(" + element + ") * " + Expr(1) + " + " + value;
            Line(indent, element + op + value + ";");
        }
        else if (choice < 75 && _counters.Count > 0)
        {
            // Leave the innermost loop early, or skip the rest of its body, on the data.
            // Drawn in the order it always was: the test, then the jump. In the final while (true) itself no jump is
            // written: a break would fall off the method's end, a continue could skip its count's test forever.
            string test = "if (" + Expr(1) + " > " + Number(1) + ") ";
            string jump = _random.Next(2) == 0 ? "break;" : "continue;";
            if (_counters.Count != _whileTrueDepth) Line(indent, test + jump);
        }
        else if (choice < 85)
        {
            Line(indent, "if (" + Expr(1) + " > " + Expr(1) + ")");
            Line(indent, "{");
            Block(indent + 1, 1 + _random.Next(2));
            Line(indent, "}");
            Line(indent, "else");
            Line(indent, "{");
            Block(indent + 1, 1 + _random.Next(2));
            Line(indent, "}");
        }
        else if (choice < 92)
        {
            Line(indent, "if (" + Expr(1) + " > " + Number(1.5) + ") return " + Expr(2) + ";");
        }
        else
        {
            string name = "t" + _locals++;
            // H is [Differentiable] (its gradient is called); K is a plain helper (inlined).
            Line(indent, "double " + name + " = " + (_random.Next(2) == 0 ? "H(" : "K(") + Expr(1) + ");");
            _scalars.Add(name);
        }
    }

    /// <summary>
    /// A last loop shaped like a loss over samples, which the reverse sweep may fuse with the forward one
    /// (Differentiation/ReverseModeBuilder.Fusion.cs): a sum the loop body does not otherwise read, locals declared in
    /// it, outer locals (or parameters) and the scratch array overwritten before they are read in each iteration, an
    /// inner loop, and one that fills and updates an array of its own by a loop nest each time. Whether it is fused depends on the draw (an expression may read what it overwrites; the return may
    /// read the sum through a function, or an overwritten local, which must not be fused), so both ways are tested.
    /// </summary>
    private string SampleLoop()
    {
        string sum = "s" + _locals++;
        Line(1, "double " + sum + " = 0;");

        Line(1, "for (int i0 = 0; i0 < x.Length; i0++)");
        Line(1, "{");
        _counters.Push("i0");
        int scope = _scalars.Count;
        int statements = 1 + _random.Next(3);
        bool nested = false;
        for (int k = 0; k < statements; k++)
        {
            switch (_random.Next(5))
            {
                case 0:
                {
                    string name = "t" + _locals++;
                    Line(2, "double " + name + " = " + Expr(2) + ";");
                    _scalars.Add(name);
                    break;
                }
                case 1:
                    // Damped: the value may read the target itself, which would otherwise compound over the iterations.
                    Line(2, Pick(_scalars) + " = 0.5 * Math.Tanh(" + Expr(2) + ");");
                    break;
                case 2 when _scratch:
                    Line(2, "for (int f = 0; f < 4; f++) v[f] = 0.5 * Math.Tanh(" + Expr(2) + ") + 0.25 * f;");
                    break;
                case 3 when !nested:
                {
                    nested = true; // once: an array written by one loop alone can be saved in place (Snapshots.cs)
                    // An array filled and updated by a loop nest in each iteration of an inner loop, then read
                    // squared into the loop's sum: what the reverse sweep saves per iteration rather than replays
                    // (Snapshots.cs), in place or on the stack. Cheap arithmetic only, else it would not be a
                    // candidate at all.
                    Line(2, "for (int i1 = 0; i1 < 3; i1++)");
                    Line(2, "{");
                    Line(3, "for (int f = 0; f < 4; f++) r[f] = x[f] * " + Pick(_scalars) + " + 0.25 * f;");
                    // Linear in r, like GMM's triangle, so the nest's own reverse does not need r's values as it goes.
                    Line(3, "for (int g = 0; g < 4; g++) for (int h = g + 1; h < 4; h++) r[h] += 0.5 * x[g] * " + Pick(_scalars) + ";");
                    Line(3, sum + " += r[i1] * r[3 - i1];");
                    Line(2, "}");
                    break;
                }
                default:
                {
                    string name = "t" + _locals++;
                    Line(2, "double " + name + " = 0;");
                    Line(2, "for (int i1 = 0; i1 < 3; i1++)");
                    Line(2, "{");
                    _counters.Push("i1");
                    string inner = "t" + _locals++;
                    Line(3, "double " + inner + " = " + Expr(2) + ";");
                    _scalars.Add(inner);
                    Line(3, name + " += 0.25 * Math.Tanh(" + Expr(1) + ");");
                    _scalars.Remove(inner);
                    _counters.Pop();
                    Line(2, "}");
                    _scalars.Add(name);
                    break;
                }
            }
        }
        // Through a parameter as well, so the loop has something to differentiate (a or b, unless overwritten above).
        Line(2, sum + " += " + Expr(2) + " * (1 + x[i0] * " + (_random.Next(2) == 0 ? "a" : "b") + ");");
        _scalars.RemoveRange(scope, _scalars.Count - scope);
        _counters.Pop();
        Line(1, "}");
        _scalars.Add(sum);
        return sum;
    }

    /// <summary>A dot product into a new local, or an axpy into u (its scale damped like the other updates in loops).</summary>
    private void VectorLoop(int indent)
    {
        // One loop in four runs fewer than four times (x.Length % 4), so the generated code's short-run versions
        // (plain loops, LoopVersioning.cs) run too, not only the kernels. Chosen from the loop's number, not from
        // the random stream, so every seed still draws the same program, those bounds apart (the regression seeds hold).
        string bound = _locals % 4 == 3 ? "x.Length % 4" : "x.Length";
        string k = "k" + _locals++;
        string header = "for (int " + k + " = 0; " + k + " < " + bound + "; " + k + "++) ";
        switch (_random.Next(4))
        {
            case 0:
            case 1:
            {
                string name = "t" + _locals++;
                Line(indent, "double " + name + " = " + (_random.Next(2) == 0 ? "0" : Expr(1)) + ";");
                string loop = _random.Next(2) == 0
                    ? header + name + " += x[" + k + "] * " + (_random.Next(2) == 0 ? "u[" + k + "]" : "x[" + k + "]") + ";"
                    : "for (int " + k + " = 1; " + k + " < " + bound + "; " + k + "++) " + name + " += u[" + k + " - 1] * x[" + k + "];";
                // One in three reads one element of u throughout (u[i0], or u[0]), so the reverse sweep sums into one
                // element of u's adjoint — what Optimization/ScalarReplacement.cs keeps in a local. Chosen from the
                // loop's number, like the bound, so the random stream is the same as before.
                if (_locals % 3 == 0) loop = header + name + " += x[" + k + "] * u[" + (_counters.Count > 0 ? _counters.Peek() : "0") + "];";
                Line(indent, loop);
                _scalars.Add(name);
                break;
            }
            case 2:
                Line(indent, header + "u[" + k + "] += 0.25 * Math.Tanh(" + Expr(1) + ") * x[" + k + "];");
                break;
            default:
                Line(indent, header + "u[" + k + "] += x[" + k + "] * " + (_counters.Count > 0 ? "Math.Tanh(" + Pick(_scalars) + ")" : Pick(_scalars)) + ";");
                break;
        }
    }

    private string Expr(int depth)
    {
        if (depth <= 0 || _random.Next(3) == 0) return Leaf();
        string e = Expr(depth - 1);
        switch (_random.Next(17))
        {
            case 0: return "Math.Sin(" + e + ")";
            case 1: return "Math.Cos(" + e + ")";
            case 2: return "Math.Tanh(" + e + ")";
            case 3: return "Math.Atan(" + e + ")";
            case 4: return "Math.Exp(Math.Sin(" + e + "))";
            case 5: return "Math.Log(1 + " + e + " * " + e + ")";
            case 6: return "Math.Sqrt(1.5 + " + e + " * " + e + ")";
            case 7: return "Math.Pow(" + e + ", 2)";
            case 8: return "Math.Pow(1.5 + Math.Sin(" + e + "), 1.5)";
            case 9: return "Math.Max(" + e + ", " + Expr(depth - 1) + ")";
            case 10: return "Math.Min(" + e + ", " + Expr(depth - 1) + ")";
            case 11: return "(" + e + " + " + Expr(depth - 1) + ")";
            case 12: return "(" + e + " - " + Expr(depth - 1) + ")";
            case 13: return e + " * " + Expr(depth - 1);
            case 14: return e + " / (2 + Math.Cos(" + Expr(depth - 1) + "))";
            case 15: return "(" + e + " > " + Expr(depth - 1) + " ? " + Expr(depth - 1) + " : " + Expr(depth - 1) + ")";
            default: return "-" + "(" + e + ")";
        }
    }

    private string Leaf()
    {
        // Drawn only with int data, so the programs without it stay what they were.
        if (_intData && _random.Next(3) == 0) return IntLeaf();
        int choice = _random.Next(10);
        if (choice < 2) return Number(new[] { 0.5, 1.5, 2, 0.75, 3 }[_random.Next(5)]);
        if (choice < 4 && _counters.Count > 0) return "x[" + _counters.Peek() + "]";
        if (choice < 5) return "x[" + _random.Next(4).ToString(CultureInfo.InvariantCulture) + "]";
        if (choice < 6 && _scratch) return "v[" + Index() + "]";
        return Pick(_scalars);
    }

    private string IntLeaf()
    {
        string k = _random.Next(5).ToString(CultureInfo.InvariantCulture);
        switch (_random.Next(5))
        {
            case 0: return "x[idx[" + k + "]]";
            case 1: return _counters.Count > 0 ? "x[idx[" + _counters.Peek() + " % idx.Length]]" : "x[idx[" + k + "]]";
            case 2: return "(idx[" + k + "] > 0 ? x[idx[" + k + "] - 1] : " + Pick(_scalars) + ")";
            case 3: return _scratch ? "v[idx[" + k + "]]" : "(idx[" + k + "] * " + Pick(_scalars) + ")";
            default: return "(" + Pick(_scalars) + " * (1 + idx[" + k + "] % 2))";
        }
    }

    /// <summary>An index into the scratch array: a constant, or the innermost counter wrapped into range.</summary>
    private string Index() =>
        _counters.Count > 0 && _random.Next(2) == 0 ? "(" + _counters.Peek() + " % 4)" : _random.Next(4).ToString(CultureInfo.InvariantCulture);

    private string Pick(List<string> names) => names[_random.Next(names.Count)];

    private static string Number(double v) => v.ToString("0.0##", CultureInfo.InvariantCulture);
}
