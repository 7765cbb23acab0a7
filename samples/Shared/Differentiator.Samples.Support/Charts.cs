using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using ScottPlot;

namespace Differentiator.Samples.Support;

/// <summary>A named curve y(x): a fitted model, the loss as a function of one weight.</summary>
/// <param name="Label">The legend's text.</param>
/// <param name="Function">The curve.</param>
public sealed record Curve(string Label, Func<double, double> Function);

/// <summary>A named loss history: element k is epoch k + 1's loss.</summary>
/// <param name="Label">The legend's text.</param>
/// <param name="Losses">The losses, one per epoch.</param>
public sealed record LossSeries(string Label, IReadOnlyList<double> Losses);

/// <summary>
/// The samples' pictures, each written as a PNG and an SVG (ScottPlot renders both) and returned as the list of
/// files written. Sizes and styles are shared so that the pictures look like one family.
/// </summary>
public static class Charts
{
    /// <summary>Picture width in pixels.</summary>
    public const int Width = 800;

    /// <summary>Picture height in pixels.</summary>
    public const int Height = 500;

    /// <summary>
    /// Loss against epoch for one or more runs, optionally on a logarithmic loss axis, and optionally a logarithmic
    /// epoch axis (for runs of very different lengths: 50 epochs and 3000 both stay readable).
    /// </summary>
    public static IReadOnlyList<string> LossCurves(string folder, string name, string title, IReadOnlyList<LossSeries> runs, bool logScale, bool logEpochs = false)
    {
        var plot = NewPlot(title, logEpochs ? "epoch (log scale)" : "epoch", logScale ? "loss (log scale)" : "loss");
        foreach (var run in runs)
        {
            double[] epochs = Enumerable.Range(1, run.Losses.Count).Select(e => logEpochs ? Math.Log10(e) : e).ToArray();
            double[] losses = run.Losses.Select(l => logScale ? Math.Log10(Math.Max(l, 1e-300)) : l).ToArray();
            var line = plot.Add.ScatterLine(epochs, losses);
            if (runs.Count > 1) line.LegendText = run.Label; // one run needs no legend: the title names it
            line.LineWidth = 2;
        }
        if (logScale) plot.Axes.Left.TickGenerator = LogTicks();
        if (logEpochs) plot.Axes.Bottom.TickGenerator = LogTicks();
        if (logScale || logEpochs) FaintMinorGrid(plot);
        if (runs.Count > 1) plot.ShowLegend(Alignment.UpperRight);
        return Save(plot, folder, name);
    }

    /// <summary>The data as points and one line per model, e.g. the fit at several epochs.</summary>
    public static IReadOnlyList<string> DataWithCurves(string folder, string name, string title, string xLabel, string yLabel,
        double[] xs, double[] ys, IReadOnlyList<Curve> curves, AxisLimits? limits = null, Alignment legend = Alignment.UpperLeft)
    {
        var plot = DataWithCurvesPlot(title, xLabel, yLabel, xs, ys, curves, limits, legend);
        return Save(plot, folder, name);
    }

    /// <summary>The plot behind <see cref="DataWithCurves"/>, for animation frames that need fixed axis limits.</summary>
    public static Plot DataWithCurvesPlot(string title, string xLabel, string yLabel, double[] xs, double[] ys, IReadOnlyList<Curve> curves, AxisLimits? limits,
        Alignment legend = Alignment.UpperLeft)
    {
        var plot = NewPlot(title, xLabel, yLabel);
        var points = plot.Add.ScatterPoints(xs, ys);
        points.LegendText = "data";
        points.MarkerSize = 9;
        points.Color = Colors.Black;
        double lo = limits?.Left ?? xs.Min(), hi = limits?.Right ?? xs.Max();
        double pad = (hi - lo) * (limits is null ? 0.05 : 0);
        double[] gridX = Grid(lo - pad, hi + pad, 200);
        var palette = new ScottPlot.Palettes.Category10();
        for (int k = 0; k < curves.Count; k++)
        {
            var line = plot.Add.ScatterLine(gridX, gridX.Select(curves[k].Function).ToArray());
            line.LegendText = curves[k].Label;
            line.LineWidth = 2;
            line.Color = palette.GetColor(k + 1); // colour 0 is close to the data's black
        }
        plot.ShowLegend(legend);
        if (limits is { } l) plot.Axes.SetLimits(l);
        return plot;
    }

