package org.vbgw.dataplane.packet;

import org.agrona.MutableDirectBuffer;

/**
 * Walks a frame's Ethernet header and up to two VLAN tags (untagged, 802.1Q, QinQ) to the L3
 * EtherType, filling an {@link L2Header}.
 * <p>
 * Stateless and allocation-free; safe on any thread given one {@link L2Header} and {@link FrameView} per thread. A tag is
 * recognised by TPID 0x8100 or 0x88A8 in either position: switches build QinQ as 0x88A8/0x8100,
 * but 0x8100/0x8100 ("double 802.1Q") is common too, and the outer TPID is reported so a reply can
 * use the same.
 */
public final class FrameParser
{
    private FrameParser()
    {
    }

    /**
     * Parses the frame of {@code length} bytes at {@code offset} into {@code out}, for a frame not yet in a view
     * (the punt path, tests): {@code view}, the caller's, is pointed at it first.
     *
     * @return {@link PacketError#OK}, or {@link PacketError#FRAME_TOO_SHORT} (also for a frame that does not lie
     * inside its buffer), {@link PacketError#TOO_MANY_VLAN_TAGS}, {@link PacketError#VLAN_VID_RESERVED},
     * {@link PacketError#ETHERTYPE_IS_LENGTH}.
     */
    public static int parse(final FrameView view, final MutableDirectBuffer buffer, final int offset, final int length,
        final L2Header out)
    {
        if (!view.wrap(buffer, offset, length))
        {
            out.frameOffset = offset;
            out.frameLength = length;
            out.tagCount = 0;
            return PacketError.FRAME_TOO_SHORT;
        }
        return parse(view, out);
    }

    /**
     * Parses the frame in {@code frame} into {@code out}. The frame's place in its buffer was verified once (by
     * {@link FrameView#wrap}), so each read skips the bounds check: every read lies below the length just compared.
     *
     * @return as {@link #parse(FrameView, MutableDirectBuffer, int, int, L2Header)}.
     */
    public static int parse(final FrameView frame, final L2Header out)
    {
        final int offset = frame.offset();
        final int length = frame.length();
        out.frameOffset = offset;
        out.frameLength = length;
        out.tagCount = 0;
        out.outerTpid = 0;
        out.outerVid = 0;
        out.outerPcp = 0;
        out.innerVid = 0;
        if (length < EthernetFlyweight.HEADER_LENGTH)
        {
            return PacketError.FRAME_TOO_SHORT;
        }

        int typeIndex = offset + EthernetFlyweight.ETHER_TYPE_OFFSET;
        int type = frame.getShort(typeIndex);
        if (VlanTagFlyweight.isTpid(type))
        {
            if (length < EthernetFlyweight.HEADER_LENGTH + VlanTagFlyweight.TAG_LENGTH)
            {
                return PacketError.FRAME_TOO_SHORT;
            }
            final int tci = frame.getShort(typeIndex + VlanTagFlyweight.TCI_OFFSET);
            out.tagCount = 1;
            out.outerTpid = type;
            out.outerPcp = tci >>> 13;
            out.outerVid = tci & VlanTagFlyweight.VID_MASK;
            typeIndex += VlanTagFlyweight.TAG_LENGTH;
            type = frame.getShort(typeIndex);

            if (VlanTagFlyweight.isTpid(type))
            {
                if (length < EthernetFlyweight.HEADER_LENGTH + 2 * VlanTagFlyweight.TAG_LENGTH)
                {
                    return PacketError.FRAME_TOO_SHORT;
                }
                out.tagCount = 2;
                out.innerVid = frame.getShort(typeIndex + VlanTagFlyweight.TCI_OFFSET) & VlanTagFlyweight.VID_MASK;
                typeIndex += VlanTagFlyweight.TAG_LENGTH;
                type = frame.getShort(typeIndex);
                if (VlanTagFlyweight.isTpid(type))
                {
                    return PacketError.TOO_MANY_VLAN_TAGS;
                }
            }
            if (out.outerVid == VlanTagFlyweight.VID_MASK || out.innerVid == VlanTagFlyweight.VID_MASK)
            {
                return PacketError.VLAN_VID_RESERVED;
            }
        }

        out.l3EtherType = type;
        out.l3Offset = typeIndex + 2;
        out.l3Length = offset + length - out.l3Offset;
        if (type < EthernetFlyweight.ETHER_TYPE_MIN)
        {
            return PacketError.ETHERTYPE_IS_LENGTH;
        }
        return PacketError.OK;
    }
}
