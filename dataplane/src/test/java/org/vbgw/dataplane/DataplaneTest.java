package org.vbgw.dataplane;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vbgw.dataplane.neighbour.NeighbourState;
import org.vbgw.dataplane.neighbour.NeighbourTimers;
import org.vbgw.dataplane.vif.SourceCheck;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.MemoryPort;
import org.vbgw.io.Port;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The assembled data plane on in-memory ports, run by hand (no threads): ARP resolution before and during
 * traffic, packets waiting for a neighbour, answering ARP for our addresses, host routes for connected
 * subnets, the host TAP bridge, and next-hop invalidation when a neighbour stops answering.
 */
class DataplaneTest
{
    static final long DX1_MAC = 0x02_00_00_00_00_A0L;
    static final long VPC_MAC = 0x02_00_00_00_00_B0L;
    static final long CPE_MAC = 0x02_00_00_00_00_E1L;
    static final long HOST_MAC = 0x02_00_00_00_00_D7L;

    final MemoryPort[] idc = MemoryPort.pair("idc", "idc-peer", 1 << 20, 1500);
    final MemoryPort[] vpc = MemoryPort.pair("vpc", "vpc-peer", 1 << 20, 1500);
    final MemoryPort[] tap = MemoryPort.pair("tap-dx1", "host", 1 << 20, 1500);
    long now = 1_000_000_000L;
    Dataplane dp;

    @BeforeEach
    void setUp()
    {
        dp = new Dataplane(new Port[] {idc[0], vpc[0]},
            Dataplane.Config.defaults().withNeighbourTimers(new NeighbourTimers(100_000_000L, 3, 30_000_000_000L,
                5_000_000_000L, 1_000_000_000L)), () -> now);
        dp.addVif(new Vif(0, "dx1", 0, 100, 0, 0, DX1_MAC, 1500, List.of(IpPrefix.parse("10.0.0.1")),
            List.of(IpPrefix.parse("192.168.0.0/16"), IpPrefix.parse("10.0.0.0/30")), SourceCheck.STRICT, true), tap[0]);
        dp.addVif(new Vif(1, "vpc", 1, 0, 0, 0, VPC_MAC, 1500, List.of(IpPrefix.parse("172.16.0.1")), List.of(),
            SourceCheck.OFF, true), null);
        final List<byte[]> announced = drain(idc[1]);
        assertEquals(1, announced.size(), "gratuitous ARP when the VIF comes up");
        assertEquals(0x0A000001, ByteBuffer.wrap(announced.get(0), 18 + 14, 4).getInt());
        drain(vpc[1]);
    }

    @AfterEach
    void tearDown()
    {
        dp.close();
    }

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

    /** Lets the worker and the control thread each run a few duty cycles. */
    void run()
    {
        for (int i = 0; i < 4; i++)
        {
            dp.doWorkerWork();
            dp.doControlWork();
        }
    }

    static byte[] arp(final int op, final long dstMac, final long senderMac, final int senderIp, final long targetMac,
        final int targetIp, final int vlan)
    {
        final ByteBuffer b = ByteBuffer.allocate(vlan != 0 ? 46 : 42);
        putMac(b, dstMac);
        putMac(b, senderMac);
        if (vlan != 0)
        {
            b.putShort((short)0x8100).putShort((short)vlan);
        }
        b.putShort((short)0x0806).putShort((short)1).putShort((short)0x0800).put((byte)6).put((byte)4).putShort((short)op);
        putMac(b, senderMac);
        b.putInt(senderIp);
        putMac(b, targetMac);
        b.putInt(targetIp);
        return b.array();
    }

    static void putMac(final ByteBuffer b, final long mac)
    {
        for (int i = 5; i >= 0; i--)
        {
            b.put((byte)(mac >>> (8 * i)));
        }
    }