    /// <summary>
    /// A loss as a function of one weight, with the tangent at each of <paramref name="at"/>: its slope computed by
    /// central differences (L(w + h) − L(w − h)) / 2h, written beside it. The picture that says what a gradient is:
    /// the slope tells which way is downhill and how steep it is.
    /// </summary>
    /// <returns>The files written, and the slope at each point.</returns>
    public static (IReadOnlyList<string> Files, double[] Slopes) LossWithTangents(string folder, string name, string title, string weightName,
        Func<double, double> loss, double from, double to, double[] at, double step)
    {
        var plot = NewPlot(title, weightName, "loss");
        double[] ws = Grid(from, to, 300);
        var curve = plot.Add.ScatterLine(ws, ws.Select(loss).ToArray());
        curve.LegendText = $"loss as a function of {weightName}";
        curve.LineWidth = 2.5f;
        curve.Color = Colors.Black;
        double halfLength = (to - from) / 10;
        var slopes = new double[at.Length];
        var palette = new ScottPlot.Palettes.Category10();
        for (int k = 0; k < at.Length; k++)
        {
            double w = at[k], l = loss(w);
            double slope = (loss(w + step) - loss(w - step)) / (2 * step);
            slopes[k] = slope;
            var color = palette.GetColor(k + 1);
            var tangent = plot.Add.Line(w - halfLength, l - slope * halfLength, w + halfLength, l + slope * halfLength);
            tangent.Color = color;
            tangent.LineWidth = 2;
            if (k == 0) tangent.LegendText = $"tangent, slope by central differences (h = {step.ToString(CultureInfo.InvariantCulture)})";
            var point = plot.Add.Marker(w, l);
            point.Color = color;
            point.Size = 10;
            var label = plot.Add.Text(string.Create(CultureInfo.InvariantCulture, $"slope {slope:0.##}"), w, l);
            label.LabelFontSize = 14;
            label.LabelFontColor = color;
            // Above the point on the side where the tangent runs downhill, so that the line never crosses the text.
            label.LabelAlignment = slope > 0 ? Alignment.LowerRight : slope < 0 ? Alignment.LowerLeft : Alignment.LowerCenter;
            label.OffsetX = slope > 0 ? -8 : slope < 0 ? 8 : 0;
            label.OffsetY = -8;
        }
        plot.ShowLegend(Alignment.UpperCenter);
        return (Save(plot, folder, name), slopes);
    }

    /// <summary>Predicted against actual values; a perfect model puts every point on the diagonal.</summary>
    public static IReadOnlyList<string> PredictedVsActual(string folder, string name, string title, double[] actual, double[] predicted, string unit)
    {
        var plot = NewPlot(title, $"actual {unit}", $"predicted {unit}");
        double lo = Math.Min(actual.Min(), predicted.Min()), hi = Math.Max(actual.Max(), predicted.Max());
        var diagonal = plot.Add.Line(lo, lo, hi, hi);
        diagonal.LegendText = "predicted = actual";
        // Solid, not dashed: Skia's SVG writer does not support dash effects (it prints a warning and draws solid anyway).
        diagonal.Color = Colors.Gray;
        var points = plot.Add.ScatterPoints(actual, predicted);
        points.LegendText = "samples";
        points.MarkerSize = actual.Length > 500 ? 3 : 8;
        plot.ShowLegend(Alignment.UpperLeft);
        return Save(plot, folder, name);
    }

    /// <summary>A new plot with the bundled font, a title and axis labels.</summary>
    public static Plot NewPlot(string title, string xLabel, string yLabel)
    {
        SampleFont.EnsureRegistered();
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.Axes.Title.Label.FontSize = 18;
        plot.Axes.Bottom.Label.FontSize = 15;
        plot.Axes.Left.Label.FontSize = 15;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 13;
        plot.Axes.Left.TickLabelStyle.FontSize = 13;
        plot.Legend.FontSize = 13;
        return plot;
    }

    /// <summary>Writes <paramref name="plot"/> as name.png and name.svg in <paramref name="folder"/>.</summary>
    public static IReadOnlyList<string> Save(Plot plot, string folder, string name)
    {
        string png = Path.Combine(folder, name + ".png"), svg = Path.Combine(folder, name + ".svg");
        plot.SavePng(png, Width, Height);
        plot.SaveSvg(svg, Width, Height);
        return new[] { png, svg };
    }

    /// <summary><paramref name="count"/> evenly spaced points from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public static double[] Grid(double from, double to, int count) =>
        Enumerable.Range(0, count).Select(k => from + (to - from) * k / (count - 1)).ToArray();

    // ScottPlot plots log10 of the data; the ticks then label the powers of ten back in the data's units.
    private static ScottPlot.TickGenerators.NumericAutomatic LogTicks() => new()
    {
        MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = PowerOfTen,
    };

    private static void FaintMinorGrid(Plot plot)
    {
        plot.Grid.MajorLineColor = Colors.Black.WithOpacity(0.15);
        plot.Grid.MinorLineColor = Colors.Black.WithOpacity(0.05);
        plot.Grid.MinorLineWidth = 1;
    }

    private static string PowerOfTen(double exponent)
    {
        int e = (int)Math.Round(exponent);
        return e switch
        {
            >= 0 and <= 4 => Math.Pow(10, e).ToString(CultureInfo.InvariantCulture),
            _ => "1e" + e.ToString(CultureInfo.InvariantCulture),
        };
    }
}
