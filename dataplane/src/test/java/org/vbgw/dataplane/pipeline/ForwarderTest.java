package org.vbgw.dataplane.pipeline;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vbgw.dataplane.adjacency.Adjacency;
import org.vbgw.dataplane.adjacency.AdjacencyTable;
import org.vbgw.dataplane.vif.SourceCheck;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.dataplane.vif.VifTable;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.MemoryPort;
import org.vbgw.io.Port;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vbgw.dataplane.pipeline.TestFrames.checksum;
import static org.vbgw.dataplane.pipeline.TestFrames.mac;
import static org.vbgw.dataplane.pipeline.TestFrames.u16;

/**
 * The pipeline stage by stage on crafted frames: byte-exact output (MACs, tags, TTL, checksums checked by
 * an independent sum), and every drop and ICMP case.
 */
class ForwarderTest
{
    static final long DX1_MAC = 0x02_00_00_00_00_A0L;
    static final long VPC_MAC = 0x02_00_00_00_00_B0L;
    static final long DX2_MAC = 0x02_00_00_00_00_C0L;
    static final long HOST_MAC = 0x02_00_00_00_00_D0L;
    static final long HOST6_MAC = 0x02_00_00_00_00_D1L;
    static final long SMALL_MTU_MAC = 0x02_00_00_00_00_D2L;
    static final long CPE1_MAC = 0x02_00_00_00_00_E1L;
    static final long CPE2_MAC = 0x02_00_00_00_00_E2L;
    static final long SENDER_MAC = 0x02_00_00_00_00_F0L;
    static final long V6 = 0x20010db800000000L;

    final MemoryPort[] idc = MemoryPort.pair("idc", "idc-peer", 1 << 20, 9000);
    final MemoryPort[] vpc = MemoryPort.pair("vpc", "vpc-peer", 1 << 20, 9000);
    final VifTable vifs = new VifTable(2, 16);
    final Fib fib = new Fib();
    final AdjacencyTable adjacencies = new AdjacencyTable(64);
    final RecordingControl control = new RecordingControl();
    WorkerCounters counters;
    Forwarder forwarder;

    /** Records what the worker hands to the control thread. */
    static final class RecordingControl implements ControlPath
    {
        final List<String> events = new ArrayList<>();
        byte[] lastPacket;

        @Override
        public boolean punt(int reason, int port, int vif, DirectBuffer frame, int offset, int length)
        {
            events.add("punt " + reason + " port " + port + " vif " + vif + " len " + length);
            return true;
        }

        @Override
        public boolean awaitNeighbour(int nh, int vif, boolean v6, long hi, long lo, DirectBuffer packet, int offset, int length)
        {
            events.add("await nh " + nh + " vif " + vif + " " + IpPrefix.format(v6, hi, lo) + " len " + length);
            lastPacket = new byte[length];
            packet.getBytes(offset, lastPacket);
            return true;
        }
    }

