using System.Collections.Generic;
using System.Linq;
using Differentiator.Generator.Analysis;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Lowering;
using Differentiator.Generator.Model;
using Differentiator.Generator.Optimization;

namespace Differentiator.Generator.Differentiation.Forward;

/// <summary>
/// Forward mode as an IR → IR stage: the lowered method becomes an ordinary method that computes, beside every
/// active value v, its tangent dv = Σ ∂v/∂p·dp for tangent inputs dp given as extra data parameters. The output is
/// plain IR, so the existing printers print it (<c>MPushforward</c>) and the existing reverse mode differentiates it
/// (<c>MHessianVectorProduct</c>, reverse over forward: the gradient of ∇f·v with v held fixed is H·v).
/// <para>
/// Each assignment <c>t = e</c> to an active <c>t</c> is preceded by <c>dt = T(e)</c>, computed from the values before the
/// assignment (so <c>s = s * x</c> gets <c>ds = ds * x + s * dx</c> with the old <c>s</c>), except when <c>e</c> is a call
/// whose derivative is written with its own value and does not read <c>t</c> (<c>t = Math.Exp(u)</c>): then the tangent
/// follows and reads <c>t</c> (<c>dt = t * du</c>) instead of calling again. Local derivatives come from the primitives
/// table (<see cref="DerivativeRules"/>); a conditional follows its branch; conversions to int carry nothing; inactive
/// values (ActivityAnalysis) get no tangent. A call to another <c>[Differentiable]</c> method takes its tangent from
/// the callee's generated gradient: dt = Σ ∂N/∂a·da.
/// </para>
/// </summary>
internal sealed partial class TangentTransform
{
    private readonly ActivityAnalysis _activity;
    private readonly ExprFactory _f = new();
    private readonly NameAllocator _names;
    private readonly Dictionary<string, string> _tangents = new(System.StringComparer.Ordinal);
    private readonly List<LocalVariable> _newLocals = new();
    private readonly HashSet<string> _parameters;
    private readonly HashSet<string> _arrays;
    private bool _callsGradients;
    private string? _output;

    private TangentTransform(MethodIr method, ActivityAnalysis activity, IEnumerable<string> reserved)
    {
        _activity = activity;
        _parameters = new HashSet<string>(method.Parameters.Select(p => p.Name), System.StringComparer.Ordinal);
        _arrays = new HashSet<string>(method.Locals.Where(l => l.IsArray).Select(l => l.Name), System.StringComparer.Ordinal);
        _names = new NameAllocator(method.Parameters.Select(p => p.Name).Concat(method.Locals.Select(l => l.Name))
            .Concat(IrWalker.Flatten(method.Body).OfType<For>().Select(f => f.Counter)).Concat(reserved));
    }

