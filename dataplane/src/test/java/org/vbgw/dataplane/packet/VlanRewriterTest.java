package org.vbgw.dataplane.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class VlanRewriterTest
{
    private static final String MACS = "020000000002 020000000001";
    private static final String PAYLOAD = "0800 45000014 00000000 40010000 0a000001 0a000002";

    /** Buffer with {@code headroom} bytes, the frame, and 16 bytes of tailroom. */
    private static UnsafeBuffer place(final String hex, final int headroom)
    {
        final byte[] frame = Hex.bytes(hex);
        final byte[] data = new byte[headroom + frame.length + 16];
        System.arraycopy(frame, 0, data, headroom, frame.length);
        return new UnsafeBuffer(data);
    }

    @Test
    void pushIntoHeadroomMovesOnlyMacs()
    {
        final String untagged = MACS + PAYLOAD;
        final int length = Hex.bytes(untagged).length;
        final UnsafeBuffer buffer = place(untagged, VlanRewriter.HEADROOM);
        final int offset = VlanRewriter.pushTag(buffer, 8, length, 0x8100, 100);
        assertEquals(4, offset);
        assertEquals(Hex.norm(MACS + "8100 0064" + PAYLOAD), Hex.of(buffer, offset, length + 4));

        final int qinq = VlanRewriter.pushTag(buffer, offset, length + 4, 0x88A8, 200);
        assertEquals(0, qinq);
        assertEquals(Hex.norm(MACS + "88a8 00c8 8100 0064" + PAYLOAD), Hex.of(buffer, qinq, length + 8));

        final L2Header l2 = new L2Header();
        assertEquals(PacketError.OK, FrameParser.parse(new FrameView(), buffer, qinq, length + 8, l2));
        assertEquals(200, l2.outerVid);
        assertEquals(100, l2.innerVid);

        final int popped = VlanRewriter.popTag(buffer, qinq, length + 8);
        assertEquals(4, popped);
        assertEquals(Hex.norm(MACS + "8100 0064" + PAYLOAD), Hex.of(buffer, popped, length + 4));
        final int untaggedAgain = VlanRewriter.popTag(buffer, popped, length + 4);
        assertEquals(8, untaggedAgain);
        assertEquals(Hex.norm(untagged), Hex.of(buffer, untaggedAgain, length));
    }

    @Test
    void pushWithoutHeadroomMovesPayloadBack()
    {
        final String single = MACS + "8100 0064" + PAYLOAD;
        final int length = Hex.bytes(single).length;
        final UnsafeBuffer buffer = place(single, 2);
        final int offset = VlanRewriter.pushTag(buffer, 2, length, 0x88A8, 0x2000 | 300);
        assertEquals(2, offset);
        assertEquals(Hex.norm(MACS + "88a8 212c 8100 0064" + PAYLOAD), Hex.of(buffer, offset, length + 4));
    }

    @Test
    void pushWithNeitherHeadroomNorTailroomFails()
    {
        final byte[] frame = Hex.bytes(MACS + PAYLOAD);
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        assertEquals(-PacketError.BUFFER_TOO_SMALL, VlanRewriter.pushTag(buffer, 0, frame.length, 0x8100, 1));
        assertEquals(-PacketError.FRAME_TOO_SHORT, VlanRewriter.pushTag(buffer, 0, 13, 0x8100, 1));
    }

    @Test
    void popUntaggedFails()
    {
        final String untagged = MACS + PAYLOAD;
        final UnsafeBuffer buffer = place(untagged, 8);
        assertEquals(-PacketError.VLAN_TAG_ABSENT, VlanRewriter.popTag(buffer, 8, Hex.bytes(untagged).length));
        assertEquals(-PacketError.FRAME_TOO_SHORT, VlanRewriter.popTag(buffer, 8, 17));
    }

    @Test
    void setVidOfOuterAndInnerKeepsPcp()
    {
        final String qinq = MACS + "88a8 a0c8 8100 e064" + PAYLOAD;
        final int length = Hex.bytes(qinq).length;
        final UnsafeBuffer buffer = place(qinq, 8);
        assertEquals(8, VlanRewriter.setVid(buffer, 8, length, 0, 4094));
        assertEquals(8, VlanRewriter.setVid(buffer, 8, length, 1, 7));
        assertEquals(Hex.norm(MACS + "88a8 affe 8100 e007" + PAYLOAD), Hex.of(buffer, 8, length));
        assertEquals(-PacketError.BAD_ARGUMENT, VlanRewriter.setVid(buffer, 8, length, 0, 4095));
        assertEquals(-PacketError.BAD_ARGUMENT, VlanRewriter.setVid(buffer, 8, length, 2, 1));

        final String single = MACS + "8100 0064" + PAYLOAD;
        final UnsafeBuffer singleBuffer = place(single, 8);
        assertEquals(-PacketError.VLAN_TAG_ABSENT, VlanRewriter.setVid(singleBuffer, 8, Hex.bytes(single).length, 1, 5));
        final String untagged = MACS + PAYLOAD;
        final UnsafeBuffer untaggedBuffer = place(untagged, 8);
        assertEquals(-PacketError.VLAN_TAG_ABSENT,
            VlanRewriter.setVid(untaggedBuffer, 8, Hex.bytes(untagged).length, 0, 5));
    }

    @Test
    void retagBetweenEveryEncapsulation()
    {
        final String[] tags = {"", "8100 0064", "88a8 00c8 8100 0064"};
        final int[][] vids = {{0, 0}, {100, 0}, {200, 100}};
        for (int from = 0; from < 3; from++)
        {
            for (int to = 0; to < 3; to++)
            {
                final String frame = MACS + tags[from] + PAYLOAD;
                final int length = Hex.bytes(frame).length;
                final UnsafeBuffer buffer = place(frame, VlanRewriter.HEADROOM);
                final EthernetEncap encap = new EthernetEncap().set(0, vids[to][0], vids[to][1]);
                final int offset = VlanRewriter.retag(buffer, VlanRewriter.HEADROOM, length, from, encap);
                final int newLength = length + 4 * (to - from);
                assertEquals(VlanRewriter.HEADROOM - 4 * (to - from), offset, from + "->" + to);
                assertEquals(Hex.norm(MACS + tags[to] + PAYLOAD), Hex.of(buffer, offset, newLength), from + "->" + to);
            }
        }
    }
}
