package org.vbgw.agent.deploy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vbgw.io.lab.Netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container entrypoint in a network namespace of its own, standing in for a containerlab node whose data
 * interfaces are wired in after it starts: it waits while eth1..ethN are missing or down, starts the gateway
 * (here a stand-in command) once all are up with their offloads off, and gives up with the missing names
 * after its timeout.
 */
class ContainerEntrypointIT
{
    private static final Path SCRIPT = Path.of("deploy", "containerlab", "vbgw-entrypoint.sh").toAbsolutePath();

    @TempDir
    Path dir;

    private Netns ns;
    private Process entrypoint;

    @AfterEach
    void cleanUp()
    {
        if (entrypoint != null)
        {
            entrypoint.destroyForcibly();
        }
        if (ns != null)
        {
            ns.close();
        }
    }

    private static String output(final Process p) throws IOException
    {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void waitsForEveryDataInterfaceToBeUpThenStartsTheGateway() throws Exception
    {
        ns = Netns.create("vbgw-ep");
        entrypoint = ns.start("env", "VBGW_DATA_INTERFACES=2", "VBGW_EXEC=echo gateway-started", "bash", SCRIPT.toString(),
            "--http", "0.0.0.0:9468");
        Thread.sleep(1000);
        assertTrue(entrypoint.isAlive(), "no interfaces yet: still waiting");

        // A veth pair inside the namespace: eth1 up alone has no carrier while its peer eth2 is down.
        ns.exec("ip", "link", "add", "eth1", "type", "veth", "peer", "name", "eth2");
        ns.exec("ip", "link", "set", "eth1", "up");
        Thread.sleep(1000);
        assertTrue(entrypoint.isAlive(), "eth2 is down (and so eth1 has no carrier): still waiting");

        ns.exec("ip", "link", "set", "eth2", "up");
        assertTrue(entrypoint.waitFor(10, TimeUnit.SECONDS), "starts once both are up");
        final String out = output(entrypoint);
        assertEquals(0, entrypoint.exitValue(), out);
        assertTrue(out.contains("vbgw-entrypoint: data interfaces up: eth1 eth2"), out);
        assertTrue(out.contains("gateway-started --http 0.0.0.0:9468"), "execs the gateway with the arguments: " + out);
        final String offloads = ns.exec("ethtool", "-k", "eth1");
        assertTrue(offloads.contains("generic-segmentation-offload: off"), offloads);
        assertTrue(offloads.contains("tcp-segmentation-offload: off"), offloads);
    }

    @Test
    void waitsForTheConfigsInterfacesAndNamesTheMissingOneWhenItGivesUp() throws Exception
    {
        ns = Netns.create("vbgw-ep");
        final Path config = dir.resolve("gateway.yaml");
        Files.writeString(config, String.join("\n",
            "gateway: {name: gw}",
            "ports:",
            "  - name: dc-line",
            "    interface: eth1",
            "  - name: vpc-side",
            "    interface: eth3",
            ""));
        ns.exec("ip", "link", "add", "eth1", "type", "veth", "peer", "name", "peer1");
        ns.exec("ip", "link", "set", "eth1", "up");
        ns.exec("ip", "link", "set", "peer1", "up");
        entrypoint = ns.start("env", "VBGW_CONFIG=" + config, "VBGW_WAIT_TIMEOUT_S=2", "VBGW_EXEC=echo gateway-started",
            "bash", SCRIPT.toString());
        assertTrue(entrypoint.waitFor(15, TimeUnit.SECONDS));
        final String out = output(entrypoint);
        assertEquals(1, entrypoint.exitValue(), out);
        assertTrue(out.contains("gave up after 2s: not up: eth3"), out);
        assertTrue(!out.contains("gateway-started"), out);
    }

    @Test
    void aBadInterfaceCountIsAnError() throws Exception
    {
        ns = Netns.create("vbgw-ep");
        entrypoint = ns.start("env", "VBGW_DATA_INTERFACES=three", "VBGW_EXEC=echo gateway-started", "bash",
            SCRIPT.toString());
        assertTrue(entrypoint.waitFor(10, TimeUnit.SECONDS));
        final String out = output(entrypoint);
        assertEquals(2, entrypoint.exitValue(), out);
        assertTrue(out.contains("VBGW_DATA_INTERFACES must be a number, not 'three'"), out);
    }
}