    /// <summary>The tangent program of <paramref name="lowered"/>.</summary>
    /// <param name="tangentNames">The tangent parameters' names, one per differentiated parameter in declaration order.</param>
    /// <param name="reserved">Names the caller will add around the program (outputs), which no local may take.</param>
    /// <param name="outputTangent">
    /// For a vector-valued method, the name of the output's tangent (<c>rDot</c>): a parameter of its own after the
    /// tangents, cleared on entry (an element the method does not write keeps the caller's value, data, tangent 0) and
    /// written where the method writes <c>r</c>. <paramref name="activity"/> must then be that of its VJP form, where
    /// <c>r</c> is what the result depends on.
    /// </param>
    public static TangentProgram Build(LoweredMethod lowered, ActivityAnalysis activity, IReadOnlyList<string> tangentNames, IEnumerable<string> reserved, string? outputTangent = null)
    {
        var method = lowered.Method;
        var transform = new TangentTransform(method, activity, tangentNames.Concat(reserved).Concat(outputTangent is null ? new string[0] : new[] { outputTangent }));
        var differentiated = method.Parameters.Where(p => p.Differentiated).ToList();
        var tangentParameters = new List<Parameter>();
        var assigned = StatementWalker.AssignedIn(method.Body);
        var entry = new List<Stmt>();
        for (int k = 0; k < differentiated.Count; k++)
        {
            var p = differentiated[k];
            tangentParameters.Add(new Parameter(tangentNames[k], TangentKind(p.Kind), Differentiated: false));
            transform._tangents[p.Name] = tangentNames[k];
            if (p.IsArray || !assigned.Contains(p.Name)) continue;
            // A parameter the body assigns has a tangent the body assigns too: a local copy, so the tangent parameter
            // stays data that nothing writes (reverse mode of this program, for second order, reads it as such).
            string local = transform.NewLocal(tangentNames[k]);
            transform._tangents[p.Name] = local;
            entry.Add(new Assign(local, new VarRef(tangentNames[k], ScalarType.Double)));
        }

        foreach (var p in method.Parameters.Where(p => !p.Differentiated && p.Kind == ParameterKind.Double && activity.IsActive(p.Name)))
        {
            // A data parameter the body overwrites with a value that depends on a differentiated one: its tangent is a
            // local, 0 on entry (the argument is data), assigned where the parameter is.
            string local = transform.NewLocal("d" + p.Name);
            transform._tangents[p.Name] = local;
            entry.Add(new Assign(local, ExprFactory.Zero));
        }

        if (outputTangent is not null && method.Output is { } output)
        {
            transform._output = output.Name;
            transform._tangents[output.Name] = outputTangent;
            tangentParameters.Add(new Parameter(outputTangent, ParameterKind.Output, Differentiated: false));
            entry.Insert(0, new ClearArray(outputTangent));
        }

        var body = entry.Concat(transform.Block(method.Body)).ToList();
        string tangentResult;
        if (transform._tangents.TryGetValue(lowered.Result, out var resultTangent))
        {
            tangentResult = resultTangent;
        }
        else
        {
            // A result that no differentiated input reaches has tangent 0; a local of its own keeps the program's shape.
            tangentResult = transform.NewLocal("d" + lowered.Result);
            body.Insert(0, new Assign(tangentResult, ExprFactory.Zero));
        }

        var locals = method.Locals.Concat(transform._newLocals).ToEquatableArray();
        var parameters = method.Parameters.Concat(tangentParameters).ToEquatableArray();
        var tangentMethod = method with { Parameters = parameters, Locals = locals, Body = new Block(body.ToEquatableArray()) };
        return new TangentProgram(lowered with { Method = tangentMethod }, tangentResult, transform._callsGradients);
    }

    /// <summary>A tangent travels as its parameter's shape, read-only for arrays and spans.</summary>
    public static ParameterKind TangentKind(ParameterKind kind) => kind switch
    {
        ParameterKind.DoubleArray or ParameterKind.DoubleSpan or ParameterKind.ReadOnlyDoubleSpan => ParameterKind.ReadOnlyDoubleSpan,
        _ => kind,
    };

    private string NewLocal(string preferred, bool isArray = false)
    {
        string name = _names.Allocate(preferred);
        _newLocals.Add(new LocalVariable(name, ScalarType.Double, isArray));
        return name;
    }

    /// <summary>The tangent of an active variable or local array, named once (<c>dsum</c> for <c>sum</c>).</summary>
    private string? TangentOf(string name)
    {
        if (_tangents.TryGetValue(name, out var known)) return known;
        // Parameters: only differentiated ones carry tangents. A local read before its first assignment in program
        // order (carried around a loop) gets its tangent named here; it starts at 0 like the local itself.
        if (!_activity.IsActive(name) || _parameters.Contains(name)) return null;
        return DeclareTangent(name, _arrays.Contains(name));
    }

    private string DeclareTangent(string name, bool isArray)
    {
        if (_tangents.TryGetValue(name, out var known)) return known;
        string tangent = NewLocal("d" + name, isArray);
        _tangents[name] = tangent;
        return tangent;
    }

    private IEnumerable<Stmt> Block(Block block)
    {
        for (int k = 0; k < block.Statements.Count; k++)
        {
            // Adjacent nested calls at one point: one Hessian-vector product along da gives all their tangents.
            var run = NestedCalls.RunFrom(block.Statements, k);
            if (run.Count > 1)
            {
                var tangents = run[0].Nested!.Kind == NestedKind.GradientComponent ? NestedComponentsTangent(run) : PushforwardsTangent(run);
                foreach (var statement in tangents) yield return statement;
                k += run.Count - 1;
                continue;
            }
            foreach (var statement in Statement(block.Statements[k])) yield return statement;
        }
    }

    private Block Nested(Block block) => new(Block(block).ToEquatableArray());

