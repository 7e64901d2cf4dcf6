package org.vbgw.agent.config;

import org.vbgw.fib.IpPrefix;

/**
 * A static ARP / ND entry on a VIF: the customer router at {@code ip} has MAC {@code mac}, so the
 * gateway need not resolve it (and a spoofed ARP reply cannot move it).
 */
public record StaticNeighbour(String path, String vif, IpPrefix ip, String mac)
{
}
