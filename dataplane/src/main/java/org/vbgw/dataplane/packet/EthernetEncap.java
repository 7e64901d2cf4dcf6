package org.vbgw.dataplane.packet;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

/**
 * How a frame leaves an egress interface: source MAC and VLAN tags. The packet builders write the
 * Ethernet header through this, since replies leave on a VIF (a port plus 0, 1 or 2 tags).
 * <p>
 * Mutable and reusable: the pipeline keeps one per VIF, or one per thread that it fills per reply.
 * VID 0 means "no tag": outer 0 → untagged; outer set, inner 0 → one 802.1Q tag (TPID 0x8100);
 * both set → QinQ, the outer tag with {@link #qinqOuterTpid} (802.1ad 0x88A8 by default; some
 * switches want 0x8100), the inner with 0x8100. PCP and DEI are written as 0.
 */
public final class EthernetEncap
{
    /** Source MAC of frames built with this encapsulation. */
    public long srcMac;
    /** Outer VID, 0 for untagged. */
    public int outerVid;
    /** Inner VID of QinQ, 0 for none; ignored when {@link #outerVid} is 0. */
    public int innerVid;
    /** TPID of the outer tag of QinQ frames. */
    public int qinqOuterTpid = EthernetFlyweight.ETHER_TYPE_QINQ;

    /** Sets source MAC and tags; returns this for chaining. */
    public EthernetEncap set(final long srcMac, final int outerVid, final int innerVid)
    {
        this.srcMac = srcMac;
        this.outerVid = outerVid;
        this.innerVid = innerVid;
        return this;
    }

    /** Bytes {@link #write} writes: 14, 18 or 22. */
    public int headerLength()
    {
        if (outerVid == 0)
        {
            return EthernetFlyweight.HEADER_LENGTH;
        }
        return EthernetFlyweight.HEADER_LENGTH + (innerVid == 0 ? 1 : 2) * VlanTagFlyweight.TAG_LENGTH;
    }

    /**
     * Writes destination and source MAC, the tags and {@code etherType} at {@code offset}.
     *
     * @return the header length, i.e. the offset of the L3 header relative to {@code offset}.
     */
    public int write(final MutableDirectBuffer buffer, final int offset, final long dstMac, final int etherType)
    {
        EthernetFlyweight.writeMac(buffer, offset + EthernetFlyweight.DST_MAC_OFFSET, dstMac);
        EthernetFlyweight.writeMac(buffer, offset + EthernetFlyweight.SRC_MAC_OFFSET, srcMac);
        int index = offset + EthernetFlyweight.ETHER_TYPE_OFFSET;
        if (outerVid != 0)
        {
            if (innerVid != 0)
            {
                buffer.putInt(index, qinqOuterTpid << 16 | (outerVid & VlanTagFlyweight.VID_MASK), ByteOrder.BIG_ENDIAN);
                index += VlanTagFlyweight.TAG_LENGTH;
                buffer.putInt(
                    index,
                    EthernetFlyweight.ETHER_TYPE_VLAN << 16 | (innerVid & VlanTagFlyweight.VID_MASK),
                    ByteOrder.BIG_ENDIAN);
            }
            else
            {
                buffer.putInt(
                    index,
                    EthernetFlyweight.ETHER_TYPE_VLAN << 16 | (outerVid & VlanTagFlyweight.VID_MASK),
                    ByteOrder.BIG_ENDIAN);
            }
            index += VlanTagFlyweight.TAG_LENGTH;
        }
        buffer.putShort(index, (short)etherType, ByteOrder.BIG_ENDIAN);
        return index + 2 - offset;
    }
}
