package org.vbgw.dataplane.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class NdpTest
{
    private static final long GW_MAC = 0x020000000001L;
    private static final long HOST_MAC = 0x020000000002L;
    private static final long HI = 0x20010DB800000000L;
    private static final long GW_LO = 1L;
    private static final long HOST_LO = 0x11223344L;

    static final String NS = "3333ff223344 020000000001 8100 0064 86dd" +
        "60000000 0020 3a ff 20010db8000000000000000000000001 ff0200000000000000000001ff223344" +
        "8700 a45e 00000000 20010db8000000000000000011223344 0101 020000000001";
    static final String NA = "020000000002 020000000001 86dd" +
        "60000000 0020 3a ff 20010db8000000000000000000000001 20010db8000000000000000011223344" +
        "8800 c60e e0000000 20010db8000000000000000000000001 0201 020000000001";

    private final NdpPacketBuilder builder = new NdpPacketBuilder();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[256]);

    @Test
    void solicitationGoesToSolicitedNodeGroupAndItsMac()
    {
        final int length = builder.solicitation(out, 0, new EthernetEncap().set(GW_MAC, 100, 0), HI, GW_LO, HI, HOST_LO);
        // ff02::1:ff22:3344 and 33:33:ff:22:33:44 from the low 24 bits of 2001:db8::1122:3344
        // (RFC 4291 §2.7.1, RFC 2464 §7); checksum from an independent sum.
        assertEquals(Hex.norm(NS), Hex.of(out, 0, length));
        assertEquals(0x3333FF223344L, new EthernetFlyweight().wrap(out, 0).dstMac());
        final byte[] frame = new byte[length];
        out.getBytes(0, frame);
        assertTrue(Rfc1071.icmpv6Verifies(frame, 18, 32));
    }

    @Test
    void solicitedNodeAddressHelpers()
    {
        assertEquals(0x00000001FFABCDEFL, NdpPacketBuilder.solicitedNodeLo(0x1234567890ABCDEFL));
        assertEquals(0x3333FFABCDEFL, NdpPacketBuilder.multicastMac(0x00000001FFABCDEFL));
        assertEquals(0x333300000001L, NdpPacketBuilder.multicastMac(NdpPacketBuilder.ALL_NODES_LO));
    }

    @Test
    void unicastSolicitationForReachabilityProbe()
    {
        final int length = builder.unicastSolicitation(out, 0, new EthernetEncap().set(GW_MAC, 0, 0), HOST_MAC, HI, GW_LO,
            HI, HOST_LO);
        assertEquals(14 + 40 + 32, length);
        assertEquals(HOST_MAC, new EthernetFlyweight().wrap(out, 0).dstMac());
        final Ipv6Flyweight ip = new Ipv6Flyweight().wrap(out, 14);
        assertEquals(HI, ip.dstHi());
        assertEquals(HOST_LO, ip.dstLo());
        final byte[] frame = new byte[length];
        out.getBytes(0, frame);
        assertTrue(Rfc1071.icmpv6Verifies(frame, 14, 32));
    }

    @Test
    void advertisementAnsweringASolicitation()
    {
        final int length = builder.advertisement(out, 0, new EthernetEncap().set(GW_MAC, 0, 0), HOST_MAC, HI, HOST_LO,
            HI, GW_LO, NdpFlyweight.FLAG_ROUTER | NdpFlyweight.FLAG_SOLICITED | NdpFlyweight.FLAG_OVERRIDE);
        assertEquals(Hex.norm(NA), Hex.of(out, 0, length));
    }

    @Test
    void advertisementAnsweringDadGoesToAllNodesWithoutSolicitedFlag()
    {
        final int length = builder.advertisement(out, 0, new EthernetEncap().set(GW_MAC, 0, 0), HOST_MAC, 0, 0,
            HI, GW_LO, NdpFlyweight.FLAG_ROUTER | NdpFlyweight.FLAG_SOLICITED | NdpFlyweight.FLAG_OVERRIDE);
        assertEquals(Hex.norm("333300000001 020000000001 86dd" +
            "60000000 0020 3a ff 20010db8000000000000000000000001 ff020000000000000000000000000001" +
            "8800 792a a0000000 20010db8000000000000000000000001 0201 020000000001"),
            Hex.of(out, 0, length));
    }

    @Test
    void flyweightParsesSolicitationAndOptions()
    {
        final UnsafeBuffer frame = new UnsafeBuffer(Hex.bytes(NS));
        final NdpFlyweight ndp = new NdpFlyweight().wrap(frame, 58);
        assertEquals(PacketError.OK, new Icmpv6Flyweight().wrap(frame, 58).validate(18, 32));
        assertEquals(PacketError.OK, ndp.validate(32, 255));
        assertEquals(HI, ndp.targetHi());
        assertEquals(HOST_LO, ndp.targetLo());
        assertEquals(GW_MAC, ndp.linkLayerAddressOption(NdpFlyweight.OPTION_SOURCE_LINK_LAYER_ADDRESS, 32));
        assertEquals(NdpFlyweight.NO_MAC, ndp.linkLayerAddressOption(NdpFlyweight.OPTION_TARGET_LINK_LAYER_ADDRESS, 32));

        final NdpFlyweight na = new NdpFlyweight().wrap(new UnsafeBuffer(Hex.bytes(NA)), 54);
        assertTrue(na.isRouter());
        assertTrue(na.isSolicited());
        assertTrue(na.isOverride());
        assertEquals(GW_MAC, na.linkLayerAddressOption(NdpFlyweight.OPTION_TARGET_LINK_LAYER_ADDRESS, 32));
        final NdpFlyweight ns = new NdpFlyweight().wrap(frame, 58);
        assertFalse(ns.isSolicited());
    }

    @Test
    void everyMalformedReason()
    {
        assertEquals(PacketError.NDP_BAD_HOP_LIMIT, ndpOf(NS).validate(32, 254));
        assertEquals(PacketError.NDP_MALFORMED, ndpOf(NS).validate(23, 255));
        final UnsafeBuffer badCode = new UnsafeBuffer(Hex.bytes(NS));
        badCode.putByte(59, (byte)1);
        assertEquals(PacketError.NDP_MALFORMED, new NdpFlyweight().wrap(badCode, 58).validate(32, 255));
        final UnsafeBuffer multicastTarget = new UnsafeBuffer(Hex.bytes(NS));
        multicastTarget.putByte(66, (byte)0xFF);
        assertEquals(PacketError.NDP_TARGET_MULTICAST, new NdpFlyweight().wrap(multicastTarget, 58).validate(32, 255));
        final UnsafeBuffer zeroOption = new UnsafeBuffer(Hex.bytes(NS));
        zeroOption.putByte(58 + 25, (byte)0);
        assertEquals(PacketError.NDP_BAD_OPTION, new NdpFlyweight().wrap(zeroOption, 58).validate(32, 255));
        final UnsafeBuffer longOption = new UnsafeBuffer(Hex.bytes(NS));
        longOption.putByte(58 + 25, (byte)2);
        assertEquals(PacketError.NDP_BAD_OPTION, new NdpFlyweight().wrap(longOption, 58).validate(32, 255));
        assertEquals(PacketError.NDP_BAD_OPTION, ndpOf(NS).validate(25, 255));
        final UnsafeBuffer badChecksum = new UnsafeBuffer(Hex.bytes(NS));
        badChecksum.putByte(89, (byte)0x77);
        assertEquals(PacketError.ICMP_BAD_CHECKSUM, new Icmpv6Flyweight().wrap(badChecksum, 58).validate(18, 32));
        assertEquals(PacketError.ICMP_TOO_SHORT, new Icmpv6Flyweight().wrap(badChecksum, 58).validate(18, 7));
    }

    private static NdpFlyweight ndpOf(final String hex)
    {
        return new NdpFlyweight().wrap(new UnsafeBuffer(Hex.bytes(hex)), 58);
    }
}
