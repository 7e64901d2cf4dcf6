package org.vbgw.agent.frr;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vbgw.agent.config.ConfigCheck;
import org.vbgw.agent.config.GatewayConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FRR's config rendered from each example gateway config, compared byte for byte with a golden file in
 * {@code src/test/resources/org/vbgw/agent/frr/golden/} ({@code EXAMPLE.DAEMON.conf}). A deliberate change to the
 * rendering is accepted by running the test once with {@code -Dvbgw.golden.update=true} and reviewing the diff.
 */
class FrrConfigTest
{
    private static final Path GOLDEN = Path.of("src/test/resources/org/vbgw/agent/frr/golden");

    static GatewayConfig example(final String name) throws IOException
    {
        final ConfigCheck check = ConfigCheck.of(Path.of("examples", name + ".yaml"));
        assertTrue(check.ok(), check.errors().toString());
        return check.config();
    }

    @ParameterizedTest
    @ValueSource(strings = {"active-standby", "direct-vpn-backup", "single-point-of-failure"})
    void rendersEachExampleAsItsGoldenFile(final String example) throws IOException
    {
        final FrrConfig frr = FrrConfig.render(example(example), FrrConfig.Fpm.DEFAULT);
        assertEquals(FrrConfig.DAEMONS, frr.daemons());
        for (final String daemon : frr.daemons())
        {
            final Path golden = GOLDEN.resolve(example + "." + daemon + ".conf");
            if (Boolean.getBoolean("vbgw.golden.update"))
            {
                Files.writeString(golden, frr.text(daemon));
            }
            assertEquals(Files.readString(golden), frr.text(daemon), golden + " (update with -Dvbgw.golden.update=true)");
        }
    }

    @Test
    void isDeterministic() throws IOException
    {
        final GatewayConfig config = example("active-standby");
        assertEquals(FrrConfig.render(config, FrrConfig.Fpm.DEFAULT).text("bgpd"),
            FrrConfig.render(example("active-standby"), FrrConfig.Fpm.DEFAULT).text("bgpd"));
    }

    @Test
    void aConfigWithoutBgpNeedsNoFrr() throws IOException
    {
        final GatewayConfig config = example("active-active-health-check");
        assertFalse(FrrConfig.hasBgp(config));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> FrrConfig.render(config, FrrConfig.Fpm.DEFAULT));
        assertTrue(ex.getMessage().contains("no BGP session"), ex.getMessage());
    }

    @Test
    void zebraLoadsTheFpmModuleAndPointsItAtTheAgent() throws IOException
    {
        final FrrConfig frr = FrrConfig.render(example("active-standby"), FrrConfig.Fpm.parse("127.0.0.2:2700"));
        assertTrue(frr.text("zebra").contains("\nfpm address 127.0.0.2 port 2700\n"), frr.text("zebra"));
        final FrrDaemon zebra = frr.toRun().get(0);
        assertEquals("zebra", zebra.name());
        assertEquals(java.util.List.of("-M", "dplane_fpm_nl"), zebra.arguments());
        assertEquals(java.util.List.of(), frr.toRun().get(1).arguments());
    }

    @Test
    void fpmAddresses()
    {
        assertEquals(new FrrConfig.Fpm("127.0.0.1", 2620), FrrConfig.Fpm.parse("127.0.0.1"));
        assertEquals(new FrrConfig.Fpm("10.1.2.3", 9999), FrrConfig.Fpm.parse("10.1.2.3:9999"));
        assertEquals(new FrrConfig.Fpm("::1", 2620), FrrConfig.Fpm.parse("::1"));
        assertEquals(new FrrConfig.Fpm("::1", 2621), FrrConfig.Fpm.parse("[::1]:2621"));
        assertThrows(IllegalArgumentException.class, () -> FrrConfig.Fpm.parse("127.0.0.1:http"));
        assertThrows(IllegalArgumentException.class, () -> FrrConfig.Fpm.parse("127.0.0.1:70000"));
        assertThrows(IllegalArgumentException.class, () -> FrrConfig.Fpm.parse("localhost:2620"));
    }
}
