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

    /// <summary>Saves every element of a local array, as one block (a reversed loop iteration's snapshot).</summary>
    public void PushAll(ReadOnlySpan<double> values)
    {
        EnsureRoom(values.Length);
        values.CopyTo(_doubles.AsSpan(_doubleCount));
        _doubleCount += values.Length;
    }

    /// <summary>Saves every element of a single-precision local array, as one block.</summary>
    public void PushAll(ReadOnlySpan<float> values)
    {
        EnsureRoom(values.Length);
        var destination = _doubles.AsSpan(_doubleCount, values.Length);
        for (int i = 0; i < values.Length; i++) destination[i] = values[i];
        _doubleCount += values.Length;
    }

    /// <summary>Restores every element of <paramref name="destination"/> from the block the matching <see cref="PushAll(ReadOnlySpan{double})"/> saved.</summary>
    public void PopAll(Span<double> destination)
    {
        _doubles.AsSpan(TakeBlock(destination.Length), destination.Length).CopyTo(destination);
    }

    /// <summary>Restores every element of a single-precision local array from the block the matching <see cref="PushAll(ReadOnlySpan{float})"/> saved.</summary>
    public void PopAll(Span<float> destination)
    {
        var source = _doubles.AsSpan(TakeBlock(destination.Length), destination.Length);
        for (int i = 0; i < destination.Length; i++) destination[i] = (float)source[i];
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

    private void EnsureRoom(int count)
    {
        while (_doubles.Length - _doubleCount < count) GrowDoubles();
    }

    /// <summary>Removes the top <paramref name="count"/> doubles and returns where they start.</summary>
    private int TakeBlock(int count)
    {
        if (_doubleCount < count) throw Empty();
        _doubleCount -= count;
        return _doubleCount;
    }

    // Growth is rare (doubling: O(log n) times per thread, ever), so it stays out of line to keep Push small enough to inline.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowDoubles() => Array.Resize(ref _doubles, _doubles.Length * 2);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void GrowInts() => Array.Resize(ref _ints, _ints.Length * 2);

    private static InvalidOperationException Empty() => new("The gradient scratch stack is empty: a generated reverse sweep restored more than its forward sweep saved.");
}
