package org.vbgw.io.pcap;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.io.PortException;

/**
 * Writes a classic pcap file (libpcap format, link type 1 = Ethernet, microsecond timestamps, this host's
 * byte order) that tcpdump, tshark and Wireshark open.
 * <p>
 * Records are gathered in an off-heap buffer and written when it fills or on {@link #flush()}; no
 * allocation per frame. One thread.
 */
public final class PcapWriter implements AutoCloseable
{
    static final int MAGIC_MICROSECONDS = 0xA1B2C3D4;
    static final int LINKTYPE_ETHERNET = 1;
    private static final int FILE_HEADER_LENGTH = 24;
    private static final int RECORD_HEADER_LENGTH = 16;
    private static final int BUFFER_LENGTH = 1 << 20;

    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer byteBuffer = ByteBuffer.allocateDirect(BUFFER_LENGTH).order(ByteOrder.nativeOrder());
    private final UnsafeBuffer buffer = new UnsafeBuffer(byteBuffer);
    private final int snapLength;
    private int position;
    private boolean closed;

    /**
     * Creates (or truncates) {@code path} and writes the file header.
     *
     * @param snapLength the largest number of bytes kept per frame; longer frames are cut (and their
     *     original length recorded, as pcap does).
     */
    public PcapWriter(final Path path, final int snapLength)
    {
        this.path = path;
        this.snapLength = Math.min(snapLength, BUFFER_LENGTH - RECORD_HEADER_LENGTH);
        try
        {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        }
        catch (final IOException ex)
        {
            throw new PortException(path.toString(), "cannot create pcap file: " + ex, ex);
        }
        buffer.putInt(0, MAGIC_MICROSECONDS);
        buffer.putShort(4, (short)2);
        buffer.putShort(6, (short)4);
        buffer.putInt(8, 0);
        buffer.putInt(12, 0);
        buffer.putInt(16, this.snapLength);
        buffer.putInt(20, LINKTYPE_ETHERNET);
        position = FILE_HEADER_LENGTH;
    }

    /** Appends one frame with the given capture time (nanoseconds since the epoch). */
    public void write(final DirectBuffer frame, final int offset, final int length, final long epochNs)
    {
        final int captured = Math.min(length, snapLength);
        if (position + RECORD_HEADER_LENGTH + captured > BUFFER_LENGTH)
        {
            flush();
        }
        buffer.putInt(position, (int)(epochNs / 1_000_000_000L));
        buffer.putInt(position + 4, (int)((epochNs % 1_000_000_000L) / 1000));
        buffer.putInt(position + 8, captured);
        buffer.putInt(position + 12, length);
        buffer.putBytes(position + RECORD_HEADER_LENGTH, frame, offset, captured);
        position += RECORD_HEADER_LENGTH + captured;
    }

    /** Writes the gathered records to the file. */
    public void flush()
    {
        if (position == 0)
        {
            return;
        }
        byteBuffer.clear().limit(position);
        try
        {
            while (byteBuffer.hasRemaining())
            {
                channel.write(byteBuffer);
            }
        }
        catch (final IOException ex)
        {
            throw new PortException(path.toString(), "cannot write pcap file: " + ex, ex);
        }
        position = 0;
    }

    /** Flushes and closes the file; harmless when called again. */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            flush();
        }
        finally
        {
            try
            {
                channel.close();
            }
            catch (final IOException ex)
            {
                throw new PortException(path.toString(), "cannot close pcap file: " + ex, ex);
            }
        }
    }
}
