package org.vbgw.perf.frr;

import com.fasterxml.jackson.databind.JsonNode;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.frr.FrrConfig;
import org.vbgw.agent.frr.FrrDaemons;
import org.vbgw.agent.frr.Vtysh;
import org.vbgw.io.lab.Netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * How long the gateway's FRR, as vbgw renders and runs it, takes to learn a customer's table, and what zebra's
 * kernel copy of it costs on top: a BIRD 2 customer announces N prefixes over one eBGP session; from the
 * session's start the harness times (a) bgpd holding all N (what FPM could carry at the earliest) and (b) zebra
 * having installed all N into the kernel (zebra offers no way to skip it, see docs/FRR.md). Side by side in one
 * run, repeated; medians and the ratio b/a are printed.
 * <p>
 * Topology: namespaces {@code vbgwbgp-gw-*} (FRR, on a veth named like a VIF's TAP) and {@code vbgwbgp-cpe-*}
 * (BIRD), joined by one veth; everything lives in a temporary directory and is removed at the end. Run as root:
 * {@code java $(vbgw.jvmFlags) -cp perf/target/benchmarks.jar org.vbgw.perf.frr.BgpConvergenceBenchmark
 * [--prefixes 100000] [--repeats 3]}.
 */
public final class BgpConvergenceBenchmark
{
    private static final long POLL_MS = 100;
    private static final long TIMEOUT_MS = 600_000;

    private BgpConvergenceBenchmark()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        int prefixes = 100_000;
        int repeats = 3;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--prefixes" -> prefixes = Integer.parseInt(args[++i]);
                case "--repeats" -> repeats = Integer.parseInt(args[++i]);
                default ->
                {
                    System.err.println("usage: BgpConvergenceBenchmark [--prefixes N (<= 65536*256)] [--repeats R]");
                    System.exit(2);
                }
            }
        }
        final Path dir = Files.createTempDirectory("vbgw-bgpconv");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        final Netns gw = Netns.create("vbgwbgp-gw");
        final Netns cpe = Netns.create("vbgwbgp-cpe");
        try
        {
            gw.veth("vb-dx1", cpe, "c1", 1500);
            gw.exec("ip", "addr", "add", "10.0.0.1/30", "dev", "vb-dx1");
            cpe.exec("ip", "addr", "add", "10.0.0.2/30", "dev", "c1");
            final Path gwConfig = dir.resolve("gw.yaml");
            Files.writeString(gwConfig, gatewayConfig("bgp-convergence", prefixes));
            final ConfigCheck check = ConfigCheck.of(gwConfig);
            if (!check.ok())
            {
                throw new IllegalStateException(check.errors().toString());
            }
            final FrrConfig frr = FrrConfig.render(check.config(), FrrConfig.Fpm.DEFAULT);
            final Path birdConf = dir.resolve("bird.conf");
            Files.writeString(birdConf, birdConfig(prefixes));
            final Process bird = cpe.start("bird", "-f", "-c", birdConf.toString(), "-s", dir.resolve("bird.ctl").toString());
            try
            {
                final double[] bgp = new double[repeats];
                final double[] kernel = new double[repeats];
                for (int r = 0; r < repeats; r++)
                {
                    if (!bird.isAlive())
                    {
                        throw new IllegalStateException("bird exited " + bird.exitValue() + ": " +
                            new String(bird.getInputStream().readAllBytes()));
                    }
                    final double[] run = once(frr, dir.resolve("frr-" + r), gw, prefixes);
                    bgp[r] = run[0];
                    kernel[r] = run[1];
                    System.out.printf(Locale.ROOT, "run %d: %,d prefixes in bgpd %.2f s, in the kernel %.2f s after the session came up%n",
                        r + 1, prefixes, bgp[r], kernel[r]);
                }
                final double bgpMedian = median(bgp);
                final double kernelMedian = median(kernel);
                System.out.printf(Locale.ROOT, "median of %d: bgpd %.2f s (%,.0f prefixes/s), kernel %.2f s (%,.0f prefixes/s); " +
                    "kernel/bgpd %.2fx%n", repeats, bgpMedian, prefixes / bgpMedian, kernelMedian, prefixes / kernelMedian,
                    kernelMedian / bgpMedian);
            }
            finally
            {
                bird.destroy();
                bird.waitFor(5, TimeUnit.SECONDS);
                bird.destroyForcibly();
            }
        }
        finally
        {
            cpe.close();
            gw.close();
            try (var files = Files.walk(dir))
            {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** One start of the gateway's FRR: seconds from Established to all prefixes in bgpd, and in the kernel. */
    private static double[] once(final FrrConfig frr, final Path frrDir, final Netns gw, final int prefixes) throws Exception
    {
        while (kernelBgpRoutes(gw) > 0)
        {
            // The previous run's zebra removes its routes as it stops; start from an empty kernel table.
            Thread.sleep(POLL_MS);
        }
        try (FrrDaemons daemons = FrrDaemons.start(frrDir, frr.toRun(), FrrDaemons.DEFAULT_BINARIES,
            List.of("ip", "netns", "exec", gw.name())))
        {
            final Vtysh vtysh = daemons.vtysh();
            daemons.awaitReady(java.time.Duration.ofSeconds(30));
            final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            long established = 0;
            long inBgp = 0;
            long inKernel = 0;
            while (inKernel == 0)
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("no convergence within " + TIMEOUT_MS + " ms; bgpd log:\n" + daemons.logTail("bgpd"));
                }
                Thread.sleep(POLL_MS);
                final long now = System.nanoTime();
                final JsonNode peer = vtysh.json("show bgp neighbors 10.0.0.2 json").path("10.0.0.2");
                if (established == 0 && "Established".equals(peer.path("bgpState").asText()))
                {
                    established = now;
                }
                if (established != 0 && inBgp == 0 &&
                    peer.path("addressFamilyInfo").path("ipv4Unicast").path("acceptedPrefixCounter").asLong() >= prefixes)
                {
                    inBgp = now;
                }
                if (inBgp != 0 && kernelBgpRoutes(gw) >= prefixes)
                {
                    inKernel = now;
                }
            }
            return new double[] {(inBgp - established) / 1e9, (inKernel - established) / 1e9};
        }
    }

    /** Routes zebra installed into the gateway namespace's kernel (proto bgp), counted by the kernel itself. */
    private static long kernelBgpRoutes(final Netns gw) throws IOException, InterruptedException
    {
        final Process p = gw.start("ip", "-4", "route", "show", "proto", "bgp");
        long lines = 0;
        for (final byte b : p.getInputStream().readAllBytes())
        {
            lines += b == '\n' ? 1 : 0;
        }
        p.waitFor();
        return lines;
    }

    /** The gateway of both BGP benchmarks: one BGP VIF toward the customer, room for {@code prefixes} routes. */
    static String gatewayConfig(final String name, final int prefixes)
    {
        return String.join("\n",
            "gateway: {name: " + name + ", asn: 65000, router-id: 10.255.0.1}",
            "ports:",
            "  - {name: dc1, interface: eth1, location: a}",
            "  - {name: vpc, interface: eth3}",
            "vpc-attachments:",
            "  - {name: vpc-1, port: vpc, vpc-cidrs: [192.168.0.0/16]}",
            "vifs:",
            "  - name: dx1",
            "    port: dc1",
            "    vlan: 100",
            "    ipv4: {local: 10.0.0.1/30, peer: 10.0.0.2/30}",
            "    bgp: {peer-asn: 64512, md5-key: bench-key, max-prefixes: " + (prefixes + 1) + "}",
            "");
    }

    /** BIRD announcing {@code prefixes} /24s from 16.0.0.0 upward. */
    private static String birdConfig(final int prefixes)
    {
        final List<String> routes = new java.util.ArrayList<>(prefixes);
        for (int i = 0; i < prefixes; i++)
        {
            final int a = (16 << 24) + (i << 8);
            routes.add((a >>> 24) + "." + ((a >>> 16) & 0xFF) + "." + ((a >>> 8) & 0xFF) + ".0/24");
        }
        return birdConfig(routes);
    }

    /** BIRD announcing the prefixes as static (blackhole) routes exported to BGP, as the benchmarks' customer. */
    static String birdConfig(final List<String> prefixes)
    {
        final StringBuilder sb = new StringBuilder(128 + prefixes.size() * 32);
        sb.append("router id 10.0.0.2;\nprotocol device {}\nprotocol static customer {\n  ipv4;\n");
        for (final String p : prefixes)
        {
            sb.append("  route ").append(p).append(" blackhole;\n");
        }
        sb.append("}\nprotocol bgp to_gateway {\n  local 10.0.0.2 as 64512;\n  neighbor 10.0.0.1 as 65000;\n  password \"bench-key\";\n")
            .append("  connect retry time 1;\n  ipv4 { import none; export where proto = \"customer\"; };\n}\n");
        return sb.toString();
    }

    static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
}
