package org.vbgw.perf.failover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.vbgw.io.lab.Netns;

/**
 * The failover measurement's namespaces: a VPC host, the gateway, the two "physical connections" to the data
 * center, and the data center's customer router.
 * <pre>
 *   vpc                gw (vbgw's three ports)          wire                               idc
 *   [vpc] ──veth── [gwv]                 bridge A: [wa-gw] ─┤br├─ [wa-idc] ──veth── [idca]  path 0, VIF A
 *                  [gwa] ──veth─────────────────────┘                                      (10.0.0.2)
 *                  [gwb] ──veth── bridge B: [wb-gw] ─┤br├─ [wb-idc] ──veth── [idcb]         path 1, VIF B
 *                                                                                          (10.0.0.6)
 * </pre>
 * The wire namespace is the connection between the two sites, and the place where links are cut: taking
 * {@code wa-gw} down is the far end of the gateway's cable going away (the gateway sees carrier loss on its
 * port and nothing else), and an nftables bridge drop on bridge A is a silent failure further along (a switch or
 * provider network that stops forwarding while every port stays up: what BFD, a BGP hold timer or a health
 * check has to find). The VIFs are untagged, one per gateway port: the kernel here has no 8021q, and a tagged
 * lab would add a {@link org.vbgw.io.lab.VlanShim} thread per path on a 2-core machine without changing what is
 * measured.
 * <p>
 * Offloads and IPv6 are off on every veth ({@link Netns#veth}); MAC addresses are fixed so the gateway's static
 * neighbours and the sender's frames need no resolution. Names are unique per run; {@link #close()} (and a
 * shutdown hook, through {@link Netns}) deletes the namespaces and everything in them.
 */
final class FailoverLab implements AutoCloseable
{
    static final long VPC_MAC = 0x02_fb_00_00_00_10L;
    static final long GW_VPC_MAC = 0x02_fb_00_00_00_01L;
    static final long GW_A_MAC = 0x02_fb_00_00_0a_01L;
    static final long GW_B_MAC = 0x02_fb_00_00_0b_01L;
    static final long IDC_A_MAC = 0x02_fb_00_00_0a_02L;
    static final long IDC_B_MAC = 0x02_fb_00_00_0b_02L;
    static final int VPC_IP = 0xC0A8_010A;        // 192.168.1.10
    static final int GW_VPC_IP = 0xC0A8_0101;     // 192.168.1.1
    static final int GW_A_IP = 0x0A00_0001;       // 10.0.0.1/30
    static final int IDC_A_IP = 0x0A00_0002;      // 10.0.0.2
    static final int GW_B_IP = 0x0A00_0005;       // 10.0.0.5/30
    static final int IDC_B_IP = 0x0A00_0006;      // 10.0.0.6
    static final int PATH_A = 0;
    static final int PATH_B = 1;

    private static final int MTU = 1500;
    private static final String CUT_TABLE = "vbgwcut";

    final Netns vpc;
    final Netns gw;
    final Netns wire;
    final Netns idc;
    final String vpcIf = Netns.interfaceName("fvpc");
    final String gwVpcIf = Netns.interfaceName("fgwv");
    final String gwAIf = Netns.interfaceName("fgwa");
    final String gwBIf = Netns.interfaceName("fgwb");
    final String wireAGwIf = Netns.interfaceName("fwag");
    final String wireBGwIf = Netns.interfaceName("fwbg");
    final String wireAIdcIf = Netns.interfaceName("fwai");
    final String wireBIdcIf = Netns.interfaceName("fwbi");
    final String idcAIf = Netns.interfaceName("fida");
    final String idcBIf = Netns.interfaceName("fidb");
    private final String bridgeA = Netns.interfaceName("fbra");
    private final String bridgeB = Netns.interfaceName("fbrb");

