package org.vbgw.dataplane.counters;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import java.io.File;
import java.nio.MappedByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The data plane's counters in a memory-mapped file, so another process ({@code vbgw show counters},
 * the metrics endpoint) reads them live while the workers increment them.
 * <pre>
 *   0         4         8                16               24               32               40
 *  +---------+---------+----------------+----------------+----------------+----------------+-- ... --+-- ... --+
 *  | magic   | version | metadata bytes | values bytes   | writer pid     | start time ms  | metadata | values  |
 *  +---------+---------+----------------+----------------+----------------+----------------+-- ... --+-- ... --+
 *   header padded to 128 bytes; metadata and values are Agrona's CountersManager layout.
 * </pre>
 * The start time (epoch milliseconds, 0 in files from before it was written) is when the data plane that writes
 * the file started: its counters count from zero since then, so a reader that sees it change knows the counters
 * were reset by a restart rather than having gone backwards.
 * The layout is Agrona's, the same one Aeron's CnC file uses, so its tools' habits carry over: a value is
 * an ordered 64-bit store by one writer thread, read with acquire semantics by anyone.
 */
public final class CountersFile implements AutoCloseable
{
    public static final int MAGIC = 0x76626777; // "vbgw"
    public static final int VERSION = 1;
    static final int HEADER_LENGTH = 128;
    private static final int METADATA_BYTES_OFFSET = 8;
    private static final int VALUES_BYTES_OFFSET = 16;
    private static final int PID_OFFSET = 24;
    private static final int START_TIME_OFFSET = 32;

    private final MappedByteBuffer mapped;
    private final UnsafeBuffer metaData;
    private final UnsafeBuffer values;
    private final CountersReader reader;
    private final CountersManager manager;

    private CountersFile(final MappedByteBuffer mapped, final boolean writable)
    {
        this.mapped = mapped;
        final String problem = checkHeader(mapped);
        if (problem != null)
        {
            // Unmap only after the last read: touching an unmapped buffer crashes the JVM.
            IoUtil.unmap(mapped);
            throw new IllegalStateException(problem);
        }
        final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        final long metaBytes = header.getLong(METADATA_BYTES_OFFSET);
        final long valueBytes = header.getLong(VALUES_BYTES_OFFSET);
        this.metaData = new UnsafeBuffer(mapped, HEADER_LENGTH, (int)metaBytes);
        this.values = new UnsafeBuffer(mapped, HEADER_LENGTH + (int)metaBytes, (int)valueBytes);
        this.manager = writable ? new CountersManager(metaData, values) : null;
        this.reader = writable ? manager : new CountersReader(metaData, values);
    }

    private static String checkHeader(final MappedByteBuffer mapped)
    {
        if (mapped.capacity() < HEADER_LENGTH)
        {
            return "not a vbgw counters file (" + mapped.capacity() + " bytes)";
        }
        final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        final int magic = header.getIntVolatile(0);
        if (magic != MAGIC || header.getInt(4) != VERSION)
        {
            return "not a vbgw counters file (magic " + Integer.toHexString(magic) + ", version " + header.getInt(4) + ")";
        }
        final long metaBytes = header.getLong(METADATA_BYTES_OFFSET);
        final long valueBytes = header.getLong(VALUES_BYTES_OFFSET);
        if (metaBytes < 0 || valueBytes < 0 || HEADER_LENGTH + metaBytes + valueBytes > mapped.capacity())
        {
            return "vbgw counters file truncated: header promises " + (HEADER_LENGTH + metaBytes + valueBytes) +
                " bytes, file has " + mapped.capacity();
        }
        return null;
    }

    /** Creates (replacing any old one) a counters file with room for {@code maxCounters}. */
    public static CountersFile create(final Path file, final int maxCounters)
    {
        final long valueBytes = (long)maxCounters * CountersReader.COUNTER_LENGTH;
        final long metaBytes = (long)maxCounters * CountersReader.METADATA_LENGTH;
        try
        {
            Files.deleteIfExists(file);
            if (file.getParent() != null)
            {
                Files.createDirectories(file.getParent());
            }
        }
        catch (final java.io.IOException ex)
        {
            throw new IllegalStateException("cannot create counters file " + file + ": " + ex.getMessage(), ex);
        }
        final MappedByteBuffer mapped = IoUtil.mapNewFile(file.toFile(), HEADER_LENGTH + metaBytes + valueBytes);
        final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        header.putLong(METADATA_BYTES_OFFSET, metaBytes);
        header.putLong(VALUES_BYTES_OFFSET, valueBytes);
        header.putLong(PID_OFFSET, ProcessHandle.current().pid());
        header.putLong(START_TIME_OFFSET, System.currentTimeMillis());
        header.putInt(4, VERSION);
        // Magic last, ordered: a reader that sees it sees a complete header.
        header.putIntOrdered(0, MAGIC);
        return new CountersFile(mapped, true);
    }

    /** Maps an existing counters file for reading, as a second process does. */
    public static CountersFile openForReading(final Path file)
    {
        final File f = file.toFile();
        if (!f.exists())
        {
            throw new IllegalStateException("no counters file at " + file + ": is the data plane running?");
        }
        return new CountersFile(IoUtil.mapExistingFile(f, "vbgw counters"), false);
    }

    /** The manager that allocates counters; only in the process that created the file. */
    public CountersManager manager()
    {
        if (manager == null)
        {
            throw new IllegalStateException("counters file opened read-only");
        }
        return manager;
    }

    public CountersReader reader()
    {
        return reader;
    }

    /** Process id of the data plane that created the file. */
    public long writerPid()
    {
        return new UnsafeBuffer(mapped, 0, HEADER_LENGTH).getLong(PID_OFFSET);
    }

    /** When the data plane that created the file started (epoch milliseconds), 0 when the file does not say. */
    public long startTimeMs()
    {
        return new UnsafeBuffer(mapped, 0, HEADER_LENGTH).getLong(START_TIME_OFFSET);
    }

    /**
     * The start time in the header of the counters file at {@code file} now, read without mapping it (a reader
     * that holds an older mapping checks this to notice the data plane restarted and made a new file).
     *
     * @return epoch milliseconds; 0 when the file does not say; -1 when there is no counters file there.
     */
    public static long startTimeMs(final Path file)
    {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file))
        {
            final java.nio.ByteBuffer header = java.nio.ByteBuffer.allocate(START_TIME_OFFSET + 8)
                .order(java.nio.ByteOrder.nativeOrder());
            while (header.hasRemaining() && channel.read(header) > 0)
            {
                // read the whole header prefix
            }
            if (header.hasRemaining() || header.getInt(0) != MAGIC)
            {
                return -1;
            }
            return header.getLong(START_TIME_OFFSET);
        }
        catch (final java.io.IOException ex)
        {
            return -1;
        }
    }

    @Override
    public void close()
    {
        IoUtil.unmap(mapped);
    }
}
