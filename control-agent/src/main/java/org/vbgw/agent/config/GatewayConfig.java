package org.vbgw.agent.config;

import java.util.List;
import java.util.Optional;

/**
 * A whole gateway config as read from YAML: the gateway, its physical connections (ports), the
 * virtual interfaces on them, the attached VPCs, static routes and neighbours, and the VPN backup.
 * <p>
 * A config is only fit to run when {@link ConfigCheck} found no errors; until then entries may have
 * null fields where a value was missing or malformed.
 */
public record GatewayConfig(GatewaySettings gateway, List<PortConfig> ports, List<VifConfig> vifs,
                            List<VpcAttachment> vpcAttachments, List<StaticRoute> staticRoutes,
                            List<StaticNeighbour> staticNeighbours, List<VpnBackup> vpnBackups)
{
    public Optional<PortConfig> port(final String name)
    {
        return ports.stream().filter(p -> p.name() != null && p.name().equals(name)).findFirst();
    }

    public Optional<VifConfig> vif(final String name)
    {
        return vifs.stream().filter(v -> v.name() != null && v.name().equals(name)).findFirst();
    }
}
