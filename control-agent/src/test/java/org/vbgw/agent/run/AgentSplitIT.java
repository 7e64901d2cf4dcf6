package org.vbgw.agent.run;

import org.vbgw.agent.testing.VbgwCommandLine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vbgw.agent.journal.FibJournal;
import org.vbgw.io.lab.Netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agent and the data plane under traffic, with real packets through namespaces:
 * <ul>
 *   <li>{@code vbgw reload} of a running gateway that adds a route and a VIF writes exactly the route's entries,
 *       and a ping flood through the untouched VIFs loses nothing (nothing more than the same flood just before,
 *       when the machine is so loaded that even that one loses some);</li>
 *   <li>{@code vbgw run --role dataplane} and {@code --role agent} as two processes on one journal: the agent is
 *       killed with SIGKILL while the flood runs and started again; it reconciles, writes no journal entry, and
 *       not one packet is lost (held to the same baseline);</li>
 *   <li>the same with a BGP route zebra fed the agent over FPM (a recorded session replayed into the agent's FPM
 *       server): the restarted agent keeps it, stale, writes nothing, and a flood through it loses nothing; zebra
 *       does not announce it again, so it goes when the grace period ends;</li>
 *   <li>the agent logs the data plane's start ("counters since") from the counters file they share.</li>
 * </ul>
 * Hosts: an IDC host (10.0.0.2/30) and a VPC host (192.168.0.10/16) in namespaces of their own, the gateway in a
 * third, joined by veth pairs (as in {@link GatewayRestartIT}).
 */
class AgentSplitIT
{
    private static final String CONFIG = OneVifGateway.config("split-test", "    remote-subnets: [172.20.0.0/16]");

    /**
     * The VIF as a BGP session with no configured remote subnets: its routes are zebra's, and the source check of
     * what arrives on it is the FIB's (loose), so replies from behind a BGP route are let in.
     */
    private static final String BGP_CONFIG = OneVifGateway.config("split-bgp", "    bgp: {peer-asn: 64512}");

    private static final String EXTRA_VIF = String.join("\n",
        "  - name: dx-extra",
        "    port: dc",
        "    vlan: 40",
        "    ipv4: {local: 10.0.0.9/30, peer: 10.0.0.10/30}",
        "    remote-subnets: [172.21.0.0/16]",
        "");

    private static final String EXTRA_ROUTE = String.join("\n",
        "static-routes:",
        "  - name: lab",
        "    prefix: 172.30.0.0/24",
        "    next-hops: [10.0.0.2]",
        "");

    /** A BGP route zebra announces, and a host behind it on the IDC side. */
    private static final String BGP_ROUTE = "172.25.0.0/16";
    private static final String BGP_HOST = "172.25.0.1";
    private static final int FPM_PORT = 26_201;
    /** Longer than the agent's restart takes, with the flood running through it, on a loaded machine. */
    private static final int GRACE_S = 20;

    private static Netns idc;
    private static Netns gateway;
    private static Netns vpc;
    private static Path state;
    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void lab() throws IOException
    {
        idc = Netns.create("vbgw-si");
        gateway = Netns.create("vbgw-sg");
        vpc = Netns.create("vbgw-sv");
        gateway.veth("eth1", idc, "h0", 1500);
        gateway.veth("eth2", vpc, "h0", 1500);
        idc.exec("ip", "addr", "add", "10.0.0.2/30", "dev", "h0");
        idc.exec("ip", "route", "add", "192.168.0.0/16", "via", "10.0.0.1");
        // Behind the IDC host, where only the BGP route sends the VPC's packets.
        idc.exec("ip", "addr", "add", BGP_HOST + "/32", "dev", "h0");
        vpc.exec("ip", "addr", "add", "192.168.0.10/16", "dev", "h0");
        vpc.exec("ip", "route", "add", "default", "via", "192.168.0.1");
        state = Files.createTempDirectory("vbgw-split");
    }

