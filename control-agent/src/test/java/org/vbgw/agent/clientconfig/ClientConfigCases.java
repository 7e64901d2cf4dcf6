package org.vbgw.agent.clientconfig;

import org.vbgw.agent.config.ConfigCheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The VIF selections the client-config tests render, over every example config (and a QinQ dual-stack one),
 * each for every vendor: the same set feeds the golden files, the real BIRD and FRR parsers and the Cisco and
 * Junos grammars.
 */
final class ClientConfigCases
{
    /** Surefire runs in the module directory. */
    static final Path EXAMPLES = Path.of("examples");
    static final Path RESOURCES = Path.of("src", "test", "resources", "clientconfig");

    /**
     * @param name       the golden file's stem
     * @param config     the gateway config
     * @param vifs       the VIFs one customer router terminates
     * @param interfaces how many customer interfaces they ride on (1, or one per VIF)
     */
    record Case(String name, Path config, List<String> vifs, int interfaces)
    {
        String render(final Vendor vendor)
        {
            return vendor.render(side(vendor));
        }

        ClientSide side(final Vendor vendor)
        {
            try
            {
                return ClientSide.of(ConfigCheck.of(config), vifs, ClientConfigCases.interfaces(vendor, interfaces));
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }

        @Override
        public String toString()
        {
            return name;
        }
    }

    static final List<Case> CASES = List.of(
        new Case("active-standby-primary", EXAMPLES.resolve("active-standby.yaml"), List.of("vif-biere"), 1),
        new Case("active-standby-standby", EXAMPLES.resolve("active-standby.yaml"), List.of("vif-magdeburg"), 1),
        new Case("active-standby-one-router", EXAMPLES.resolve("active-standby.yaml"),
            List.of("vif-biere", "vif-magdeburg"), 2),
        new Case("direct-vpn-backup", EXAMPLES.resolve("direct-vpn-backup.yaml"), List.of("vif-direct"), 1),
        new Case("active-active-health-check", EXAMPLES.resolve("active-active-health-check.yaml"),
            List.of("vbr1", "vbr2"), 2),
        new Case("single-point-of-failure", EXAMPLES.resolve("single-point-of-failure.yaml"), List.of("vif-a"), 1),
        new Case("qinq-backup", RESOURCES.resolve("qinq-dual-stack.yaml"), List.of("qinq_backup"), 1),
        new Case("qinq-both", RESOURCES.resolve("qinq-dual-stack.yaml"), List.of("primary", "qinq_backup"), 1),
        // The lab's seed-001 gateway: a BGP direct VIF and a static VPN VIF on one router, so the VPN's static
        // route toward the VPC must float below BGP.
        new Case("direct-and-vpn", Path.of("src", "main", "resources", "org", "vbgw", "agent", "lab",
            "direct-vpn-backup.yaml"), List.of("vif-direct", "vif-vpn"), 2));

    private ClientConfigCases()
    {
    }

    /** The customer interfaces: the vendor's default, then the same name with the next port number. */
    static List<String> interfaces(final Vendor vendor, final int count)
    {
        final String first = ClientSide.defaultParentInterface(vendor);
        final List<String> all = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            all.add(first.substring(0, first.length() - 1) + (char)(first.charAt(first.length() - 1) + i));
        }
        return all;
    }

    static Stream<Case> cases()
    {
        return CASES.stream();
    }

    /** The golden file of a case and vendor. */
    static Path golden(final Case c, final Vendor vendor)
    {
        return RESOURCES.resolve("golden").resolve(c.name() + "." + vendor.cliName());
    }
}
