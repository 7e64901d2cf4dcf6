package org.vbgw.agent.lab;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabStateTest
{
    static LabState sample(final Path dir)
    {
        final LabState.Namespaces ns = new LabState.Namespaces("vbgwlab-t-vpc", "vbgwlab-t-gw", "vbgwlab-t-wire",
            "vbgwlab-t-cpe", "vbgwlab-t-idc", null);
        return new LabState("t", "active-active", dir, ns,
            new LabState.Host(ns.vpc(), "eth0", "192.168.0.10/16", "02:00:00:00:00:01", "192.168.0.1", "02:00:00:00:00:02"),
            List.of(new LabState.Host(ns.idc(), "eth0", "172.16.0.10/24", "02:00:00:00:00:03", "172.16.0.1", null)),
            "127.0.0.1:9468", dir.resolve("counters.dat"),
            List.of(new LabState.LabPath("vbr1", "direct", 1, "eth1", "gw1", "br1", 101, "10.0.0.1", "10.0.0.2",
                "eth1.101", "vbgw_vbr14"),
                new LabState.LabPath("vbr2", "direct", 2, "eth2", "gw2", "br2", 102, "10.0.0.5", "10.0.0.6",
                    "eth2.102", null)));
    }

    @Test
    void writtenStateReadsBackEqual() throws Exception
    {
        final Path dir = Files.createTempDirectory("labstate");
        try
        {
            final LabState state = sample(dir.resolve("t"));
            state.write();
            assertEquals(state, LabState.read(dir.resolve("t")));
            assertEquals(state, LabState.parse(state.toJson()));
            assertTrue(state.toJson().contains("\"gatewayInterface\" : \"eth1\""), state.toJson());
        }
        finally
        {
            Files.deleteIfExists(dir.resolve("t").resolve(LabState.FILE));
            Files.deleteIfExists(dir.resolve("t"));
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void anUnknownVifIsNamedWithTheLabsVifs()
    {
        final LabState state = sample(Path.of("/nonexistent"));
        assertEquals("br2", state.path("vbr2").bridge());
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> state.path("vbr3"));
        assertTrue(ex.getMessage().contains("'vbr3'") && ex.getMessage().contains("[vbr1, vbr2]"), ex.getMessage());
    }

    @Test
    void aMissingLabSaysHowToStartOne()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> LabState.read(Path.of("/nonexistent/lab")));
        assertTrue(ex.getMessage().contains("vbgw lab up"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LabState.parse("{\"name\": [1]}"));
    }
}
