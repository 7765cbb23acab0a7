using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Differentiator.Samples.Support;
using ImageMagick;

namespace Differentiator.Samples.Tests;

/// <summary>Checks that a picture file is what its extension says and not trivially empty.</summary>
public static class Pictures
{
    private static readonly byte[] PngSignature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>Every expected file was written, and each is a valid, non-trivial picture of its kind.</summary>
    public static void AssertAll(string folder, IReadOnlyList<string> reported, params string[] expectedNames)
    {
        var names = reported.Select(Path.GetFileName).ToHashSet();
        foreach (string name in expectedNames)
        {
            Assert.Contains(name, names);
            AssertValid(Path.Combine(folder, name));
        }
        foreach (string file in reported) Assert.True(File.Exists(file), $"{file} was reported but does not exist");
    }

    /// <summary>Dispatches on the extension.</summary>
    public static void AssertValid(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        switch (Path.GetExtension(path))
        {
            case ".png": AssertPng(path, Charts.Width, Charts.Height); break;
            case ".svg": AssertSvg(path); break;
            case ".gif": AssertGif(path); break;
            case ".dot": AssertDot(path); break;
            default: throw new ArgumentException($"No check for {path}");
        }
    }

    /// <summary>The PNG signature, an IHDR of the expected size, and more than 5 KB (an empty 800×500 plot compresses to about 3 KB).</summary>
    public static void AssertPng(string path, int width, int height)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 5_000, $"{path} has only {bytes.Length} bytes");
        Assert.Equal(PngSignature, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
    }

    /// <summary>Well-formed XML with an svg root, more than 5 KB, and text in it (a plot whose labels vanished has none).</summary>
    public static void AssertSvg(string path)
    {
        Assert.True(new FileInfo(path).Length > 5_000, $"{path} is too small");
        var document = XDocument.Load(path);
        XNamespace svg = "http://www.w3.org/2000/svg";
        Assert.Equal(svg + "svg", document.Root!.Name);
        var texts = document.Descendants(svg + "text").Select(t => t.Value.Trim()).Where(t => t.Length > 0).ToList();
        Assert.True(texts.Count >= 5, $"{path} has {texts.Count} text elements: axis labels and ticks are missing");
    }

    /// <summary>Well-formed XML with an svg root, of any size (for Graphviz's small pictures).</summary>
    public static void AssertSvgRoot(string path) =>
        Assert.Equal(XName.Get("svg", "http://www.w3.org/2000/svg"), XDocument.Load(path).Root!.Name);

    /// <summary>The GIF header, more than 20 KB, and at least 10 frames of one size.</summary>
    public static void AssertGif(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 20_000, $"{path} has only {bytes.Length} bytes");
        Assert.Equal("GIF89a", System.Text.Encoding.ASCII.GetString(bytes, 0, 6));
        using var frames = new MagickImageCollection(path);
        Assert.True(frames.Count >= 10, $"{path} has {frames.Count} frames");
        Assert.All(frames, f => Assert.Equal((uint)560, f.Page.Width));
    }

    /// <summary>A DOT digraph with balanced braces and at least one edge.</summary>
    public static void AssertDot(string path)
    {
        string text = File.ReadAllText(path);
        Assert.StartsWith("digraph ", text);
        Assert.EndsWith("}", text.TrimEnd());
        Assert.Equal(text.Count(c => c == '{'), text.Count(c => c == '}'));
        Assert.Contains(" -> ", text);
    }
}

/// <summary>A fresh temporary folder per sample run, deleted afterwards.</summary>
public sealed class TemporaryFolder : IDisposable
{
    /// <summary>Creates the folder.</summary>
    public TemporaryFolder(string name)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "differentiator-samples-" + name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