    @BeforeEach
    void setUp()
    {
        final List<IpPrefix> idcSubnets = List.of(IpPrefix.parse("192.168.0.0/16"), IpPrefix.parse("10.0.0.0/30"),
            IpPrefix.parse("2001:db8:100::/48"));
        vifs.put(new Vif(0, "dx1", 0, 100, 0, 0, DX1_MAC, 1500,
            List.of(IpPrefix.parse("10.0.0.1"), IpPrefix.parse("2001:db8::1")), idcSubnets, SourceCheck.STRICT, true));
        vifs.put(new Vif(1, "vpc", 1, 0, 0, 0, VPC_MAC, 1500,
            List.of(IpPrefix.parse("172.16.0.1"), IpPrefix.parse("2001:db8:ffff::1")), List.of(), SourceCheck.OFF, true));
        vifs.put(new Vif(2, "dx2", 0, 200, 10, 0x88a8, DX2_MAC, 1500,
            List.of(IpPrefix.parse("10.0.0.5")), idcSubnets, SourceCheck.STRICT, true));

        fib.addNextHop(0, 1, "172.16.0.10");
        fib.addNextHop(1, 0, "10.0.0.2");
        fib.addNextHop(2, 2, "10.0.0.6");
        fib.addNextHop(3, 1, "2001:db8:ffff::10");
        fib.addNextHop(4, 1, false, 0, 0);             // attached: 172.17.0.0/16 is a connected subnet
        fib.addNextHop(5, 1, "172.16.0.99");            // never resolved
        fib.addNextHop(6, 1, "172.16.0.11");            // behind a small MTU
        fib.addGroup(0, new int[] {0}, new int[] {1}, Fib.NO_GROUP);
        fib.addGroup(1, new int[] {1, 2}, new int[] {1, 1}, Fib.NO_GROUP);
        fib.addGroup(2, new int[] {3}, new int[] {1}, Fib.NO_GROUP);
        fib.addGroup(3, new int[] {4}, new int[] {1}, Fib.NO_GROUP);
        fib.addGroup(4, new int[] {5}, new int[] {1}, Fib.NO_GROUP);
        fib.addGroup(5, new int[] {6}, new int[] {1}, Fib.NO_GROUP);
        fib.addRoute(IpPrefix.parse("172.16.0.0/16"), 0);
        fib.addRoute(IpPrefix.parse("192.168.0.0/16"), 1);
        fib.addRoute(IpPrefix.parse("2001:db8:ffff::/48"), 2);
        fib.addRoute(IpPrefix.parse("172.17.0.0/16"), 3);
        fib.addRoute(IpPrefix.parse("172.18.0.0/16"), 4);
        fib.addRoute(IpPrefix.parse("172.19.0.0/16"), 5);

        adjacencies.put(new Adjacency(0, 1, 1, 1500, HOST_MAC, VPC_MAC, 0, 0, 0));
        adjacencies.put(new Adjacency(1, 0, 0, 1500, CPE1_MAC, DX1_MAC, 0x8100, 100, 0));
        adjacencies.put(new Adjacency(2, 2, 0, 1500, CPE2_MAC, DX2_MAC, 0x88a8, 200, 10));
        adjacencies.put(new Adjacency(3, 1, 1, 1500, HOST6_MAC, VPC_MAC, 0, 0, 0));
        adjacencies.put(new Adjacency(6, 1, 1, 576, SMALL_MTU_MAC, VPC_MAC, 0, 0, 0));

        counters = new WorkerCounters(new CountersManager(new UnsafeBuffer(new byte[1 << 20]),
            new UnsafeBuffer(new byte[1 << 18])), 0, 16, 64);
        for (int v = 0; v < 3; v++)
        {
            counters.addVif(v, vifs.snapshot().vif(v).name());
        }
        for (int nh = 0; nh < 7; nh++)
        {
            counters.addNextHop(nh, "nh" + nh);
        }
        forwarder = new Forwarder(new Port[] {idc[0], vpc[0]}, vifs, fib, adjacencies, control, counters,
            new TokenBucket(1000, 100, 0));
    }

    /** Injects a frame on a port's far end and runs one poll of that port; returns the verdict. */
    int inject(final int port, final byte[] frame)
    {
        final MemoryPort far = port == 0 ? idc[1] : vpc[1];
        assertTrue(far.send(new UnsafeBuffer(frame), 0, frame.length));
        assertEquals(1, forwarder.poll(port, 16, 1_000_000_000L));
        return forwarder.lastVerdict();
    }

    /** Frames that came out of a port, as seen on its far end. */
    static List<byte[]> drain(final MemoryPort far)
    {
        final List<byte[]> out = new ArrayList<>();
        far.receive((MutableDirectBuffer b, int o, int l) ->
        {
            final byte[] f = new byte[l];
            b.getBytes(o, f);
            out.add(f);
        }, 1000);
        return out;
    }

    static byte[] only(final List<byte[]> frames)
    {
        assertEquals(1, frames.size(), "frames out");
        return frames.get(0);
    }

