package org.vbgw.dataplane.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class FrameParserTest
{
    private static final String MACS = "020000000002 020000000001";
    private final L2Header l2 = new L2Header();

    private int parse(final String hex)
    {
        final byte[] frame = Hex.bytes(hex);
        // Place the frame at offset 8 to check that offsets are absolute in the buffer.
        final byte[] withHeadroom = new byte[frame.length + 8];
        System.arraycopy(frame, 0, withHeadroom, 8, frame.length);
        return FrameParser.parse(new FrameView(), new UnsafeBuffer(withHeadroom), 8, frame.length, l2);
    }

    @Test
    void untagged()
    {
        assertEquals(PacketError.OK, parse(MACS + "0800 4500"));
        assertEquals(0, l2.tagCount);
        assertEquals(0, l2.outerVid);
        assertEquals(0, l2.innerVid);
        assertEquals(0x0800, l2.l3EtherType);
        assertEquals(8 + 14, l2.l3Offset);
        assertEquals(2, l2.l3Length);
        assertEquals(14, l2.l2Length());
    }

    @Test
    void single8021QTag()
    {
        // PCP 5, DEI 1, VID 100 (0x064): TCI = 101 1 000001100100 = 0xB064.
        assertEquals(PacketError.OK, parse(MACS + "8100 b064 86dd 6000"));
        assertEquals(1, l2.tagCount);
        assertEquals(0x8100, l2.outerTpid);
        assertEquals(100, l2.outerVid);
        assertEquals(5, l2.outerPcp);
        assertEquals(0, l2.innerVid);
        assertEquals(0x86DD, l2.l3EtherType);
        assertEquals(8 + 18, l2.l3Offset);
        assertEquals(2, l2.l3Length);
    }

    @Test
    void qinq8021adOuter()
    {
        assertEquals(PacketError.OK, parse(MACS + "88a8 00c8 8100 0064 0806 0001"));
        assertEquals(2, l2.tagCount);
        assertEquals(0x88A8, l2.outerTpid);
        assertEquals(200, l2.outerVid);
        assertEquals(100, l2.innerVid);
        assertEquals(0x0806, l2.l3EtherType);
        assertEquals(8 + 22, l2.l3Offset);
    }

    @Test
    void qinqDouble8021Q()
    {
        assertEquals(PacketError.OK, parse(MACS + "8100 0ffe 8100 0001 0800"));
        assertEquals(2, l2.tagCount);
        assertEquals(0x8100, l2.outerTpid);
        assertEquals(4094, l2.outerVid);
        assertEquals(1, l2.innerVid);
        assertEquals(0, l2.l3Length);
    }

    @Test
    void priorityTagReadsAsVlanZero()
    {
        assertEquals(PacketError.OK, parse(MACS + "8100 e000 0800 45"));
        assertEquals(1, l2.tagCount);
        assertEquals(0, l2.outerVid);
        assertEquals(7, l2.outerPcp);
    }

    @Test
    void tooShortForEthernet()
    {
        assertEquals(PacketError.FRAME_TOO_SHORT, parse("020000000002 020000000001 08"));
        assertEquals(PacketError.FRAME_TOO_SHORT, parse(""));
    }

    @Test
    void tooShortForAnnouncedTags()
    {
        assertEquals(PacketError.FRAME_TOO_SHORT, parse(MACS + "8100 0064 08"));
        assertEquals(PacketError.FRAME_TOO_SHORT, parse(MACS + "88a8 0064 8100 0001 08"));
    }

    @Test
    void threeTagsRejected()
    {
        assertEquals(PacketError.TOO_MANY_VLAN_TAGS, parse(MACS + "88a8 0001 8100 0002 8100 0003 0800"));
    }

    @Test
    void reservedVidRejected()
    {
        assertEquals(PacketError.VLAN_VID_RESERVED, parse(MACS + "8100 0fff 0800"));
        assertEquals(PacketError.VLAN_VID_RESERVED, parse(MACS + "88a8 0001 8100 0fff 0800"));
    }

    @Test
    void ieee8023LengthFieldRejected()
    {
        // An STP BPDU: 802.3 length 0x0026 then LLC 42 42 03.
        assertEquals(PacketError.ETHERTYPE_IS_LENGTH, parse("0180c2000000 020000000001 0026 424203"));
    }

    @Test
    void ethernetFlyweightMacsAsLongs()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(Hex.bytes("ffffffffffff 0a1b2c3d4e5f 0806"));
        final EthernetFlyweight eth = new EthernetFlyweight().wrap(buffer, 0);
        assertEquals(EthernetFlyweight.BROADCAST_MAC, eth.dstMac());
        assertEquals(0x0A1B2C3D4E5FL, eth.srcMac());
        assertEquals(0x0806, eth.etherType());
        eth.dstMac(0x3333FF000001L).srcMac(0x020000000001L).etherType(0x86DD);
        assertEquals(Hex.norm("3333ff000001 020000000001 86dd"), Hex.of(buffer, 0, 14));
        assertEquals(true, EthernetFlyweight.isMulticast(0x3333FF000001L));
        assertEquals(false, EthernetFlyweight.isMulticast(0x020000000001L));
    }

    @Test
    void vlanTagFlyweightFields()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(Hex.bytes("8100 b064 0800"));
        final VlanTagFlyweight tag = new VlanTagFlyweight().wrap(buffer, 0);
        assertEquals(0x8100, tag.tpid());
        assertEquals(5, tag.pcp());
        assertEquals(true, tag.dei());
        assertEquals(100, tag.vid());
        assertEquals(0x0800, tag.encapsulatedType());
        tag.vid(4094).pcp(1).dei(false).tpid(0x88A8).encapsulatedType(0x86DD);
        assertEquals(Hex.norm("88a8 2ffe 86dd"), Hex.of(buffer, 0, 6));
    }

    @Test
    void encapWritesUntaggedSingleAndQinq()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[32]);
        final EthernetEncap encap = new EthernetEncap().set(0x020000000001L, 0, 0);
        assertEquals(14, encap.write(buffer, 0, 0x020000000002L, 0x0800));
        assertEquals(Hex.norm(MACS + "0800"), Hex.of(buffer, 0, 14));
        encap.set(0x020000000001L, 100, 0);
        assertEquals(18, encap.write(buffer, 0, 0x020000000002L, 0x0800));
        assertEquals(Hex.norm(MACS + "8100 0064 0800"), Hex.of(buffer, 0, 18));
        encap.set(0x020000000001L, 200, 100);
        assertEquals(22, encap.headerLength());
        assertEquals(22, encap.write(buffer, 0, 0x020000000002L, 0x86DD));
        assertEquals(Hex.norm(MACS + "88a8 00c8 8100 0064 86dd"), Hex.of(buffer, 0, 22));
        encap.qinqOuterTpid = 0x8100;
        encap.write(buffer, 0, 0x020000000002L, 0x86DD);
        assertEquals(Hex.norm(MACS + "8100 00c8 8100 0064 86dd"), Hex.of(buffer, 0, 22));
    }
}
