package org.vbgw.io.pcap;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.agrona.BufferUtil;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.io.FrameHandler;
import org.vbgw.io.PortException;

/**
 * Reads the Ethernet frames of a capture file: classic pcap (either byte order, micro- or nanosecond
 * timestamps) or pcapng (sections of either byte order; enhanced, simple and obsolete packet blocks;
 * per-interface link type and timestamp resolution). Other link types are refused by name.
 * <p>
 * The file is read into off-heap memory once at open: frames are delivered as views into that copy,
 * writable in place during the callback without touching the file. Frames captured shorter than they were (snap length)
 * are skipped and counted, never delivered cut. One thread; no allocation per frame.
 */
public final class PcapReader implements AutoCloseable
{
    private static final int PCAPNG_SHB = 0x0A0D0D0A;
    private static final int PCAPNG_IDB = 1;
    private static final int PCAPNG_OPB = 2;
    private static final int PCAPNG_SPB = 3;
    private static final int PCAPNG_EPB = 6;
    private static final int PCAPNG_BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int IF_TSRESOL = 9;

    private final String name;
    private final ByteBuffer contents;
    private final UnsafeBuffer buffer;
    private final int length;
    private final boolean pcapng;
    private final IntArrayList linkTypes = new IntArrayList();
    private final IntArrayList nanosPerTick = new IntArrayList();
    private ByteOrder order;
    private long tickNs;
    private int position;
    private long timestampNs;
    private long truncated;
    private boolean closed;