    @Test
    void forwardsTaggedToUntaggedRewritingMacsTtlAndChecksum()
    {
        final byte[] in = TestFrames.ipv4Udp(DX1_MAC, SENDER_MAC, 100, 0, 0xC0A80105, 0xAC100505, 64, 1000, 2000, 32, false);
        assertEquals(Verdict.FORWARDED, inject(0, in));
        final byte[] out = only(drain(vpc[1]));
        assertEquals(14 + 20 + 8 + 32, out.length, "the 802.1Q tag is gone");
        assertEquals(HOST_MAC, mac(out, 0));
        assertEquals(VPC_MAC, mac(out, 6));
        assertEquals(0x0800, u16(out, 12));
        assertEquals(63, out[14 + 8] & 0xFF, "TTL decremented");
        assertEquals(0, checksum(out, 14, 20), "header checksum valid after the incremental update");
        final byte[] inL3 = java.util.Arrays.copyOfRange(in, 18, in.length);
        final byte[] outL3 = java.util.Arrays.copyOfRange(out, 14, out.length);
        inL3[8] = 63;
        inL3[10] = outL3[10];
        inL3[11] = outL3[11];
        assertArrayEquals(inL3, outL3, "nothing else in the packet changed");
        assertTrue(drain(idc[1]).isEmpty());
    }

    @Test
    void pushesSingleAndQinqTagsTowardsTheDataCenterAndKeepsFlowsOnOnePath()
    {
        final Map<Long, Integer> perCpe = new HashMap<>();
        for (int flow = 0; flow < 200; flow++)
        {
            final byte[] in = TestFrames.ipv4Udp(VPC_MAC, SENDER_MAC, 0, 0, 0xAC100505, 0xC0A80000 + flow, 64, 1000 + flow, 53, 10, false);
            assertEquals(Verdict.FORWARDED, inject(1, in));
            final byte[] out = only(drain(idc[1]));
            final long dst = mac(out, 0);
            perCpe.merge(dst, 1, Integer::sum);
            if (dst == CPE1_MAC)
            {
                assertEquals(0x8100, u16(out, 12));
                assertEquals(100, u16(out, 14));
                assertEquals(0x0800, u16(out, 16));
                assertEquals(DX1_MAC, mac(out, 6));
                assertEquals(0, checksum(out, 18, 20));
            }
            else
            {
                assertEquals(CPE2_MAC, dst);
                assertEquals(0x88a8, u16(out, 12));
                assertEquals(200, u16(out, 14));
                assertEquals(0x8100, u16(out, 16));
                assertEquals(10, u16(out, 18));
                assertEquals(0x0800, u16(out, 20));
                assertEquals(DX2_MAC, mac(out, 6));
                assertEquals(63, out[22 + 8] & 0xFF);
                assertEquals(0, checksum(out, 22, 20));
            }
            // The same flow again takes the same path.
            assertEquals(Verdict.FORWARDED, inject(1, in));
            assertEquals(dst, mac(only(drain(idc[1])), 0));
        }
        assertTrue(perCpe.get(CPE1_MAC) > 60 && perCpe.get(CPE2_MAC) > 60, "ECMP splits flows: " + perCpe);
    }

