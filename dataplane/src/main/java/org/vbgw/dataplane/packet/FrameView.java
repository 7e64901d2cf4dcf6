package org.vbgw.dataplane.packet;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;

/**
 * One received frame whose place in its buffer was checked once, read and rewritten without a bounds
 * check per access: the forwarding path's view of a frame.
 * <p>
 * {@link #wrap} verifies that {@code [offset, offset + length)} lies inside the buffer; after that every
 * accessor reads straight from the buffer's memory (array and address, as Agrona's {@code UnsafeBuffer}
 * does internally, without its per-access check, which measured as 20–40 % of the pipeline). The
 * caller owns the rest of the proof: every index it passes was derived from header lengths that it
 * checked against {@link #limit()} first (FrameParser against the frame length, the IPv4 and IPv6
 * validation against the bytes after the L2 header). Reads stay inside the frame; the only writes
 * outside it are the egress L2 header in the port's headroom in front of the frame, which the caller
 * checks against index 0 before writing.
 * <p>
 * Java assertions check every access against the verified range, so the unit tests (run with
 * {@code -ea}) fail on any access outside the frame instead of reading a neighbour's bytes; production
 * runs without {@code -ea} pay nothing for them.
 * <p>
 * Multi-byte accessors are big-endian (network order) unless named native. One per worker thread; not
 * thread-safe; allocation-free.
 */
public final class FrameView
{
    private static final boolean NATIVE_IS_BIG_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN;

    private MutableDirectBuffer buffer;
    private byte[] array;
    private long address;
    private int offset;
    private int limit;

    /**
     * Points this view at the frame of {@code length} bytes at {@code offset} of {@code buffer}.
     *
     * @return false, leaving the view unusable, when the frame does not lie inside the buffer (a port
     *     that hands out a bad offset or length): the caller counts it as malformed and reads nothing.
     */
    public boolean wrap(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || (long)offset + length > buffer.capacity())
        {
            this.buffer = null;
            this.array = null;
            this.address = 0;
            this.offset = 0;
            this.limit = 0;
            return false;
        }
        this.buffer = buffer;
        this.array = buffer.byteArray();
        this.address = buffer.addressOffset();
        this.offset = offset;
        this.limit = offset + length;
        return true;
    }

    /** The buffer the frame lies in, for the checked accessors of the slow paths (ICMP errors, punt). */
    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /** Index of the frame's first byte in the buffer. */
    public int offset()
    {
        return offset;
    }

    /** Index one past the frame's last byte in the buffer. */
    public int limit()
    {
        return limit;
    }

    /** Frame length in bytes. */
    public int length()
    {
        return limit - offset;
    }

    /** Unsigned byte at {@code index}. */
    public int getByte(final int index)
    {
        assert inFrame(index, 1);
        return UnsafeApi.getByte(array, address + index) & 0xFF;
    }

    /** Unsigned 16-bit big-endian word at {@code index}. */
    public int getShort(final int index)
    {
        assert inFrame(index, 2);
        final short bits = UnsafeApi.getShort(array, address + index);
        return (NATIVE_IS_BIG_ENDIAN ? bits : Short.reverseBytes(bits)) & 0xFFFF;
    }

    /** 32-bit big-endian word at {@code index}. */
    public int getInt(final int index)
    {
        assert inFrame(index, 4);
        final int bits = UnsafeApi.getInt(array, address + index);
        return NATIVE_IS_BIG_ENDIAN ? bits : Integer.reverseBytes(bits);
    }

    /** 64-bit big-endian word at {@code index}. */
    public long getLong(final int index)
    {
        assert inFrame(index, 8);
        final long bits = UnsafeApi.getLong(array, address + index);
        return NATIVE_IS_BIG_ENDIAN ? bits : Long.reverseBytes(bits);
    }

    /** The six bytes at {@code index} as a MAC in the low 48 bits (network order). */
    public long getMac(final int index)
    {
        return (getInt(index) & 0xFFFF_FFFFL) << 16 | getShort(index + 4);
    }

    /** Writes one byte inside the frame. */
    public void putByte(final int index, final int value)
    {
        assert inFrame(index, 1);
        UnsafeApi.putByte(array, address + index, (byte)value);
    }

    /** Writes a 16-bit big-endian word inside the frame. */
    public void putShort(final int index, final int value)
    {
        assert inFrame(index, 2);
        final short bits = (short)value;
        UnsafeApi.putShort(array, address + index, NATIVE_IS_BIG_ENDIAN ? bits : Short.reverseBytes(bits));
    }

    /**
     * Writes a native-order 64-bit word anywhere from index 0 to the frame's end: the egress L2 header
     * goes into the headroom in front of the frame, which the caller checked to start at or after 0.
     */
    public void putLongNative(final int index, final long value)
    {
        assert index >= 0 && index + 8 <= limit : "write at " + index + " outside [0, " + limit + ")";
        UnsafeApi.putLong(array, address + index, value);
    }

    /**
     * Unfolded one's-complement sum of {@code length} bytes at {@code index} inside the frame, as
     * {@link InternetChecksum#partial} computes it over a checked buffer.
     */
    public long checksumPartial(final int index, final int length)
    {
        assert inFrame(index, length);
        long sum = 0;
        int i = index;
        final int end = index + length;
        while (end - i >= 8)
        {
            final long word = getLong(i);
            sum += (word >>> 32) + (word & 0xFFFF_FFFFL);
            i += 8;
        }
        if (end - i >= 4)
        {
            sum += getInt(i) & 0xFFFF_FFFFL;
            i += 4;
        }
        if (end - i >= 2)
        {
            sum += getShort(i);
            i += 2;
        }
        if (end - i == 1)
        {
            sum += getByte(i) << 8;
        }
        return sum;
    }

    private boolean inFrame(final int index, final int size)
    {
        if (index < offset || size < 0 || (long)index + size > limit)
        {
            throw new AssertionError(
                "access of " + size + " bytes at " + index + " outside the frame [" + offset + ", " + limit + ")");
        }
        return true;
    }
}
