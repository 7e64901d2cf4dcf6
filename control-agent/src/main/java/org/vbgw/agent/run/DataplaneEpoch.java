package org.vbgw.agent.run;

import org.vbgw.dataplane.counters.CountersFile;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;

/**
 * The data plane's epoch as its counters file states it (its start time): every counter counts from zero since
 * then. Readers print it beside the counters, and an agent in another process watches it, so a counter reset by a
 * data plane restart is always reported, never mistaken for traffic that stopped or a counter gone backwards.
 * <p>
 * {@link #check()} is for one thread (the watcher's or a command's).
 */
public final class DataplaneEpoch
{
    private static final DateTimeFormatter TIME =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final Path countersFile;
    /** The start time last seen (-1 while there was no file); {@link #NEVER} before the first check. */
    private long seenMs = NEVER;
    private static final long NEVER = Long.MIN_VALUE;

    public DataplaneEpoch(final Path countersFile)
    {
        this.countersFile = countersFile;
    }

    /** A start time as people read it; "an unknown time" for 0 (a file from before start times were kept). */
    public static String format(final long startTimeMs)
    {
        return startTimeMs > 0 ? TIME.format(Instant.ofEpochMilli(startTimeMs)) : "an unknown time";
    }

    /** "counters since ..." for the header of a counters listing. */
    public static String since(final long startTimeMs)
    {
        return "counters since " + format(startTimeMs) + " (the data plane's start; a restart resets them)";
    }

    /** The start time in the file now: epoch ms, 0 unknown, -1 no file. */
    public long current()
    {
        return CountersFile.startTimeMs(countersFile);
    }

    /**
     * Reads the start time again and says what changed since the last check: null when nothing did, else a line
     * for the log (the first sighting of a data plane, its restart, or that its counters file is gone).
     */
    public String check()
    {
        final long now = current();
        final long before = seenMs;
        if (now == before)
        {
            return null;
        }
        seenMs = now;
        if (now < 0)
        {
            return "no data plane counters at " + countersFile + " (the data plane is not running)";
        }
        if (before < 0)
        {
            return "data plane running, " + since(now);
        }
        return "the data plane restarted at " + format(now) + " (it was running since " + format(before) +
            "): its counters start again from zero, and it forwards with the table it replays from the journal";
    }

    /**
     * Checks every {@code periodMs} on a daemon thread of its own and hands each change to {@code log}, until the
     * process ends (or the thread is interrupted).
     */
    public Thread watch(final long periodMs, final Consumer<String> log)
    {
        final Thread t = new Thread(() ->
        {
            while (!Thread.currentThread().isInterrupted())
            {
                final String change = check();
                if (change != null)
                {
                    log.accept(change);
                }
                try
                {
                    Thread.sleep(periodMs);
                }
                catch (final InterruptedException ex)
                {
                    return;
                }
            }
        }, "vbgw-dataplane-epoch");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
