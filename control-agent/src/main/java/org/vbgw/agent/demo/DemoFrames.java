package org.vbgw.agent.demo;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.vbgw.dataplane.packet.EthernetFlyweight;
import org.vbgw.dataplane.packet.InternetChecksum;
import org.vbgw.dataplane.packet.L2Header;

import java.nio.ByteOrder;

/**
 * The demo's traffic: IPv4/UDP frames whose payload carries a flow id, a per-flow sequence number and the
 * send time, so a receiver sees which path each flow takes and every packet lost while paths change.
 */
final class DemoFrames
{
    static final int UDP_PORT = 40_000;
    private static final int PAYLOAD = 24;
    static final int FRAME_LENGTH = 14 + 20 + 8 + PAYLOAD;
    private static final int MAGIC = 0x76626777;
    private static final int IP_HEADER = 20;
    private static final int UDP_HEADER = 8;

    private DemoFrames()
    {
    }

    /** Writes a whole untagged frame at {@code offset}; returns its length. */
    static int write(final MutableDirectBuffer buffer, final int offset, final long dstMac, final long srcMac,
        final int srcIp, final int dstIp, final int flow, final long sequence, final long sendNs)
    {
        EthernetFlyweight.writeMac(buffer, offset, dstMac);
        EthernetFlyweight.writeMac(buffer, offset + 6, srcMac);
        buffer.putShort(offset + 12, (short)EthernetFlyweight.ETHER_TYPE_IPV4, ByteOrder.BIG_ENDIAN);
        final int ip = offset + 14;
        final int total = FRAME_LENGTH - 14;
        buffer.putByte(ip, (byte)0x45);
        buffer.putByte(ip + 1, (byte)0);
        buffer.putShort(ip + 2, (short)total, ByteOrder.BIG_ENDIAN);
        buffer.putShort(ip + 4, (short)0, ByteOrder.BIG_ENDIAN);
        buffer.putShort(ip + 6, (short)0x4000, ByteOrder.BIG_ENDIAN); // DF
        buffer.putByte(ip + 8, (byte)64);
        buffer.putByte(ip + 9, (byte)17);
        buffer.putShort(ip + 10, (short)0, ByteOrder.BIG_ENDIAN);
        buffer.putInt(ip + 12, srcIp, ByteOrder.BIG_ENDIAN);
        buffer.putInt(ip + 16, dstIp, ByteOrder.BIG_ENDIAN);
        buffer.putShort(ip + 10, (short)InternetChecksum.finish(InternetChecksum.partial(buffer, ip, IP_HEADER)),
            ByteOrder.BIG_ENDIAN);
        final int udp = ip + IP_HEADER;
        buffer.putShort(udp, (short)(UDP_PORT + 1 + flow % 20_000), ByteOrder.BIG_ENDIAN);
        buffer.putShort(udp + 2, (short)UDP_PORT, ByteOrder.BIG_ENDIAN);
        buffer.putShort(udp + 4, (short)(total - IP_HEADER), ByteOrder.BIG_ENDIAN);
        buffer.putShort(udp + 6, (short)0, ByteOrder.BIG_ENDIAN); // no UDP checksum (allowed over IPv4)
        final int payload = udp + UDP_HEADER;
        buffer.putInt(payload, MAGIC, ByteOrder.BIG_ENDIAN);
        buffer.putInt(payload + 4, flow, ByteOrder.BIG_ENDIAN);
        buffer.putLong(payload + 8, sequence, ByteOrder.BIG_ENDIAN);
        buffer.putLong(payload + 16, sendNs, ByteOrder.BIG_ENDIAN);
        return FRAME_LENGTH;
    }

    /** The payload offset of a demo frame behind the parsed L2 header (tags allowed), or -1. */
    static int payload(final DirectBuffer buffer, final L2Header l2)
    {
        if (l2.l3EtherType != EthernetFlyweight.ETHER_TYPE_IPV4 || l2.l3Length < IP_HEADER + UDP_HEADER + PAYLOAD)
        {
            return -1;
        }
        final int ip = l2.l3Offset;
        if ((buffer.getByte(ip) & 0xFF) != 0x45 || buffer.getByte(ip + 9) != 17 ||
            (buffer.getShort(ip + IP_HEADER + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF) != UDP_PORT)
        {
            return -1;
        }
        final int payload = ip + IP_HEADER + UDP_HEADER;
        return buffer.getInt(payload, ByteOrder.BIG_ENDIAN) == MAGIC ? payload : -1;
    }

    static int flow(final DirectBuffer buffer, final int payload)
    {
        return buffer.getInt(payload + 4, ByteOrder.BIG_ENDIAN);
    }

    static long sequence(final DirectBuffer buffer, final int payload)
    {
        return buffer.getLong(payload + 8, ByteOrder.BIG_ENDIAN);
    }

    static long sendNs(final DirectBuffer buffer, final int payload)
    {
        return buffer.getLong(payload + 16, ByteOrder.BIG_ENDIAN);
    }

    /** Time to live of a received demo frame (one less than sent after one router). */
    static int ttl(final DirectBuffer buffer, final L2Header l2)
    {
        return buffer.getByte(l2.l3Offset + 8) & 0xFF;
    }
}