    static byte[] udp(final long dstMac, final long srcMac, final int vlan, final int src, final int dst, final int dstPort)
    {
        final ByteBuffer b = ByteBuffer.allocate((vlan != 0 ? 18 : 14) + 28 + 4);
        putMac(b, dstMac);
        putMac(b, srcMac);
        if (vlan != 0)
        {
            b.putShort((short)0x8100).putShort((short)vlan);
        }
        b.putShort((short)0x0800);
        final int ip = b.position();
        b.put((byte)0x45).put((byte)0).putShort((short)32).putShort((short)7).putShort((short)0).put((byte)64).put((byte)17)
            .putShort((short)0).putInt(src).putInt(dst);
        int sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            sum += ((b.get(ip + i) & 0xFF) << 8) | (b.get(ip + i + 1) & 0xFF);
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        b.putShort(ip + 10, (short)~sum);
        b.putShort((short)5000).putShort((short)dstPort).putShort((short)12).putShort((short)0).putInt(0xCAFEBABE);
        return b.array();
    }

    static void send(final MemoryPort far, final byte[] frame)
    {
        assertTrue(far.send(new UnsafeBuffer(frame), 0, frame.length));
    }

    static int arpOp(final byte[] f, final int l2)
    {
        return ((f[l2 + 6] & 0xFF) << 8) | (f[l2 + 7] & 0xFF);
    }

    @Test
    void resolvesANextHopBeforeTrafficAndForwardsOnceItAnswers()
    {
        dp.addNextHop(0, 0, false, 0, 0x0A000002L);
        final List<byte[]> requests = drain(idc[1]);
        assertEquals(1, requests.size(), "ARP request sent when the next hop is added");
        final byte[] req = requests.get(0);
        assertEquals(0xFFFF_FFFF_FFFFL, ByteBuffer.wrap(req, 0, 8).getLong() >>> 16);
        assertEquals(100, req[15] & 0xFF, "on the VIF's VLAN");
        assertEquals(1, arpOp(req, 18));
        assertEquals(0x0A000002, ByteBuffer.wrap(req, 18 + 24, 4).getInt());
        assertNull(dp.adjacencies().get(0));

        send(idc[1], arp(2, DX1_MAC, CPE_MAC, 0x0A000002, DX1_MAC, 0x0A000001, 100));
        run();
        assertNotNull(dp.adjacencies().get(0), "the reply published the adjacency");
        assertEquals(CPE_MAC, dp.adjacencies().get(0).dstMac());
        final List<byte[]> toHost = drain(tap[1]);
        assertEquals(1, toHost.size(), "the host stack gets its copy of ARP replies");
        assertEquals(0x0806, ((toHost.get(0)[12] & 0xFF) << 8) | (toHost.get(0)[13] & 0xFF), "untagged on the TAP");

        dp.fib().addGroup(0, new int[] {0}, new int[] {1}, Fib.NO_GROUP);
        dp.fib().addRoute(IpPrefix.parse("192.168.0.0/16"), 0);
        send(vpc[1], udp(VPC_MAC, HOST_MAC, 0, 0xAC100007, 0xC0A80101, 9));
        run();
        final List<byte[]> out = drain(idc[1]);
        assertEquals(1, out.size());
        assertEquals(CPE_MAC, ByteBuffer.wrap(out.get(0), 0, 8).getLong() >>> 16);
        assertEquals(100, out.get(0)[15] & 0xFF);
    }

