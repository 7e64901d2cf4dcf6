package org.vbgw.perf.dataplane;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.vbgw.dataplane.adjacency.Adjacency;
import org.vbgw.dataplane.adjacency.AdjacencyTable;
import org.vbgw.dataplane.pipeline.ControlPath;
import org.vbgw.dataplane.pipeline.Forwarder;
import org.vbgw.dataplane.pipeline.TokenBucket;
import org.vbgw.dataplane.pipeline.WorkerCounters;
import org.vbgw.dataplane.vif.SourceCheck;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.dataplane.vif.VifTable;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.Port;

import java.nio.file.Path;
import java.util.List;

/**
 * A border gateway as the benchmarks see it: port 0 faces the data center (IDC) with two tagged VIFs, dx1 on
 * 802.1Q VLAN 100 and dx2 on QinQ 200.10, one ECMP group across both; port 1 faces the VPC, one untagged VIF.
 * The FIB holds the Internet-size IPv4 and IPv6 tables, each route pointing at one of four groups per family
 * (chosen by the route's next-hop id modulo 4): two towards the IDC (ECMP 1:1 and 3:1 over dx1 and dx2), two
 * towards the VPC (one host, ECMP over two hosts). Every next hop has a resolved adjacency, so forwarded
 * traffic never waits for a neighbour.
 * <p>
 * IDC VIFs check sources strictly (the IDC subnets 10.0.0.0/8 and 2001:db8:100::/40), as a gateway facing a
 * customer does; the VPC VIF does not check sources. Setup-time only: building allocates freely.
 */
final class GatewayFixture
{
    static final int IDC_PORT = 0;
    static final int VPC_PORT = 1;
    static final int PORT_COUNT = 2;

    static final int DX1_VIF = 0;
    static final int DX2_VIF = 1;
    static final int VPC_VIF = 2;
    static final int DX1_VLAN = 100;
    static final int DX2_OUTER_VLAN = 200;
    static final int DX2_INNER_VLAN = 10;

    static final long DX1_MAC = 0x02_00_00_00_01_00L;
    static final long DX2_MAC = 0x02_00_00_00_02_00L;
    static final long VPC_MAC = 0x02_00_00_00_03_00L;
    static final long CPE1_MAC = 0x02_00_00_01_00_01L;
    static final long CPE2_MAC = 0x02_00_00_01_00_02L;
    static final long VPC_HOST1_MAC = 0x02_00_00_02_00_01L;
    static final long VPC_HOST2_MAC = 0x02_00_00_02_00_02L;

    /** IDC sources that pass the strict check: 10.0.0.0/8, and 2001:db8:100::/40. */
    static final int IDC_IPV4_SUBNET = 0x0A00_0000;
    static final long IDC_IPV6_SUBNET_HI = 0x2001_0db8_0100_0000L;
    /** VPC sources: 172.16.0.0/16, and 2001:db8:ffff::/48. */
    static final int VPC_IPV4_SUBNET = 0xAC10_0000;
    static final long VPC_IPV6_SUBNET_HI = 0x2001_0db8_ffff_0000L;

    private static final int MTU_BYTES = 1500;
    private static final int MAX_VIFS = 8;
    private static final int MAX_NEXT_HOPS = 16;
    private static final int GROUPS_PER_FAMILY = 4;
    private static final int FIRST_IPV6_GROUP = GROUPS_PER_FAMILY;

    final VifTable vifs = new VifTable(PORT_COUNT, MAX_VIFS);
    final Fib fib = new Fib();
    final AdjacencyTable adjacencies = new AdjacencyTable(MAX_NEXT_HOPS);
    final InternetRoutes ipv4Routes;
    final InternetRoutes ipv6Routes;
    final long loadIpv4Ms;
    final long loadIpv6Ms;