    private IEnumerable<Stmt> Statement(Stmt s)
    {
        switch (s)
        {
            case Assign a when a.Value.Type == ScalarType.Double && _activity.IsActive(a.Target):
            {
                string tangent = DeclareTangent(a.Target, isArray: false);
                var value = _f.Import(a.Value);
                if (CallResultLocals.NamesItsResult(a.Value, a.Target) && value is MathCall call)
                {
                    // t = exp(u): the tangent reads t, the call's own value, instead of calling again.
                    var own = _f.Var(a.Target);
                    yield return a;
                    yield return new Assign(tangent, CallTangent(call, own)) { Source = a.Source };
                    yield break;
                }
                yield return new Assign(tangent, Tangent(value)) { Source = a.Source };
                yield return a;
                yield break;
            }
            case AssignElement e when _activity.IsActive(e.Array):
            {
                if (_parameters.Contains(e.Array) && e.Array != _output)
                    throw new ForwardModeUnsupported("it writes elements of the parameter '" + e.Array + "'");
                string tangent = DeclareTangent(e.Array, isArray: true);
                yield return new AssignElement(tangent, e.Indices, Tangent(_f.Import(e.Value)), e.Jagged) { Source = e.Source };
                yield return e;
                yield break;
            }
            case AllocateArray a when _activity.IsActive(a.Name):
                yield return a;
                // The tangent array is allocated as the primal is (zeroed, on the stack if it is): a fresh array has tangent 0.
                yield return new AllocateArray(DeclareTangent(a.Name, isArray: true), a.Length, a.OnStack);
                yield break;
            case CallAssign { Nested.Kind: NestedKind.GradientComponent } c when _activity.IsActive(c.Target):
                foreach (var statement in NestedComponentsTangent(new[] { c })) yield return statement;
                yield break;
            case CallAssign { Nested.Kind: NestedKind.Pushforward } c when _activity.IsActive(c.Target):
                foreach (var statement in PushforwardsTangent(new[] { c })) yield return statement;
                yield break;
            case CallAssign c when _activity.IsActive(c.Target):
                foreach (var statement in CallTangent(c)) yield return statement;
                yield break;
            case If i:
                yield return i with { Then = Nested(i.Then), Else = Nested(i.Else) };
                yield break;
            case For loop:
                yield return loop with { Body = Nested(loop.Body) };
                yield break;
            case Assign or AssignElement or AllocateArray or CallAssign or Comment:
                yield return s; // inactive: no tangent
                yield break;
            default:
                throw IrWalker.Unknown(s);
        }
    }

    /// <summary>T(e) = Σ ∂e/∂v · dv over the active values e reads, built from hash-consed, simplifying nodes.</summary>
    private Expr Tangent(Expr e)
    {
        if (e.Type != ScalarType.Double) return ExprFactory.Zero; // ints and bools: no derivative
        switch (e)
        {
            case Const or LengthOf or RowLength:
                return ExprFactory.Zero;
            case VarRef v:
                return TangentOf(v.Name) is { } dv ? _f.Var(dv) : ExprFactory.Zero;
            case ElementRef el:
                return TangentOf(el.Array) is { } da ? _f.Element(da, el.Indices, el.Jagged) : ExprFactory.Zero;
            case Unary { Op: UnaryOp.Negate } u:
                return _f.Negate(Tangent(u.Operand));
            case Binary b:
                return BinaryTangent(b);
            case Conditional c:
                return _f.Conditional(c.Condition, Tangent(c.WhenTrue), Tangent(c.WhenFalse));
            case MathCall m:
                return CallTangent(m, m);
            case Convert c:
                return c.Operand.Type == ScalarType.Double ? Tangent(c.Operand) : ExprFactory.Zero;
            default:
                throw IrWalker.Unknown(e); // never a silently dropped term
        }
    }

    private Expr BinaryTangent(Binary b)
    {
        var dl = Tangent(b.Left);
        var dr = Tangent(b.Right);
        switch (b.Op)
        {
            case BinaryOp.Add:
                return _f.Add(dl, dr);
            case BinaryOp.Subtract:
                return _f.Subtract(dl, dr);
            case BinaryOp.Multiply when ReferenceEquals(b.Left, b.Right) && !ExprFactory.IsZero(dl):
                // d(a·a) = da·a + a·da = 2·(a·da) exactly: the two products are equal bit for bit, and doubling is exact.
                return _f.Multiply(_f.Constant(2), _f.Multiply(b.Left, dl));
            case BinaryOp.Multiply:
                return _f.Add(_f.Multiply(dl, b.Right), _f.Multiply(b.Left, dr));
            case BinaryOp.Divide:
                // d(a/b) = da/b − a·db/b², the reverse sweep's partials (∂/∂a = 1/b, ∂/∂b = −a/b²) times the tangents.
                return _f.Subtract(_f.Divide(dl, b.Right), _f.Divide(_f.Multiply(b.Left, dr), _f.Multiply(b.Right, b.Right)));
            default:
                return ExprFactory.Zero; // % of a differentiated value is rejected by the parser; comparisons are Bool
        }
    }

