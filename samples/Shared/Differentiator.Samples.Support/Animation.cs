using System.Collections.Generic;
using System.IO;
using ImageMagick;
using ScottPlot;

namespace Differentiator.Samples.Support;

/// <summary>An animated GIF from plots: ScottPlot renders each frame to PNG, Magick.NET assembles them.</summary>
public static class Animation
{
    /// <summary>Writes the frames as a looping GIF.</summary>
    /// <param name="path">The .gif file to write.</param>
    /// <param name="frames">The frames, in order; give them fixed axis limits so the picture does not jump.</param>
    /// <param name="delayCentiseconds">How long each frame shows (GIF counts in hundredths of a second).</param>
    /// <param name="holdLastFrame">How many times longer the last frame shows, so the result can be read.</param>
    /// <param name="width">Frame width in pixels.</param>
    /// <param name="height">Frame height in pixels.</param>
    public static string WriteGif(string path, IReadOnlyList<Plot> frames, int delayCentiseconds = 12, int holdLastFrame = 12, int width = 560, int height = 350)
    {
        using var images = new MagickImageCollection();
        for (int k = 0; k < frames.Count; k++)
        {
            byte[] png = frames[k].GetImageBytes(width, height, ImageFormat.Png);
            var image = new MagickImage(png)
            {
                AnimationDelay = (uint)(k == frames.Count - 1 ? delayCentiseconds * holdLastFrame : delayCentiseconds),
            };
            images.Add(image);
        }
        images[0].AnimationIterations = 0; // loop forever
        // One shared palette and frame differencing keep the file small: frames differ only in the moving line.
        // No dithering: plots are flat colours, and dithering both slows quantizing and speckles the background.
        images.Quantize(new QuantizeSettings { Colors = 64, DitherMethod = DitherMethod.No });
        images.Optimize();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        images.Write(path, MagickFormat.Gif);
        return path;
    }
}
