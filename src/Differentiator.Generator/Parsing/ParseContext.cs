using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Differentiator.Generator.Ir;
using Differentiator.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Differentiator.Generator.Parsing;

/// <summary>
/// What the statement and expression parsers share while reading one method: the semantic model, the IR names
/// given to locals (by symbol, so sibling scopes' same-named locals get distinct names), the diagnostics, and the
/// statements that hoisted calls must be placed before.
/// </summary>
internal sealed class ParseContext : ParseContextSink
{
    private readonly Dictionary<ISymbol, string> _names = new(SymbolEqualityComparer.Default);
    private readonly NameAllocator _allocator;
    private readonly Dictionary<string, Parameter> _parameters = new(System.StringComparer.Ordinal);

    public ParseContext(IMethodSymbol method, SemanticModel model, CancellationToken cancellationToken)
    {
        Method = method;
        Model = model;
        // A vector-valued method returns void: its output span's element type is its precision.
        var real = VectorSignature.OutputSpan(method) is { } output ? VectorSignature.ElementType(output.Type) : method.ReturnType.SpecialType;
        Precision = real == SpecialType.System_Single ? Precision.Single : Precision.Double;
        CancellationToken = cancellationToken;
        _allocator = new NameAllocator(method.Parameters.Select(p => p.Name));
    }

    public IMethodSymbol Method { get; }

    /// <summary>The floating-point type the method computes in: <c>float</c> when it returns float (or writes a <c>Span&lt;float&gt;</c>), else <c>double</c>.</summary>
    public Precision Precision { get; }

    /// <summary>The C# type of the method's real values.</summary>
    public SpecialType RealType => RealTypeOf(Precision);

    public static SpecialType RealTypeOf(Precision precision) => precision == Precision.Single ? SpecialType.System_Single : SpecialType.System_Double;

    /// <summary><c>float</c> or <c>double</c>, for messages.</summary>
    public string RealKeyword => Dialects.Real(Precision);

    /// <summary>The other floating-point type: values of it in this method mix precisions (DIFF019).</summary>
    public bool IsOtherReal(ITypeSymbol? type) =>
        type?.SpecialType is SpecialType.System_Double or SpecialType.System_Single && type.SpecialType != RealType;

    /// <summary>Reports DIFF019: <paramref name="what"/> is computed in the other precision than the method's.</summary>
    public void ReportMixedPrecision(SyntaxNode node, string what)
    {
        var dialect = Dialects.Of(Precision);
        string other = Dialects.Real(dialect == Dialect.Single ? Dialect.Double : Dialect.Single);
        string hint = "write " + RealKeyword + " literals" + (dialect == Dialect.Single ? " (0.5" + Dialects.SingleSuffix + ")" : "")
            + ", " + Dialects.MathClass(dialect) + " functions and " + RealKeyword + " locals";
        Report(Differentiator.Generator.Diagnostics.DiagnosticDescriptors.MixedPrecision, node, what, other, RealKeyword, Method.Name, hint);
    }

    /// <summary>The semantic model of the code being read: the method's, or an inlined helper's when it lives in another file.</summary>
    public SemanticModel Model { get; set; }

    /// <summary>The statement parser, for helpers whose bodies are inlined where they are called.</summary>
    public StatementParser? Statements { get; set; }

    /// <summary>The helpers being inlined, innermost last: a helper that reaches itself again is recursion.</summary>
    public List<IMethodSymbol> Inlining { get; } = new();

    private readonly Dictionary<IParameterSymbol, InlinedParameter> _inlined = new(SymbolEqualityComparer.Default);

    /// <summary>A parameter of an inlined helper: for a scalar, the local that holds its argument; for an array, a view of the caller's array.</summary>
    public sealed record InlinedParameter(string Name, ScalarType Type, ArrayView? View)
    {
        public bool IsArray => View is not null;
    }

    private readonly Dictionary<ISymbol, ArrayView> _views = new(SymbolEqualityComparer.Default);