    @AfterEach
    void stopProcesses() throws InterruptedException
    {
        for (final Process p : started)
        {
            p.destroyForcibly().waitFor();
        }
        started.clear();
    }

    @AfterAll
    static void cleanUp() throws IOException
    {
        for (final Netns ns : new Netns[] {vpc, gateway, idc})
        {
            if (ns != null)
            {
                ns.close();
            }
        }
        if (state != null)
        {
            try (var files = Files.walk(state))
            {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** {@code vbgw ARGS} in the gateway's namespace with this JVM's flags and class path, output to {@code log}. */
    private Process vbgw(final Path log, final String... args) throws IOException
    {
        final List<String> command = VbgwCommandLine.inNamespace(gateway.name(), args);
        final Process p = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        started.add(p);
        return p;
    }

    private static void untilForwarding(final Path log) throws Exception
    {
        final long start = System.nanoTime();
        while ((System.nanoTime() - start) / 1_000_000_000L < 120)
        {
            if (idc.start("ping", "-c", "1", "-W", "1", "192.168.0.10").waitFor() == 0)
            {
                return;
            }
        }
        throw new AssertionError("no packet forwarded within 120 s; log:\n" + Files.readString(log));
    }

    private static void untilLogged(final Path log, final String text, final int times) throws Exception
    {
        final long start = System.nanoTime();
        while ((System.nanoTime() - start) / 1_000_000_000L < 120)
        {
            if (Files.exists(log) && Files.readString(log).split(Pattern.quote(text), -1).length - 1 >= times)
            {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("'" + text + "' not logged " + times + " time(s) within 120 s:\n" + Files.readString(log));
    }

    /**
     * A ping flood from the IDC host to the VPC host, 100 a second. A count, not an interrupt, ends it: ping then
     * waits for the replies still in flight, so every packet counted lost really was.
     */
    private static Process flood(final int count) throws IOException
    {
        return idc.start("ping", "-i", "0.01", "-c", Integer.toString(count), "-W", "2", "192.168.0.10");
    }

    /** Waits for the flood's end; returns {transmitted, received}. */
    private static int[] result(final Process flood) throws Exception
    {
        final String out = new String(flood.getInputStream().readAllBytes());
        flood.waitFor();
        final Matcher m = Pattern.compile("(\\d+) packets transmitted, (\\d+) received").matcher(out);
        assertTrue(m.find(), out);
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    /**
     * Packets a flood of {@code count} loses with nothing happening: on a shared 2-vCPU machine at a load of 20
     * a flood can lose packets that no reload or restart caused (the data plane process starved of CPU), so the
     * event's flood is held to what this one lost in the same topology just before.
     */
    private static int baselineLoss(final int count) throws Exception
    {
        final int[] r = result(flood(count));
        return r[0] - r[1];
    }

    private static String post(final String api, final String path) throws Exception
    {
        return gateway.exec("curl", "-s", "-S", "-X", "POST", "--data-binary", "", "http://" + api + path);
    }

    /** Every entry after {@code index}, as the journal's reader decodes it. */
    private static List<String> entriesAfter(final Path journalDir, final long index)
    {
        try (FibJournal journal = FibJournal.open(journalDir))
        {
            return RouteAgentTest.entriesAfter(journal, index);
        }
    }

    private static long lastIndex(final Path journalDir)
    {
        try (FibJournal journal = FibJournal.open(journalDir))
        {
            return journal.lastIndex();
        }
    }

    @Test
    void aReloadWritesOnlyTheNewRouteAndTrafficThroughUntouchedVifsLosesNothing() throws Exception
    {
        final Path dir = Files.createDirectories(state.resolve("reload"));
        final Path config = dir.resolve("gw.yaml");
        final Path log = dir.resolve("vbgw.log");
        Files.writeString(config, CONFIG);
        final Process gw = vbgw(log, "run", config.toString(), "--state-dir", dir.toString(), "--counters",
            dir.resolve("counters.dat").toString(), "--no-taps");
        untilForwarding(log);
        untilLogged(log, "vbgw running", 1);
        final Path journalDir = dir.resolve("journal");

        final int baseline = baselineLoss(1500);
        final Process flood = flood(1500);
        Thread.sleep(500);
        final long before = lastIndex(journalDir);
        Files.writeString(config, CONFIG + EXTRA_ROUTE);
        final String report = post("127.0.0.1:9468", "/api/reload");
        // The route goes to 10.0.0.2 alone, as 172.20.0.0/16 does: its group exists, so one entry is all it takes.
        assertTrue(report.contains("\"journal_entries\":1"), report);
        final List<String> entries = entriesAfter(journalDir, before);
        assertEquals(1, entries.size(), entries.toString());
        assertTrue(entries.get(0).startsWith("onRoute false 0 2887647232 24 "), entries.toString());   // 172.30.0.0/24

        Thread.sleep(300);
        Files.writeString(config, CONFIG + EXTRA_VIF + EXTRA_ROUTE);
        final String vifReport = post("127.0.0.1:9468", "/api/reload");
        assertTrue(vifReport.contains("\"vifs_added\":[\"dx-extra\"]") && vifReport.contains("\"vifs_changed\":[]"),
            vifReport);
        // SIGHUP with the file unchanged: a reload that changes nothing.
        final long quiet = lastIndex(journalDir);
        // `ip netns exec` execs java, so the process's pid is the gateway's own.
        new ProcessBuilder("kill", "-HUP", Long.toString(gw.pid())).start().waitFor();
        untilLogged(log, "vbgw: SIGHUP: reloaded", 1);
        assertEquals(quiet, lastIndex(journalDir), entriesAfter(journalDir, quiet).toString());
        assertTrue(flood.isAlive(), "the flood outlasted the reloads");

        final int[] sent = result(flood);
        System.out.printf("AgentSplitIT: reload under a ping flood: %d sent, %d received (%d lost by the same flood " +
            "before, with nothing happening)%n", sent[0], sent[1], baseline);
        assertTrue(sent[0] - sent[1] <= baseline, "packets lost across the reloads: " + (sent[0] - sent[1]) +
            " of " + sent[0] + ", against " + baseline + " with nothing happening");
    }

    @Test
    void aKilledAgentComesBackWithoutWritingOrLosingAPacket() throws Exception
    {
        final Path dir = Files.createDirectories(state.resolve("split"));
        final Path config = dir.resolve("gw.yaml");
        final Path dpLog = dir.resolve("dataplane.log");
        final Path agentLog = dir.resolve("agent.log");
        Files.writeString(config, CONFIG + EXTRA_ROUTE);
        final Path journalDir = dir.resolve("journal");
        vbgw(dpLog, "run", config.toString(), "--role", "dataplane", "--state-dir", dir.toString(), "--counters",
            dir.resolve("counters.dat").toString(), "--no-taps", "--http", "127.0.0.1:9468");
        Process agent = vbgw(agentLog, "run", config.toString(), "--role", "agent", "--state-dir", dir.toString(),
            "--http", "127.0.0.1:9469", "--counters", dir.resolve("counters.dat").toString());
        untilLogged(agentLog, "vbgw agent running", 1);
        untilLogged(agentLog, "vbgw agent: data plane running, counters since ", 1);
        untilForwarding(dpLog);

        final int baseline = baselineLoss(4000);
        final Process flood = flood(4000);
        Thread.sleep(1000);
        final long before = lastIndex(journalDir);
        agent.destroyForcibly().waitFor();
        started.remove(agent);
        Thread.sleep(500);
        agent = vbgw(agentLog, "run", config.toString(), "--role", "agent", "--state-dir", dir.toString(),
            "--http", "127.0.0.1:9469");
        untilLogged(agentLog, "vbgw agent running", 2);
        assertTrue(flood.isAlive(), "the flood outlasted the agent's restart");
        final int[] sent = result(flood);

        assertEquals(List.of(), entriesAfter(journalDir, before), "the restarted agent wrote nothing");
        assertTrue(Files.readString(agentLog).contains("0 journal entries written"), Files.readString(agentLog));
        System.out.printf("AgentSplitIT: agent kill -9 and restart under a ping flood: %d sent, %d received (%d lost " +
            "by the same flood before, with nothing happening)%n", sent[0], sent[1], baseline);
        assertTrue(sent[0] - sent[1] <= baseline, "packets lost while the agent was killed and restarted: " +
            (sent[0] - sent[1]) + " of " + sent[0] + ", against " + baseline + " with nothing happening");
        // The restarted agent answers with the routes it reconciled, and the data plane still holds them.
        assertTrue(gateway.exec("curl", "-s", "http://127.0.0.1:9469/api/routes").contains("172.30.0.0/24"));
        assertTrue(gateway.exec("curl", "-s", "http://127.0.0.1:9468/api/routes").contains("172.30.0.0/24"));
    }

    /**
     * zebra's session as {@code dplane_fpm_nl} sends it: next hop 1 via the IDC host (ifindex 9999 is no TAP here,
     * so the agent resolves it by the VIF subnet holding the gateway), then the BGP route through it. Sent from the
     * gateway's namespace, where the agent listens on loopback; the connection stays open {@code holdS} seconds, as
     * zebra's does (a closed one starts the FPM server's own grace period).
     */
    private static Process zebraSession(final Path dir, final int holdS) throws IOException
    {
        final org.vbgw.agent.fpm.FpmFrameWriter w = new org.vbgw.agent.fpm.FpmFrameWriter(5);
        final java.io.ByteArrayOutputStream frames = new java.io.ByteArrayOutputStream();
        w.begin().nextHop(1, false, org.vbgw.fib.IpPrefix.parse("10.0.0.2"), 9999).end();
        frames.write(w.bytes());
        w.begin().route(org.vbgw.fib.IpPrefix.parse(BGP_ROUTE), org.vbgw.agent.fpm.Netlink.RTPROT_BGP, 1).end();
        frames.write(w.bytes());
        final Path file = dir.resolve("zebra.fpm");
        Files.write(file, frames.toByteArray());
        return gateway.start("python3", "-c", String.join("\n",
            "import socket, sys, time",
            "s = socket.create_connection(('127.0.0.1', " + FPM_PORT + "))",
            "s.sendall(open(sys.argv[1], 'rb').read())",
            "time.sleep(" + holdS + ")"), file.toString());
    }

    private static boolean dataplaneHolds(final String prefix) throws IOException
    {
        return gateway.exec("curl", "-s", "http://127.0.0.1:9468/api/routes").contains(prefix);
    }

    private static void until(final java.util.function.BooleanSupplier condition, final int seconds, final String what)
        throws Exception
    {
        final long start = System.nanoTime();
        while (!condition.getAsBoolean())
        {
            if ((System.nanoTime() - start) / 1_000_000_000L > seconds)
            {
                throw new AssertionError(what + " not within " + seconds + " s");
            }
            Thread.sleep(100);
        }
    }

    private static boolean pings(final Netns from, final String host)
    {
        try
        {
            return from.start("ping", "-c", "1", "-W", "1", host).waitFor() == 0;
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static boolean holds(final String prefix)
    {
        try
        {
            return dataplaneHolds(prefix);
        }
        catch (final IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    @Test
    void aBgpRouteFromFpmSurvivesTheAgentsRestartAndGoesAfterTheGraceWhenNotAnnouncedAgain() throws Exception
    {
        final Path dir = Files.createDirectories(state.resolve("fpm"));
        final Path config = dir.resolve("gw.yaml");
        final Path dpLog = dir.resolve("dataplane.log");
        final Path agentLog = dir.resolve("agent.log");
        Files.writeString(config, BGP_CONFIG);
        final Path journalDir = dir.resolve("journal");
        final String[] agentArgs = {"run", config.toString(), "--role", "agent", "--state-dir", dir.toString(),
            "--http", "127.0.0.1:9469", "--counters", dir.resolve("counters.dat").toString(),
            "--fpm", "127.0.0.1:" + FPM_PORT, "--fpm-grace-s", Integer.toString(GRACE_S)};
        vbgw(dpLog, "run", config.toString(), "--role", "dataplane", "--state-dir", dir.toString(), "--counters",
            dir.resolve("counters.dat").toString(), "--no-taps", "--http", "127.0.0.1:9468");
        Process agent = vbgw(agentLog, agentArgs);
        untilLogged(agentLog, "vbgw agent running", 1);
        untilForwarding(dpLog);
        final Process zebra = zebraSession(dir, 600);
        started.add(zebra);
        until(() -> holds(BGP_ROUTE), 60, "zebra's route in the data plane's FIB");
        try
        {
            until(() -> pings(vpc, BGP_HOST), 60, "forwarding through the BGP route");
        }
        catch (final AssertionError ex)
        {
            throw new AssertionError(ex.getMessage() + "; routes " +
                gateway.exec("curl", "-s", "http://127.0.0.1:9468/api/routes") + "; next hops " +
                gateway.exec("curl", "-s", "http://127.0.0.1:9468/api/nexthops") + "; counters " +
                gateway.exec("curl", "-s", "http://127.0.0.1:9468/metrics").lines()
                    .filter(l -> l.startsWith("vbgw_frames") || l.contains("drop")).toList() + "; idc " +
                idc.exec("ip", "addr") + "; agent log " + Files.readString(agentLog), ex);
        }

        final int[] base = result(vpc.start("ping", "-i", "0.01", "-c", "1000", "-W", "2", BGP_HOST));
        final Process flood = vpc.start("ping", "-i", "0.01", "-c", "1000", "-W", "2", BGP_HOST);
        Thread.sleep(1000);
        final long before = lastIndex(journalDir);
        // zebra's connection dies with the agent, as it would.
        agent.destroyForcibly().waitFor();
        started.remove(agent);
        zebra.destroyForcibly().waitFor();
        Thread.sleep(300);
        agent = vbgw(agentLog, agentArgs);
        untilLogged(agentLog, "vbgw agent running", 2);
        final int[] sent = result(flood);
        assertEquals(List.of(), entriesAfter(journalDir, before), "the restarted agent kept BGP's route, writing nothing");
        assertTrue(Files.readString(agentLog).contains("1 route(s) learnt from FRR before the restart kept (stale)"),
            Files.readString(agentLog));
        assertTrue(holds(BGP_ROUTE), "the data plane still holds zebra's route");
        assertTrue(gateway.exec("curl", "-s", "http://127.0.0.1:9469/api/routes").contains("\"stale\":true"));
        System.out.printf("AgentSplitIT: agent kill -9 and restart with a BGP route from FPM, a ping flood through " +
            "it: %d sent, %d received (%d lost by the same flood before, with nothing happening)%n", sent[0], sent[1],
            base[0] - base[1]);
        assertTrue(sent[0] - sent[1] <= base[0] - base[1], "packets lost through the BGP route across the agent's " +
            "restart: " + (sent[0] - sent[1]) + " of " + sent[0] + ", against " + (base[0] - base[1]));

        // zebra never comes back: the grace period ends and the route goes, in the data plane too.
        untilLogged(agentLog, "restart grace period over, 1 stale route(s) zebra did not announce again removed", 1);
        until(() -> !holds(BGP_ROUTE), 30, "the stale route's removal from the data plane");
        assertTrue(dataplaneHolds("10.0.0.0/30"), "the config's routes stay");
    }
}
