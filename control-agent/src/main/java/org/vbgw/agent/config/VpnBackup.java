package org.vbgw.agent.config;

import org.vbgw.fib.IpPrefix;

import java.util.List;

/**
 * A VPN path used as the last resort (../shared/seeds/001): it announces the aggregate of the IDC
 * address space while the direct VIFs carry more specific prefixes, so longest-prefix match keeps
 * traffic on the direct path and falls back to the VPN only when every direct route is gone.
 *
 * @param vif      the VIF toward the VPN device, or null when {@code tunnel} is given
 * @param tunnel   a Linux tunnel interface (IPsec, WireGuard) the VPN egresses, or null
 * @param nextHop  the VPN device's address on {@code vif}; optional on a point-to-point tunnel
 * @param prefixes the aggregates the VPN carries
 */
public record VpnBackup(String path, String name, String vif, String tunnel, IpPrefix nextHop,
                        List<CidrBlock> prefixes, String description)
{
}