    /// <summary><c>var row = x.Slice(i * d, d);</c>: the local names a view of an array, fixed where it is declared.</summary>
    public void DeclareView(ISymbol local, ArrayView view) => _views[local] = view;

    public void BindInlined(IParameterSymbol parameter, InlinedParameter binding) => _inlined[parameter] = binding;

    public bool TryGetInlined(ISymbol? symbol, out InlinedParameter binding)
    {
        binding = null!;
        return symbol is IParameterSymbol p && _inlined.TryGetValue(p, out binding!);
    }

    /// <summary>A parameter of the method itself (not of a helper inlined into it) that the subset supports.</summary>
    public bool TryGetOwnParameter(ISymbol? symbol, out Parameter parameter)
    {
        parameter = null!;
        return symbol is IParameterSymbol p && IsMethodItself(p.ContainingSymbol) && _parameters.TryGetValue(p.Name, out parameter!);
    }

    private bool IsMethodItself(ISymbol? symbol)
    {
        var comparer = SymbolEqualityComparer.Default;
        return comparer.Equals(symbol, Method) || comparer.Equals(symbol, Method.PartialDefinitionPart) || comparer.Equals(symbol, Method.PartialImplementationPart)
            || comparer.Equals(symbol?.OriginalDefinition, Method.OriginalDefinition);
    }

    /// <summary>The parameters the subset supports, by name (filled after the signature is read).</summary>
    public IReadOnlyDictionary<string, Parameter> Parameters => _parameters;

    public void AddParameter(Parameter p) => _parameters[p.Name] = p;

    void ParseContextSink.Broken() => Broken = true;

    void ParseContextSink.Remember(object item, SyntaxToken token)
    {
        Positions.Remember(item, Locations.From(token.GetLocation()));
    }

    public CancellationToken CancellationToken { get; }

    public List<DiagnosticInfo> Diagnostics { get; } = new();

    /// <summary>
    /// Where the places the model refers to stand (statements, diagnostics), and where IR expressions and parameters
    /// came from, for the analyzer's advisories. Not part of the cached model: positions change on every edit above
    /// the method, the model must not.
    /// </summary>
    public SourcePositions Positions { get; } = new();

    /// <summary>Records where <paramref name="node"/> stands and returns the place's number, for a statement's or diagnostic's location.</summary>
    public SourceRef? Place(SyntaxNode node) => Positions.Add(Locations.From(node.GetLocation()));

    public T Remember<T>(T expr, SyntaxNode node) where T : class
    {
        Positions.Remember(expr, Locations.From(node.GetLocation()));
        return expr;
    }

    public List<LocalVariable> Locals { get; } = new();

    /// <summary>Whether the method is vector-valued (returns void, writes its last parameter, a span): <c>return;</c> is then its exit.</summary>
    public bool IsVectorValued => _parameters.Values.Any(p => p.Kind == ParameterKind.Output);

    /// <summary>Set when the code has C# errors of its own: the compiler reports those; we stay quiet and generate nothing.</summary>
    public bool Broken { get; set; }

    /// <summary>Hoisted call statements waiting to be placed before the statement being parsed.</summary>
    public List<Stmt> Pending { get; } = new();

    public void Report(DiagnosticDescriptor descriptor, SyntaxNode node, params string[] args)
    {
        // One diagnostic per root cause: a use of a declaration already reported (a parameter of an unsupported type,
        // a delegate local, a local function) would only repeat it in other words.
        if (UsesReported(node))
        {
            Broken = true;
            return;
        }
        Report(descriptor, node.GetLocation(), args);
    }

    private readonly HashSet<ISymbol> _reported = new(SymbolEqualityComparer.Default);

    /// <summary>Marks a declaration as reported: diagnostics on code that uses it are left out (<see cref="Report(DiagnosticDescriptor, SyntaxNode, string[])"/>).</summary>
    public void Reported(ISymbol symbol) => _reported.Add(symbol);

    void ParseContextSink.Reported(ISymbol symbol) => Reported(symbol);

