namespace Differentiator.Generator.Model;

/// <summary>
/// A source location as plain values (no Roslyn <c>Location</c>, whose equality and lifetime do not suit cached
/// models). Line and character are zero-based, as in Roslyn's <c>LinePosition</c>. Never inside a cached model:
/// models refer to places by <see cref="SourceRef"/>, resolved through the parse's <see cref="SourcePositions"/>.
/// </summary>
internal sealed record LocationInfo(string FilePath, int Start, int Length, int StartLine, int StartCharacter, int EndLine, int EndCharacter);

/// <summary>A diagnostic to report, by id (see Diagnostics/DiagnosticDescriptors), where (resolved through the parse's positions) and with its message arguments.</summary>
internal sealed record DiagnosticInfo(string Id, SourceRef? Location, EquatableArray<string> Arguments);