    /**
     * Builds the gateway and loads the route files, or synthetic tables where a file is absent.
     *
     * @param ipv4RouteFile e.g. {@code perf/data/ipv4-internet.routes}.
     * @param ipv6RouteFile e.g. {@code perf/data/ipv6-internet.routes}.
     * @param smallTables   load {@link InternetRoutes#small} tables instead, to separate the cost of the
     *                      lookup's cache misses from the rest of the pipeline.
     */
    GatewayFixture(final Path ipv4RouteFile, final Path ipv6RouteFile, final boolean smallTables)
    {
        addVifs();
        addNextHopsAndGroups();
        ipv4Routes = smallTables ? InternetRoutes.small(false, 64)
            : InternetRoutes.load(ipv4RouteFile, false, InternetRoutes.SYNTHETIC_IPV4_COUNT, 64);
        ipv6Routes = smallTables ? InternetRoutes.small(true, 64)
            : InternetRoutes.load(ipv6RouteFile, true, InternetRoutes.SYNTHETIC_IPV6_COUNT, 64);

        final int n4 = ipv4Routes.count;
        final int[] prefixes = new int[n4];
        final int[] groups4 = new int[n4];
        for (int i = 0; i < n4; i++)
        {
            prefixes[i] = ipv4Routes.ipv4Prefix(i);
            groups4[i] = ipv4Routes.nextHopIds[i] % GROUPS_PER_FAMILY;
        }
        long start = System.nanoTime();
        fib.loadIpv4Routes(prefixes, ipv4Routes.lengths, groups4, n4);
        loadIpv4Ms = (System.nanoTime() - start) / 1_000_000;

        final int n6 = ipv6Routes.count;
        final int[] groups6 = new int[n6];
        for (int i = 0; i < n6; i++)
        {
            groups6[i] = FIRST_IPV6_GROUP + ipv6Routes.nextHopIds[i] % GROUPS_PER_FAMILY;
        }
        start = System.nanoTime();
        fib.loadIpv6Routes(ipv6Routes.his, ipv6Routes.los, ipv6Routes.lengths, groups6, n6);
        loadIpv6Ms = (System.nanoTime() - start) / 1_000_000;
    }

    /** A worker's forwarder over these ports (index 0 IDC, 1 VPC), counting into {@code counters}. */
    Forwarder newForwarder(final Port[] ports, final WorkerCounters counters)
    {
        return new Forwarder(ports, vifs, fib, adjacencies, new RefusingControlPath(), counters,
            new TokenBucket(1000, 100, 0));
    }

    /** Counters for one worker, in memory (the production file is mapped; the cost per increment is the same). */
    WorkerCounters newCounters(final int workerId)
    {
        final WorkerCounters counters = new WorkerCounters(new CountersManager(
            new UnsafeBuffer(new byte[1 << 20]), new UnsafeBuffer(new byte[1 << 18])), workerId, MAX_VIFS, MAX_NEXT_HOPS);
        final VifTable.Snapshot snapshot = vifs.snapshot();
        for (int v = 0; v < MAX_VIFS; v++)
        {
            final Vif vif = snapshot.vif(v);
            if (vif != null)
            {
                counters.addVif(v, vif.name());
            }
        }
        for (int nh = 0; nh < MAX_NEXT_HOPS; nh++)
        {
            if (fib.nextHop(nh) != null)
            {
                counters.addNextHop(nh, "nh" + nh);
            }
        }
        return counters;
    }

    /** The port a packet to this IPv4 destination leaves by, or -1 when it would not be forwarded. */
    int egressPortIpv4(final int dst)
    {
        final int group = fib.lookupIpv4(dst);
        return group == Fib.NO_GROUP ? -1 : egressPort(fib.selectNextHop(group, 0));
    }

    /** The port a packet to this IPv6 destination leaves by, or -1 when it would not be forwarded. */
    int egressPortIpv6(final long hi, final long lo)
    {
        final int group = fib.lookupIpv6(hi, lo);
        return group == Fib.NO_GROUP ? -1 : egressPort(fib.selectNextHop(group, 0));
    }

    /** True when the destination is one of the gateway's own IPv4 addresses (the packet would be local). */
    boolean isLocalIpv4(final int dst)
    {
        return vifs.snapshot().localIpv4Owner(dst) != VifTable.NO_VIF;
    }

    private int egressPort(final int nextHopId)
    {
        final Adjacency adjacency = adjacencies.get(nextHopId);
        return adjacency == null ? -1 : adjacency.portIndex();
    }

