package org.vbgw.agent.config;

import org.vbgw.fib.IpPrefix;

/**
 * One next hop of a static route: an address on some VIF's interconnect subnet (normally the
 * customer side), optionally pinned to a VIF by name, with an optional ECMP weight that overrides
 * the VIF's own.
 */
public record StaticNextHop(String path, IpPrefix address, String vif, Integer weight)
{
}
