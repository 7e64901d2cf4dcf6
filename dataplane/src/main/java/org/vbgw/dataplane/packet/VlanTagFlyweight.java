package org.vbgw.dataplane.packet;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over one VLAN tag: IEEE 802.1Q C-tag (TPID 0x8100) or 802.1ad S-tag (TPID 0x88A8),
 * followed by the EtherType (or next tag's TPID) it encapsulates.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       TPID (0x8100/0x88A8)    | PCP |D|         VID           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Encapsulated EtherType/TPID  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The 16 bits after the TPID are the TCI: PCP (priority code point, 3 bits), DEI (drop eligible,
 * 1 bit; CFI in older 802.1Q), VID (12 bits; 0 = priority tag only, 0xFFF reserved).
 * Wrap it at the TPID, i.e. frame offset + 12 for the outer tag. Not thread-safe.
 */
public final class VlanTagFlyweight
{
    /** Offset of the tag protocol identifier. */
    public static final int TPID_OFFSET = 0;
    /** Offset of the tag control information (PCP, DEI, VID). */
    public static final int TCI_OFFSET = 2;
    /** Offset of the EtherType the tag encapsulates. */
    public static final int ENCAPSULATED_TYPE_OFFSET = 4;
    /** Bytes a tag adds to a frame. */
    public static final int TAG_LENGTH = 4;
    /** Largest usable VID; 0xFFF is reserved (IEEE 802.1Q Table 9-2). */
    public static final int MAX_VID = 0xFFE;
    /** Mask of the VID in the TCI. */
    public static final int VID_MASK = 0x0FFF;

    private MutableDirectBuffer buffer;
    private int offset;

    /** Points this flyweight at a tag whose TPID starts at {@code offset}. */
    public VlanTagFlyweight wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public int tpid()
    {
        return buffer.getShort(offset + TPID_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public VlanTagFlyweight tpid(final int tpid)
    {
        buffer.putShort(offset + TPID_OFFSET, (short)tpid, ByteOrder.BIG_ENDIAN);
        return this;
    }

    public int tci()
    {
        return buffer.getShort(offset + TCI_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public VlanTagFlyweight tci(final int tci)
    {
        buffer.putShort(offset + TCI_OFFSET, (short)tci, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** Priority code point, 0–7. */
    public int pcp()
    {
        return tci() >>> 13;
    }

    public VlanTagFlyweight pcp(final int pcp)
    {
        return tci((tci() & 0x1FFF) | (pcp & 0x7) << 13);
    }

    /** Drop eligible indicator. */
    public boolean dei()
    {
        return (tci() & 0x1000) != 0;
    }

    public VlanTagFlyweight dei(final boolean dei)
    {
        return tci(dei ? tci() | 0x1000 : tci() & ~0x1000);
    }

    /** VLAN identifier, 0–4095. */
    public int vid()
    {
        return tci() & VID_MASK;
    }

    /** Sets the VID, keeping PCP and DEI. */
    public VlanTagFlyweight vid(final int vid)
    {
        return tci((tci() & ~VID_MASK) | (vid & VID_MASK));
    }

    /** EtherType (or next TPID) after this tag. */
    public int encapsulatedType()
    {
        return buffer.getShort(offset + ENCAPSULATED_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    public VlanTagFlyweight encapsulatedType(final int etherType)
    {
        buffer.putShort(offset + ENCAPSULATED_TYPE_OFFSET, (short)etherType, ByteOrder.BIG_ENDIAN);
        return this;
    }

    /** True for the TPIDs vbgw recognises as a VLAN tag. */
    public static boolean isTpid(final int etherType)
    {
        return etherType == EthernetFlyweight.ETHER_TYPE_VLAN || etherType == EthernetFlyweight.ETHER_TYPE_QINQ;
    }
}
