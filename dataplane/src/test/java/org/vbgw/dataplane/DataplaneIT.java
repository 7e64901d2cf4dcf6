package org.vbgw.dataplane;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.vbgw.dataplane.Capture.Row;
import org.vbgw.io.linux.PacketSocket;
import org.vbgw.io.linux.PacketSocketOptions;
import org.vbgw.io.lab.Netns;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vbgw.dataplane.HostTraffic.UDP_ECHO_CLIENT;
import static org.vbgw.dataplane.HostTraffic.UDP_ECHO_SERVER;
import static org.vbgw.dataplane.HostTraffic.UDP_FLOWS;
import static org.vbgw.dataplane.HostTraffic.awaitLine;
import static org.vbgw.dataplane.HostTraffic.iperf;
import static org.vbgw.dataplane.HostTraffic.ping;
import static org.vbgw.dataplane.HostTraffic.tcpTransfer;

/**
 * vbgw between real network stacks in namespaces ({@link GatewayLab}): a customer router behind two tagged
 * VIFs (VLAN 100 and 200, through user-space tagging shims) and a VPC host on an untagged port. ICMP, UDP
 * and TCP in both directions and both families; ARP and ND answered and resolved by vbgw; captures on the
 * far sides decoded by tshark show TTL / hop limit 63, valid checksums and the VIF's tag; unknown VLANs and
 * spoofed sources are dropped and counted; ECMP over the two VIFs splits flows while keeping each on one;
 * TCP from a host with checksum offload on arrives with its partial checksums completed by vbgw's port.
 * <p>
 * The veths have their offloads off (complete checksums, no GSO) except in the last test, which turns the
 * VPC host's transmit checksum offload on to exercise the port's checksum completion; GSO frames larger
 * than the MTU are not supported by the ports and stay off throughout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DataplaneIT
{
    private static GatewayLab lab;

    @BeforeAll
    static void startLab()
    {
        lab = GatewayLab.start();
    }

    @AfterAll
    static void stopLab()
    {
        if (lab != null)
        {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void arpAndNdAreResolvedAndAnsweredByTheGateway()
    {
        final String c1Mac = lab.cpe.exec("cat", "/sys/class/net/" + lab.c1 + "/address").trim();
        final String c2Mac = lab.cpe.exec("cat", "/sys/class/net/" + lab.c2 + "/address").trim();
        for (final int[] nh : new int[][] {{GatewayLab.NH_DX1_V4, 1}, {GatewayLab.NH_DX2_V4, 2},
            {GatewayLab.NH_DX1_V6, 1}, {GatewayLab.NH_DX2_V6, 2}})
        {
            final long mac = lab.dp.call(() -> lab.dp.adjacencies().get(nh[0]).dstMac());
            assertEquals(nh[1] == 1 ? c1Mac : c2Mac, GatewayLab.macText(mac), "next hop " + nh[0] + " resolved to cpe");
        }

        // The gateway's own addresses answer ping (echo replies built by the worker).
        ping(lab.cpe, "10.0.0.1");
        ping(lab.cpe, "10.0.0.5");
        ping(lab.cpe, "2001:db8:1::1");
        ping(lab.cpe, "2001:db8:2::1");
        ping(lab.vpc, "172.16.0.1");
        ping(lab.vpc, "2001:db8:ffff::1");

        // The hosts learnt the VIF MACs from vbgw's ARP replies and neighbour advertisements.
        assertNeighbour(lab.cpe, "10.0.0.1", lab.c1, lab.ports[GatewayLab.DX1].macAddress());
        assertNeighbour(lab.cpe, "10.0.0.5", lab.c2, lab.ports[GatewayLab.DX2].macAddress());
        assertNeighbour(lab.cpe, "2001:db8:1::1", lab.c1, lab.ports[GatewayLab.DX1].macAddress());
        assertNeighbour(lab.cpe, "2001:db8:2::1", lab.c2, lab.ports[GatewayLab.DX2].macAddress());
        assertNeighbour(lab.vpc, "172.16.0.1", lab.v0, lab.ports[GatewayLab.VPC].macAddress());
        assertNeighbour(lab.vpc, "2001:db8:ffff::1", lab.v0, lab.ports[GatewayLab.VPC].macAddress());
        assertTrue(lab.dp.call(() -> lab.dp.puntReceiver().arpAnswered()) >= 1);
        assertTrue(lab.dp.call(() -> lab.dp.puntReceiver().ndAnswered()) >= 1);
        assertTrue(lab.counter("worker * echo_replied") >= 18, "six pings of three answered by vbgw");
    }

    @Test
    @Order(2)
    void icmpCrossesBothWaysWithTtl63ValidChecksumsAndTheVifTag() throws Exception
    {
        final List<Row> trunk1;
        final List<Row> trunk2;
        final List<Row> vpcSide;
        try (Capture t1 = Capture.start(lab.shim, lab.t1, "icmp or icmp6");
            Capture t2 = Capture.start(lab.shim, lab.t2, "icmp or icmp6");
            Capture v0 = Capture.start(lab.vpc, lab.v0, "icmp or icmp6"))
        {
            ping(lab.vpc, "192.168.1.2");
            ping(lab.vpc, "2001:db8:100::2");
            ping(lab.cpe, "-I", "192.168.1.2", "172.16.0.2");
            ping(lab.cpe, "-I", "2001:db8:100::2", "2001:db8:ffff::2");
            trunk1 = t1.stop();
            trunk2 = t2.stop();
            vpcSide = v0.stop();
        }
        assertEquals(2, lab.dp.call(() -> lab.dp.resolver().hostRouteCount()),
            "vbgw resolved the VPC host in both families and installed host routes");

        // On the trunks: what vbgw forwarded from the VPC host (3 requests + 3 replies per family).
        int fromVpc = 0;
        for (final List<Row> trunk : List.of(trunk1, trunk2))
        {
            final String vid = trunk == trunk1 ? "100" : "200";
            for (final Row r : trunk)
            {
                assertEquals(vid, r.get("vlan.id"), "every frame on the VLAN " + vid + " trunk carries its tag: " + r);
                if (isEcho(r) && (r.src().equals("172.16.0.2") || r.src().equals("2001:db8:ffff::2")))
                {
                    assertForwardedOnce(r);
                    fromVpc++;
                }
            }
        }
        assertEquals(12, fromVpc, "echo requests and replies from the VPC host, both families\n" + trunk1 + trunk2);

        // On the VPC side: what vbgw forwarded from the IDC host, untagged.
        int fromIdc = 0;
        for (final Row r : vpcSide)
        {
            assertEquals("", r.get("vlan.id"), "untagged on the VPC port: " + r);
            if (isEcho(r) && (r.src().equals("192.168.1.2") || r.src().equals("2001:db8:100::2")))
            {
                assertForwardedOnce(r);
                assertEquals(GatewayLab.macText(lab.ports[GatewayLab.VPC].macAddress()), r.get("eth.src"));
                fromIdc++;
            }
        }
        assertEquals(12, fromIdc, "echo requests and replies from the IDC host, both families\n" + vpcSide);
    }

    @Test
    @Order(3)
    void udpAndTcpCrossBothWaysInBothFamilies() throws Exception
    {
        final long forwardedBefore = lab.counter("worker * forwarded");
        final Process echo4 = lab.vpc.start("python3", "-c", UDP_ECHO_SERVER, "172.16.0.2", "7007");
        final Process echo6 = lab.vpc.start("python3", "-c", UDP_ECHO_SERVER, "2001:db8:ffff::2", "7007");
        final Process iperf = lab.vpc.start("iperf3", "-s", "-p", "5201", "--forceflush");
        try
        {
            awaitLine(echo4, "ready");
            awaitLine(echo6, "ready");
            awaitLine(iperf, "Server listening");
            assertEquals("50", lab.cpe.exec("python3", "-c", UDP_ECHO_CLIENT, "192.168.1.2", "172.16.0.2", "7007", "50").trim(),
                "every IPv4 datagram came back through vbgw");
            assertEquals("50", lab.cpe.exec("python3", "-c", UDP_ECHO_CLIENT, "2001:db8:100::2", "2001:db8:ffff::2", "7007", "50").trim(),
                "every IPv6 datagram came back through vbgw");

            final List<Row> tcpRows;
            try (Capture v0 = Capture.start(lab.vpc, lab.v0, "tcp"))
            {
                // Small transfers, captured whole, so tshark can check every TCP checksum in both directions.
                assertEquals(262144, tcpTransfer(lab.cpe, "192.168.1.2", lab.vpc, "172.16.0.2", 262144));
                assertEquals(262144, tcpTransfer(lab.vpc, "172.16.0.2", lab.cpe, "192.168.1.2", 262144));
                tcpRows = v0.stop();
            }
            int forwarded = 0;
            for (final Row r : tcpRows)
            {
                assertEquals("1", r.get("tcp.checksum.status"), "TCP checksum good: " + r);
                if (r.src().equals("192.168.1.2"))
                {
                    assertForwardedOnce(r);
                    forwarded++;
                }
            }
            assertTrue(forwarded > 100, "TCP segments from the IDC host arrived: " + forwarded);

            // Bulk transfers, not captured: both directions, both families.
            assertTrue(iperf(lab.cpe, "-c", "172.16.0.2", "-B", "192.168.1.2", "-t", "2") > 0);
            assertTrue(iperf(lab.cpe, "-c", "172.16.0.2", "-B", "192.168.1.2", "-t", "2", "-R") > 0);
            assertTrue(iperf(lab.cpe, "-c", "2001:db8:ffff::2", "-B", "2001:db8:100::2", "-t", "1") > 0);
            assertTrue(iperf(lab.cpe, "-c", "2001:db8:ffff::2", "-B", "2001:db8:100::2", "-t", "1", "-R") > 0);
        }
        finally
        {
            echo4.destroyForcibly();
            echo6.destroyForcibly();
            iperf.destroyForcibly();
        }
        assertTrue(lab.counter("worker * forwarded") - forwardedBefore > 1000);
        assertEquals(0, lab.counter("worker * drop_malformed"), "no frame vbgw received was malformed");
    }

    @Test
    @Order(4)
    void unknownVlansAndSpoofedSourcesAreDroppedAndCounted() throws Exception
    {
        final long unknownBefore = lab.counter("worker * drop_unknown_vlan");
        final long spoofedBefore = lab.counter("worker * drop_source_check");
        final List<Row> vpcSide;
        final List<Row> trunks;
        try (Capture v0 = Capture.start(lab.vpc, lab.v0, "udp");
            Capture t1 = Capture.start(lab.shim, lab.t1, "udp");
            Capture t2 = Capture.start(lab.shim, lab.t2, "udp"))
        {
            // Raw frames on the trunk: ten on VLAN 300, which no VIF has, and ten on VLAN 100 as the control.
            final PacketSocket inject;
            try (Netns.Scope ignored = lab.shim.enter())
            {
                inject = PacketSocket.open(lab.t1, new PacketSocketOptions().tx(PacketSocketOptions.TxMode.SEND, 1));
            }
            try (inject)
            {
                final long cpeMac = Long.parseLong(lab.cpe.exec("cat", "/sys/class/net/" + lab.c1 + "/address")
                    .trim().replace(":", ""), 16);
                for (int i = 0; i < 10; i++)
                {
                    InjectedFrames.send(inject, InjectedFrames.udp(lab.ports[GatewayLab.DX1].macAddress(), cpeMac, 300,
                        0xC0A80102, 0xAC100002, 40000 + i, 7009));
                    InjectedFrames.send(inject, InjectedFrames.udp(lab.ports[GatewayLab.DX1].macAddress(), cpeMac,
                        GatewayLab.VID_DX1, 0xC0A80102, 0xAC100002, 40000 + i, 7010));
                }
            }
            // Sources the VIFs do not allow: from cpe outside the IDC prefixes, from the VPC host outside its subnet.
            lab.cpe.exec("python3", "-c", UDP_FLOWS, "203.0.113.5", "172.16.0.2", "7011", "10", "1", "0");
            lab.cpe.exec("python3", "-c", UDP_FLOWS, "2001:db8:dead::5", "2001:db8:ffff::2", "7011", "10", "1", "0");
            lab.vpc.exec("python3", "-c", UDP_FLOWS, "192.168.9.9", "192.168.1.2", "7011", "10", "1", "0");
            // And the same from allowed sources, as the control.
            lab.cpe.exec("python3", "-c", UDP_FLOWS, "192.168.1.2", "172.16.0.2", "7012", "10", "1", "0");
            GatewayLab.await("the drops are counted", 5_000, () ->
                lab.counter("worker * drop_unknown_vlan") - unknownBefore >= 10 &&
                lab.counter("worker * drop_source_check") - spoofedBefore >= 30);
            vpcSide = v0.stop();
            trunks = concat(t1.stop(), t2.stop());
        }
        assertEquals(10, lab.counter("worker * drop_unknown_vlan") - unknownBefore);
        assertEquals(30, lab.counter("worker * drop_source_check") - spoofedBefore);
        // The captures also see the hosts' own spoofed frames on their way in: count only what vbgw sent.
        final List<Row> toVpc = sentBy(vpcSide, GatewayLab.VPC);
        final List<Row> toIdc = sentBy(trunks, GatewayLab.DX1, GatewayLab.DX2);
        assertEquals(0, countDstPort(toVpc, "7011"), "no spoofed IDC source reached the VPC: " + toVpc);
        assertEquals(0, countDstPort(toIdc, "7011"), "no spoofed VPC source reached the IDC: " + toIdc);
        assertEquals(10, countDstPort(vpcSide, "7011"), "the VPC host did send its spoofed datagrams");
        assertEquals(0, countDstPort(toVpc, "7009"), "nothing from VLAN 300 reached the VPC");
        assertEquals(10, countDstPort(toVpc, "7010"), "the same frames on VLAN 100 did");
        assertEquals(10, countDstPort(toVpc, "7012"), "datagrams from allowed sources did");
    }

    @Test
    @Order(5)
    void ecmpSplitsFlowsAcrossBothVifsAndKeepsEachFlowOnOne() throws Exception
    {
        final long dx1Before = lab.counter("vif dx1 tx_packets worker *");
        final long dx2Before = lab.counter("vif dx2 tx_packets worker *");
        final List<Row> trunk1;
        final List<Row> trunk2;
        try (Capture t1 = Capture.start(lab.shim, lab.t1, "udp dst port 7777");
            Capture t2 = Capture.start(lab.shim, lab.t2, "udp dst port 7777"))
        {
            lab.vpc.exec("python3", "-c", UDP_FLOWS, "172.16.0.2", "192.168.1.2", "7777", "64", "5", "20000");
            lab.vpc.exec("python3", "-c", UDP_FLOWS, "2001:db8:ffff::2", "2001:db8:100::2", "7777", "64", "5", "20000");
            trunk1 = t1.stop();
            trunk2 = t2.stop();
        }
        final Map<String, int[]> perFlow = new HashMap<>();
        for (final Row r : trunk1)
        {
            perFlow.computeIfAbsent(r.src() + " " + r.get("udp.srcport"), k -> new int[2])[0]++;
        }
        for (final Row r : trunk2)
        {
            perFlow.computeIfAbsent(r.src() + " " + r.get("udp.srcport"), k -> new int[2])[1]++;
        }
        assertEquals(128, perFlow.size(), "every flow of both families arrived");
        int onDx1 = 0;
        int onDx2 = 0;
        for (final Map.Entry<String, int[]> flow : perFlow.entrySet())
        {
            final int[] n = flow.getValue();
            assertTrue((n[0] == 5 && n[1] == 0) || (n[0] == 0 && n[1] == 5),
                "flow " + flow.getKey() + " stays on one VIF with all its packets: dx1 " + n[0] + ", dx2 " + n[1]);
            onDx1 += n[0] > 0 ? 1 : 0;
            onDx2 += n[1] > 0 ? 1 : 0;
        }
        // With an even split the chance that either side gets under 16 of 128 flows is below 1e-20.
        assertTrue(onDx1 >= 16 && onDx2 >= 16, "flows split across both VIFs: dx1 " + onDx1 + ", dx2 " + onDx2);
        assertTrue(lab.counter("vif dx1 tx_packets worker *") - dx1Before >= 5L * onDx1);
        assertTrue(lab.counter("vif dx2 tx_packets worker *") - dx2Before >= 5L * onDx2);
        System.out.println("ECMP: " + onDx1 + " flows on dx1, " + onDx2 + " on dx2");
    }

    @Test
    @Order(6)
    void partialChecksumsFromAHostWithChecksumOffloadAreCompletedBeforeForwarding() throws Exception
    {
        // The VPC host's kernel now leaves TCP checksums to the "hardware": over veth they reach vbgw's
        // AF_PACKET ring partial (TP_STATUS_CSUMNOTREADY). TSO and GSO stay off, so no frame exceeds the MTU.
        lab.vpc.exec("ethtool", "-K", lab.v0, "tx", "on");
        final long completedBefore = lab.ports[GatewayLab.VPC].checksumsCompleted();
        final List<Row> idcSide;
        try (Capture c1 = Capture.start(lab.cpe, lab.c1, "tcp");
            Capture c2 = Capture.start(lab.cpe, lab.c2, "tcp"))
        {
            assertEquals(262144, tcpTransfer(lab.vpc, "172.16.0.2", lab.cpe, "192.168.1.2", 262144),
                "every byte arrived");
            idcSide = concat(c1.stop(), c2.stop());
        }
        finally
        {
            lab.vpc.exec("ethtool", "-K", lab.v0, "tx", "off");
        }
        int fromVpc = 0;
        for (final Row r : idcSide)
        {
            if (r.src().equals("172.16.0.2"))
            {
                assertEquals("1", r.get("tcp.checksum.status"), "TCP checksum completed by vbgw's port: " + r);
                assertForwardedOnce(r);
                fromVpc++;
            }
        }
        assertTrue(fromVpc > 100, "TCP segments from the VPC host arrived: " + fromVpc);
        final long completed = lab.ports[GatewayLab.VPC].checksumsCompleted() - completedBefore;
        assertTrue(completed >= fromVpc / 2, "the port completed the partial checksums: " + completed);
        System.out.println("checksum offload: " + completed + " partial checksums completed, " + fromVpc +
            " segments checked at cpe");
    }

    @Test
    @Order(7)
    void nextHopsStayUpThroughNeighbourRefreshes() throws Exception
    {
        // vbgw re-confirms each neighbour with a unicast request before its 30 s reachable time runs out;
        // Linux answers a unicast NS without the target link-layer option, which must still count.
        final long waitMs = 35_000 - (System.nanoTime() - lab.resolvedAtNs) / 1_000_000;
        if (waitMs > 0)
        {
            Thread.sleep(waitMs);
        }
        for (final int nh : new int[] {GatewayLab.NH_DX1_V4, GatewayLab.NH_DX2_V4, GatewayLab.NH_DX1_V6, GatewayLab.NH_DX2_V6})
        {
            assertTrue(lab.dp.call(() -> lab.dp.fib().nextHop(nh).alive() && lab.dp.adjacencies().get(nh) != null),
                "next hop " + nh + " still up 35 s after it resolved");
        }
        ping(lab.vpc, "192.168.1.2");
        ping(lab.vpc, "2001:db8:100::2");
    }

    private static boolean isEcho(final Row r)
    {
        final String t4 = r.get("icmp.type");
        final String t6 = r.get("icmpv6.type");
        return t4.equals("0") || t4.equals("8") || t6.equals("128") || t6.equals("129");
    }

    /** TTL or hop limit 63 (the hosts send 64, vbgw took one) and every checksum good. */
    private static void assertForwardedOnce(final Row r)
    {
        if (!r.get("ip.src").isEmpty())
        {
            assertEquals("63", r.get("ip.ttl"), "TTL: " + r);
            assertEquals("1", r.get("ip.checksum.status"), "IPv4 header checksum: " + r);
            if (!r.get("icmp.type").isEmpty())
            {
                assertEquals("1", r.get("icmp.checksum.status"), "ICMP checksum: " + r);
            }
        }
        else
        {
            assertEquals("63", r.get("ipv6.hlim"), "hop limit: " + r);
            if (!r.get("icmpv6.type").isEmpty())
            {
                assertEquals("1", r.get("icmpv6.checksum.status"), "ICMPv6 checksum: " + r);
            }
        }
    }

    /** The rows whose source MAC is one of the given vbgw ports'. */
    private static List<Row> sentBy(final List<Row> rows, final int... ports)
    {
        final List<Row> out = new ArrayList<>();
        for (final Row r : rows)
        {
            for (final int p : ports)
            {
                if (r.get("eth.src").equals(GatewayLab.macText(lab.ports[p].macAddress())))
                {
                    out.add(r);
                }
            }
        }
        return out;
    }

    private static int countDstPort(final List<Row> rows, final String port)
    {
        int n = 0;
        for (final Row r : rows)
        {
            n += r.get("udp.dstport").equals(port) ? 1 : 0;
        }
        return n;
    }

    private static void assertNeighbour(final Netns ns, final String address, final String dev, final long mac)
    {
        final String out = ns.exec("ip", "neigh", "show", address, "dev", dev);
        assertTrue(out.contains("lladdr " + GatewayLab.macText(mac)), ns + ": " + address + " -> " + out);
    }

    private static <T> List<T> concat(final List<T> a, final List<T> b)
    {
        final List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
