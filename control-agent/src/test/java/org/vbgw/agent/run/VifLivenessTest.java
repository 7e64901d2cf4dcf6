package org.vbgw.agent.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.config.VifConfig;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.dataplane.liveness.BfdSessionView;
import org.vbgw.dataplane.liveness.HealthProbeView;
import org.vbgw.io.MemoryPort;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A VIF's BFD timers become a session to its customer side, its health check a data-plane probe. */
class VifLivenessTest
{
    @TempDir
    Path dir;

    private GatewayRuntime runtime(final String example) throws Exception
    {
        final ConfigCheck check = ConfigCheck.of(Path.of("examples", example));
        assertTrue(check.ok(), check.errors().toString());
        return new GatewayRuntime(check.config(), dir.resolve("journal"), (port, worker, workers) ->
            MemoryPort.pair(port.name(), port.name() + "-far", 1 << 16, port.mtuBytes())[0], tap -> null,
            Dataplane.Config.defaults());
    }

    @Test
    void bfdTimersBecomeOneSessionPerVifPeer() throws Exception
    {
        try (GatewayRuntime rt = runtime("active-standby.yaml"))
        {
            final ConfigCheck check = ConfigCheck.of(Path.of("examples", "active-standby.yaml"));
            for (final VifConfig v : check.config().vifs())
            {
                VifLiveness.start(rt.dataplane(), rt.vifId(v.name()), v, n -> { });
            }
            final List<BfdSessionView> sessions = rt.dataplane().bfdSessions();
            assertEquals(2, sessions.size());
            final BfdSessionView biere = sessions.stream().filter(s -> s.vif().equals("vif-biere")).findFirst().orElseThrow();
            assertEquals("10.0.0.2", biere.peer());
            assertEquals("10.0.0.1", biere.local());
            assertEquals(100_000, biere.desiredMinTxUs());
            assertEquals(100_000, biere.requiredMinRxUs());
            assertEquals(3, biere.detectMult());
            assertEquals("down", biere.state(), "until the peer answers");
            assertTrue(rt.dataplane().healthProbes().isEmpty());
        }
    }

    @Test
    void aHealthCheckBecomesAProbeFromAnAddressTheDataPlaneOwns() throws Exception
    {
        try (GatewayRuntime rt = runtime("active-active-health-check.yaml"))
        {
            final ConfigCheck check = ConfigCheck.of(Path.of("examples", "active-active-health-check.yaml"));
            final List<String> notes = new ArrayList<>();
            for (final VifConfig v : check.config().vifs())
            {
                VifLiveness.start(rt.dataplane(), rt.vifId(v.name()), v, notes::add);
            }
            final List<HealthProbeView> probes = rt.dataplane().healthProbes();
            assertEquals(2, probes.size());
            final HealthProbeView first = probes.get(0);
            assertEquals("10.0.0.2", first.destination());
            assertEquals(2000, first.intervalMs());
            assertEquals(8, first.count());
            // The example sources probes from the router id, which no VIF owns: replies would never reach the
            // data plane, so the VIF's own address is used and the operator is told.
            assertEquals("10.0.0.1", first.source());
            assertEquals(2, notes.size(), notes.toString());
            assertTrue(notes.get(0).contains("instead of 100.96.0.1"), notes.get(0));
        }
    }
}
