using Differentiator.Generator.Model;

namespace Differentiator.Generator;

/// <summary>What one method yields: a source file (null when it has errors) and its diagnostics, as values.</summary>
internal sealed record GeneratedFile(string HintName, string? Source, EquatableArray<DiagnosticInfo> Diagnostics);
