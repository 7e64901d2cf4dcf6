package org.vbgw.dataplane.packet;

/**
 * What {@link FrameParser} learnt about a frame's Ethernet and VLAN encapsulation: a mutable,
 * reusable result, one per pipeline thread, overwritten by every parse (no allocation per frame).
 * <p>
 * Fields are meaningful only after a parse that returned {@link PacketError#OK}. VIDs are 0 when
 * the tag is absent, which is also how a priority-only tag (VID 0) reads: both mean "VLAN 0", the
 * untagged VIF, as the design wants.
 */
public final class L2Header
{
    /** Offset of the frame (its destination MAC) in the buffer. */
    public int frameOffset;
    /** Length of the frame, from the destination MAC to the end of the payload (no FCS). */
    public int frameLength;
    /** Number of VLAN tags: 0, 1 or 2. */
    public int tagCount;
    /** TPID of the outer tag (0x8100 or 0x88A8), 0 when untagged. */
    public int outerTpid;
    /** VID of the outer tag, 0 when untagged. */
    public int outerVid;
    /** PCP of the outer tag, 0 when untagged. */
    public int outerPcp;
    /** VID of the inner tag of a QinQ frame, 0 otherwise. */
    public int innerVid;
    /** EtherType after the tags: what the L3 header is. */
    public int l3EtherType;
    /** Offset of the L3 header in the buffer. */
    public int l3Offset;
    /** Bytes from the L3 header to the end of the frame (may include Ethernet padding). */
    public int l3Length;

    /** Length of the Ethernet header including tags. */
    public int l2Length()
    {
        return l3Offset - frameOffset;
    }

    /** Resets every field to zero. */
    public void reset()
    {
        frameOffset = 0;
        frameLength = 0;
        tagCount = 0;
        outerTpid = 0;
        outerVid = 0;
        outerPcp = 0;
        innerVid = 0;
        l3EtherType = 0;
        l3Offset = 0;
        l3Length = 0;
    }

    @Override
    public String toString()
    {
        return "L2Header{tags=" + tagCount + ", outerTpid=0x" + Integer.toHexString(outerTpid) +
            ", outerVid=" + outerVid + ", innerVid=" + innerVid +
            ", l3EtherType=0x" + Integer.toHexString(l3EtherType) +
            ", l3Offset=" + l3Offset + ", l3Length=" + l3Length + '}';
    }
}