    private void addVifs()
    {
        final List<IpPrefix> idcSources = List.of(IpPrefix.parse("10.0.0.0/8"), IpPrefix.parse("2001:db8:100::/40"));
        vifs.put(new Vif(DX1_VIF, "dx1", IDC_PORT, DX1_VLAN, Vif.NO_INNER, 0x8100, DX1_MAC, MTU_BYTES,
            List.of(IpPrefix.parse("10.0.0.1"), IpPrefix.parse("2001:db8::1")), idcSources, SourceCheck.STRICT, true));
        vifs.put(new Vif(DX2_VIF, "dx2", IDC_PORT, DX2_OUTER_VLAN, DX2_INNER_VLAN, 0x88a8, DX2_MAC, MTU_BYTES,
            List.of(IpPrefix.parse("10.0.0.5"), IpPrefix.parse("2001:db8::5")), idcSources, SourceCheck.STRICT, true));
        vifs.put(new Vif(VPC_VIF, "vpc", VPC_PORT, Vif.UNTAGGED, Vif.NO_INNER, 0, VPC_MAC, MTU_BYTES,
            List.of(IpPrefix.parse("172.16.0.1"), IpPrefix.parse("2001:db8:ffff::1")), List.of(), SourceCheck.OFF, true));
    }

    private void addNextHopsAndGroups()
    {
        // IPv4 next hops 0–3, IPv6 next hops 4–7: the CPE routers behind dx1 and dx2, two hosts in the VPC.
        fib.addNextHop(0, DX1_VIF, "10.0.0.2");
        fib.addNextHop(1, DX2_VIF, "10.0.0.6");
        fib.addNextHop(2, VPC_VIF, "172.16.0.10");
        fib.addNextHop(3, VPC_VIF, "172.16.0.11");
        fib.addNextHop(4, DX1_VIF, "2001:db8::2");
        fib.addNextHop(5, DX2_VIF, "2001:db8::6");
        fib.addNextHop(6, VPC_VIF, "2001:db8:ffff::10");
        fib.addNextHop(7, VPC_VIF, "2001:db8:ffff::11");
        for (int family = 0; family < 2; family++)
        {
            final int nh = 4 * family;
            final int group = GROUPS_PER_FAMILY * family;
            fib.addGroup(group, new int[] {nh, nh + 1}, new int[] {1, 1}, Fib.NO_GROUP);
            fib.addGroup(group + 1, new int[] {nh, nh + 1}, new int[] {3, 1}, Fib.NO_GROUP);
            fib.addGroup(group + 2, new int[] {nh + 2}, new int[] {1}, Fib.NO_GROUP);
            fib.addGroup(group + 3, new int[] {nh + 2, nh + 3}, new int[] {1, 1}, Fib.NO_GROUP);

            adjacencies.put(new Adjacency(nh, DX1_VIF, IDC_PORT, MTU_BYTES, CPE1_MAC, DX1_MAC, 0x8100, DX1_VLAN, 0));
            adjacencies.put(new Adjacency(nh + 1, DX2_VIF, IDC_PORT, MTU_BYTES, CPE2_MAC, DX2_MAC, 0x88a8,
                DX2_OUTER_VLAN, DX2_INNER_VLAN));
            adjacencies.put(new Adjacency(nh + 2, VPC_VIF, VPC_PORT, MTU_BYTES, VPC_HOST1_MAC, VPC_MAC, 0, 0, 0));
            adjacencies.put(new Adjacency(nh + 3, VPC_VIF, VPC_PORT, MTU_BYTES, VPC_HOST2_MAC, VPC_MAC, 0, 0, 0));
        }
    }

    /**
     * The benchmark's traffic is all forwarded: nothing should be punted or wait for a neighbour. Refusing
     * (the worker counts a drop) makes a fixture mistake visible in the verdict counters instead of hiding
     * a copy in the measurement.
     */
    private static final class RefusingControlPath implements ControlPath
    {
        @Override
        public boolean punt(final int reason, final int portIndex, final int vifId, final DirectBuffer frame,
            final int offset, final int length)
        {
            return false;
        }

        @Override
        public boolean awaitNeighbour(final int nextHopId, final int vifId, final boolean ipv6, final long hi,
            final long lo, final DirectBuffer packet, final int offset, final int length)
        {
            return false;
        }
    }
}
