package org.vbgw.agent.run;

import org.vbgw.agent.testing.VbgwCommandLine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vbgw.io.lab.Netns;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code vbgw run} killed with SIGKILL while traffic flows through it, then started again: the FIB it
 * rebuilds from its journal is the one it had, forwarding resumes, the nftables drop of the dead process does
 * not pile up, and the time from restart to the first forwarded packet is reported.
 * <p>
 * Hosts: an IDC host (10.0.0.2/30) and a VPC host (192.168.0.10/16) in namespaces of their own, the gateway
 * in a third, all joined by veth pairs.
 */
class GatewayRestartIT
{
    private static final String CONFIG = OneVifGateway.config("restart-test", "    remote-subnets: [172.20.0.0/16]");

    private static Netns idc;
    private static Netns gateway;
    private static Netns vpc;
    private static Path state;
    private static Process vbgw;

    @BeforeAll
    static void lab() throws IOException
    {
        idc = Netns.create("vbgw-ri");
        gateway = Netns.create("vbgw-rg");
        vpc = Netns.create("vbgw-rv");
        gateway.veth("eth1", idc, "h0", 1500);
        gateway.veth("eth2", vpc, "h0", 1500);
        idc.exec("ip", "addr", "add", "10.0.0.2/30", "dev", "h0");
        idc.exec("ip", "route", "add", "192.168.0.0/16", "via", "10.0.0.1");
        vpc.exec("ip", "addr", "add", "192.168.0.10/16", "dev", "h0");
        vpc.exec("ip", "route", "add", "default", "via", "192.168.0.1");
        state = Files.createTempDirectory("vbgw-restart");
        Files.writeString(state.resolve("gw.yaml"), CONFIG);
    }

    @AfterAll
    static void cleanUp() throws IOException
    {
        if (vbgw != null)
        {
            vbgw.destroyForcibly();
        }
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

    /** The gateway as an operator starts it, in its namespace, with this test JVM's flags and class path. */
    private static Process startGateway() throws IOException
    {
        final List<String> command = VbgwCommandLine.inNamespace(gateway.name(), "run",
            state.resolve("gw.yaml").toString(), "--state-dir", state.toString(), "--counters",
            state.resolve("counters.dat").toString(), "--no-taps");
        return new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(state.resolve("vbgw.log").toFile()).start();
    }

    /** Pings the VPC host from the IDC host until one answer comes back; returns the milliseconds it took. */
    private static long untilForwarding(final long timeoutMs) throws Exception
    {
        final long start = System.nanoTime();
        while ((System.nanoTime() - start) / 1_000_000 < timeoutMs)
        {
            final Process ping = idc.start("ping", "-c", "1", "-W", "1", "192.168.0.10");
            if (ping.waitFor() == 0)
            {
                return (System.nanoTime() - start) / 1_000_000;
            }
        }
        throw new AssertionError("no packet forwarded within " + timeoutMs + " ms; gateway log:\n" +
            Files.readString(state.resolve("vbgw.log")));
    }

    private static String routes()
    {
        return gateway.exec("curl", "-s", "http://127.0.0.1:9468/api/routes");
    }

    @Test
    void aKilledGatewayComesBackWithTheSameTableAndForwardsAgain() throws Exception
    {
        vbgw = startGateway();
        final long firstStartMs = untilForwarding(60_000);
        final String before = routes();
        assertTrue(before.contains("\"prefix\":\"172.20.0.0/16\"") && before.contains("\"prefix\":\"192.168.0.0/16\""), before);

        // Traffic is flowing when the gateway dies.
        final Process flood = idc.start("ping", "-i", "0.01", "-w", "4", "192.168.0.10");
        Thread.sleep(300);
        vbgw.destroyForcibly().waitFor();
        assertTrue(idc.start("ping", "-c", "1", "-W", "1", "192.168.0.10").waitFor() != 0, "nothing forwards while it is dead");

        vbgw = startGateway();
        final long restartMs = untilForwarding(60_000);
        flood.waitFor();
        assertEquals(before, routes(), "the table rebuilt from the journal is the one it had");
        final String tables = gateway.exec("nft", "list", "tables", "netdev");
        assertEquals(1, tables.lines().filter(l -> l.contains("vbgw_")).count(), "the dead process's drop was replaced: " + tables);
        System.out.printf("GatewayRestartIT: first start to first forwarded packet %d ms; after kill -9, %d ms%n",
            firstStartMs, restartMs);
    }
}
