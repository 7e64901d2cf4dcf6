package org.vbgw.dataplane.liveness;

/**
 * The counting of one health probe: which echo is outstanding, how many were lost or answered in a row,
 * and whether the VIF is down for it. A probe counts as lost when no reply came within half an interval, so
 * a failure is declared interval × count after the first lost probe, give or take half an interval: within
 * one interval of interval × count, as the cloud's model promises, and under 400 ms for 100 ms × 3.
 * <p>
 * No I/O (the {@link HealthProbeAgent} sends and receives). Control thread only.
 */
public final class HealthProbe
{
    /** What {@link #tick} asks the caller to do, as bits. */
    public static final int SEND = 1;
    public static final int WENT_DOWN = 2;

    private final HealthProbeConfig config;
    private final int identifier;
    private final long timeoutNs;
    private long nextSendNs;
    private int sequence;
    private boolean outstanding;
    private long sentAtNs;
    private int lostInARow;
    private int answeredInARow;
    private boolean down;
    private long sent;
    private long answered;
    private long lost;
    private long lastRttNs = -1;
    private long lastChangeNs;

    public HealthProbe(final HealthProbeConfig config, final int identifier, final long nowNs)
    {
        this.config = config;
        this.identifier = identifier & 0xFFFF;
        this.timeoutNs = config.intervalNs() / 2;
        this.nextSendNs = nowNs;
        this.lastChangeNs = nowNs;
    }

    /**
     * Counts an unanswered probe as lost once its time is up, and says when the next one is due.
     *
     * @return {@link #SEND} and/or {@link #WENT_DOWN}.
     */
    public int tick(final long nowNs)
    {
        int actions = 0;
        if (outstanding && nowNs - sentAtNs >= timeoutNs)
        {
            outstanding = false;
            lost++;
            lostInARow++;
            answeredInARow = 0;
            if (!down && lostInARow >= config.count())
            {
                down = true;
                lastChangeNs = nowNs;
                actions |= WENT_DOWN;
            }
        }
        if (nowNs - nextSendNs >= 0)
        {
            // Keep the cadence; after a stall (a long GC, a suspended VM) start again from now.
            nextSendNs = nowNs - nextSendNs > config.intervalNs() ? nowNs + config.intervalNs()
                : nextSendNs + config.intervalNs();
            actions |= SEND;
        }
        return actions;
    }

    /** Records that probe {@link #sequence()} left now (or could not leave: it then counts as lost in time). */
    public void sent(final long nowNs)
    {
        sequence = (sequence + 1) & 0xFFFF;
        outstanding = true;
        sentAtNs = nowNs;
        sent++;
    }

    /**
     * An echo reply with this probe's identifier.
     *
     * @return true when it brought the VIF back (its hold-down starts).
     */
    public boolean onReply(final int replySequence, final long nowNs)
    {
        if (!outstanding || replySequence != sequence)
        {
            return false;
        }
        outstanding = false;
        answered++;
        lastRttNs = nowNs - sentAtNs;
        lostInARow = 0;
        answeredInARow++;
        if (down && answeredInARow >= config.recoverCount())
        {
            down = false;
            lastChangeNs = nowNs;
            return true;
        }
        return false;
    }

    /** The earliest time this probe needs attention. */
    public long nextDeadlineNs()
    {
        return outstanding ? Math.min(nextSendNs, sentAtNs + timeoutNs) : nextSendNs;
    }

    public HealthProbeConfig config()
    {
        return config;
    }

    public int identifier()
    {
        return identifier;
    }

    /** The sequence number of the latest probe sent. */
    public int sequence()
    {
        return sequence;
    }

    public boolean down()
    {
        return down;
    }

    public long sentCount()
    {
        return sent;
    }

    public long answeredCount()
    {
        return answered;
    }

    public long lostCount()
    {
        return lost;
    }

    public int lostInARow()
    {
        return lostInARow;
    }

    public long lastRttNs()
    {
        return lastRttNs;
    }

    public long lastChangeNs()
    {
        return lastChangeNs;
    }
}
