package org.vbgw.perf.e2e;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

/**
 * The benchmark's UDP frame, 10.10.1.2 → 10.10.2.2 port 9, one flow per source port, with a sequence number and
 * the send time in the payload.
 * <pre>
 *   0  Ethernet (14)  dst = middle's gen-side MAC, src = gen MAC, 0x0800
 *  14  IPv4 (20)      TTL 64, UDP, no options, checksum precomputed (nothing in it changes per frame)
 *  34  UDP (8)        src port 10000 + (seq % flows), dst port 9, checksum 0 (none, RFC 768)
 *  42  sequence (8, native order)   50  send System.nanoTime() (8, native order)
 * </pre>
 * Sizes are Ethernet frame sizes as on the wire, FCS included (RFC 2544): a 64-byte frame is 60 bytes given to
 * the socket, which leaves 18 bytes of payload, enough for the 16 the benchmark needs.
 */
final class BenchFrame
{
    static final int FCS_LENGTH = 4;
    static final int IP_OFFSET = 14;
    static final int UDP_OFFSET = 34;
    static final int SRC_PORT_OFFSET = UDP_OFFSET;
    static final int DST_PORT_OFFSET = UDP_OFFSET + 2;
    static final int SEQ_OFFSET = 42;
    static final int TIMESTAMP_OFFSET = 50;
    static final int MIN_WIRE_SIZE = 64;
    static final int BASE_SRC_PORT = 10_000;
    static final int DST_PORT = 9;

    private BenchFrame()
    {
    }

    /** Writes the constant part of a frame of {@code wireSize} bytes (FCS included); returns the socket length. */
    static int writeTemplate(final MutableDirectBuffer buffer, final int wireSize)
    {
        if (wireSize < MIN_WIRE_SIZE || wireSize > 1518)
        {
            throw new IllegalArgumentException("frame size must be 64..1518 bytes (FCS included): " + wireSize);
        }
        final int length = wireSize - FCS_LENGTH;
        buffer.setMemory(0, length, (byte)0);
        putMac(buffer, 0, BenchTopology.MID_GEN_MAC);
        putMac(buffer, 6, BenchTopology.GEN_MAC);
        buffer.putShort(12, (short)0x0800, ByteOrder.BIG_ENDIAN);
        final int ipLength = length - IP_OFFSET;
        buffer.putByte(IP_OFFSET, (byte)0x45);
        buffer.putShort(IP_OFFSET + 2, (short)ipLength, ByteOrder.BIG_ENDIAN);
        buffer.putByte(IP_OFFSET + 8, (byte)64);
        buffer.putByte(IP_OFFSET + 9, (byte)17);
        buffer.putInt(IP_OFFSET + 12, BenchTopology.GEN_IP, ByteOrder.BIG_ENDIAN);
        buffer.putInt(IP_OFFSET + 16, BenchTopology.SINK_IP, ByteOrder.BIG_ENDIAN);
        int sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            sum += buffer.getShort(IP_OFFSET + i, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        buffer.putShort(IP_OFFSET + 10, (short)~sum, ByteOrder.BIG_ENDIAN);
        buffer.putShort(SRC_PORT_OFFSET, (short)BASE_SRC_PORT, ByteOrder.BIG_ENDIAN);
        buffer.putShort(DST_PORT_OFFSET, (short)DST_PORT, ByteOrder.BIG_ENDIAN);
        buffer.putShort(UDP_OFFSET + 4, (short)(ipLength - 20), ByteOrder.BIG_ENDIAN);
        return length;
    }

    /** True for a frame of the benchmark (UDP to port 9 from the generator) as the sink receives it. */
    static boolean isBenchFrame(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        return length >= TIMESTAMP_OFFSET + 8 &&
            buffer.getShort(offset + 12, ByteOrder.BIG_ENDIAN) == 0x0800 &&
            buffer.getByte(offset + IP_OFFSET + 9) == 17 &&
            buffer.getInt(offset + IP_OFFSET + 12, ByteOrder.BIG_ENDIAN) == BenchTopology.GEN_IP &&
            buffer.getShort(offset + DST_PORT_OFFSET, ByteOrder.BIG_ENDIAN) == DST_PORT;
    }

    private static void putMac(final MutableDirectBuffer buffer, final int index, final long mac)
    {
        for (int i = 0; i < 6; i++)
        {
            buffer.putByte(index + i, (byte)(mac >>> (8 * (5 - i))));
        }
    }
}
