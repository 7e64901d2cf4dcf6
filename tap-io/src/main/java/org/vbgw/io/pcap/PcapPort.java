package org.vbgw.io.pcap;

import java.nio.file.Path;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.vbgw.io.FrameHandler;
import org.vbgw.io.LinkState;
import org.vbgw.io.Port;
import org.vbgw.io.PortStatistics;

/**
 * A {@link Port} over capture files: receive replays a pcap or pcapng file (as fast as the caller
 * receives; each frame's capture time is {@link #lastTimestampNs()}), send appends to a classic pcap file
 * that tshark opens. Either side may be absent: a replay-only port drops what is sent to it (counted), a
 * capture-only port receives nothing. One thread.
 */
public final class PcapPort implements Port
{
    private final String name;
    private final PcapReader reader;
    private final PcapWriter writer;
    private final EpochNanoClock clock = new SystemEpochNanoClock();
    private final PortStatistics statistics = new PortStatistics();
    private final int mtu;
    private final long mac;
    private final Relay relay = new Relay();
    private boolean exhausted;
    private boolean closed;

    /** Passes frames on and notes their length, without a capturing lambda per call. */
    private static final class Relay implements FrameHandler
    {
        FrameHandler handler;
        int length;

        @Override
        public void onFrame(final MutableDirectBuffer buffer, final int offset, final int frameLength)
        {
            length = frameLength;
            handler.onFrame(buffer, offset, frameLength);
            // The reader reuses its buffer for the next frame: every frame is a batch of its own.
            handler.onBatchEnd();
        }
    }

    private PcapPort(final String name, final PcapReader reader, final PcapWriter writer, final int mtu, final long mac)
    {
        this.name = name;
        this.reader = reader;
        this.writer = writer;
        this.mtu = mtu;
        this.mac = mac;
        exhausted = reader == null;
    }

    /**
     * Opens a port.
     *
     * @param name the port name.
     * @param replay capture to receive from, or null.
     * @param capture pcap file to write what is sent, or null.
     * @param mtu the MTU the port reports (frames are not checked against it).
     * @param mac the MAC address the port reports.
     */
    public static PcapPort open(final String name, final Path replay, final Path capture, final int mtu, final long mac)
    {
        final PcapReader reader = replay == null ? null : new PcapReader(replay);
        try
        {
            final PcapWriter writer = capture == null ? null : new PcapWriter(capture, 262_144);
            return new PcapPort(name, reader, writer, mtu, mac);
        }
        catch (final RuntimeException ex)
        {
            if (reader != null)
            {
                reader.close();
            }
            throw ex;
        }
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public int receive(final FrameHandler handler, final int limit)
    {
        if (exhausted)
        {
            return 0;
        }
        int frames = 0;
        long bytes = 0;
        final long truncatedBefore = reader.truncatedFrames();
        relay.handler = handler;
        while (frames < limit)
        {
            if (!reader.next(relay))
            {
                exhausted = true;
                break;
            }
            frames++;
            bytes += relay.length;
        }
        relay.handler = null;
        if (frames > 0)
        {
            statistics.addRx(frames, bytes);
        }
        final long truncated = reader.truncatedFrames() - truncatedBefore;
        if (truncated > 0)
        {
            statistics.addRxDrops(truncated);
        }
        return frames;
    }

    /** True once every frame of the replay file has been received (or there is none). */
    public boolean exhausted()
    {
        return exhausted;
    }

    /** Capture time of the frame last received, nanoseconds since the epoch. */
    public long lastTimestampNs()
    {
        return reader == null ? 0 : reader.timestampNs();
    }

    @Override
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        if (writer == null || closed)
        {
            statistics.addTxDrops(1);
            return false;
        }
        writer.write(buffer, offset, length, clock.nanoTime());
        statistics.addTx(1, length);
        return true;
    }

    @Override
    public int flush()
    {
        if (writer != null && !closed)
        {
            writer.flush();
        }
        return 0;
    }

    @Override
    public PortStatistics statistics()
    {
        return statistics;
    }

    @Override
    public LinkState linkState()
    {
        return closed ? LinkState.UNKNOWN : LinkState.UP;
    }

    @Override
    public int mtu()
    {
        return mtu;
    }

    @Override
    public long macAddress()
    {
        return mac;
    }

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
            if (writer != null)
            {
                writer.close();
            }
        }
        finally
        {
            if (reader != null)
            {
                reader.close();
            }
        }
    }
}
