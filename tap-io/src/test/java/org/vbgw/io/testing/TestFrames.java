package org.vbgw.io.testing;

import java.util.Random;

import org.agrona.DirectBuffer;

/**
 * Ethernet frames for tests: untagged, 802.1Q-tagged or QinQ (802.1ad outer, 802.1Q inner), any length,
 * with the experimental EtherType 0x88b5 and a sequence number, filled with seeded random bytes.
 */
public final class TestFrames
{
    /** IEEE 802 local experimental EtherType 1: no kernel protocol handles it. */
    public static final int ETHERTYPE_EXPERIMENTAL = 0x88B5;

    private TestFrames()
    {
    }

    /**
     * A frame of exactly {@code length} bytes.
     *
     * @param outerTpid 0 for untagged, 0x8100 for one tag, 0x88a8 for QinQ (then {@code innerTci} is used).
     */
    public static byte[] frame(
        final long dst, final long src, final int outerTpid, final int outerTci, final int innerTci,
        final int sequence, final int length)
    {
        final byte[] f = new byte[length];
        new Random(sequence * 31L + length).nextBytes(f);
        putMac(f, 0, dst);
        putMac(f, 6, src);
        int at = 12;
        if (outerTpid != 0)
        {
            putShort(f, at, outerTpid);
            putShort(f, at + 2, outerTci);
            at += 4;
            if (outerTpid == 0x88A8)
            {
                putShort(f, at, 0x8100);
                putShort(f, at + 2, innerTci);
                at += 4;
            }
        }
        putShort(f, at, ETHERTYPE_EXPERIMENTAL);
        f[at + 2] = (byte)(sequence >>> 24);
        f[at + 3] = (byte)(sequence >>> 16);
        f[at + 4] = (byte)(sequence >>> 8);
        f[at + 5] = (byte)sequence;
        return f;
    }

    /** The source MAC of a frame in a buffer. */
    public static long sourceMac(final DirectBuffer buffer, final int offset)
    {
        long mac = 0;
        for (int i = 6; i < 12; i++)
        {
            mac = (mac << 8) | (buffer.getByte(offset + i) & 0xFF);
        }
        return mac;
    }

    /** Copies a frame out of a buffer. */
    public static byte[] copy(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }

    public static void putMac(final byte[] f, final int at, final long mac)
    {
        for (int i = 0; i < 6; i++)
        {
            f[at + i] = (byte)(mac >>> (40 - 8 * i));
        }
    }

    public static void putShort(final byte[] f, final int at, final int value)
    {
        f[at] = (byte)(value >>> 8);
        f[at + 1] = (byte)value;
    }
}
