package org.vbgw.dataplane.packet;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

/**
 * Pushes, pops and rewrites 802.1Q / 802.1ad tags of a frame in place.
 * <p>
 * <b>Headroom contract.</b> Ports and the pipeline place every received frame with at least
 * {@link #HEADROOM} (8) bytes of buffer before its first byte. A push then moves only the 12 MAC
 * bytes 4 bytes towards the buffer start and writes the tag in the gap, instead of moving the whole
 * payload: the frame starts 4 bytes earlier, the returned offset says where. A pop moves the 12 MAC
 * bytes 4 bytes forward over the tag. Both cost two loads and two stores whatever the frame size.
 * When a caller breaks the contract (offset &lt; 4 per tag to push), the payload moves back instead,
 * which needs that many bytes of tailroom after the frame; the offset then stays the same.
 * <p>
 * Every method returns the new frame offset (≥ 0), the new length being the old ± 4 bytes per tag
 * pushed or popped, or a negated {@link PacketError} code. Stateless, allocation-free, any thread.
 */
public final class VlanRewriter
{
    /** Bytes of headroom callers keep before a frame: room for two tags (untagged → QinQ). */
    public static final int HEADROOM = 2 * VlanTagFlyweight.TAG_LENGTH;

    private static final int TAG = VlanTagFlyweight.TAG_LENGTH;
    private static final int TYPE_OFFSET = EthernetFlyweight.ETHER_TYPE_OFFSET;

    private VlanRewriter()
    {
    }

    /**
     * Pushes a tag in front of any existing ones (it becomes the outer tag): untagged → single,
     * single → QinQ (push with TPID 0x88A8 for an 802.1ad S-tag). Also how a port puts back the
     * outer tag that AF_PACKET strips into {@code tp_vlan_tci}/{@code tp_vlan_tpid}.
     *
     * @param tpid 0x8100 or 0x88A8.
     * @param tci  PCP, DEI and VID as they go on the wire.
     * @return the new frame offset; the frame is 4 bytes longer.
     */
    public static int pushTag(
        final MutableDirectBuffer buffer, final int frameOffset, final int frameLength, final int tpid, final int tci)
    {
        if (frameLength < EthernetFlyweight.HEADER_LENGTH)
        {
            return -PacketError.FRAME_TOO_SHORT;
        }
        final int newOffset = openGap(buffer, frameOffset, frameLength, TAG);
        if (newOffset < 0)
        {
            return newOffset;
        }
        buffer.putInt(newOffset + TYPE_OFFSET, tpid << 16 | (tci & 0xFFFF), ByteOrder.BIG_ENDIAN);
        return newOffset;
    }