    FailoverLab()
    {
        Netns vpcNs = null;
        Netns gwNs = null;
        Netns wireNs = null;
        Netns idcNs = null;
        try
        {
            vpcNs = Netns.create("vbgwfo-vpc");
            gwNs = Netns.create("vbgwfo-gw");
            wireNs = Netns.create("vbgwfo-wire");
            idcNs = Netns.create("vbgwfo-idc");
        }
        catch (final RuntimeException ex)
        {
            for (final Netns ns : new Netns[] {vpcNs, gwNs, wireNs, idcNs})
            {
                if (ns != null)
                {
                    ns.close();
                }
            }
            throw ex;
        }
        vpc = vpcNs;
        gw = gwNs;
        wire = wireNs;
        idc = idcNs;
        try
        {
            vpc.veth(vpcIf, gw, gwVpcIf, MTU);
            gw.veth(gwAIf, wire, wireAGwIf, MTU);
            gw.veth(gwBIf, wire, wireBGwIf, MTU);
            wire.veth(wireAIdcIf, idc, idcAIf, MTU);
            wire.veth(wireBIdcIf, idc, idcBIf, MTU);
            mac(vpc, vpcIf, VPC_MAC);
            mac(gw, gwVpcIf, GW_VPC_MAC);
            mac(gw, gwAIf, GW_A_MAC);
            mac(gw, gwBIf, GW_B_MAC);
            mac(idc, idcAIf, IDC_A_MAC);
            mac(idc, idcBIf, IDC_B_MAC);
            bridge(bridgeA, wireAGwIf, wireAIdcIf);
            bridge(bridgeB, wireBGwIf, wireBIdcIf);
            // The silent cut's table is there from the start, empty: a cut is then one rule, one nft call.
            wire.exec("nft", "add", "table", "bridge", CUT_TABLE);
            wire.exec("nft", "add", "chain", "bridge", CUT_TABLE, "forward",
                "{ type filter hook forward priority 0; policy accept; }");
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    private static void mac(final Netns ns, final String ifName, final long mac)
    {
        // The address changes only with the link down; veth allows it up as well, but not every device does.
        ns.exec("ip", "link", "set", ifName, "down");
        ns.exec("ip", "link", "set", ifName, "address", macText(mac));
        ns.exec("ip", "link", "set", ifName, "up");
    }

    private void bridge(final String name, final String... ports)
    {
        // No STP and no forward delay: a port forwards as soon as it is up, also after a cut is restored.
        wire.exec("ip", "link", "add", name, "type", "bridge", "stp_state", "0", "forward_delay", "0");
        wire.exec("sysctl", "-qw", "net.ipv6.conf." + name + ".disable_ipv6=1");
        for (final String port : ports)
        {
            wire.exec("ip", "link", "set", port, "master", name);
        }
        wire.exec("ip", "link", "set", name, "up");
    }

    /** The gateway's ports in port order: VPC, A, B. */
    List<String> gatewayPorts()
    {
        return List.of(gwVpcIf, gwAIf, gwBIf);
    }

    /** The far end of the gateway's cable on {@code path} down or up: the gateway sees carrier loss. */
    void farEnd(final int path, final boolean up)
    {
        wire.exec("ip", "link", "set", path == PATH_A ? wireAGwIf : wireBGwIf, up ? "up" : "down");
    }

    /**
     * Silently drops everything the bridge of {@code path} would forward (both ways), or stops doing so; stopping
     * lifts every drop (one path is cut at a time).
     */
    void blackhole(final int path, final boolean drop)
    {
        if (drop)
        {
            // Frames entering the bridge from either of its ports: both directions die, as BFD would see it.
            wire.exec("nft", "add", "rule", "bridge", CUT_TABLE, "forward", "iifname", "{",
                path == PATH_A ? wireAGwIf : wireBGwIf, ",", path == PATH_A ? wireAIdcIf : wireBIdcIf, "}",
                "counter", "drop");
        }
        else
        {
            wire.exec("nft", "flush", "chain", "bridge", CUT_TABLE, "forward");
        }
    }

    /**
     * Starts BIRD 2 in the customer namespace as the BFD peer of both connections (single hop, {@code intervalMs}
     * x {@code multiplier}), with the customer-side interconnect addresses on its interfaces; under SCHED_FIFO at
     * {@code rtPriority} unless it is 0. The returned process runs BIRD in the foreground; destroying it stops the
     * peer.
     */
    Process startBfdPeer(final Path dir, final int intervalMs, final int multiplier, final int rtPriority)
        throws IOException
    {
        idc.exec("ip", "addr", "replace", "10.0.0.2/30", "dev", idcAIf);
        idc.exec("ip", "addr", "replace", "10.0.0.6/30", "dev", idcBIf);
        final Path conf = dir.resolve("bird.conf");
        Files.writeString(conf, String.join("\n",
            "router id 10.0.0.2;",
            "log stderr all;",
            "debug protocols { states, events };",
            "protocol device {}",
            "protocol bfd {",
            "  interface \"" + idcAIf + "\", \"" + idcBIf + "\" {",
            "    min rx interval " + intervalMs + " ms; min tx interval " + intervalMs + " ms;",
            "    idle tx interval 1000 ms; multiplier " + multiplier + ";",
            "  };",
            "  neighbor 10.0.0.1 dev \"" + idcAIf + "\" local 10.0.0.2;",
            "  neighbor 10.0.0.5 dev \"" + idcBIf + "\" local 10.0.0.6;",
            "}", ""));
        final List<String> command = new java.util.ArrayList<>();
        if (rtPriority > 0)
        {
            // The customer router has CPUs of its own in real life; here it shares two vCPUs with the gateway,
            // the traffic and whatever else runs, and BIRD sending late flaps a 10 ms x 3 session as surely as
            // the gateway sending late. SCHED_FIFO gives it the CPU the moment its timer fires.
            command.addAll(List.of("chrt", "-f", Integer.toString(rtPriority)));
        }
        command.addAll(List.of("bird", "-f", "-c", conf.toString(), "-s", dir.resolve("bird.ctl").toString(),
            "-P", dir.resolve("bird.pid").toString()));
        final Process bird = idc.start(command.toArray(new String[0]));
        // BIRD writes its log to the pipe: drained to a file, or a full pipe would one day stop BIRD (and its BFD)
        // mid-run, and the file shows what BIRD saw when a session flapped.
        final Path log = dir.resolve("bird.log");
        final Thread drain = new Thread(() ->
        {
            try (java.io.InputStream in = bird.getInputStream())
            {
                Files.copy(in, log, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final IOException ex)
            {
                // BIRD stopped: its log is complete.
            }
        }, "bird-log");
        drain.setDaemon(true);
        drain.start();
        return bird;
    }

    static String macText(final long mac)
    {
        final StringBuilder sb = new StringBuilder(17);
        for (int i = 5; i >= 0; i--)
        {
            if (sb.length() > 0)
            {
                sb.append(':');
            }
            sb.append(String.format("%02x", (mac >>> (8 * i)) & 0xFF));
        }
        return sb.toString();
    }

    @Override
    public void close()
    {
        for (final Netns ns : new Netns[] {idc, wire, gw, vpc})
        {
            if (ns != null)
            {
                ns.close();
            }
        }
    }
}