    @Test
    void unknownVlanForeignMacAndSpoofedSourceAreDroppedAndCounted()
    {
        assertEquals(Verdict.DROP_UNKNOWN_VLAN,
            inject(0, TestFrames.ipv4Udp(DX1_MAC, SENDER_MAC, 101, 0, 0xC0A80105, 0xAC100505, 64, 1, 2, 0, false)));
        assertEquals(Verdict.DROP_UNKNOWN_VLAN,
            inject(0, TestFrames.ipv4Udp(DX2_MAC, SENDER_MAC, 200, 11, 0xC0A80105, 0xAC100505, 64, 1, 2, 0, false)));
        assertEquals(Verdict.DROP_NOT_FOR_US,
            inject(0, TestFrames.ipv4Udp(0x02_99_00_00_00_01L, SENDER_MAC, 100, 0, 0xC0A80105, 0xAC100505, 64, 1, 2, 0, false)));
        assertEquals(Verdict.DROP_SOURCE_CHECK,
            inject(0, TestFrames.ipv4Udp(DX1_MAC, SENDER_MAC, 100, 0, 0x08080808, 0xAC100505, 64, 1, 2, 0, false)));
        assertEquals(Verdict.DROP_MARTIAN_SOURCE,
            inject(1, TestFrames.ipv4Udp(VPC_MAC, SENDER_MAC, 0, 0, 0x7F000001, 0xC0A80101, 64, 1, 2, 0, false)));
        final byte[] badChecksum = TestFrames.ipv4Udp(DX1_MAC, SENDER_MAC, 100, 0, 0xC0A80105, 0xAC100505, 64, 1, 2, 0, false);
        badChecksum[18 + 10] ^= 1;
        assertEquals(Verdict.DROP_MALFORMED, inject(0, badChecksum));
        assertEquals("ipv4_bad_checksum", org.vbgw.dataplane.packet.PacketError.name(forwarder.lastDetail()));
        assertEquals(Verdict.DROP_MALFORMED, inject(0, new byte[] {1, 2, 3}));
        assertTrue(drain(vpc[1]).isEmpty());
        assertTrue(drain(idc[1]).isEmpty(), "no ICMP for filtered or malformed frames");
        assertEquals(2, counters.verdictCount(Verdict.DROP_UNKNOWN_VLAN));
        assertEquals(2, counters.verdictCount(Verdict.DROP_MALFORMED));
    }

    @Test
    void expiringTtlGetsTimeExceededBackOnTheIngressVlan()
    {
        final byte[] in = TestFrames.ipv4Udp(DX1_MAC, SENDER_MAC, 100, 0, 0xC0A80105, 0xAC100505, 1, 1000, 2000, 20, false);
        assertEquals(Verdict.DROP_TTL_EXCEEDED, inject(0, in));
        assertTrue(drain(vpc[1]).isEmpty());
        final byte[] err = only(drain(idc[1]));
        assertEquals(SENDER_MAC, mac(err, 0));
        assertEquals(DX1_MAC, mac(err, 6));
        assertEquals(100, u16(err, 14), "the error leaves on the VLAN it came from");
        assertEquals(0x0A000001, java.nio.ByteBuffer.wrap(err, 18 + 12, 4).getInt(), "source: the VIF's address");
        assertEquals(0xC0A80105, java.nio.ByteBuffer.wrap(err, 18 + 16, 4).getInt());
        assertEquals(0, checksum(err, 18, 20));
        final int icmp = 18 + 20;
        assertEquals(11, err[icmp] & 0xFF);
        assertEquals(0, err[icmp + 1]);
        assertEquals(0, checksum(err, icmp, err.length - icmp));
        assertArrayEquals(java.util.Arrays.copyOfRange(in, 18, 18 + 28), java.util.Arrays.copyOfRange(err, icmp + 8, icmp + 36),
            "quotes the invoking header and 8 bytes");
        assertEquals(1, counters.verdictCount(Verdict.ICMP_ERROR_SENT));
    }

    @Test
    void noRouteGetsNetUnreachableAndDfOverMtuGetsFragmentationNeeded()
    {
        assertEquals(Verdict.DROP_NO_ROUTE,
            inject(0, TestFrames.ipv4Udp(DX1_MAC, SENDER_MAC, 100, 0, 0xC0A80105, 0x0B000001, 64, 1, 2, 0, false)));
        byte[] err = only(drain(idc[1]));
        assertEquals(3, err[38] & 0xFF);
        assertEquals(0, err[39] & 0xFF);

        assertEquals(Verdict.DROP_MTU_EXCEEDED,
            inject(0, TestFrames.ipv4Udp(DX1_MAC, SENDER_MAC, 100, 0, 0xC0A80105, 0xAC130001, 64, 1, 2, 1000, true)));
        err = only(drain(idc[1]));
        assertEquals(3, err[38] & 0xFF);
        assertEquals(4, err[39] & 0xFF);
        assertEquals(576, u16(err, 38 + 6), "carries the next hop's MTU (RFC 1191)");
        assertEquals(0, checksum(err, 38, err.length - 38));
    }