    /**
     * Removes the outer tag: single → untagged, QinQ → single (the inner tag remains).
     *
     * @return the new frame offset (4 bytes later); the frame is 4 bytes shorter.
     */
    public static int popTag(final MutableDirectBuffer buffer, final int frameOffset, final int frameLength)
    {
        if (frameLength < EthernetFlyweight.HEADER_LENGTH + TAG)
        {
            return -PacketError.FRAME_TOO_SHORT;
        }
        if (!VlanTagFlyweight.isTpid(buffer.getShort(frameOffset + TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF))
        {
            return -PacketError.VLAN_TAG_ABSENT;
        }
        moveMacs(buffer, frameOffset, frameOffset + TAG);
        return frameOffset + TAG;
    }

    /**
     * Sets the VID of tag {@code tagIndex} (0 = outer, 1 = inner of QinQ), keeping PCP and DEI.
     *
     * @return the frame offset, unchanged.
     */
    public static int setVid(
        final MutableDirectBuffer buffer, final int frameOffset, final int frameLength, final int tagIndex, final int vid)
    {
        if (vid < 0 || vid > VlanTagFlyweight.MAX_VID || tagIndex < 0 || tagIndex > 1)
        {
            return -PacketError.BAD_ARGUMENT;
        }
        final int tpidIndex = frameOffset + TYPE_OFFSET + tagIndex * TAG;
        if (frameLength < EthernetFlyweight.HEADER_LENGTH + (tagIndex + 1) * TAG)
        {
            return -PacketError.FRAME_TOO_SHORT;
        }
        for (int i = frameOffset + TYPE_OFFSET; i <= tpidIndex; i += TAG)
        {
            if (!VlanTagFlyweight.isTpid(buffer.getShort(i, ByteOrder.BIG_ENDIAN) & 0xFFFF))
            {
                return -PacketError.VLAN_TAG_ABSENT;
            }
        }
        final int tciIndex = tpidIndex + VlanTagFlyweight.TCI_OFFSET;
        final int tci = buffer.getShort(tciIndex, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        buffer.putShort(tciIndex, (short)((tci & ~VlanTagFlyweight.VID_MASK) | vid), ByteOrder.BIG_ENDIAN);
        return frameOffset;
    }

    /**
     * Rewrites a frame carrying {@code currentTags} tags (as {@link FrameParser} counted them) to
     * carry the tags of {@code encap} (0, 1 or 2; PCP and DEI 0), moving the MACs once by the
     * difference: the forwarding rewrite from ingress VIF to egress VIF.
     *
     * @return the new frame offset; the length changes by 4 × (new tags − current tags).
     */
    public static int retag(
        final MutableDirectBuffer buffer,
        final int frameOffset,
        final int frameLength,
        final int currentTags,
        final EthernetEncap encap)
    {
        final int targetTags = encap.outerVid == 0 ? 0 : (encap.innerVid == 0 ? 1 : 2);
        if (frameLength < EthernetFlyweight.HEADER_LENGTH + currentTags * TAG)
        {
            return -PacketError.FRAME_TOO_SHORT;
        }
        int newOffset = frameOffset;
        final int delta = (targetTags - currentTags) * TAG;
        if (delta > 0)
        {
            newOffset = openGap(buffer, frameOffset, frameLength, delta);
            if (newOffset < 0)
            {
                return newOffset;
            }
        }
        else if (delta < 0)
        {
            newOffset = frameOffset - delta;
            moveMacs(buffer, frameOffset, newOffset);
        }
        final int tagIndex = newOffset + TYPE_OFFSET;
        if (targetTags == 1)
        {
            buffer.putInt(tagIndex, EthernetFlyweight.ETHER_TYPE_VLAN << 16 | encap.outerVid, ByteOrder.BIG_ENDIAN);
        }
        else if (targetTags == 2)
        {
            buffer.putInt(tagIndex, encap.qinqOuterTpid << 16 | encap.outerVid, ByteOrder.BIG_ENDIAN);
            buffer.putInt(tagIndex + TAG, EthernetFlyweight.ETHER_TYPE_VLAN << 16 | encap.innerVid, ByteOrder.BIG_ENDIAN);
        }
        return newOffset;
    }

    /**
     * Makes {@code gap} bytes of room after the MACs: into the headroom when there is enough, else
     * by moving everything after the MACs back (needs tailroom). Returns the new frame offset.
     */
    private static int openGap(final MutableDirectBuffer buffer, final int frameOffset, final int frameLength, final int gap)
    {
        if (frameOffset >= gap)
        {
            moveMacs(buffer, frameOffset, frameOffset - gap);
            return frameOffset - gap;
        }
        if (frameOffset + frameLength + gap > buffer.capacity())
        {
            return -PacketError.BUFFER_TOO_SMALL;
        }
        final int from = frameOffset + TYPE_OFFSET;
        moveBack(buffer, from, from + gap, frameLength - TYPE_OFFSET);
        return frameOffset;
    }

    private static void moveMacs(final MutableDirectBuffer buffer, final int from, final int to)
    {
        // Both loads before any store, so overlapping moves (always the case: 4 or 8 bytes) are safe.
        final long first8 = buffer.getLong(from, ByteOrder.BIG_ENDIAN);
        final int last4 = buffer.getInt(from + 8, ByteOrder.BIG_ENDIAN);
        buffer.putLong(to, first8, ByteOrder.BIG_ENDIAN);
        buffer.putInt(to + 8, last4, ByteOrder.BIG_ENDIAN);
    }

    /** Overlap-safe copy towards higher addresses ({@code to > from}): copies from the end. */
    private static void moveBack(final MutableDirectBuffer buffer, final int from, final int to, final int length)
    {
        int remaining = length;
        while (remaining >= 8)
        {
            remaining -= 8;
            buffer.putLong(to + remaining, buffer.getLong(from + remaining));
        }
        while (remaining > 0)
        {
            remaining--;
            buffer.putByte(to + remaining, buffer.getByte(from + remaining));
        }
    }
}
