package org.vbgw.dataplane.adjacency;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

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
        buffer.putBytes(start, rewrite, 0, rewriteLength);
        buffer.putShort(l3Offset - 2, (short)etherType, ByteOrder.BIG_ENDIAN);
        return start;
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