    @Test
    void packetsWaitForTheirNeighbourAndLeaveWhenItAnswers()
    {
        dp.addNextHop(0, 0, false, 0, 0x0A000002L);
        dp.fib().addGroup(0, new int[] {0}, new int[] {1}, Fib.NO_GROUP);
        dp.fib().addRoute(IpPrefix.parse("192.168.0.0/16"), 0);
        drain(idc[1]);
        for (int i = 0; i < 3; i++)
        {
            send(vpc[1], udp(VPC_MAC, HOST_MAC, 0, 0xAC100007, 0xC0A80101 + i, 9));
        }
        run();
        assertTrue(drain(idc[1]).isEmpty(), "nothing leaves before the neighbour answers");
        send(idc[1], arp(2, DX1_MAC, CPE_MAC, 0x0A000002, DX1_MAC, 0x0A000001, 100));
        run();
        final List<byte[]> out = drain(idc[1]);
        assertEquals(3, out.size(), "the waiting packets are released in order");
        for (int i = 0; i < 3; i++)
        {
            assertEquals(CPE_MAC, ByteBuffer.wrap(out.get(i), 0, 8).getLong() >>> 16);
            assertEquals(0xC0A80101 + i, ByteBuffer.wrap(out.get(i), 18 + 16, 4).getInt());
            assertEquals(63, out.get(i)[18 + 8] & 0xFF);
        }
    }

    @Test
    void answersArpForItsAddressAndLearnsTheAsker()
    {
        send(idc[1], arp(1, 0xFFFF_FFFF_FFFFL, CPE_MAC, 0x0A000002, 0, 0x0A000001, 100));
        run();
        final List<byte[]> out = drain(idc[1]);
        assertEquals(1, out.size());
        final byte[] reply = out.get(0);
        assertEquals(CPE_MAC, ByteBuffer.wrap(reply, 0, 8).getLong() >>> 16);
        assertEquals(2, arpOp(reply, 18));
        assertEquals(DX1_MAC, ByteBuffer.wrap(reply, 18 + 8 - 2, 8).getLong() & 0xFFFF_FFFF_FFFFL);
        assertEquals(0x0A000001, ByteBuffer.wrap(reply, 18 + 14, 4).getInt());
        final int e = dp.neighbours().find(0, false, 0, 0x0A000002L);
        assertEquals(NeighbourState.REACHABLE, dp.neighbours().state(e));
        assertTrue(drain(tap[1]).isEmpty(), "requests for our address are answered here, not by the host as well");

        send(idc[1], arp(1, 0xFFFF_FFFF_FFFFL, CPE_MAC, 0x0A000002, 0, 0x0A000009, 100));
        run();
        assertTrue(drain(idc[1]).isEmpty(), "no answer for addresses that are not ours");
    }

    @Test
    void connectedSubnetDestinationsGetHostRoutes()
    {
        dp.addNextHop(1, 1, false, 0, 0);
        dp.fib().addGroup(1, new int[] {1}, new int[] {1}, Fib.NO_GROUP);
        dp.fib().addRoute(IpPrefix.parse("172.16.0.0/24"), 1);
        send(idc[1], udp(DX1_MAC, CPE_MAC, 100, 0xC0A80105, 0xAC100007, 9));
        run();
        final List<byte[]> req = drain(vpc[1]);
        assertEquals(1, req.size());
        assertEquals(0xAC100007, ByteBuffer.wrap(req.get(0), 14 + 24, 4).getInt(), "ARP for the destination itself");
        send(vpc[1], arp(2, VPC_MAC, HOST_MAC, 0xAC100007, VPC_MAC, 0xAC100001, 0));
        run();
        assertEquals(1, dp.resolver().hostRouteCount());
        final List<byte[]> out = drain(vpc[1]);
        assertEquals(1, out.size(), "the waiting packet leaves");
        assertEquals(HOST_MAC, ByteBuffer.wrap(out.get(0), 0, 8).getLong() >>> 16);
        send(idc[1], udp(DX1_MAC, CPE_MAC, 100, 0xC0A80105, 0xAC100007, 10));
        run();
        assertEquals(1, drain(vpc[1]).size(), "later packets use the host route directly");
    }

