package org.vbgw.dataplane.adjacency;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.dataplane.packet.EthernetFlyweight;
import org.vbgw.dataplane.packet.FrameView;

import java.nio.ByteOrder;

/**
 * How to send to one resolved next hop: egress port, MTU, and the precomputed L2 header (VPP's "rewrite
 * string") that replaces the received frame's Ethernet header and tags.
 * <pre>
 *  rewrite: | dst MAC (6) | src MAC (6) | [outer TPID, TCI] (4) | [0x8100, inner TCI] (4) |
 * </pre>
 * The EtherType follows the rewrite and is written per frame, because one adjacency carries IPv4 and
 * IPv6. Immutable: a MAC change is a new {@code Adjacency}, published by the {@link AdjacencyTable}, so a
 * worker never sends with half of an old MAC and half of a new one.
 */
public final class Adjacency
{
    private final int nextHopId;
    private final int vifId;
    private final int portIndex;
    private final int mtuBytes;
    private final long dstMac;
    private final UnsafeBuffer rewrite;
    private final int rewriteLength;
    // The whole L2 header (rewrite + EtherType) as native-order words, for IPv4 and IPv6: two or three
    // overlapping long stores put it in front of the packet, instead of a byte copy and a short store.
    private final long ipv4First;
    private final long ipv4Middle;
    private final long ipv4Last;
    private final long ipv6First;
    private final long ipv6Middle;
    private final long ipv6Last;

    /**
     * @param outerTpid  0x8100 or 0x88a8; ignored when {@code outerVlan} is 0 (untagged).
     * @param innerVlan  0 for no inner tag.
     */
    public Adjacency(final int nextHopId, final int vifId, final int portIndex, final int mtuBytes,
        final long dstMac, final long srcMac, final int outerTpid, final int outerVlan, final int innerVlan)
    {
        this.nextHopId = nextHopId;
        this.vifId = vifId;
        this.portIndex = portIndex;
        this.mtuBytes = mtuBytes;
        this.dstMac = dstMac;
        final int tags = outerVlan == 0 ? 0 : innerVlan == 0 ? 1 : 2;
        this.rewriteLength = 12 + 4 * tags;
        this.rewrite = new UnsafeBuffer(new byte[rewriteLength]);
        putMac(rewrite, 0, dstMac);
        putMac(rewrite, 6, srcMac);
        if (tags >= 1)
        {
            rewrite.putShort(12, (short)outerTpid, ByteOrder.BIG_ENDIAN);
            rewrite.putShort(14, (short)outerVlan, ByteOrder.BIG_ENDIAN);
        }
        if (tags == 2)
        {
            rewrite.putShort(16, (short)0x8100, ByteOrder.BIG_ENDIAN);
            rewrite.putShort(18, (short)innerVlan, ByteOrder.BIG_ENDIAN);
        }
        final int headerLength = rewriteLength + 2;
        final UnsafeBuffer header = new UnsafeBuffer(new byte[headerLength]);
        header.putBytes(0, rewrite, 0, rewriteLength);
        header.putShort(rewriteLength, (short)EthernetFlyweight.ETHER_TYPE_IPV4, ByteOrder.BIG_ENDIAN);
        ipv4First = header.getLong(0);
        ipv4Middle = headerLength >= 16 ? header.getLong(8) : 0;
        ipv4Last = header.getLong(headerLength - 8);
        header.putShort(rewriteLength, (short)EthernetFlyweight.ETHER_TYPE_IPV6, ByteOrder.BIG_ENDIAN);
        ipv6First = header.getLong(0);
        ipv6Middle = headerLength >= 16 ? header.getLong(8) : 0;
        ipv6Last = header.getLong(headerLength - 8);
    }

    /**
     * Writes this adjacency's L2 header in front of the L3 packet at {@code l3Offset}.
     *
     * @return the offset where the rewritten frame now starts ({@code l3Offset - l2HeaderLength()}); the
     *     caller guarantees that much headroom before the L3 header.
     */
    public int writeHeader(final MutableDirectBuffer buffer, final int l3Offset, final int etherType)
    {
        final int start = l3Offset - rewriteLength - 2;
        if (etherType == EthernetFlyweight.ETHER_TYPE_IPV4)
        {
            putWords(buffer, start, l3Offset, ipv4First, ipv4Middle, ipv4Last);
        }
        else if (etherType == EthernetFlyweight.ETHER_TYPE_IPV6)
        {
            putWords(buffer, start, l3Offset, ipv6First, ipv6Middle, ipv6Last);
        }
        else
        {
            buffer.putBytes(start, rewrite, 0, rewriteLength);
            buffer.putShort(l3Offset - 2, (short)etherType, ByteOrder.BIG_ENDIAN);
        }
        return start;
    }

    /**
     * {@link #writeHeader(MutableDirectBuffer, int, int)} into a verified frame without bounds checks, for
     * IPv4 and IPv6; the caller has checked that {@code l3Offset - l2HeaderLength()} is at or after index 0
     * and within the port's headroom.
     */
    public void writeHeader(final FrameView frame, final int l3Offset, final boolean ipv6)
    {
        final int start = l3Offset - rewriteLength - 2;
        // 14 bytes: the first and the last word overlap, with the same bytes; 18 and 22 need the middle too.
        frame.putLongNative(start, ipv6 ? ipv6First : ipv4First);
        if (rewriteLength > 12)
        {
            frame.putLongNative(start + 8, ipv6 ? ipv6Middle : ipv4Middle);
        }
        frame.putLongNative(l3Offset - 8, ipv6 ? ipv6Last : ipv4Last);
    }

    private void putWords(final MutableDirectBuffer buffer, final int start, final int l3Offset, final long first,
        final long middle, final long last)
    {
        // 14 bytes: the first and the last word overlap, with the same bytes; 18 and 22 need the middle too.
        buffer.putLong(start, first);
        if (rewriteLength > 12)
        {
            buffer.putLong(start + 8, middle);
        }
        buffer.putLong(l3Offset - 8, last);
    }

    /** Bytes from frame start to the L3 header: 14, 18 or 22. */
    public int l2HeaderLength()
    {
        return rewriteLength + 2;
    }

    public int nextHopId()
    {
        return nextHopId;
    }

    public int vifId()
    {
        return vifId;
    }

    public int portIndex()
    {
        return portIndex;
    }

    public int mtuBytes()
    {
        return mtuBytes;
    }

    public long dstMac()
    {
        return dstMac;
    }

    static void putMac(final MutableDirectBuffer buffer, final int offset, final long mac)
    {
        buffer.putInt(offset, (int)(mac >>> 16), ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 4, (short)mac, ByteOrder.BIG_ENDIAN);
    }
}
