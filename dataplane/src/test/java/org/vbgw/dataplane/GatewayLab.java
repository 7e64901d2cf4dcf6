package org.vbgw.dataplane;

import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CompositeAgent;
import org.vbgw.dataplane.vif.SourceCheck;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.Port;
import org.vbgw.io.lab.VlanShim;
import org.vbgw.io.linux.PacketSocket;
import org.vbgw.io.lab.Netns;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * The namespace topology of the data plane's integration test, built and torn down as one thing.
 * <pre>
 *  ns cpe (IDC router and host)        ns shim                     root ns (vbgw)           ns vpc
 *  192.168.1.2, 2001:db8:100::2 on lo
 *  c1 10.0.0.2/30 ──veth── a1 [VlanShim VID 100] t1 ──veth── g1  dx1 VLAN 100 10.0.0.1
 *  c2 10.0.0.6/30 ──veth── a2 [VlanShim VID 200] t2 ──veth── g2  dx2 VLAN 200 10.0.0.5
 *                                                             g3  vpc untagged 172.16.0.1 ──veth── v0 172.16.0.2/24
 * </pre>
 * vbgw runs in the test JVM on PacketSockets on g1-g3 in the root namespace, with {@link HostKernelBypass}
 * on them and IPv6 off, so the root kernel neither answers nor forwards what arrives there. The kernel has
 * no 8021q, so the shims (in their own namespace, whose kernel has no addresses and IPv6 off on a1, a2, t1,
 * t2) tag and untag for cpe. Every veth has its offloads off: the stacks in cpe and vpc send frames with
 * complete checksums and no GSO, so the test does not rely on the ports completing partial checksums.
 * <p>
 * FIB: 192.168.0.0/16 and 2001:db8:100::/48 as ECMP over dx1 and dx2; 172.16.0.0/24 and 2001:db8:ffff::/64
 * attached on vpc (host routes appear as destinations resolve). IDC VIFs check sources STRICTly against
 * their /30, /64 and the IDC prefixes; the VPC VIF against its subnets.
 */
final class GatewayLab implements AutoCloseable
{
    static final int VID_DX1 = 100;
    static final int VID_DX2 = 200;
    static final int DX1 = 0;
    static final int DX2 = 1;
    static final int VPC = 2;
    static final int NH_DX1_V4 = 1;
    static final int NH_DX2_V4 = 2;
    static final int NH_DX1_V6 = 3;
    static final int NH_DX2_V6 = 4;
    static final int NH_VPC_V4 = 5;
    static final int NH_VPC_V6 = 6;

    final Netns cpe;
    final Netns shim;
    final Netns vpc;
    final String c1 = Netns.interfaceName("cpe1");
    final String c2 = Netns.interfaceName("cpe2");
    final String a1 = Netns.interfaceName("acc1");
    final String a2 = Netns.interfaceName("acc2");
    final String t1 = Netns.interfaceName("trk1");
    final String t2 = Netns.interfaceName("trk2");
    final String g1 = Netns.interfaceName("gw1");
    final String g2 = Netns.interfaceName("gw2");
    final String g3 = Netns.interfaceName("gw3");
    final String v0 = Netns.interfaceName("vpc0");

    private final List<AutoCloseable> resources = new ArrayList<>();
    final PacketSocket[] ports = new PacketSocket[3];
    /** When vbgw had resolved cpe (System.nanoTime()). */
    long resolvedAtNs;
    VlanShim shim1;
    VlanShim shim2;
    Dataplane dp;

    private GatewayLab()
    {
        cpe = Netns.create("vbgw-cpe");
        resources.add(cpe);
        shim = Netns.create("vbgw-shim");
        resources.add(shim);
        vpc = Netns.create("vbgw-vpc");
        resources.add(vpc);
    }

    /** Builds everything and waits until vbgw has resolved cpe on both VIFs, in both families. */
    static GatewayLab start()
    {
        final GatewayLab lab = new GatewayLab();
        try
        {
            lab.wire();
            lab.startShims();
            lab.startGateway();
            return lab;
        }
        catch (final RuntimeException | Error ex)
        {
            lab.close();
            throw ex;
        }
    }

