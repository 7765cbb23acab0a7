namespace Differentiator.Generator.Model;

/// <summary>
/// A source location as plain values (no Roslyn <c>Location</c>, whose equality and lifetime do not suit cached
/// models). Line and character are zero-based, as in Roslyn's <c>LinePosition</c>.
/// </summary>
internal sealed record LocationInfo(string FilePath, int Start, int Length, int StartLine, int StartCharacter, int EndLine, int EndCharacter);

/// <summary>A diagnostic to report, by id (see Diagnostics/DiagnosticDescriptors), with its message arguments.</summary>
internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments);
