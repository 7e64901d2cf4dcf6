package org.vbgw.io.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a receiver saw of one flow's sequence numbers: how many arrived, which are missing (as runs, each with
 * the send times of the packets on either side), which arrived late (reordered) and which twice.
 * <p>
 * Every sequence number up to the highest seen is either received or inside one recorded missing run, so a
 * packet below the highest is classified exactly: inside a run it is late (the run is split around it), else
 * it is a duplicate. No bitmap, and nothing allocated per packet: runs are stored in a growable array only
 * when a gap opens.
 * <p>
 * <b>Outage of a run.</b> Packets a (sent at ta) and b (sent at tb) arrived with the {@code lost = b - a - 1}
 * between them missing. Their spacing is {@code d = (tb - ta) / (b - a)}, so the missing ones would have been
 * sent at ta + d … ta + lost·d: the path was out for {@code lost · d = (tb - ta) · lost / (lost + 1)}, which is
 * 0 when nothing is lost and accurate to one packet spacing. A run at the start (nothing before it arrived) or
 * the end (nothing after) has only one side; its outage is {@code lost} times the nominal spacing the caller
 * gives ({@link #outageNs}), and it is reported as open.
 * <p>
 * One thread (the receiver's); not thread-safe.
 */
public final class FlowSequence
{
    /** A send time that is not known: the side of a run at the start or end of the flow. */
    public static final long NO_TIME = Long.MIN_VALUE;

    /** What {@link #onPacket} made of a packet. */
    public static final int IN_ORDER = 0;
    public static final int LATE = 1;
    public static final int DUPLICATE = 2;

    private static final int FIELDS = 4;
    private static final int FROM = 0;
    private static final int TO = 1;
    private static final int BEFORE_NS = 2;
    private static final int AFTER_NS = 3;

    private long highest = -1;
    private long highestSendNs = NO_TIME;
    private long received;
    private long late;
    private long duplicates;
    /** Runs of missing sequence numbers in ascending order: from, to (inclusive), send time before, after. */
    private long[] runs = new long[16 * FIELDS];
    private int runCount;

    /** Records one received packet; returns {@link #IN_ORDER}, {@link #LATE} or {@link #DUPLICATE}. */
    public int onPacket(final long sequence, final long sendNs)
    {
        if (sequence < 0)
        {
            throw new IllegalArgumentException("negative sequence number " + sequence);
        }
        if (sequence > highest)
        {
            if (sequence > highest + 1)
            {
                addRun(runCount, highest + 1, sequence - 1, highest < 0 ? NO_TIME : highestSendNs, sendNs);
            }
            highest = sequence;
            highestSendNs = sendNs;
            received++;
            return IN_ORDER;
        }
        // Runs are few and a late packet belongs to a recent one: search from the newest.
        for (int r = runCount - 1; r >= 0; r--)
        {
            final int i = r * FIELDS;
            if (sequence > runs[i + TO])
            {
                break;
            }
            if (sequence >= runs[i + FROM])
            {
                fillIn(r, sequence, sendNs);
                received++;
                late++;
                return LATE;
            }
        }
        duplicates++;
        return DUPLICATE;
    }

    private void fillIn(final int r, final long sequence, final long sendNs)
    {
        final int i = r * FIELDS;
        final long from = runs[i + FROM];
        final long to = runs[i + TO];
        final long before = runs[i + BEFORE_NS];
        final long after = runs[i + AFTER_NS];
        removeRun(r);
        int at = r;
        if (from <= sequence - 1)
        {
            addRun(at++, from, sequence - 1, before, sendNs);
        }
        if (sequence + 1 <= to)
        {
            addRun(at, sequence + 1, to, sendNs, after);
        }
    }

    private void addRun(final int index, final long from, final long to, final long beforeNs, final long afterNs)
    {
        if ((runCount + 1) * FIELDS > runs.length)
        {
            runs = Arrays.copyOf(runs, runs.length * 2);
        }
        final int i = index * FIELDS;
        System.arraycopy(runs, i, runs, i + FIELDS, (runCount - index) * FIELDS);
        runs[i + FROM] = from;
        runs[i + TO] = to;
        runs[i + BEFORE_NS] = beforeNs;
        runs[i + AFTER_NS] = afterNs;
        runCount++;
    }

    private void removeRun(final int index)
    {
        final int i = index * FIELDS;
        System.arraycopy(runs, i + FIELDS, runs, i, (runCount - index - 1) * FIELDS);
        runCount--;
    }

    /**
     * Closes the flow: the sender sent {@code sent} packets (sequence numbers 0 … sent - 1), so those above the
     * highest received are a missing run at the end. Call once, after the last packet.
     */
    public void finish(final long sent)
    {
        if (sent < highest + 1)
        {
            throw new IllegalArgumentException("sent " + sent + " but sequence number " + highest + " arrived");
        }
        if (sent > highest + 1)
        {
            addRun(runCount, highest + 1, sent - 1, highest < 0 ? NO_TIME : highestSendNs, NO_TIME);
        }
    }

    public long received()
    {
        return received;
    }

    /** Packets that arrived after a higher sequence number (they had been counted missing until then). */
    public long late()
    {
        return late;
    }

    public long duplicates()
    {
        return duplicates;
    }

    public long highest()
    {
        return highest;
    }

    /** Missing sequence numbers now (those sent after the highest received count only after {@link #finish}). */
    public long lost()
    {
        long lost = 0;
        for (int r = 0; r < runCount; r++)
        {
            lost += runs[r * FIELDS + TO] - runs[r * FIELDS + FROM] + 1;
        }
        return lost;
    }

    public int runCount()
    {
        return runCount;
    }

    public long runFrom(final int run)
    {
        return runs[run * FIELDS + FROM];
    }

    public long runTo(final int run)
    {
        return runs[run * FIELDS + TO];
    }

    /** Send time of the packet before the run, or {@link #NO_TIME} at the start of the flow. */
    public long runBeforeNs(final int run)
    {
        return runs[run * FIELDS + BEFORE_NS];
    }

    /** Send time of the packet after the run, or {@link #NO_TIME} at the end of the flow. */
    public long runAfterNs(final int run)
    {
        return runs[run * FIELDS + AFTER_NS];
    }

    /**
     * How long the flow's path was out during a run (see the class comment).
     *
     * @param nominalSpacingNs the sender's spacing of this flow's packets, used for open runs only.
     */
    public long outageNs(final int run, final long nominalSpacingNs)
    {
        final int i = run * FIELDS;
        final long lost = runs[i + TO] - runs[i + FROM] + 1;
        final long before = runs[i + BEFORE_NS];
        final long after = runs[i + AFTER_NS];
        if (before == NO_TIME || after == NO_TIME)
        {
            return lost * nominalSpacingNs;
        }
        return Math.round((after - before) * (double)lost / (lost + 1));
    }

    /** The runs as records (control plane: allocates). */
    public List<TrafficReport.Gap> gaps(final long nominalSpacingNs)
    {
        final List<TrafficReport.Gap> out = new ArrayList<>(runCount);
        for (int r = 0; r < runCount; r++)
        {
            out.add(new TrafficReport.Gap(runFrom(r), runTo(r), runTo(r) - runFrom(r) + 1, runBeforeNs(r),
                runAfterNs(r), outageNs(r, nominalSpacingNs), runBeforeNs(r) == NO_TIME || runAfterNs(r) == NO_TIME));
        }
        return out;
    }
}
