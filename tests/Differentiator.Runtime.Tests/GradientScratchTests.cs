using System;
using System.Collections.Generic;
using System.Threading;
using CsCheck;

namespace Differentiator.Runtime.Tests;

public class GradientScratchTests
{
    [Fact]
    public void Doubles_and_ints_are_separate_last_in_first_out_stacks_across_growth()
    {
        var scratch = GradientScratch.Current;
        int doubles = scratch.DoubleCount, ints = scratch.IntCount;
        // 10,000 of each forces several doublings past the initial capacity, interleaved so one stack cannot lean on the other.
        for (int k = 0; k < 10_000; k++)
        {
            scratch.Push(k * 0.5);
            if (k % 3 == 0) scratch.Push(k);
        }
        Assert.Equal(doubles + 10_000, scratch.DoubleCount);
        Assert.Equal(ints + 3334, scratch.IntCount);
        for (int k = 9_999; k >= 0; k--)
        {
            if (k % 3 == 0) Assert.Equal(k, scratch.PopInt());
            Assert.Equal(k * 0.5, scratch.PopDouble());
        }
        Assert.Equal(doubles, scratch.DoubleCount);
        Assert.Equal(ints, scratch.IntCount);
    }

    [Fact]
    public void Whole_arrays_are_saved_as_blocks_among_single_values_and_restored_in_place()
    {
        var scratch = OnFreshThread(s =>
        {
            // 300 elements: the block alone outgrows the initial capacity, and it sits between two single values.
            double[] first = new double[300];
            for (int k = 0; k < first.Length; k++) first[k] = k + 0.25;
            float[] second = { 1.5f, -2.25f, 3e-3f };
            s.Push(-7.0);
            s.PushAll(first);
            s.PushAll(second);
            s.Push(9.0);
            Assert.Equal(305, s.DoubleCount);
            double[] restoredFirst = new double[300];
            float[] restoredSecond = new float[3];
            Assert.Equal(9.0, s.PopDouble());
            s.PopAll(restoredSecond);
            s.PopAll(restoredFirst);
            Assert.Equal(-7.0, s.PopDouble());
            Assert.Equal(first, restoredFirst); // same order, not reversed
            Assert.Equal(second, restoredSecond);
            Assert.Equal(0, s.DoubleCount);
            s.PushAll(ReadOnlySpan<double>.Empty);
            s.PopAll(Span<double>.Empty);
            Assert.Equal(0, s.DoubleCount);
            // Restoring a block longer than what was saved throws before anything is taken.
            s.Push(2.0);
            Assert.Throws<InvalidOperationException>(() => s.PopAll(new double[2]));
            Assert.Equal(1, s.DoubleCount);
            Assert.Equal(2.0, s.PopDouble());
        });
        Assert.NotNull(scratch);
    }

    [Fact]
    public void Popping_an_empty_stack_throws_and_leaves_it_usable()
    {
        var scratch = OnFreshThread(s =>
        {
            Assert.Throws<InvalidOperationException>(() => s.PopDouble());
            Assert.Throws<InvalidOperationException>(() => s.PopInt());
            s.Push(1.25);
            Assert.Throws<InvalidOperationException>(() => s.PopInt()); // a saved double is not an int
            Assert.Equal(1.25, s.PopDouble());
            Assert.Equal(0, s.DoubleCount);
        });
        Assert.NotNull(scratch);
    }

    [Fact]
    public void Each_thread_has_its_own_instance_reused_on_that_thread()
    {
        var mine = GradientScratch.Current;
        Assert.Same(mine, GradientScratch.Current);
        mine.Push(42.0);
        mine.Push(7);
        try
        {
            var other = OnFreshThread(s =>
            {
                Assert.Equal(0, s.DoubleCount); // this thread's pushes are invisible there
                Assert.Equal(0, s.IntCount);
                s.Push(-1.0);
            });
            Assert.NotSame(mine, other);
            Assert.Equal(7, mine.PopInt());
            Assert.Equal(42.0, mine.PopDouble()); // and its push did not land here
        }
        finally
        {
            while (mine.DoubleCount > 0) mine.PopDouble();
            while (mine.IntCount > 0) mine.PopInt();
        }
    }

    [Fact]
    public void Steady_state_push_and_pop_allocate_nothing()
    {
        var scratch = GradientScratch.Current;
        for (int k = 0; k < 4096; k++) scratch.Push(k); // grow once, as a first call would
        for (int k = 0; k < 4096; k++) scratch.PopInt();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 4096; k++) { scratch.Push(k); scratch.Push(k * 1.0); }
        for (int k = 0; k < 4096; k++) { scratch.PopDouble(); scratch.PopInt(); }
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Random_sequences_match_a_reference_stack()
    {
        Gen.Int[0, 2].Array[0, 400].Sample(ops =>
        {
            var reference = new Stack<double>();
            var scratch = GradientScratch.Current;
            int baseline = scratch.DoubleCount;
            foreach (int op in ops)
            {
                if (op > 0) { double v = reference.Count * 1.5 - 7; reference.Push(v); scratch.Push(v); }
                else if (reference.Count > 0) Assert.Equal(reference.Pop(), scratch.PopDouble());
                Assert.Equal(baseline + reference.Count, scratch.DoubleCount);
            }
            while (reference.Count > 0) Assert.Equal(reference.Pop(), scratch.PopDouble());
        }, iter: 200);
    }

    private static GradientScratch OnFreshThread(Action<GradientScratch> body)
    {
        GradientScratch? seen = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                seen = GradientScratch.Current;
                body(seen);
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) throw new Xunit.Sdk.XunitException("On the other thread: " + failure);
        return seen!;
    }
}