    private void wire()
    {
        cpe.veth(c1, shim, a1, 1500);
        cpe.veth(c2, shim, a2, 1500);
        rootVeth(g1, shim, t1);
        rootVeth(g2, shim, t2);
        rootVeth(g3, vpc, v0);

        for (final String c : List.of(c1, c2))
        {
            cpe.exec("sysctl", "-qw", "net.ipv6.conf." + c + ".disable_ipv6=0");
            cpe.exec("sysctl", "-qw", "net.ipv4.conf." + c + ".rp_filter=0");
        }
        cpe.exec("sysctl", "-qw", "net.ipv4.conf.all.rp_filter=0");
        cpe.exec("ip", "addr", "add", "10.0.0.2/30", "dev", c1);
        cpe.exec("ip", "addr", "add", "10.0.0.6/30", "dev", c2);
        cpe.exec("ip", "-6", "addr", "add", "2001:db8:1::2/64", "dev", c1, "nodad");
        cpe.exec("ip", "-6", "addr", "add", "2001:db8:2::2/64", "dev", c2, "nodad");
        cpe.exec("ip", "addr", "add", "192.168.1.2/32", "dev", "lo");
        cpe.exec("ip", "-6", "addr", "add", "2001:db8:100::2/128", "dev", "lo");
        // Sources outside what the IDC VIFs allow, for the anti-spoofing checks.
        cpe.exec("ip", "addr", "add", "203.0.113.5/32", "dev", "lo");
        cpe.exec("ip", "-6", "addr", "add", "2001:db8:dead::5/128", "dev", "lo");
        cpe.exec("ip", "route", "add", "172.16.0.0/24", "nexthop", "via", "10.0.0.1", "dev", c1,
            "nexthop", "via", "10.0.0.5", "dev", c2);
        cpe.exec("ip", "-6", "route", "add", "2001:db8:ffff::/64", "nexthop", "via", "2001:db8:1::1", "dev", c1,
            "nexthop", "via", "2001:db8:2::1", "dev", c2);

        vpc.exec("sysctl", "-qw", "net.ipv6.conf." + v0 + ".disable_ipv6=0");
        vpc.exec("ip", "addr", "add", "172.16.0.2/24", "dev", v0);
        vpc.exec("ip", "-6", "addr", "add", "2001:db8:ffff::2/64", "dev", v0, "nodad");
        vpc.exec("ip", "addr", "add", "192.168.9.9/32", "dev", "lo");
        vpc.exec("ip", "route", "add", "default", "via", "172.16.0.1");
        vpc.exec("ip", "-6", "route", "add", "default", "via", "2001:db8:ffff::1");
    }

    /** A veth from the root namespace into {@code ns}; both ends without IPv6 and offloads, and up. */
    private void rootVeth(final String rootEnd, final Netns ns, final String nsEnd)
    {
        Netns.run("ip", "link", "add", rootEnd, "mtu", "1500", "type", "veth", "peer", "name", nsEnd,
            "netns", ns.name(), "mtu", "1500");
        Netns.run("sysctl", "-qw", "net.ipv6.conf." + rootEnd + ".disable_ipv6=1");
        Netns.run("ethtool", "-K", rootEnd, "tx", "off", "tso", "off", "gso", "off", "gro", "off");
        Netns.run("ip", "link", "set", rootEnd, "up");
        ns.exec("sysctl", "-qw", "net.ipv6.conf." + nsEnd + ".disable_ipv6=1");
        ns.exec("ethtool", "-K", nsEnd, "tx", "off", "tso", "off", "gso", "off", "gro", "off");
        ns.exec("ip", "link", "set", nsEnd, "up");
    }

    private void startShims()
    {
        final PacketSocket access1;
        final PacketSocket trunk1;
        final PacketSocket access2;
        final PacketSocket trunk2;
        try (Netns.Scope ignored = shim.enter())
        {
            access1 = own(PacketSocket.open(a1));
            trunk1 = own(PacketSocket.open(t1));
            access2 = own(PacketSocket.open(a2));
            trunk2 = own(PacketSocket.open(t2));
        }
        shim1 = VlanShim.dot1q(access1, trunk1, VID_DX1);
        shim2 = VlanShim.dot1q(access2, trunk2, VID_DX2);
        final AgentRunner runner = new AgentRunner(new BackoffIdleStrategy(100, 10, 1_000, 100_000),
            Throwable::printStackTrace, null, new CompositeAgent(shim1, shim2));
        // Closed before the sockets it uses (resources close in reverse order).
        AgentRunner.startOnThread(runner);
        resources.add(runner);
    }

