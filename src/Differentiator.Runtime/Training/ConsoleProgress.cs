using System;
using System.Globalization;
using System.IO;

namespace Differentiator.Training;

/// <summary>
/// Training progress as text. In a terminal: one live line rewritten in place (carriage return) at most ten times
/// a second — epoch, loss, gradient norm, epochs per second — then a final line. When the output is redirected to a
/// file or a pipe, or in CI, where carriage returns pile up into one unreadable line: a plain line every
/// <c>plainEvery</c> epochs, plus the first and the last.
/// </summary>
public sealed class ConsoleProgress : FitProgress
{
    private static readonly TimeSpan LiveInterval = TimeSpan.FromMilliseconds(100);
    private readonly TextWriter _writer;
    private readonly string _prefix;
    private TimeSpan _lastLiveWrite;
    private int _lastPlainEpoch;
    private FitStatus _last;
    private int _liveWidth;

    /// <summary>Progress to <paramref name="writer"/>, live or plain as told.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="live">Rewrite one line in place (for a terminal) rather than print plain lines.</param>
    /// <param name="plainEvery">In plain mode, print every this many epochs; at least 1.</param>
    /// <param name="label">Printed at the start of each line (say, the model's name); null for none.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="plainEvery"/> is below 1.</exception>
    public ConsoleProgress(TextWriter writer, bool live, int plainEvery = 100, string? label = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (plainEvery < 1) throw new ArgumentOutOfRangeException(nameof(plainEvery), plainEvery, "Must be at least 1.");
        _writer = writer;
        IsLive = live;
        PlainEvery = plainEvery;
        _prefix = string.IsNullOrEmpty(label) ? "" : label + ": ";
    }

    /// <summary>Whether this progress rewrites one line in place.</summary>
    public bool IsLive { get; }

    /// <summary>In plain mode, the interval between lines, in epochs.</summary>
    public int PlainEvery { get; }

    /// <summary>
    /// Progress to <see cref="Console.Out"/>: live when the output is a terminal and the <c>CI</c> environment
    /// variable is unset (CI services set it), plain otherwise.
    /// </summary>
    /// <param name="label">Printed at the start of each line; null for none.</param>
    /// <param name="plainEvery">In plain mode, print every this many epochs.</param>
    public static ConsoleProgress ForConsole(string? label = null, int plainEvery = 100) =>
        new(Console.Out, ShouldBeLive(Console.IsOutputRedirected, Environment.GetEnvironmentVariable("CI")), plainEvery, label);

    /// <summary>The rule <see cref="ForConsole"/> applies: live only for a terminal outside CI.</summary>
    /// <param name="outputRedirected">Whether standard output goes to a file or a pipe.</param>
    /// <param name="ciVariable">The value of the <c>CI</c> environment variable (null when unset).</param>
    public static bool ShouldBeLive(bool outputRedirected, string? ciVariable) => !outputRedirected && string.IsNullOrEmpty(ciVariable);

    /// <inheritdoc/>
    public override void Report(in FitStatus status)
    {
        _last = status;
        if (IsLive)
        {
            // Formatting a line allocates, so it happens at most ten times a second, not every epoch.
            if (status.Epoch > 1 && status.Elapsed - _lastLiveWrite < LiveInterval) return;
            _lastLiveWrite = status.Elapsed;
            WriteLive(Format(status));
        }
        else if (status.Epoch == 1 || status.Epoch % PlainEvery == 0)
        {
            _lastPlainEpoch = status.Epoch;
            _writer.WriteLine(Format(status));
        }
    }

    /// <inheritdoc/>
    public override void Completed(FitResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string summary = string.Create(CultureInfo.InvariantCulture, $"{_prefix}stopped after {result.Epochs} epochs ({Describe(result.StopReason)}), final loss {result.FinalLoss:G6}, {result.Elapsed.TotalSeconds:F2} s");
        if (IsLive)
        {
            WriteLive(Format(_last));
            _writer.WriteLine();
        }
        else if (_lastPlainEpoch != _last.Epoch && _last.Epoch > 0)
        {
            _writer.WriteLine(Format(_last));
        }
        _writer.WriteLine(summary);
        _writer.Flush();
    }

    private void WriteLive(string line)
    {
        // Pad to the previous line's width so that a shorter line leaves no stale characters behind.
        _writer.Write("\r" + line.PadRight(_liveWidth));
        _liveWidth = Math.Max(_liveWidth, line.Length);
        _writer.Flush();
    }

    private string Format(in FitStatus s)
    {
        int digits = s.MaxEpochs.ToString(CultureInfo.InvariantCulture).Length;
        string epoch = s.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(digits);
        string gradient = double.IsNaN(s.GradientNorm) ? "" : string.Create(CultureInfo.InvariantCulture, $"  |grad| {s.GradientNorm,10:G4}");
        return string.Create(CultureInfo.InvariantCulture, $"{_prefix}epoch {epoch}/{s.MaxEpochs}  loss {s.Loss,12:G6}{gradient}  {s.EpochsPerSecond,9:F0} epochs/s");
    }

    private static string Describe(StopReason reason) => reason switch
    {
        StopReason.MaxEpochs => "maximum epochs",
        StopReason.LossTolerance => "loss stopped changing",
        StopReason.GradientNormTolerance => "gradient norm below tolerance",
        StopReason.TargetLoss => "target loss reached",
        StopReason.Diverged => "loss diverged",
        _ => reason.ToString(),
    };
}
