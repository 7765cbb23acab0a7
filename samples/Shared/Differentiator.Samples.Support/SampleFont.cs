using System;
using System.IO;

namespace Differentiator.Samples.Support;

/// <summary>
/// The bundled DejaVu Sans, registered as ScottPlot's default font. Without it a machine with no fonts installed
/// (a CI runner, a slim container) renders every label, title and tick as nothing — silently.
/// </summary>
public static class SampleFont
{
    /// <summary>The family name the font is registered under; distinct from any system font so that it is this file that is used.</summary>
    public const string Name = "Differentiator Samples Sans";

    private static readonly object Gate = new();
    private static bool _registered;

    /// <summary>The TTF's path beside the running assembly (the project copies it there).</summary>
    public static string FilePath => Path.Combine(AppContext.BaseDirectory, "Fonts", "DejaVuSans.ttf");

    /// <summary>Registers the font once per process and makes it the default; later calls do nothing.</summary>
    /// <exception cref="FileNotFoundException">The font file is missing from the output folder.</exception>
    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (_registered) return;
            if (!File.Exists(FilePath)) throw new FileNotFoundException("The bundled font is missing; it should be copied next to the assembly.", FilePath);
            // One regular face serves every style: a bold title asked of a missing bold face would fall back to system fonts.
            foreach (bool bold in new[] { false, true })
                foreach (bool italic in new[] { false, true })
                    ScottPlot.Fonts.AddFontFile(Name, FilePath, bold, italic);
            ScottPlot.Fonts.Default = Name;
            _registered = true;
        }
    }
}
