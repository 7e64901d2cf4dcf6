package org.vbgw.agent.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;
import java.util.function.LongSupplier;
import java.util.zip.CRC32C;

/**
 * The FIB journal: every change the agent makes to the forwarding table, in order, in a Chronicle Queue.
 * <p>
 * The data plane tails it ({@link FibJournalReader}) and applies each entry; after a restart it replays it
 * and forwards with the same table. One writer (the agent's RIB thread); the appender is not thread-safe.
 * Each append returns the entry's queue index, which is what snapshots and readers' positions refer to.
 */
public final class FibJournal implements FibWriter, AutoCloseable
{
    private final Path directory;
    private final ChronicleQueue queue;
    private final ExcerptAppender appender;
    private final CRC32C crc = new CRC32C();
    private final LongSupplier clockNs;

    private FibJournal(final Path directory, final LongSupplier clockNs)
    {
        this.directory = directory;
        this.clockNs = clockNs;
        this.queue = openQueue(directory);
        this.appender = queue.createAppender();
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
            final Bytes<?> out = dc.wire().bytes();
            final long start = out.writePosition();
            FibChange.header(out, FibChange.NEXT_HOP, clockNs.getAsLong());
            out.writeInt(nextHopId);
            out.writeInt(vifId);
            FibChange.address(out, ipv6, hi, lo);
            FibChange.seal(out, start, crc);
        }
        return appender.lastIndexAppended();
    }

    @Override
    public long nextHopRemoved(final int nextHopId)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> out = dc.wire().bytes();
            final long start = out.writePosition();
            FibChange.header(out, FibChange.NEXT_HOP_REMOVED, clockNs.getAsLong());
            out.writeInt(nextHopId);
            FibChange.seal(out, start, crc);
        }
        return appender.lastIndexAppended();
    }

    @Override
    public long nextHopState(final int nextHopId, final boolean alive, final int cause)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> out = dc.wire().bytes();
            final long start = out.writePosition();
            FibChange.header(out, FibChange.NEXT_HOP_STATE, clockNs.getAsLong());
            out.writeInt(nextHopId);
            out.writeBoolean(alive);
            out.writeByte((byte)cause);
            FibChange.seal(out, start, crc);
        }
        return appender.lastIndexAppended();
    }

    @Override
    public long group(final int groupId, final int[] nextHopIds, final int[] weights, final int memberCount,
        final int backupGroupId)
    {
        if (memberCount < 0 || memberCount > FibChange.MAX_GROUP_MEMBERS)
        {
            throw new IllegalArgumentException("group " + groupId + ": " + memberCount + " members (max " +
                FibChange.MAX_GROUP_MEMBERS + ")");
        }
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> out = dc.wire().bytes();
            final long start = out.writePosition();
            FibChange.header(out, FibChange.GROUP, clockNs.getAsLong());
            out.writeInt(groupId);
            out.writeInt(backupGroupId);
            out.writeInt(memberCount);
            for (int i = 0; i < memberCount; i++)
            {
                out.writeInt(nextHopIds[i]);
                out.writeInt(weights[i]);
            }
            FibChange.seal(out, start, crc);
        }
        return appender.lastIndexAppended();
    }

    @Override
    public long groupRemoved(final int groupId)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> out = dc.wire().bytes();
            final long start = out.writePosition();
            FibChange.header(out, FibChange.GROUP_REMOVED, clockNs.getAsLong());
            out.writeInt(groupId);
            FibChange.seal(out, start, crc);
        }
        return appender.lastIndexAppended();
    }

    @Override
    public long route(final boolean ipv6, final long hi, final long lo, final int length, final int groupId)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> out = dc.wire().bytes();
            final long start = out.writePosition();
            FibChange.header(out, FibChange.ROUTE, clockNs.getAsLong());
            FibChange.address(out, ipv6, hi, lo);
            out.writeByte((byte)length);
            out.writeInt(groupId);
            FibChange.seal(out, start, crc);
        }
        return appender.lastIndexAppended();
    }

    @Override
    public long routeRemoved(final boolean ipv6, final long hi, final long lo, final int length)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> out = dc.wire().bytes();
            final long start = out.writePosition();
            FibChange.header(out, FibChange.ROUTE_REMOVED, clockNs.getAsLong());
            FibChange.address(out, ipv6, hi, lo);
            out.writeByte((byte)length);
            FibChange.seal(out, start, crc);
        }
        return appender.lastIndexAppended();
    }

    @Override
    public long neighbour(final int vifId, final boolean ipv6, final long hi, final long lo, final long mac)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> out = dc.wire().bytes();
            final long start = out.writePosition();
            FibChange.header(out, FibChange.NEIGHBOUR, clockNs.getAsLong());
            out.writeInt(vifId);
            FibChange.address(out, ipv6, hi, lo);
            out.writeLong(mac);
            FibChange.seal(out, start, crc);
        }
        return appender.lastIndexAppended();
    }

    @Override
    public long neighbourRemoved(final int vifId, final boolean ipv6, final long hi, final long lo)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> out = dc.wire().bytes();
            final long start = out.writePosition();
            FibChange.header(out, FibChange.NEIGHBOUR_REMOVED, clockNs.getAsLong());
            out.writeInt(vifId);
            FibChange.address(out, ipv6, hi, lo);
            FibChange.seal(out, start, crc);
        }
        return appender.lastIndexAppended();
    }

    @Override
    public long vifAdminState(final int vifId, final boolean up)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> out = dc.wire().bytes();
            final long start = out.writePosition();
            FibChange.header(out, FibChange.VIF_ADMIN, clockNs.getAsLong());
            out.writeInt(vifId);
            out.writeBoolean(up);
            FibChange.seal(out, start, crc);
        }
        return appender.lastIndexAppended();
    }

    /** Marks the start of entries that readers must apply as one change (e.g. delete + add of a path change). */
    @Override
    public long transactionBegin()
    {
        return marker(FibChange.TXN_BEGIN);
    }

    @Override
    public long transactionEnd()
    {
        return marker(FibChange.TXN_END);
    }

    private long marker(final int type)
    {
        try (DocumentContext dc = appender.writingDocument())
        {
            final Bytes<?> out = dc.wire().bytes();
            final long start = out.writePosition();
            FibChange.header(out, type, clockNs.getAsLong());
            FibChange.seal(out, start, crc);
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