    private bool UsesReported(SyntaxNode node) =>
        _reported.Count > 0 && node.DescendantNodesAndSelf().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax>()
            .Any(id => Model.GetSymbolInfo(id, CancellationToken).Symbol is { } symbol && _reported.Contains(symbol));

    public void Report(DiagnosticDescriptor descriptor, SyntaxToken token, params string[] args) => Report(descriptor, token.GetLocation(), args);

    private void Report(DiagnosticDescriptor descriptor, Location location, string[] args) =>
        Diagnostics.Add(new DiagnosticInfo(descriptor.Id, Positions.Add(Locations.From(location)), args.ToEquatableArray()));

    /// <summary>
    /// Whether the compiler reports an error inside <paramref name="node"/>. Code the semantic model cannot resolve is
    /// the compiler's to report when it has errors (we stay quiet and generate nothing); when it has none it is valid
    /// C# outside the subset and must get a DIFF diagnostic, never silence.
    /// </summary>
    public bool HasErrors(SyntaxNode node) =>
        node.ContainsDiagnostics || Model.GetDiagnostics(node.Span, CancellationToken).Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>A local written <c>@base</c> is named <c>base_</c>: later stages print IR names as they are.</summary>
    private static string Preferred(ISymbol symbol) =>
        SyntaxFacts.GetKeywordKind(symbol.Name) == SyntaxKind.None ? symbol.Name : symbol.Name + "_";

    public string DeclareLocal(ISymbol symbol, ScalarType type)
    {
        if (_names.TryGetValue(symbol, out var existing)) return existing;
        string name = _allocator.Allocate(Preferred(symbol));
        _names[symbol] = name;
        Locals.Add(new LocalVariable(name, type));
        return name;
    }

    private readonly Dictionary<ISymbol, ArrayView> _arrayLocals = new(SymbolEqualityComparer.Default);

    /// <summary>A local array of reals: <c>new double[n]</c>, or with <paramref name="rows"/> and <paramref name="columns"/> the int locals of a <c>new double[rows, columns]</c>.</summary>
    public string DeclareArrayLocal(ISymbol symbol, string? rows = null, string? columns = null)
    {
        string name = _allocator.Allocate(Preferred(symbol));
        _arrayLocals[symbol] = new ArrayView(name, rows is null ? 1 : 2, true, null, null) { Rows = rows, Columns = columns };
        Locals.Add(new LocalVariable(name, ScalarType.Double, IsArray: true));
        return name;
    }

    /// <summary>The IR name and rank of the array parameter or local array that <paramref name="symbol"/> denotes.</summary>
    public ArrayView? ArrayOf(ISymbol? symbol) => symbol switch
    {
        IParameterSymbol p when _inlined.TryGetValue(p, out var bound) => bound.View,
        // The output span of a vector-valued method is written like a local array (the caller's storage).
        IParameterSymbol p when TryGetOwnParameter(p, out var parameter) && parameter.IsArray
            => new ArrayView(parameter.Name, parameter.Rank, parameter.Kind == ParameterKind.Output, null, null, parameter.Kind == ParameterKind.DoubleJagged, ElementType: parameter.ElementType),
        ILocalSymbol l when _arrayLocals.TryGetValue(l, out var local) => local,
        ILocalSymbol l when _views.TryGetValue(l, out var view) => view,
        _ => null,
    };

    public string DeclareCounter(ISymbol symbol)
    {
        string name = _allocator.Allocate(Preferred(symbol));
        _names[symbol] = name;
        return name;
    }

    /// <summary>A fresh local for a hoisted call's value, or an inlined helper's parameter.</summary>
    public string Temporary(string preferred, ScalarType type = ScalarType.Double)
    {
        string name = _allocator.Allocate(preferred);
        Locals.Add(new LocalVariable(name, type));
        return name;
    }

    public bool TryGetName(ISymbol symbol, out string name) => _names.TryGetValue(symbol, out name!);

