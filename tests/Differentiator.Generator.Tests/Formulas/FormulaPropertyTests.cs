using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Differentiator.Generator.Formulas;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;
using Differentiator.Generator.Model;
using Differentiator.Generator.Tests.Stages;
using Term = Differentiator.Generator.Formulas.Term;
using Differentiator.Generator.Primitives;

namespace Differentiator.Generator.Tests.Formulas;

/// <summary>
/// Properties of the Formulas stage over random IR: it is total (formulas or null, quickly, never an exception),
/// and its formulas mean what the code computes — checked numerically against the IR interpreter.
/// </summary>
public class FormulaPropertyTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public FormulaPropertyTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    private static readonly Parameter[] Parameters =
    {
        new("x", ParameterKind.DoubleArray, true), new("X", ParameterKind.DoubleArray2D, true),
        new("b", ParameterKind.Double, true), new("c", ParameterKind.Double, false), new("n", ParameterKind.Int, false),
    };

    private static readonly string[] Doubles = { "b", "c", "s", "t", "b", "c" };

    [Fact]
    public void Random_ir_never_throws()
    {
        var random = new Random(20261123);
        int withFormulas = 0;
        var watch = Stopwatch.StartNew();
        for (int run = 0; run < 3000; run++)
        {
            if (FormulaBuilder.Build(ControlFlowLowering.Lower(RandomMethod(random))) is not null) withFormulas++;
        }
        Assert.True(withFormulas > 150, withFormulas + " of 3000 had formulas");
        Assert.True(watch.ElapsedMilliseconds < 20000, watch.ElapsedMilliseconds + " ms");
    }

    /// <summary>
    /// Every formula of random methods, evaluated numerically, equals what the code computes, and every partial
    /// derivative equals a central difference of the code (where the code is smooth there). All arrays have
    /// length 3 in every dimension, as the Σₖ δ(k, j)·f(k) = f(j) rule assumes of arrays indexed together.
    /// </summary>
    [Fact]
    public void Random_formulas_agree_with_the_code_numerically()
    {
        var random = new Random(1123);
        int values = 0, derivatives = 0, sums = 0, singular = 0, namedFormulas = 0;
        for (int run = 0; run < 12000; run++)
        {
            var method = RandomMethod(random);
            if (!BoundedLoops(method.Body)) continue;
            var lowered = ControlFlowLowering.Lower(method);
            var terms = FormulaBuilder.Derive(lowered);
            if (terms is null) continue;
            var point = new Point(random);
            var interpreter = point.Run(lowered);
            if (interpreter is null) continue;
            double primal = interpreter[lowered.Result];
            if (!double.IsFinite(primal) || Math.Abs(primal) > 1e8) continue;

            var evaluator = point.Evaluator();
            foreach (var s in lowered.Method.Body.Statements.OfType<Assign>().Where(a => a.Value.Type == ScalarType.Int)) evaluator[s.Target] = interpreter[s.Target];
            var built = FormulaBuilder.Build(lowered)!;
            string formulas = built.Function + "\n" + string.Join("\n", built.Partials.Select(p => p.Derivative));
            // The interpreter flattens X[i, j] to one offset, so it accepts X[0, 3] where C# throws: skip such code.
            if (!InRange(evaluator, terms.Function)) continue;
            Assert.True(Close(primal, evaluator.Eval(terms.Function)), "value " + primal + " vs " + evaluator.Eval(terms.Function) + "\n" + formulas + "\n" + Dump(method.Body, ""));
            values++;
            if (formulas.Contains("Σ")) sums++;
            if (formulas.Contains("Σ") && sums % 15 == 0) _output.WriteLine(formulas + "\n");

            // Named subterms (forced on every formula here, not only on long ones) expand back to the same values.
            var (named, definitions) = SubtermNames.Apply(new[] { terms.Function }.Concat(terms.Partials.Select(p => p.Derivative)).ToList(),
                lowered.Method.Parameters.Select(p => p.Name), terms.SourceNames ?? System.Array.Empty<SourceName>(), longFormula: 0);
            if (definitions.Count > 0) namedFormulas++;
            Assert.True(Close(evaluator.Eval(terms.Function), evaluator.Eval(Expand(named[0], definitions))), "named: " + string.Join(", ", definitions) + "\n" + formulas);

            for (int k = 0; k < terms.Partials.Count; k++)
            {
                var partial = terms.Partials[k];
                foreach (var (component, indices) in point.Components(partial.Parameter.Name))
                {
                    if (point.CentralDifference(lowered, partial.Parameter.Name, component) is not { } expected) continue;
                    for (int d = 0; d < indices.Length; d++) evaluator[partial.FreeIndices[d]] = indices[d];
                    double actual = evaluator.Eval(partial.Derivative);
                    double expanded = evaluator.Eval(Expand(named[k + 1], definitions));
                    Assert.True(actual.Equals(expanded) || Close(actual, expanded), "named ∂/∂" + partial.Parameter.Name + ": " + actual + " vs " + expanded + "\n" + string.Join(", ", definitions) + "\n" + formulas);
                    if (!double.IsFinite(actual))
                    {
                        singular++; // a primitive's derivative is infinite here (∛ at 0) though the code's terms cancel
                        continue;
                    }
                    Assert.True(Close(expected, actual), "∂/∂" + partial.Parameter.Name + "[" + string.Join(",", indices) + "]: difference " + expected + " vs formula " + actual + "\n" + formulas + "\n" + Dump(method.Body, ""));
                    derivatives++;
                }
            }
        }
        _output.WriteLine(values + " values (" + sums + " with Σ), " + derivatives + " derivatives checked, " + singular + " singular, " + namedFormulas + " with named subterms");
        Assert.True(values > 200 && sums > 50 && derivatives > 1000 && singular < derivatives / 100 && namedFormulas > 50, values + " values, " + derivatives + " derivatives checked, " + namedFormulas + " named");
    }

    /// <summary>The names of <see cref="SubtermNames"/> replaced by what they stand for (z[i] by its definition at that i).</summary>
    private static Term Expand(Term t, IReadOnlyList<SubtermName> names)
    {
        foreach (var n in names)
        {
            if (n.Name is Sym s && t is Sym used && used.Name == s.Name) return Expand(n.Definition, names);
            if (n.Name is Elem e && t is Elem at && at.Array == e.Array)
            {
                var definition = n.Definition;
                for (int d = 0; d < e.Indices.Count; d++) definition = TermWalk.Substitute(definition, ((Sym)e.Indices[d]).Name, at.Indices[d]);
                return Expand(definition, names);
            }
        }
        return TermWalk.Map(t, c => Expand(c, names));
    }

    private static bool InRange(TermEvaluator evaluator, Term function)
    {
        try
        {
            evaluator.Eval(function);
            return true;
        }
        catch (IndexOutOfRangeException)
        {
            return false;
        }
    }

    private static string Dump(Block block, string indent) => string.Concat(block.Statements.Select(s => indent + s switch
    {
        Assign a => a.Target + " = " + Dump(a.Value) + "\n",
        For f => "for " + f.Counter + " = " + Dump(f.Start) + "; " + f.Compare + " " + Dump(f.Bound) + "; " + f.Step + "\n" + Dump(f.Body, indent + "  "),
        If i => "if " + Dump(i.Condition) + "\n" + Dump(i.Then, indent + "  ") + indent + "else\n" + Dump(i.Else, indent + "  "),
        Return r => "return " + Dump(r.Value) + "\n",
        _ => s.GetType().Name + "\n",
    }));

    private static string Dump(Expr e) => e switch
    {
        Const c => c.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        VarRef v => v.Name,
        ElementRef el => el.Array + "[" + string.Join(", ", el.Indices.Select(Dump)) + "]",
        LengthOf l => l.Array + ".Len" + l.Dimension,
        Unary u => u.Op + "(" + Dump(u.Operand) + ")",
        Binary b => "(" + Dump(b.Left) + " " + b.Op + ":" + b.Type + " " + Dump(b.Right) + ")",
        Conditional c => "(" + Dump(c.Condition) + " ? " + Dump(c.WhenTrue) + " : " + Dump(c.WhenFalse) + ")",
        MathCall m => m.Function + "(" + string.Join(", ", m.Arguments.Select(Dump)) + ")",
        Ir.Convert c => "(" + c.Target + ")" + Dump(c.Operand),
        _ => e.GetType().Name,
    };

    private static bool Close(double expected, double actual) => Math.Abs(expected - actual) <= 1e-5 * (1 + Math.Abs(expected) + Math.Abs(actual));

    /// <summary>Loops from and to small constants, lengths or n, so the interpreter cannot spin for long.</summary>
    private static bool BoundedLoops(Block block) => block.Statements.All(s => s switch
    {
        For f => Small(f.Start) && Small(f.Bound) && BoundedLoops(f.Body),
        If i => BoundedLoops(i.Then) && BoundedLoops(i.Else),
        _ => true,
    });

    private static bool Small(Expr e) => e switch
    {
        Const or LengthOf => true,
        VarRef { Name: "n" } => true,
        Binary { Op: BinaryOp.Add or BinaryOp.Subtract } b => Small(b.Left) && Small(b.Right),
        _ => false,
    };

    private sealed class Point
    {
        private readonly Dictionary<string, double> _scalars;
        private readonly Dictionary<string, (double[] Data, int[] Shape)> _arrays;

        public Point(Random r)
        {
            double Value() => Math.Round(r.NextDouble() * 2.4 - 1.2, 3);
            _scalars = new Dictionary<string, double> { ["b"] = Value(), ["c"] = Value(), ["n"] = 3 };
            _arrays = new Dictionary<string, (double[], int[])>
            {
                ["x"] = (Enumerable.Range(0, 3).Select(_ => Value()).ToArray(), new[] { 3 }),
                ["X"] = (Enumerable.Range(0, 9).Select(_ => Value()).ToArray(), new[] { 3, 3 }),
            };
        }

        public TermEvaluator Evaluator() => new(_scalars, _arrays);

        public IEnumerable<(int Component, int[] Indices)> Components(string name) => name switch
        {
            "x" => Enumerable.Range(0, 3).Select(k => (k, new[] { k })),
            "X" => Enumerable.Range(0, 9).Select(k => (k, new[] { k / 3, k % 3 })),
            _ => new[] { (-1, Array.Empty<int>()) },
        };

        public IrInterpreter? Run(LoweredMethod lowered, string? parameter = null, int component = -1, double delta = 0)
        {
            var interpreter = new IrInterpreter();
            foreach (var (name, value) in _scalars) interpreter[name] = value + (name == parameter ? delta : 0);
            foreach (var (name, (data, shape)) in _arrays)
            {
                var copy = (double[])data.Clone();
                if (name == parameter) copy[component] += delta;
                interpreter.SetArray(name, copy, shape);
            }
            try
            {
                interpreter.Run(lowered.Method.Body);
                return interpreter;
            }
            catch (Exception e) when (e is IndexOutOfRangeException or KeyNotFoundException)
            {
                return null; // code that reads past an array or an unassigned variable: nothing to compare
            }
        }

        /// <summary>A central difference, or null where the code is not smooth enough for one (two step sizes disagree).</summary>
        public double? CentralDifference(LoweredMethod lowered, string parameter, int component)
        {
            double? Difference(double h)
            {
                var plus = Run(lowered, parameter, component, h);
                var minus = Run(lowered, parameter, component, -h);
                if (plus is null || minus is null) return null;
                double d = (plus[lowered.Result] - minus[lowered.Result]) / (2 * h);
                return double.IsFinite(d) ? d : null;
            }
            var coarse = Difference(1e-4);
            var fine = Difference(1e-6);
            return coarse is { } c && fine is { } f && Close(c, f) ? f : null;
        }
    }

    private static MethodIr RandomMethod(Random random) => new RandomIr(random).Method();

    /// <summary>Random IR: mostly the shapes formulas cover (accumulating loops over the arrays), with a few of everything else.</summary>
    private sealed class RandomIr
    {
        private readonly Random _r;
        private readonly List<string> _counters = new();

        public RandomIr(Random r) => _r = r;

        public MethodIr Method()
        {
            var start = new Stmt[] { new Assign("s", new Const(0, ScalarType.Double)), new Assign("t", new VarRef("b", ScalarType.Double)), new Assign("k", new Const(1, ScalarType.Int)) };
            Expr result = _r.Next(3) switch
            {
                0 => new VarRef("s", ScalarType.Double),
                1 => Binary(_r, BinaryOp.Multiply, new VarRef("s", ScalarType.Double), Double(2)),
                _ => Double(3),
            };
            var body = start.Concat(Block(3).Statements).Append(new Return(result)).ToEquatableArray();
            return new MethodIr("F", Parameters.ToEquatableArray(),
                new[] { new LocalVariable("s", ScalarType.Double), new LocalVariable("t", ScalarType.Double), new LocalVariable("k", ScalarType.Int) }.ToEquatableArray(),
                new Block(body));
        }

        private Block Block(int depth)
        {
            var statements = new List<Stmt>();
            int count = _r.Next(1, 4);
            for (int k = 0; k < count; k++) statements.Add(Statement(depth));
            return new Block(statements.ToEquatableArray());
        }

        private Stmt Statement(int depth)
        {
            var s = new VarRef("s", ScalarType.Double);
            switch (_r.Next(depth > 0 ? 16 : 8))
            {
                case 0 or 1:
                    return new Assign(Pick(_r, "s", "t", "t", "b"), Double(3));
                case 2:
                    return new Assign("k", Int(2));
                case 3 when _r.Next(10) == 0:
                    return new Return(Double(2));
                case 3:
                    return new Assign("s", Binary(_r, BinaryOp.Subtract, s, Double(2)));
                case 4 when _r.Next(10) == 0:
                    return new CallAssign("t", new CalleeInfo("", "G", EquatableArray<Parameter>.Empty), EquatableArray.Of<Expr>(Double(1)));
                case 4 or 5 or 6 or 7:
                    return new Assign("s", _r.Next(2) == 0 ? Binary(_r, BinaryOp.Add, s, Double(2)) : Binary(_r, BinaryOp.Add, Double(2), s));
                case 8 when _r.Next(4) == 0:
                    return new If(new Binary(BinaryOp.Less, Double(1), Double(1), ScalarType.Bool), Block(depth - 1), _r.Next(2) == 0 ? Ir.Block.Empty : Block(depth - 1));
                default:
                    return Loop(depth);
            }
        }

        private Stmt Loop(int depth)
        {
            string? counter = new[] { "i", "j", "l" }.FirstOrDefault(c => !_counters.Contains(c));
            if (counter is null) return new Assign("s", Binary(_r, BinaryOp.Add, new VarRef("s", ScalarType.Double), Double(2)));
            Expr length = Pick<Expr>(_r, new LengthOf("x", -1), new LengthOf("X", 0), new LengthOf("X", 1), new VarRef("n", ScalarType.Int));
            Expr zero = new Const(0, ScalarType.Int), one = new Const(1, ScalarType.Int);
            _counters.Add(counter);
            var body = Block(depth - 1);
            _counters.Remove(counter);
            return _r.Next(8) switch
            {
                0 => new For(counter, one, BinaryOp.Less, length, 1, body, null),
                1 => new For(counter, Binary(_r, BinaryOp.Subtract, length, one, ScalarType.Int), BinaryOp.GreaterOrEqual, zero, -1, body, null),
                2 => new For(counter, Int(1), (BinaryOp)_r.Next((int)BinaryOp.NotEqual + 1), Int(1), Pick(_r, 1, -1, 2), body, null),
                _ => new For(counter, zero, BinaryOp.Less, length, 1, body, null),
            };
        }

        private Expr Double(int depth)
        {
            if (depth == 0 || _r.Next(4) == 0)
            {
                return _r.Next(40) switch
                {
                    0 => new Const(Pick(_r, double.NaN, double.PositiveInfinity), ScalarType.Double),
                    1 => _r.Next(2) == 0 ? new ArrayRef("x") : new VarRef(Pick(_r, "x", "undefined"), ScalarType.Double),
                    2 => new ElementRef("x", Enumerable.Range(0, _r.Next(3)).Select(_ => Index()).ToEquatableArray()),
                    < 6 => new Const(Pick(_r, 0.0, 1.0, -2.5, 3.0), ScalarType.Double),
                    < 20 => new VarRef(Pick(_r, Doubles), ScalarType.Double),
                    < 32 => new ElementRef("x", EquatableArray.Of(Index())),
                    _ => new ElementRef("X", EquatableArray.Of(Index(), Index())),
                };
            }
            switch (_r.Next(8))
            {
                case 0: return new Unary(UnaryOp.Negate, Double(depth - 1), ScalarType.Double);
                case 1 or 2 or 3: return Binary(_r, _r.Next(20) == 0 ? BinaryOp.Modulo : Pick(_r, BinaryOp.Add, BinaryOp.Subtract, BinaryOp.Multiply, BinaryOp.Multiply, BinaryOp.Divide), Double(depth - 1), Double(depth - 1));
                case 4: return new Conditional(new Binary(Pick(_r, BinaryOp.Less, BinaryOp.GreaterOrEqual), Double(depth - 1), Double(0), ScalarType.Bool), Double(depth - 1), Double(depth - 1), ScalarType.Double);
                case 5: return new Ir.Convert(Int(depth - 1), ScalarType.Double);
                default:
                    var function = (MathFunction)_r.Next((int)MathFunction.Cbrt + 1);
                    int arity = _r.Next(20) == 0 ? _r.Next(4) : PrimitiveTable.Of(function).Arity;
                    return new MathCall(function, Enumerable.Range(0, arity).Select(_ => Double(depth - 1)).ToEquatableArray());
            }
        }

        /// <summary>An array index: mostly a counter in scope, sometimes a neighbour, a constant, or anything.</summary>
        private Expr Index() => _r.Next(10) switch
        {
            < 6 when _counters.Count > 0 => new VarRef(Pick(_r, _counters.ToArray()), ScalarType.Int),
            6 when _counters.Count > 0 => Binary(_r, Pick(_r, BinaryOp.Add, BinaryOp.Subtract), new VarRef(Pick(_r, _counters.ToArray()), ScalarType.Int), new Const(1, ScalarType.Int), ScalarType.Int),
            7 => Int(2),
            _ => new Const(_r.Next(0, 3), ScalarType.Int),
        };

        private Expr Int(int depth)
        {
            if (depth == 0 || _r.Next(3) == 0)
            {
                return _r.Next(5) switch
                {
                    0 => new Const(_r.Next(-1, 3), ScalarType.Int),
                    1 => new LengthOf(Pick(_r, "x", "X"), Pick(_r, -1, 0, 1)),
                    2 when _counters.Count > 0 => new VarRef(Pick(_r, _counters.ToArray()), ScalarType.Int),
                    _ => new VarRef(Pick(_r, "n", "k", "i"), ScalarType.Int),
                };
            }
            return _r.Next(3) == 0
                ? new Ir.Convert(Double(depth - 1), ScalarType.Int)
                : Binary(_r, Pick(_r, BinaryOp.Add, BinaryOp.Subtract, BinaryOp.Multiply, BinaryOp.Divide, BinaryOp.Modulo), Int(depth - 1), Int(depth - 1), ScalarType.Int);
        }
    }

    private static Binary Binary(Random r, BinaryOp op, Expr left, Expr right, ScalarType type = ScalarType.Double) => new(op, left, right, type);

    private static T Pick<T>(Random r, params T[] items) => items[r.Next(items.Length)];
}
