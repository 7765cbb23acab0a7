using System;
using System.ComponentModel;
using System.Runtime.CompilerServices;

namespace Differentiator;

/// <summary>
/// The LIFO stack on which a generated <c>MGradient</c> saves values its forward sweep overwrites and its reverse
/// sweep needs (only where fusion cannot avoid it). One instance per thread, grown on demand and reused, so steady
/// state allocates nothing. Used by generated code; not meant to be called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class GradientScratch
{
    [ThreadStatic]
    private static GradientScratch? _current;

    private double[] _doubles = new double[64];
    private int[] _ints = new int[64];
    private int _doubleCount;
    private int _intCount;

    /// <summary>This thread's stack.</summary>
    public static GradientScratch Current => _current ??= new GradientScratch();

    /// <summary>Saved doubles not yet restored.</summary>
    public int DoubleCount => _doubleCount;

    /// <summary>Saved ints not yet restored.</summary>
    public int IntCount => _intCount;

    /// <summary>Saves a double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(double value)
    {
        if (_doubleCount == _doubles.Length) GrowDoubles();
        _doubles[_doubleCount++] = value;
    }

    /// <summary>Restores the last saved double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double PopDouble()
    {
        if (_doubleCount == 0) throw Empty();
        return _doubles[--_doubleCount];
    }

    /// <summary>Saves an int (a trip count, a branch taken, an index).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(int value)
    {
        if (_intCount == _ints.Length) GrowInts();
        _ints[_intCount++] = value;
    }

    /// <summary>Restores the last saved int.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int PopInt()
    {
        if (_intCount == 0) throw Empty();
        return _ints[--_intCount];
    }

    // Growth is rare (doubling: O(log n) times per thread, ever), so it stays out of line to keep Push small enough to inline.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowDoubles() => Array.Resize(ref _doubles, _doubles.Length * 2);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowInts() => Array.Resize(ref _ints, _ints.Length * 2);

    private static InvalidOperationException Empty() => new("The gradient scratch stack is empty: a generated reverse sweep restored more than its forward sweep saved.");
}
