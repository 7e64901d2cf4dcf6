package org.vbgw.agent.config;

import org.vbgw.fib.IpPrefix;

import java.util.List;

/**
 * A static route toward the IDC (seed 000 step 7).
 * <ul>
 *   <li>Several next hops make an ECMP group (weighted by next-hop or VIF weight).</li>
 *   <li>{@code preference} is the administrative distance, 1..255: of two routes for the same
 *       prefix the lower one is used; the higher one is a <em>floating</em> route that takes over
 *       when every next hop of the lower one is dead (primary/backup by static preference).</li>
 *   <li>{@code backup} names another static route or a VPN backup whose next hops take over when
 *       all of this route's are dead: the explicit backup group of the FIB.</li>
 * </ul>
 */
public record StaticRoute(String path, String name, IpPrefix prefix, List<StaticNextHop> nextHops, int preference,
                          String backup, String description)
{
    public static final int DEFAULT_PREFERENCE = 1;
}
