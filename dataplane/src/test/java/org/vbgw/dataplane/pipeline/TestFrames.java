package org.vbgw.dataplane.pipeline;

import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds test frames byte by byte, and checks checksums, independently of the code under test: a plain
 * RFC 1071 sum over byte arrays, nothing shared with the pipeline's checksum code.
 */
final class TestFrames
{
    private TestFrames()
    {
    }

    /** Ethernet header with 0, 1 or 2 tags (outer TPID 0x8100 for one tag, 0x88a8 for two). */
    static ByteBuffer ethernet(final ByteBuffer b, final long dst, final long src, final int outer, final int inner,
        final int etherType)
    {
        putMac(b, dst);
        putMac(b, src);
        if (outer != 0)
        {
            b.putShort((short)(inner != 0 ? 0x88a8 : 0x8100)).putShort((short)outer);
            if (inner != 0)
            {
                b.putShort((short)0x8100).putShort((short)inner);
            }
        }
        b.putShort((short)etherType);
        return b;
    }

    static void putMac(final ByteBuffer b, final long mac)
    {
        for (int i = 5; i >= 0; i--)
        {
            b.put((byte)(mac >>> (8 * i)));
        }
    }

    /** IPv4 + UDP (ports, payload of {@code payload} bytes), checksums filled in. */
    static byte[] ipv4Udp(final long dstMac, final long srcMac, final int outer, final int inner, final int src,
        final int dst, final int ttl, final int srcPort, final int dstPort, final int payload, final boolean df)
    {
        final ByteBuffer b = ByteBuffer.allocate(22 + 20 + 8 + payload).order(ByteOrder.BIG_ENDIAN);
        ethernet(b, dstMac, srcMac, outer, inner, 0x0800);
        final int ip = b.position();
        b.put((byte)0x45).put((byte)0).putShort((short)(28 + payload)).putShort((short)0x1234)
            .putShort((short)(df ? 0x4000 : 0)).put((byte)ttl).put((byte)17).putShort((short)0).putInt(src).putInt(dst);
        b.putShort(ip + 10, (short)checksum(b.array(), ip, 20));
        b.putShort((short)srcPort).putShort((short)dstPort).putShort((short)(8 + payload)).putShort((short)0);
        for (int i = 0; i < payload; i++)
        {
            b.put((byte)i);
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    /** IPv4 + ICMP echo request. */
    static byte[] ipv4Echo(final long dstMac, final long srcMac, final int outer, final int src, final int dst)
    {
        final ByteBuffer b = ByteBuffer.allocate(18 + 20 + 16).order(ByteOrder.BIG_ENDIAN);
        ethernet(b, dstMac, srcMac, outer, 0, 0x0800);
        final int ip = b.position();
        b.put((byte)0x45).put((byte)0).putShort((short)36).putShort((short)1).putShort((short)0)
            .put((byte)64).put((byte)1).putShort((short)0).putInt(src).putInt(dst);
        b.putShort(ip + 10, (short)checksum(b.array(), ip, 20));
        final int icmp = b.position();
        b.put((byte)8).put((byte)0).putShort((short)0).putShort((short)0x77).putShort((short)1).putLong(0x0102030405060708L);
        b.putShort(icmp + 2, (short)checksum(b.array(), icmp, 16));
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    /** IPv4 + TCP header (no options) between the ports. */
    static byte[] ipv4Tcp(final long dstMac, final long srcMac, final int outer, final int src, final int dst,
        final int srcPort, final int dstPort)
    {
        final ByteBuffer b = ByteBuffer.allocate(18 + 40).order(ByteOrder.BIG_ENDIAN);
        ethernet(b, dstMac, srcMac, outer, 0, 0x0800);
        final int ip = b.position();
        b.put((byte)0x45).put((byte)0).putShort((short)40).putShort((short)1).putShort((short)0x4000)
            .put((byte)1).put((byte)6).putShort((short)0).putInt(src).putInt(dst);
        b.putShort(ip + 10, (short)checksum(b.array(), ip, 20));
        b.putShort((short)srcPort).putShort((short)dstPort).putInt(1).putInt(0).putShort((short)0x5002)
            .putShort((short)1024).putShort((short)0).putShort((short)0);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    /** IPv6 + UDP. */
    static byte[] ipv6Udp(final long dstMac, final long srcMac, final int outer, final long srcHi, final long srcLo,
        final long dstHi, final long dstLo, final int hopLimit, final int payload)
    {
        final ByteBuffer b = ByteBuffer.allocate(18 + 40 + 8 + payload).order(ByteOrder.BIG_ENDIAN);
        ethernet(b, dstMac, srcMac, outer, 0, 0x86DD);
        b.putInt(0x60000000).putShort((short)(8 + payload)).put((byte)17).put((byte)hopLimit)
            .putLong(srcHi).putLong(srcLo).putLong(dstHi).putLong(dstLo);
        b.putShort((short)1000).putShort((short)2000).putShort((short)(8 + payload)).putShort((short)0);
        for (int i = 0; i < payload; i++)
        {
            b.put((byte)i);
        }
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    /** RFC 1071 over a byte range, written the plain way. */
    static int checksum(final byte[] data, final int offset, final int length)
    {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2)
        {
            sum += ((data[offset + i] & 0xFF) << 8) | (data[offset + i + 1] & 0xFF);
        }
        if ((length & 1) != 0)
        {
            sum += (data[offset + length - 1] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)(~sum & 0xFFFF);
    }

    static UnsafeBuffer buffer(final byte[] frame)
    {
        return new UnsafeBuffer(frame);
    }

    static int u16(final byte[] f, final int i)
    {
        return ((f[i] & 0xFF) << 8) | (f[i + 1] & 0xFF);
    }

    static long mac(final byte[] f, final int i)
    {
        long m = 0;
        for (int k = 0; k < 6; k++)
        {
            m = (m << 8) | (f[i + k] & 0xFF);
        }
        return m;
    }
}