    /// <summary>The IR type of a C# type: the method's real type is <see cref="ScalarType.Double"/>; the other floating-point type has none.</summary>
    public ScalarType? ScalarOf(ITypeSymbol? type) => type?.SpecialType switch
    {
        SpecialType.System_Int32 => ScalarType.Int,
        SpecialType.System_Boolean => ScalarType.Bool,
        { } special when special == RealType => ScalarType.Double,
        _ => null,
    };

    public static string OneLine(SyntaxNode node)
    {
        string text = string.Join(" ", node.ToString().Split(new[] { ' ', '\t', '\r', '\n' }, System.StringSplitOptions.RemoveEmptyEntries));
        return text.Length <= 100 ? text : text.Substring(0, 99) + "…";
    }
}

/// <summary>
/// An array as the code sees it: a parameter or local array, or a slice of one (<c>x.Slice(Offset, Length)</c>), whose
/// offset and length were stored in int locals where the slice was taken.
/// </summary>
/// <param name="ElementType">Int for int data (<c>int[]</c>, <c>ReadOnlySpan&lt;int&gt;</c>, <c>int[,]</c>), else the method's real type.</param>
internal sealed record ArrayView(string Name, int Rank, bool IsLocal, string? Offset, string? Length, bool Jagged = false, string? Row = null, ScalarType ElementType = ScalarType.Double)
{
    public bool IsWhole => Offset is null && Length is null && Row is null;

    /// <summary>
    /// For a local matrix (<c>new double[rows, columns]</c>), the int locals that hold its dimensions: it is stored as
    /// one row-major array of rows · columns elements, so every rule for local arrays (adjoints, saves, snapshots,
    /// scratch) holds for it unchanged, and <c>t[i, j]</c> is the element <c>t[i * columns + j]</c>.
    /// </summary>
    public string? Rows { get; init; }

    /// <inheritdoc cref="Rows"/>
    public string? Columns { get; init; }

    /// <summary>The element the view's indices denote in the underlying array (for a jagged row, in row <see cref="Row"/>).</summary>
    public ElementRef Element(EquatableArray<Expr> indices)
    {
        if (Columns is not null)
        {
            var flat = new Binary(BinaryOp.Add, new Binary(BinaryOp.Multiply, indices[0], new VarRef(Columns, ScalarType.Int), ScalarType.Int), indices[1], ScalarType.Int);
            return new ElementRef(Name, EquatableArray.Of<Expr>(flat), ElementType: ElementType);
        }
        var shifted = Offset is null ? indices
            : EquatableArray.Of<Expr>(new Binary(BinaryOp.Add, new VarRef(Offset, ScalarType.Int), indices[0], ScalarType.Int));
        return Row is null ? new ElementRef(Name, shifted, Jagged, ElementType)
            : new ElementRef(Name, EquatableArray.Of<Expr>(new VarRef(Row, ScalarType.Int), shifted[0]), Jagged: true, ElementType);
    }

    /// <summary><c>GetLength(dimension)</c> of a whole matrix: a local matrix's dimension local, or the array's own; null for other views.</summary>
    public Expr? DimensionLength(int dimension) =>
        Rank != 2 || Jagged || !IsWhole || dimension is not (0 or 1) ? null
        : Columns is not null ? new VarRef(dimension == 0 ? Rows! : Columns, ScalarType.Int)
        : new LengthOf(Name, dimension);

    public Expr LengthExpr => Length is not null ? new VarRef(Length, ScalarType.Int)
        : Row is not null ? new RowLength(Name, new VarRef(Row, ScalarType.Int))
        : new LengthOf(Name, -1);
}

internal static class Locations
{
    public static LocationInfo? From(Location location)
    {
        if (location.SourceTree is null) return null;
        var span = location.GetLineSpan();
        return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan.Start, location.SourceSpan.Length,
            span.StartLinePosition.Line, span.StartLinePosition.Character, span.EndLinePosition.Line, span.EndLinePosition.Character);
    }
}