    /** Reads {@code path} into memory and checks its header. */
    public PcapReader(final Path path)
    {
        name = path.toString();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size > Integer.MAX_VALUE - 8)
            {
                throw new PortException(name, "capture file larger than 2 GiB: " + size + " bytes", 0);
            }
            length = (int)size;
            // One copy of the whole file at open, so frames are writable in place (a private mapping
            // would need the file opened for writing).
            contents = ByteBuffer.allocateDirect(Math.max(length, 1));
            while (contents.hasRemaining() && channel.read(contents) >= 0)
            {
                // read until full
            }
        }
        catch (final IOException ex)
        {
            throw new PortException(name, "cannot open capture file: " + ex, ex);
        }
        buffer = new UnsafeBuffer(contents, 0, Math.max(length, 1));
        try
        {
            if (length < 24)
            {
                throw new PortException(name, "not a pcap or pcapng file (" + length + " bytes)", 0);
            }
            final int magic = buffer.getInt(0, ByteOrder.LITTLE_ENDIAN);
            if (magic == PCAPNG_SHB)
            {
                pcapng = true;
                position = 0;
            }
            else
            {
                pcapng = false;
                readPcapHeader(magic);
                position = 24;
            }
        }
        catch (final RuntimeException ex)
        {
            BufferUtil.free(contents);
            throw ex;
        }
    }

    /**
     * Delivers the next frame to {@code handler}.
     *
     * @return false at the end of the file.
     */
    public boolean next(final FrameHandler handler)
    {
        return pcapng ? nextPcapng(handler) : nextPcap(handler);
    }

    /** Capture time of the frame last delivered, nanoseconds since the epoch. */
    public long timestampNs()
    {
        return timestampNs;
    }

    /** Frames skipped because the file holds only part of them. */
    public long truncatedFrames()
    {
        return truncated;
    }

    /** Frees the file's copy; harmless when called again. */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            BufferUtil.free(contents);
        }
    }

    private void readPcapHeader(final int magicLittleEndian)
    {
        final int magic;
        if (magicLittleEndian == 0xA1B2C3D4 || magicLittleEndian == 0xA1B23C4D)
        {
            order = ByteOrder.LITTLE_ENDIAN;
            magic = magicLittleEndian;
        }
        else
        {
            order = ByteOrder.BIG_ENDIAN;
            magic = buffer.getInt(0, order);
        }
        if (magic == 0xA1B2C3D4)
        {
            tickNs = 1000;
        }
        else if (magic == 0xA1B23C4D)
        {
            tickNs = 1;
        }
        else
        {
            throw new PortException(name,
                String.format("not a pcap or pcapng file (magic 0x%08x)", magicLittleEndian), 0);
        }
        checkLinkType(buffer.getInt(20, order) & 0x03FF_FFFF);
    }

    private boolean nextPcap(final FrameHandler handler)
    {
        while (position + 16 <= length)
        {
            final long seconds = buffer.getInt(position, order) & 0xFFFF_FFFFL;
            final long fraction = buffer.getInt(position + 4, order) & 0xFFFF_FFFFL;
            final int captured = buffer.getInt(position + 8, order);
            final int original = buffer.getInt(position + 12, order);
            final int data = position + 16;
            if (captured < 0 || data + captured > length)
            {
                throw new PortException(name, "record at byte " + position + " runs past the end of the file", 0);
            }
            position = data + captured;
            if (captured < original)
            {
                truncated++;
                continue;
            }
            timestampNs = seconds * 1_000_000_000L + fraction * tickNs;
            handler.onFrame(buffer, data, captured);
            return true;
        }
        return false;
    }

    private boolean nextPcapng(final FrameHandler handler)
    {
        while (position + 12 <= length)
        {
            final int block = position;
            final int type = buffer.getInt(block, order == null ? ByteOrder.LITTLE_ENDIAN : order);
            if (type == PCAPNG_SHB)
            {
                final int byteOrderMagic = buffer.getInt(block + 8, ByteOrder.LITTLE_ENDIAN);
                order = byteOrderMagic == PCAPNG_BYTE_ORDER_MAGIC ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
                if (buffer.getInt(block + 8, order) != PCAPNG_BYTE_ORDER_MAGIC)
                {
                    throw new PortException(name,
                        "pcapng section header at byte " + block + " has a bad byte-order magic", 0);
                }
                linkTypes.clear();
                nanosPerTick.clear();
            }
            final int blockLength = buffer.getInt(block + 4, order);
            if (blockLength < 12 || (blockLength & 3) != 0 || block + blockLength > length)
            {
                throw new PortException(name, "pcapng block at byte " + block + " has a bad length " + blockLength, 0);
            }
            position = block + blockLength;
            if (type == PCAPNG_IDB)
            {
                checkLinkType(buffer.getShort(block + 8, order) & 0xFFFF);
                linkTypes.addInt(buffer.getShort(block + 8, order) & 0xFFFF);
                nanosPerTick.addInt(ticks(block + 16, block + blockLength - 4));
            }
            else if (type == PCAPNG_EPB || type == PCAPNG_OPB)
            {
                final int interfaceId = type == PCAPNG_EPB ? buffer.getInt(block + 8, order) :
                    buffer.getShort(block + 8, order) & 0xFFFF;
                if (interfaceId >= linkTypes.size())
                {
                    throw new PortException(name, "packet block at byte " + block + " names undeclared interface " +
                        interfaceId, 0);
                }
                final long ticks = ((buffer.getInt(block + 12, order) & 0xFFFF_FFFFL) << 32) |
                    (buffer.getInt(block + 16, order) & 0xFFFF_FFFFL);
                final int captured = buffer.getInt(block + 20, order);
                final int original = buffer.getInt(block + 24, order);
                if (captured < 0 || block + 28 + captured > position)
                {
                    throw new PortException(name, "packet block at byte " + block + " is shorter than its frame", 0);
                }
                if (captured < original)
                {
                    truncated++;
                    continue;
                }
                final int resolution = nanosPerTick.getInt(interfaceId);
                timestampNs = resolution > 0 ? ticks * resolution : ticks / -resolution;
                handler.onFrame(buffer, block + 28, captured);
                return true;
            }
            else if (type == PCAPNG_SPB)
            {
                final int original = buffer.getInt(block + 8, order);
                final int captured = Math.min(original, blockLength - 16);
                if (captured < original)
                {
                    truncated++;
                    continue;
                }
                handler.onFrame(buffer, block + 12, captured);
                return true;
            }
        }
        return false;
    }

    /**
     * Nanoseconds per timestamp tick from the if_tsresol option (default 10^-6 s); negative when a tick is
     * shorter than a nanosecond: then -value ticks make one nanosecond.
     */
    private int ticks(final int optionsStart, final int optionsEnd)
    {
        int at = optionsStart;
        while (at + 4 <= optionsEnd)
        {
            final int code = buffer.getShort(at, order) & 0xFFFF;
            final int optionLength = buffer.getShort(at + 2, order) & 0xFFFF;
            if (code == 0)
            {
                break;
            }
            if (code == IF_TSRESOL && optionLength >= 1)
            {
                final int value = buffer.getByte(at + 4) & 0xFF;
                final int exponent = value & 0x7F;
                final boolean power2 = (value & 0x80) != 0;
                final double secondsPerTick = power2 ? Math.pow(2, -exponent) : Math.pow(10, -exponent);
                final double ns = secondsPerTick * 1e9;
                return ns >= 1 ? (int)Math.round(ns) : -(int)Math.round(1 / ns);
            }
            at += 4 + ((optionLength + 3) & ~3);
        }
        return 1000;
    }

    private void checkLinkType(final int linkType)
    {
        if (linkType != PcapWriter.LINKTYPE_ETHERNET)
        {
            throw new PortException(name, "link type " + linkType + " is not Ethernet (1); only Ethernet captures " +
                "can be replayed", 0);
        }
    }
}
