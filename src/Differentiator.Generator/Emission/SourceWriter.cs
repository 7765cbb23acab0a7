using System.Text;

namespace Differentiator.Generator.Emission;

/// <summary>An indenting line writer (cheap, unlike building SyntaxFactory trees and normalizing whitespace).</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _depth;
    private bool _afterBrace;

    public SourceWriter(int depth = 0) => _depth = depth;

    /// <summary>How many blocks are open: a writer made with it writes at the same indentation.</summary>
    public int Depth => _depth;

    /// <summary>Lines another writer made at this one's depth, as they are.</summary>
    public void Append(string lines)
    {
        _text.Append(lines);
        _afterBrace = false;
    }

    public void Line(string line = "")
    {
        if (line.IndexOf('\n') >= 0)
        {
            foreach (var part in line.Split('\n')) Line(part);
            return;
        }
        if (line.Length == 0 && _afterBrace) return; // no blank line right after an opening brace
        if (line.Length > 0) _text.Append(' ', _depth * 4).Append(line);
        _text.Append('\n');
        _afterBrace = false;
    }

    /// <summary>Text written exactly as given (a verbatim string literal's lines must not gain indentation).</summary>
    public void Raw(string text)
    {
        _text.Append(' ', _depth * 4).Append(text).Append('\n');
        _afterBrace = false;
    }

    public void Open(string header)
    {
        if (header.Length > 0) Line(header);
        Line("{");
        _depth++;
        _afterBrace = true;
    }

    public void Close(string suffix = "")
    {
        _depth--;
        Line("}" + suffix);
    }

    public override string ToString() => _text.ToString();
}