    @Test
    void withoutDfALargePacketIsFragmentedToTheEgressMtu()
    {
        assertEquals(Verdict.FRAGMENTED,
            inject(0, TestFrames.ipv4Udp(DX1_MAC, SENDER_MAC, 100, 0, 0xC0A80105, 0xAC130001, 64, 1, 2, 1000, false)));
        final List<byte[]> frags = drain(vpc[1]);
        assertEquals(2, frags.size());
        int payload = 0;
        for (final byte[] f : frags)
        {
            assertEquals(SMALL_MTU_MAC, mac(f, 0));
            assertTrue(f.length - 14 <= 576);
            assertEquals(0, checksum(f, 14, 20));
            assertEquals(63, f[14 + 8] & 0xFF);
            payload += u16(f, 14 + 2) - 20;
        }
        assertEquals(1008, payload, "UDP header + 1000 bytes, split");
    }

    @Test
    void answersEchoToItsOwnAddressInPlace()
    {
        assertEquals(Verdict.ECHO_REPLIED, inject(0, TestFrames.ipv4Echo(DX1_MAC, SENDER_MAC, 100, 0xC0A80105, 0x0A000001)));
        final byte[] reply = only(drain(idc[1]));
        assertEquals(SENDER_MAC, mac(reply, 0));
        assertEquals(DX1_MAC, mac(reply, 6));
        assertEquals(100, u16(reply, 14));
        assertEquals(0, reply[38] & 0xFF, "echo reply");
        assertEquals(0, checksum(reply, 18, 20));
        assertEquals(0, checksum(reply, 38, 16));
    }

    @Test
    void puntsBgpWithPriorityAndOtherLocalTrafficAndArp()
    {
        assertEquals(Verdict.PUNTED, inject(0, TestFrames.ipv4Tcp(DX1_MAC, SENDER_MAC, 100, 0x0A000002, 0x0A000001, 40000, 179)));
        assertEquals(Verdict.PUNTED, inject(0, TestFrames.ipv4Tcp(DX1_MAC, SENDER_MAC, 100, 0x0A000002, 0x0A000001, 40000, 22)));
        final byte[] arp = new byte[18 + 28];
        final java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(arp);
        TestFrames.ethernet(b, 0xFFFF_FFFF_FFFFL, SENDER_MAC, 100, 0, 0x0806);
        b.putShort((short)1).putShort((short)0x0800).put((byte)6).put((byte)4).putShort((short)1);
        assertEquals(Verdict.PUNTED, inject(0, arp));
        assertEquals(List.of(
            "punt " + ControlPath.PUNT_LOCAL_PRIORITY + " port 0 vif 0 len 58",
            "punt " + ControlPath.PUNT_LOCAL + " port 0 vif 0 len 58",
            "punt " + ControlPath.PUNT_ARP + " port 0 vif 0 len 46"), control.events);
    }

    @Test
    void unresolvedNextHopsWaitForTheirNeighbourAndAttachedOnesResolveTheDestination()
    {
        assertEquals(Verdict.WAITING_FOR_NEIGHBOUR,
            inject(0, TestFrames.ipv4Udp(DX1_MAC, SENDER_MAC, 100, 0, 0xC0A80105, 0xAC120001, 64, 1, 2, 0, false)));
        assertEquals(Verdict.WAITING_FOR_NEIGHBOUR,
            inject(0, TestFrames.ipv4Udp(DX1_MAC, SENDER_MAC, 100, 0, 0xC0A80105, 0xAC110203, 64, 1, 2, 0, false)));
        assertEquals(List.of("await nh 5 vif 1 172.16.0.99 len 28", "await nh 4 vif 1 172.17.2.3 len 28"), control.events);
        assertEquals(63, control.lastPacket[8], "the waiting packet is already rewritten");
        assertEquals(0, checksum(control.lastPacket, 0, 20));
    }