    private void startGateway()
    {
        // One worker, the default; -Dvbgw.it.workers=N runs the same test with more, each worker with its own
        // socket on every port, the sockets of a port in one fanout group.
        final int workers = Integer.getInteger("vbgw.it.workers", 1);
        final String[] names = {g1, g2, g3};
        final PacketSocket[][] handles = new PacketSocket[workers][3];
        for (int w = 0; w < workers; w++)
        {
            for (int p = 0; p < 3; p++)
            {
                final org.vbgw.io.linux.PacketSocketOptions options = new org.vbgw.io.linux.PacketSocketOptions();
                if (workers > 1)
                {
                    options.fanoutHash(((int)ProcessHandle.current().pid() * 8 + p) & 0xFFFF);
                }
                handles[w][p] = own(PacketSocket.open(names[p], options));
            }
        }
        ports[DX1] = handles[0][DX1];
        ports[DX2] = handles[0][DX2];
        ports[VPC] = handles[0][VPC];
        own(HostKernelBypass.install(List.of(g1, g2, g3)));
        dp = own(new Dataplane(handles, Dataplane.Config.defaults().withWorkers(workers),
            new org.agrona.concurrent.OffsetEpochNanoClock()));

        final List<IpPrefix> idc = List.of(IpPrefix.parse("192.168.0.0/16"), IpPrefix.parse("2001:db8:100::/48"));
        dp.addVif(new Vif(DX1, "dx1", DX1, VID_DX1, 0, 0, ports[DX1].macAddress(), 1500,
            List.of(IpPrefix.parse("10.0.0.1"), IpPrefix.parse("2001:db8:1::1")),
            concat(idc, IpPrefix.parse("10.0.0.0/30"), IpPrefix.parse("2001:db8:1::/64")), SourceCheck.STRICT, true), null);
        dp.addVif(new Vif(DX2, "dx2", DX2, VID_DX2, 0, 0, ports[DX2].macAddress(), 1500,
            List.of(IpPrefix.parse("10.0.0.5"), IpPrefix.parse("2001:db8:2::1")),
            concat(idc, IpPrefix.parse("10.0.0.4/30"), IpPrefix.parse("2001:db8:2::/64")), SourceCheck.STRICT, true), null);
        dp.addVif(new Vif(VPC, "vpc", VPC, Vif.UNTAGGED, 0, 0, ports[VPC].macAddress(), 1500,
            List.of(IpPrefix.parse("172.16.0.1"), IpPrefix.parse("2001:db8:ffff::1")),
            List.of(IpPrefix.parse("172.16.0.0/24"), IpPrefix.parse("2001:db8:ffff::/64")), SourceCheck.STRICT, true), null);

        nextHop(NH_DX1_V4, DX1, "10.0.0.2");
        nextHop(NH_DX2_V4, DX2, "10.0.0.6");
        nextHop(NH_DX1_V6, DX1, "2001:db8:1::2");
        nextHop(NH_DX2_V6, DX2, "2001:db8:2::2");
        dp.addNextHop(NH_VPC_V4, VPC, false, 0, 0);
        dp.addNextHop(NH_VPC_V6, VPC, true, 0, 0);
        final Fib fib = dp.fib();
        fib.addGroup(1, new int[] {NH_DX1_V4, NH_DX2_V4}, new int[] {1, 1}, Fib.NO_GROUP);
        fib.addGroup(2, new int[] {NH_DX1_V6, NH_DX2_V6}, new int[] {1, 1}, Fib.NO_GROUP);
        fib.addGroup(3, new int[] {NH_VPC_V4}, new int[] {1}, Fib.NO_GROUP);
        fib.addGroup(4, new int[] {NH_VPC_V6}, new int[] {1}, Fib.NO_GROUP);
        fib.addRoute(IpPrefix.parse("192.168.0.0/16"), 1);
        fib.addRoute(IpPrefix.parse("2001:db8:100::/48"), 2);
        fib.addRoute(IpPrefix.parse("172.16.0.0/24"), 3);
        fib.addRoute(IpPrefix.parse("2001:db8:ffff::/64"), 4);
        dp.start();
        System.out.println("vbgw: " + dp.workerCount() + " worker(s) on " + g1 + ", " + g2 + ", " + g3);

        await("vbgw resolves cpe on dx1 and dx2 by ARP and ND", 15_000, () -> dp.call(() ->
            dp.adjacencies().get(NH_DX1_V4) != null && dp.adjacencies().get(NH_DX2_V4) != null &&
            dp.adjacencies().get(NH_DX1_V6) != null && dp.adjacencies().get(NH_DX2_V6) != null));
        resolvedAtNs = System.nanoTime();
    }

    private void nextHop(final int id, final int vifId, final String address)
    {
        final IpPrefix a = IpPrefix.parse(address);
        dp.addNextHop(id, vifId, a.ipv6(), a.hi(), a.lo());
    }

    private static List<IpPrefix> concat(final List<IpPrefix> base, final IpPrefix... more)
    {
        final List<IpPrefix> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    private <T extends AutoCloseable> T own(final T resource)
    {
        resources.add(resource);
        return resource;
    }

    /**
     * The sum of the data plane counters whose label matches {@code label}, where {@code *} stands for a
     * worker number: {@code "worker * drop_unknown_vlan"} sums that verdict over all workers.
     */
    long counter(final String label)
    {
        final Pattern pattern = Pattern.compile(Pattern.quote(label).replace("*", "\\E\\d+\\Q"));
        final long[] sum = new long[1];
        dp.counters().forEach((id, l) ->
        {
            if (pattern.matcher(l).matches())
            {
                sum[0] += dp.counters().getCounterValue(id);
            }
        });
        return sum[0];
    }

    /** A MAC address as {@code ip neigh} and {@code /sys/class/net/X/address} print it. */
    static String macText(final long mac)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 5; i >= 0; i--)
        {
            sb.append(String.format("%02x", (mac >>> (8 * i)) & 0xFF)).append(i > 0 ? ":" : "");
        }
        return sb.toString();
    }

    static void await(final String what, final long timeoutMs, final BooleanSupplier condition)
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean())
        {
            if (System.currentTimeMillis() > deadline)
            {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting until " + what);
            }
            try
            {
                Thread.sleep(20);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting until " + what, ex);
            }
        }
    }

    /** Stops vbgw and the shims, closes every socket, removes the bypass and deletes the namespaces. */
    @Override
    public void close()
    {
        for (int i = resources.size() - 1; i >= 0; i--)
        {
            CloseHelper.quietClose(resources.get(i));
        }
        resources.clear();
    }
}
