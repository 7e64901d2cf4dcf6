package org.vbgw.perf.fib;

import java.util.Arrays;

/**
 * Flattens possibly nested prefixes into disjoint address ranges, each carrying the value of the
 * longest prefix covering it: the standard preparation for LPM by binary search over range starts
 * (a {@code TreeMap} floor search). Works on 128-bit addresses as two unsigned longs; IPv4 passes its
 * addresses in the low half. Ranges not covered by any prefix are not emitted. Setup-time only.
 */
final class RangeFlattener
{
    /** Receives the disjoint ranges in address order. */
    @FunctionalInterface
    interface RangeConsumer
    {
        void accept(long startHi, long startLo, long endHi, long endLo, int value);
    }

    private RangeFlattener()
    {
    }

    /**
     * Prefix {@code i} covers [start, end] (inclusive) with value {@code values[i]}; the ranges of two
     * prefixes are nested or disjoint. Of two identical prefixes the later one wins.
     */
    static void flatten(
        final long[] startHi, final long[] startLo, final long[] endHi, final long[] endLo,
        final int[] values, final int count, final RangeConsumer consumer)
    {
        final Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }
        // By start, then widest first, so a prefix comes before everything nested in it. Stable.
        Arrays.sort(order, (a, b) ->
        {
            final int c = compare(startHi[a], startLo[a], startHi[b], startLo[b]);
            return c != 0 ? c : compare(endHi[b], endLo[b], endHi[a], endLo[a]);
        });

        final int[] stack = new int[130];
        int depth = 0;
        long posHi = 0;
        long posLo = 0;
        boolean exhausted = false;
        for (final int i : order)
        {
            while (depth > 0 && compare(endHi[stack[depth - 1]], endLo[stack[depth - 1]], startHi[i], startLo[i]) < 0)
            {
                final int top = stack[--depth];
                if (!exhausted && compare(posHi, posLo, endHi[top], endLo[top]) <= 0)
                {
                    consumer.accept(posHi, posLo, endHi[top], endLo[top], values[top]);
                }
                posLo = endLo[top] + 1;
                posHi = endHi[top] + (posLo == 0 ? 1 : 0);
                exhausted = posHi == 0 && posLo == 0;
            }
            if (depth > 0)
            {
                final int top = stack[depth - 1];
                if (startHi[i] == startHi[top] && startLo[i] == startLo[top] && endHi[i] == endHi[top] && endLo[i] == endLo[top])
                {
                    stack[depth - 1] = i;
                    continue;
                }
                if (compare(posHi, posLo, startHi[i], startLo[i]) < 0)
                {
                    final long beforeLo = startLo[i] - 1;
                    final long beforeHi = startHi[i] - (startLo[i] == 0 ? 1 : 0);
                    consumer.accept(posHi, posLo, beforeHi, beforeLo, values[top]);
                }
            }
            posHi = startHi[i];
            posLo = startLo[i];
            exhausted = false;
            stack[depth++] = i;
        }
        while (depth > 0)
        {
            final int top = stack[--depth];
            if (!exhausted && compare(posHi, posLo, endHi[top], endLo[top]) <= 0)
            {
                consumer.accept(posHi, posLo, endHi[top], endLo[top], values[top]);
            }
            posLo = endLo[top] + 1;
            posHi = endHi[top] + (posLo == 0 ? 1 : 0);
            exhausted = posHi == 0 && posLo == 0;
        }
    }

    /** Unsigned 128-bit comparison. */
    static int compare(final long aHi, final long aLo, final long bHi, final long bLo)
    {
        final int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }
}