    /// <summary>Σ_k ∂f/∂a_k · T(a_k), the call's own value written as <paramref name="own"/> where the rule uses it.</summary>
    private Expr CallTangent(MathCall call, Expr own)
    {
        Expr sum = ExprFactory.Zero;
        for (int k = 0; k < call.Arguments.Count; k++)
        {
            var da = Tangent(call.Arguments[k]);
            if (ExprFactory.IsZero(da)) continue;
            var partial = DerivativeRules.Partial(call, k, _f);
            if (!ReferenceEquals(own, call)) partial = IrRewriter.TopDown(partial, x => ReferenceEquals(x, call) || x.Equals(call) ? own : null);
            sum = _f.Add(sum, _f.Multiply(partial, da));
        }
        return sum;
    }

    /// <summary>
    /// <c>t = N(a…)</c>: the call stays; N's generated gradient gives ∂N/∂a, and dt = Σ ∂N/∂a·da (a dot product per
    /// array argument). The gradient's array outputs are rented from the pool, so nothing is allocated in steady state.
    /// </summary>
    private IEnumerable<Stmt> CallTangent(CallAssign c)
    {
        _callsGradients = true;
        string dt = DeclareTangent(c.Target, isArray: false);
        var outputs = new List<GradientCallOutput>();
        var terms = new List<(string Output, Expr Argument, bool IsArray)>();
        for (int k = 0; k < c.Callee.Parameters.Count; k++)
        {
            var p = c.Callee.Parameters[k];
            if (!p.Differentiated) continue;
            if (p.Kind is ParameterKind.DoubleArray2D or ParameterKind.DoubleJagged)
                throw new ForwardModeUnsupported("it passes a matrix to '" + c.Callee.Name + "'");
            var argument = c.Arguments[k];
            string output = p.IsArray ? _names.Allocate("g" + p.Name) : NewLocal("g" + p.Name);
            string? lengthOf = argument is ArrayRef array ? array.Array : null;
            if (p.IsArray && lengthOf is null) throw new ForwardModeUnsupported("it passes an array expression to '" + c.Callee.Name + "'");
            outputs.Add(new GradientCallOutput(output, p.IsArray ? lengthOf : null));
            terms.Add((output, argument, p.IsArray));
        }
        yield return c;
        yield return new GradientCall(c.Callee, c.Arguments, outputs.ToEquatableArray()) { Source = c.Source };
        yield return new Assign(dt, ExprFactory.Zero);
        foreach (var (output, argument, isArray) in terms)
        {
            if (!isArray)
            {
                var da = Tangent(_f.Import(argument));
                if (!ExprFactory.IsZero(da)) yield return new Assign(dt, _f.Add(_f.Var(dt), _f.Multiply(_f.Var(output), da)));
                continue;
            }
            string array = ((ArrayRef)argument).Array;
            if (TangentOf(array) is not { } tangentArray) continue;
            string counter = _names.Allocate("i");
            var index = new[] { _f.Var(counter, ScalarType.Int) };
            var body = new Assign(dt, _f.Add(_f.Var(dt), _f.Multiply(_f.Element(output, index), _f.Element(tangentArray, index))));
            yield return new For(counter, new Const(0, ScalarType.Int), BinaryOp.Less, new LengthOf(array, -1), 1, new Block(EquatableArray.Of<Stmt>(body)), null);
        }
        foreach (var output in outputs.Where(o => o.LengthOf is not null)) yield return new ReleaseRented(output.Name);
    }
}

/// <summary>The tangent program: the method with its tangent parameters, and the local holding the result's tangent.</summary>
/// <param name="CallsGradients">Whether it calls other methods' gradients (reverse mode cannot differentiate those calls yet).</param>
internal sealed record TangentProgram(LoweredMethod Method, string TangentResult, bool CallsGradients);

/// <summary>A construct forward mode does not handle: the method keeps its other members, and DIFF300 names the reason.</summary>
internal sealed class ForwardModeUnsupported : System.Exception
{
    public ForwardModeUnsupported(string reason) : base(reason)
    {
    }
}
