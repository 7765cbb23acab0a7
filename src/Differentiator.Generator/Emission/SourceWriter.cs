using System.Text;

namespace Differentiator.Generator.Emission;

/// <summary>An indenting line writer (cheap, unlike building SyntaxFactory trees and normalizing whitespace).</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _depth;

    public void Line(string line = "")
    {
        if (line.IndexOf('\n') >= 0)
        {
            foreach (var part in line.Split('\n')) Line(part);
            return;
        }
        if (line.Length > 0) _text.Append(' ', _depth * 4).Append(line);
        _text.Append('\n');
    }

    public void Open(string header)
    {
        if (header.Length > 0) Line(header);
        Line("{");
        _depth++;
    }

    public void Close(string suffix = "")
    {
        _depth--;
        Line("}" + suffix);
    }

    public override string ToString() => _text.ToString();
}