    @Test
    void bridgesTheHostTapBothWays()
    {
        // BGP from the peer to the gateway's address goes to the host, untagged.
        final byte[] bgp = udp(DX1_MAC, CPE_MAC, 100, 0x0A000002, 0x0A000001, 179);
        bgp[18 + 9] = 6; // TCP; the checksum of the IP header changes with the protocol, so recompute
        bgp[18 + 10] = 0;
        bgp[18 + 11] = 0;
        int sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            sum += ((bgp[18 + i] & 0xFF) << 8) | (bgp[18 + i + 1] & 0xFF);
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        bgp[18 + 10] = (byte)(~sum >>> 8);
        bgp[18 + 11] = (byte)~sum;
        send(idc[1], bgp);
        run();
        final List<byte[]> atHost = drain(tap[1]);
        assertEquals(1, atHost.size());
        assertEquals(bgp.length - 4, atHost.get(0).length);
        assertEquals(0x0800, ((atHost.get(0)[12] & 0xFF) << 8) | (atHost.get(0)[13] & 0xFF));

        // What the host sends on the TAP leaves tagged.
        final byte[] fromHost = udp(CPE_MAC, DX1_MAC, 0, 0x0A000001, 0x0A000002, 179);
        send(tap[1], fromHost);
        run();
        final List<byte[]> onWire = drain(idc[1]);
        assertEquals(1, onWire.size());
        assertEquals(fromHost.length + 4, onWire.get(0).length);
        assertEquals(0x8100, ((onWire.get(0)[12] & 0xFF) << 8) | (onWire.get(0)[13] & 0xFF));
        assertEquals(100, onWire.get(0)[15] & 0xFF);
    }

    @Test
    void aNeighbourThatStopsAnsweringInvalidatesItsNextHop()
    {
        dp.addNextHop(0, 0, false, 0, 0x0A000002L);
        send(idc[1], arp(2, DX1_MAC, CPE_MAC, 0x0A000002, DX1_MAC, 0x0A000001, 100));
        run();
        assertTrue(dp.fib().nextHop(0).alive());
        drain(idc[1]);
        // Reachable for 30 s, then probes every 100 ms nobody answers.
        for (int i = 0; i < 400 && dp.fib().nextHop(0).alive(); i++)
        {
            now += 100_000_000L;
            run();
        }
        assertFalse(dp.fib().nextHop(0).alive(), "invalidated after its probes went unanswered");
        assertNull(dp.adjacencies().get(0));
        send(idc[1], arp(2, DX1_MAC, CPE_MAC, 0x0A000002, DX1_MAC, 0x0A000001, 100));
        run();
        assertTrue(dp.fib().nextHop(0).alive(), "and restored when it answers again");
        assertNotNull(dp.adjacencies().get(0));
    }

    @Test
    void carrierLossInvalidatesTheNextHopsOnThePortAndHoldDownDelaysTheirReturn()
    {
        dp.addNextHop(0, 0, false, 0, 0x0A000002L);
        dp.addNextHop(1, 1, false, 0, 0xAC100009L);
        send(idc[1], arp(2, DX1_MAC, CPE_MAC, 0x0A000002, DX1_MAC, 0x0A000001, 100));
        run();
        assertTrue(dp.fib().nextHop(0).alive());

        idc[0].linkState(org.vbgw.io.LinkState.DOWN);
        now += 2_000_000L;
        dp.doControlWork();
        assertFalse(dp.fib().nextHop(0).alive(), "invalidated on the first poll after the loss");
        assertTrue(dp.fib().nextHop(1).alive(), "next hops on other ports are untouched");
        assertEquals("port idc up -> down (carrier, 1 next hops)", dp.events().get(dp.events().size() - 1).toString());

        idc[0].linkState(org.vbgw.io.LinkState.UP);
        now += 2_000_000L;
        dp.doControlWork();
        now += 500_000_000L;
        dp.doControlWork();
        assertFalse(dp.fib().nextHop(0).alive(), "still held down half a second after carrier returned");
        now += 600_000_000L;
        dp.doControlWork();
        assertTrue(dp.fib().nextHop(0).alive(), "restored after the 1 s hold-down");
        assertEquals("port idc up (hold-down) -> up (carrier, 1 next hops)", dp.events().get(dp.events().size() - 1).toString());
    }
}
