using System.Text;

namespace Differentiator.Generator.Emission;

/// <summary>
/// The file an IDE's design-time build gets: every member body kept as text but not compiled. Editors such as
/// csharp-ls compile and analyse the whole project, generated files included, on every keystroke, and the generated
/// members are many times the user's code (docs/performance.md, "Editor latency"); what the editor needs from them
/// is their signatures and doc comments (completion, hover with the formula, errors in the user's calls). So each
/// body goes into an <c>#if false</c> region — F12 still shows it, greyed — and the member compiles as a throw:
/// <code>
/// public static double LossGradient(double[] x, Span&lt;double&gt; dx)
/// #if false // …
/// {
///     …the body…
/// }
/// #else
///     => throw new global::System.InvalidOperationException("…");
/// #endif
/// </code>
/// The build (not design-time) never gets this form. The throw's message carries a hash of the body, so a changed
/// body changes the compiled member too: a host that compiles the editor's text into a running process (Hot Reload)
/// applies a throw that says what happened rather than keeping the old gradient of a changed function.
/// Works on the text the emitters wrote (SourceWriter: four spaces a level, a body's braces alone on their lines),
/// so one mechanism covers every member of every emitter.
/// </summary>
internal static class DesignTimeBodies
{
    /// <summary>The comment on each region, which a reader of the editor's generated file sees.</summary>
    public const string RegionComment = "#if false // design-time build: the editor shows this body but does not compile it (DifferentiatorEditorBodies, docs/editors.md)";

    /// <param name="source">An emitted file.</param>
    /// <param name="memberDepth">The nesting of the members: the namespace (if any) and the containing types.</param>
    /// <param name="sourceMethod">The user's method the file is generated from: the throw names it with <c>nameof</c>,
    /// so a private method that only generated code calls is not reported unused (IDE0051) in the editor. Null for a
    /// method outside any type (code being typed), which no <c>nameof</c> could name.</param>
    public static string Apply(string source, int memberDepth, string? sourceMethod)
    {
        string indent = new(' ', memberDepth * 4);
        string open = indent + "{", close = indent + "}";
        var lines = source.Split('\n');
        var text = new StringBuilder(source.Length + 256);
        string? member = null;  // the name of the member whose body is open
        var body = new StringBuilder();
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (member is null && line == open && i > 0 && MemberName(lines[i - 1]) is { } name)
            {
                member = name;
                body.Clear();
                text.Append(RegionComment).Append('\n');
            }
            text.Append(line);
            if (i < lines.Length - 1) text.Append('\n');
            if (member is null) continue;
            body.Append(line).Append('\n');
            if (line != close) continue;
            text.Append("#else\n")
                .Append(indent).Append("    => throw new global::System.InvalidOperationException(")
                .Append(sourceMethod is null ? "\"" : "nameof(" + sourceMethod + ") + \": ")
                .Append(member).Append(" was compiled by an IDE design-time build, which keeps generated bodies out of the compilation. ")
                .Append("Build the project, or set <DifferentiatorEditorBodies>true</DifferentiatorEditorBodies> to compile them in the IDE (Hot Reload). Body ")
                .Append(Hash(body.ToString()).ToString("X8")).Append(".\");\n")
                .Append("#endif\n");
            member = null;
        }
        if (member is not null) throw new System.InvalidOperationException("The body of " + member + " is not closed at depth " + memberDepth + ".");
        return text.ToString();
    }

    /// <summary>The method a header line declares (<c>… Name(…)</c>), or null when the line declares no method.</summary>
    private static string? MemberName(string header)
    {
        int paren = header.IndexOf('(');
        if (paren <= 0 || !header.TrimEnd().EndsWith(")", System.StringComparison.Ordinal)) return null;
        int start = paren;
        while (start > 0 && (char.IsLetterOrDigit(header[start - 1]) || header[start - 1] == '_')) start--;
        // A return type or modifier before the name: not a call or a control statement's head.
        return start < paren && header.Substring(0, start).Trim().Length > 0 ? header.Substring(start, paren - start) : null;
    }

    /// <summary>FNV-1a: stable across processes and runtimes (string.GetHashCode is randomized per process).</summary>
    private static uint Hash(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash ^= c;
            hash *= 16777619;
        }
        return hash;
    }
}
