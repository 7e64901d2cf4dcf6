package org.vbgw.io.lab;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The frame of sequenced lab traffic: untagged Ethernet, IPv4, UDP, and a payload that says which flow it
 * belongs to, its place in that flow and when it was sent.
 * <pre>
 *   0  Ethernet (14)  destination MAC, source MAC, 0x0800
 *  14  IPv4 (20)      TTL 64, UDP, no options; source and destination per flow
 *  34  UDP (8)        source port per flow, destination port, checksum 0 (none, RFC 768)
 *  42  magic (4, big-endian) 0x76425351 "vBSQ"
 *  46  flow id (4, big-endian)
 *  50  sequence number in the flow (8, big-endian), from 0
 *  58  send time (8, big-endian): {@link System#nanoTime()} just before the frame is queued
 *  66  end
 * </pre>
 * Offsets are from the start of the Ethernet header; {@link #payloadOffset} finds the payload in a frame a
 * forwarder may have given IPv4 options. The send time is CLOCK_MONOTONIC of this host, so sender and receiver
 * must run on one machine (a namespace lab).
 * <p>
 * Stateless; no allocation.
 */
public final class SequencedFrame
{
    /** Frame length handed to a port (no FCS). */
    public static final int LENGTH = 66;
    /** "vBSQ": tells sequenced traffic from anything else on the wire. */
    public static final int MAGIC = 0x76425351;
    public static final int IP_OFFSET = 14;
    public static final int UDP_OFFSET = 34;
    public static final int PAYLOAD_OFFSET = 42;
    /** Payload-relative offsets. */
    public static final int MAGIC_OFFSET = 0;
    public static final int FLOW_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 8;
    public static final int SEND_TIME_OFFSET = 16;
    public static final int PAYLOAD_LENGTH = 24;

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int PROTOCOL_UDP = 17;
    private static final int UDP_HEADER_LENGTH = 8;

    private SequencedFrame()
    {
    }

    /**
     * Writes a whole frame with sequence 0 and send time 0 at {@code offset}; {@link #stamp} fills those per send.
     *
     * @return {@link #LENGTH}.
     */
    public static int writeTemplate(final MutableDirectBuffer buffer, final int offset, final long dstMac,
        final long srcMac, final int srcIp, final int dstIp, final int srcPort, final int dstPort, final int flow)
    {
        buffer.setMemory(offset, LENGTH, (byte)0);
        putMac(buffer, offset, dstMac);
        putMac(buffer, offset + 6, srcMac);
        buffer.putShort(offset + 12, (short)ETHERTYPE_IPV4, ByteOrder.BIG_ENDIAN);
        final int ip = offset + IP_OFFSET;
        buffer.putByte(ip, (byte)0x45);
        buffer.putShort(ip + 2, (short)(LENGTH - IP_OFFSET), ByteOrder.BIG_ENDIAN);
        buffer.putByte(ip + 8, (byte)64);
        buffer.putByte(ip + 9, (byte)PROTOCOL_UDP);
        buffer.putInt(ip + 12, srcIp, ByteOrder.BIG_ENDIAN);
        buffer.putInt(ip + 16, dstIp, ByteOrder.BIG_ENDIAN);
        buffer.putShort(ip + 10, (short)ipv4HeaderChecksum(buffer, ip), ByteOrder.BIG_ENDIAN);
        final int udp = offset + UDP_OFFSET;
        buffer.putShort(udp, (short)srcPort, ByteOrder.BIG_ENDIAN);
        buffer.putShort(udp + 2, (short)dstPort, ByteOrder.BIG_ENDIAN);
        buffer.putShort(udp + 4, (short)(UDP_HEADER_LENGTH + PAYLOAD_LENGTH), ByteOrder.BIG_ENDIAN);
        final int payload = offset + PAYLOAD_OFFSET;
        buffer.putInt(payload + MAGIC_OFFSET, MAGIC, ByteOrder.BIG_ENDIAN);
        buffer.putInt(payload + FLOW_OFFSET, flow, ByteOrder.BIG_ENDIAN);
        return LENGTH;
    }

    /** Writes the sequence number and send time into a frame written by {@link #writeTemplate}. */
    public static void stamp(final MutableDirectBuffer buffer, final int offset, final long sequence, final long sendNs)
    {
        buffer.putLong(offset + PAYLOAD_OFFSET + SEQUENCE_OFFSET, sequence, ByteOrder.BIG_ENDIAN);
        buffer.putLong(offset + PAYLOAD_OFFSET + SEND_TIME_OFFSET, sendNs, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Where the sequenced payload of a received frame starts, or -1 when the frame is not sequenced traffic
     * to {@code dstPort} (not IPv4/UDP, too short, a fragment, another port, no magic).
     */
    public static int payloadOffset(final DirectBuffer buffer, final int offset, final int length, final int dstPort)
    {
        if (length < LENGTH || (buffer.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF) != ETHERTYPE_IPV4)
        {
            return -1;
        }
        final int ip = offset + IP_OFFSET;
        final int versionIhl = buffer.getByte(ip) & 0xFF;
        final int ihl = (versionIhl & 0x0F) * 4;
        if ((versionIhl >>> 4) != 4 || ihl < 20 || buffer.getByte(ip + 9) != PROTOCOL_UDP ||
            (buffer.getShort(ip + 6, ByteOrder.BIG_ENDIAN) & 0x3FFF) != 0)
        {
            return -1;
        }
        final int udp = ip + ihl;
        final int payload = udp + UDP_HEADER_LENGTH;
        if (payload + PAYLOAD_LENGTH > offset + length ||
            (buffer.getShort(udp + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF) != dstPort ||
            buffer.getInt(payload + MAGIC_OFFSET, ByteOrder.BIG_ENDIAN) != MAGIC)
        {
            return -1;
        }
        return payload;
    }

    public static int flow(final DirectBuffer buffer, final int payload)
    {
        return buffer.getInt(payload + FLOW_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public static long sequence(final DirectBuffer buffer, final int payload)
    {
        return buffer.getLong(payload + SEQUENCE_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    public static long sendTimeNs(final DirectBuffer buffer, final int payload)
    {
        return buffer.getLong(payload + SEND_TIME_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    private static int ipv4HeaderChecksum(final DirectBuffer buffer, final int ip)
    {
        int sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            sum += buffer.getShort(ip + i, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        return ~sum & 0xFFFF;
    }

    private static void putMac(final MutableDirectBuffer buffer, final int index, final long mac)
    {
        for (int i = 0; i < 6; i++)
        {
            buffer.putByte(index + i, (byte)(mac >>> (8 * (5 - i))));
        }
    }
}
