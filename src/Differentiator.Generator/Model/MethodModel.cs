using Differentiator.Generator.Ir;

namespace Differentiator.Generator.Model;

/// <summary>A type that contains the method, outermost first, as it must be re-declared in the generated partial.</summary>
/// <param name="Keyword"><c>class</c>, <c>struct</c>, <c>record</c> or <c>record struct</c>.</param>
/// <param name="Name">The name with its type parameter list, e.g. <c>Outer&lt;T&gt;</c>.</param>
internal sealed record ContainingType(string Keyword, string Name, bool IsStatic);

/// <summary>
/// Everything the later stages need to know about one <c>[Differentiable]</c> method, as values. <see cref="Ir"/> is
/// null when parsing found an error; the method then generates nothing and its diagnostics say why.
/// </summary>
/// <param name="Accessibility">The method's accessibility as C# keywords, e.g. <c>public</c> or <c>protected internal</c>.</param>
/// <param name="HintName">The generated file's name: <c>Namespace.Type.Method.g.cs</c>, unique per method.</param>
internal sealed record MethodModel(
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string Accessibility,
    bool IsStatic,
    string HintName,
    MethodIr? Ir,
    EquatableArray<DiagnosticInfo> Diagnostics);
