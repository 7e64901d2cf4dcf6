package org.vbgw.agent.journal;

import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * The FIB journal: every change the agent makes to the forwarding table, in order, in a Chronicle Queue.
 * <p>
 * The data plane tails it ({@link FibJournalReader}) and applies each entry; after a restart it replays it
 * and forwards with the same table. One writer at a time (the agent's RIB, serialized by its owner); the
 * appender is not thread-safe.
 * Each append returns the entry's queue index, which is what snapshots and readers' positions refer to.
 */
public final class FibJournal implements FibWriter, AutoCloseable
{
    private final Path directory;
    private final ChronicleQueue queue;
    private final ExcerptAppender appender;
    private final FibChangeEncoder encoder;

    private FibJournal(final Path directory, final LongSupplier clockNs)
    {
        this.directory = directory;
        this.encoder = new FibChangeEncoder(clockNs);
        this.queue = openQueue(directory);
        this.appender = queue.createAppender();
        // One writer at a time, not always the same thread (start-up, then the API's): callers serialize, so
        // Chronicle's check that one thread owns the appender would refuse a correct hand-over.
        appender.singleThreadedCheckDisabled(true);
    }

    /** Opens (creating if needed) the journal in {@code directory}, stamping entries with wall-clock time. */
    public static FibJournal open(final Path directory)
    {
        return new FibJournal(directory, FibJournal::wallClockNs);
    }

    /** For tests: a journal whose timestamps come from {@code clockNs}. */
    public static FibJournal open(final Path directory, final LongSupplier clockNs)
    {
        return new FibJournal(directory, clockNs);
    }

    static ChronicleQueue openQueue(final Path directory)
    {
        // Daily cycles: a gateway changes its FIB far fewer than 2^32 times a day, and fewer cycle files
        // mean fewer places where a reader's position can land on a cycle boundary.
        return ChronicleQueue.singleBuilder(directory).rollCycle(RollCycles.FAST_DAILY).build();
    }

    static long wallClockNs()
    {
        final java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    public Path directory()
    {
        return directory;
    }

    /** A reader of this journal from its start; a named reader keeps its position across restarts. */
    public FibJournalReader reader(final String name)
    {
        return new FibJournalReader(name == null ? queue.createTailer() : queue.createTailer(name));
    }

    /** Index of the last entry written to the queue by anyone, or -1 when empty. */
    public long lastIndex()
    {
        final long last = queue.lastIndex();
        return last < 0 ? -1 : last;
    }

    @Override
    public long nextHop(final int nextHopId, final int vifId, final boolean ipv6, final long hi, final long lo)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            encoder.target(dc.wire().bytes()).nextHop(nextHopId, vifId, ipv6, hi, lo);
        }
        return appender.lastIndexAppended();
    }

    @Override
    public long nextHopRemoved(final int nextHopId)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            encoder.target(dc.wire().bytes()).nextHopRemoved(nextHopId);
        }
        return appender.lastIndexAppended();
    }

    @Override
    public long nextHopState(final int nextHopId, final boolean alive, final int cause)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            encoder.target(dc.wire().bytes()).nextHopState(nextHopId, alive, cause);
        }
        return appender.lastIndexAppended();
    }

    @Override
    public long group(final int groupId, final int[] nextHopIds, final int[] weights, final int memberCount,
        final int backupGroupId)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            encoder.target(dc.wire().bytes()).group(groupId, nextHopIds, weights, memberCount, backupGroupId);
        }
        return appender.lastIndexAppended();
    }

    @Override
    public long group(final int groupId, final int[] nextHopIds, final int[] weights, final int memberCount,
        final int backupGroupId, final int source, final int distance)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            encoder.target(dc.wire().bytes()).group(groupId, nextHopIds, weights, memberCount, backupGroupId, source,
                distance);
        }
        return appender.lastIndexAppended();
    }

    @Override
    public long groupRemoved(final int groupId)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            encoder.target(dc.wire().bytes()).groupRemoved(groupId);
        }
        return appender.lastIndexAppended();
    }

    @Override
    public long route(final boolean ipv6, final long hi, final long lo, final int length, final int groupId)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            encoder.target(dc.wire().bytes()).route(ipv6, hi, lo, length, groupId);
        }
        return appender.lastIndexAppended();
    }

    @Override
    public long routeRemoved(final boolean ipv6, final long hi, final long lo, final int length)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            encoder.target(dc.wire().bytes()).routeRemoved(ipv6, hi, lo, length);
        }
        return appender.lastIndexAppended();
    }

    @Override
    public long neighbour(final int vifId, final boolean ipv6, final long hi, final long lo, final long mac)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            encoder.target(dc.wire().bytes()).neighbour(vifId, ipv6, hi, lo, mac);
        }
        return appender.lastIndexAppended();
    }

    @Override
    public long neighbourRemoved(final int vifId, final boolean ipv6, final long hi, final long lo)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            encoder.target(dc.wire().bytes()).neighbourRemoved(vifId, ipv6, hi, lo);
        }
        return appender.lastIndexAppended();
    }

    @Override
    public long vifAdminState(final int vifId, final boolean up)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            encoder.target(dc.wire().bytes()).vifAdminState(vifId, up);
        }
        return appender.lastIndexAppended();
    }

    /** Marks the start of entries that readers must apply as one change (e.g. delete + add of a path change). */
    @Override
    public long transactionBegin()
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            encoder.target(dc.wire().bytes()).transactionBegin();
        }
        return appender.lastIndexAppended();
    }

    @Override
    public long transactionEnd()
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            encoder.target(dc.wire().bytes()).transactionEnd();
        }
        return appender.lastIndexAppended();
    }

    @Override
    public void close()
    {
        appender.close();
        queue.close();
    }
}
