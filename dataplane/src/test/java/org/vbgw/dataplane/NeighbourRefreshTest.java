package org.vbgw.dataplane;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vbgw.dataplane.neighbour.NeighbourState;
import org.vbgw.dataplane.packet.EthernetEncap;
import org.vbgw.dataplane.packet.InternetChecksum;
import org.vbgw.dataplane.packet.NdpFlyweight;
import org.vbgw.dataplane.packet.NdpPacketBuilder;
import org.vbgw.dataplane.vif.SourceCheck;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.MemoryPort;
import org.vbgw.io.Port;

import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vbgw.dataplane.DataplaneTest.CPE_MAC;
import static org.vbgw.dataplane.DataplaneTest.DX1_MAC;

/**
 * Keeping an IPv6 next hop alive the way a Linux neighbour answers: it resolves with a multicast
 * solicitation (the advertisement carries the target link-layer option), and every refresh is a unicast
 * solicitation that Linux answers without the option (RFC 4861 §7.2.4). Found by the namespace test: the
 * refreshes were ignored and each IPv6 next hop failed 30 s after it resolved.
 */
class NeighbourRefreshTest
{
    private static final IpPrefix GATEWAY = IpPrefix.parse("2001:db8:1::1");
    private static final IpPrefix CPE = IpPrefix.parse("2001:db8:1::2");
    private static final int NS_TYPE = 135;

    private final MemoryPort[] idc = MemoryPort.pair("idc", "idc-peer", 1 << 20, 1500);
    private long now = 1_000_000_000L;
    private final Dataplane dp = new Dataplane(new Port[] {idc[0]}, Dataplane.Config.defaults(), () -> now);

    @AfterEach
    void tearDown()
    {
        dp.close();
    }

    @Test
    void solicitedAdvertisementsWithoutTheLinkLayerOptionKeepTheNeighbourReachable()
    {
        dp.addVif(new Vif(0, "dx1", 0, 100, 0, 0, DX1_MAC, 1500, List.of(GATEWAY), List.of(), SourceCheck.OFF, true), null);
        dp.addNextHop(1, 0, true, CPE.hi(), CPE.lo());
        assertEquals(1, answerSolicitations(true), "the first, multicast, solicitation");
        assertNotNull(dp.adjacencies().get(1));

        int unicastRefreshes = 0;
        for (int second = 1; second <= 70; second++)
        {
            now += 1_000_000_000L;
            unicastRefreshes += answerSolicitations(false);
            final int entry = dp.neighbours().find(0, true, CPE.hi(), CPE.lo());
            assertTrue(NeighbourState.usable(dp.neighbours().state(entry)),
                "at " + second + " s: " + NeighbourState.name(dp.neighbours().state(entry)));
            assertNotNull(dp.adjacencies().get(1), "adjacency kept at " + second + " s");
            assertTrue(dp.fib().nextHop(1).alive(), "next hop alive at " + second + " s");
        }
        assertEquals(2, unicastRefreshes, "one refresh per 25 s, each confirmed by its first answer");
        assertEquals(CPE_MAC, dp.adjacencies().get(1).dstMac());
    }

    /** Runs the data plane, answers every solicitation it sent to the neighbour; returns how many it sent. */
    private int answerSolicitations(final boolean withLinkLayerOption)
    {
        int answered = 0;
        for (int round = 0; round < 4; round++)
        {
            dp.doWorkerWork();
            dp.doControlWork();
            for (final byte[] f : DataplaneTest.drain(idc[1]))
            {
                if (f.length > 18 + 40 && (f[16] & 0xFF) == 0x86 && (f[17] & 0xFF) == 0xDD && (f[18 + 40] & 0xFF) == NS_TYPE)
                {
                    DataplaneTest.send(idc[1], advertisement(withLinkLayerOption));
                    answered++;
                }
            }
        }
        return answered;
    }

    /** The neighbour's solicited advertisement, tagged VLAN 100, with or without its link-layer option. */
    private static byte[] advertisement(final boolean withLinkLayerOption)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final EthernetEncap encap = new EthernetEncap();
        encap.set(CPE_MAC, 100, 0);
        final int length = new NdpPacketBuilder().advertisement(buffer, 0, encap, DX1_MAC, GATEWAY.hi(), GATEWAY.lo(),
            CPE.hi(), CPE.lo(), NdpFlyweight.FLAG_SOLICITED | NdpFlyweight.FLAG_OVERRIDE);
        if (withLinkLayerOption)
        {
            return Arrays.copyOf(buffer.byteArray(), length);
        }
        final int ip = 18;
        final int icmp = ip + 40;
        final int icmpLength = NdpFlyweight.MIN_LENGTH;
        buffer.putShort(ip + 4, (short)icmpLength, ByteOrder.BIG_ENDIAN);
        buffer.putShort(icmp + 2, (short)0);
        final int checksum = InternetChecksum.finish(InternetChecksum.ipv6PseudoHeader(buffer, ip, 58, icmpLength) +
            InternetChecksum.partial(buffer, icmp, icmpLength));
        buffer.putShort(icmp + 2, (short)checksum, ByteOrder.BIG_ENDIAN);
        return Arrays.copyOf(buffer.byteArray(), icmp + icmpLength);
    }
}