    @Test
    void deadNextHopsMoveFlowsToTheSurvivorAndAnEmptyGroupIsHostUnreachable()
    {
        fib.setNextHopAlive(1, false);
        for (int flow = 0; flow < 20; flow++)
        {
            inject(1, TestFrames.ipv4Udp(VPC_MAC, SENDER_MAC, 0, 0, 0xAC100505, 0xC0A80000 + flow, 64, 1000 + flow, 53, 0, false));
            assertEquals(CPE2_MAC, mac(only(drain(idc[1])), 0));
        }
        fib.setNextHopAlive(2, false);
        assertEquals(Verdict.DROP_NO_NEXT_HOP,
            inject(1, TestFrames.ipv4Udp(VPC_MAC, SENDER_MAC, 0, 0, 0xAC100505, 0xC0A80001, 64, 1, 53, 0, false)));
        final byte[] err = only(drain(vpc[1]));
        assertEquals(3, err[34] & 0xFF);
        assertEquals(1, err[35] & 0xFF, "host unreachable");
    }

    @Test
    void ipv6ForwardsWithHopLimitAndAnswersPacketTooBigAndExpiry()
    {
        final byte[] in = TestFrames.ipv6Udp(DX1_MAC, SENDER_MAC, 100, 0x20010db801000000L, 5, 0x20010db8ffff0000L, 0x10, 64, 16);
        assertEquals(Verdict.FORWARDED, inject(0, in));
        final byte[] out = only(drain(vpc[1]));
        assertEquals(HOST6_MAC, mac(out, 0));
        assertEquals(0x86DD, u16(out, 12));
        assertEquals(63, out[14 + 7] & 0xFF);
        assertArrayEquals(java.util.Arrays.copyOfRange(in, 18 + 8, in.length), java.util.Arrays.copyOfRange(out, 14 + 8, out.length));

        assertEquals(Verdict.DROP_MTU_EXCEEDED,
            inject(0, TestFrames.ipv6Udp(DX1_MAC, SENDER_MAC, 100, 0x20010db801000000L, 5, 0x20010db8ffff0000L, 0x10, 64, 1600)));
        byte[] err = only(drain(idc[1]));
        assertEquals(58, err[18 + 6] & 0xFF, "ICMPv6");
        assertEquals(2, err[58] & 0xFF, "packet too big");
        assertEquals(1500, java.nio.ByteBuffer.wrap(err, 58 + 4, 4).getInt());
        assertEquals(V6, java.nio.ByteBuffer.wrap(err, 18 + 8, 8).getLong(), "from the VIF's address 2001:db8::1");
        assertTrue(err.length - 18 <= 1280, "an ICMPv6 error never exceeds the minimum MTU");

        assertEquals(Verdict.DROP_TTL_EXCEEDED,
            inject(0, TestFrames.ipv6Udp(DX1_MAC, SENDER_MAC, 100, 0x20010db801000000L, 5, 0x20010db8ffff0000L, 0x10, 1, 0)));
        err = only(drain(idc[1]));
        assertEquals(3, err[58] & 0xFF, "time exceeded");

        assertEquals(Verdict.DROP_SOURCE_CHECK,
            inject(0, TestFrames.ipv6Udp(DX1_MAC, SENDER_MAC, 100, 0x20010db802000000L, 5, 0x20010db8ffff0000L, 0x10, 64, 0)));
    }

    @Test
    void countersShowPerVifAndPerNextHopTraffic()
    {
        inject(0, TestFrames.ipv4Udp(DX1_MAC, SENDER_MAC, 100, 0, 0xC0A80105, 0xAC100505, 64, 1000, 2000, 32, false));
        drain(vpc[1]);
        final CountersManager m = counters.manager();
        final Map<String, Long> values = new HashMap<>();
        m.forEach((value, id, label) -> values.put(label, value));
        assertEquals(1L, values.get("vif dx1 rx_packets worker 0"));
        assertEquals(78L, values.get("vif dx1 rx_bytes worker 0"));
        assertEquals(1L, values.get("vif vpc tx_packets worker 0"));
        assertEquals(1L, values.get("nexthop nh0 tx_packets worker 0"));
        assertEquals(1L, values.get("worker 0 forwarded"));
        assertNotNull(values.get("worker 0 drop_no_route"));
        assertNull(values.get("vif dx2 rx_packets worker 1"));
    }
}
