package org.vbgw.agent.rib;

import org.vbgw.fib.IpPrefix;

import java.util.List;

/**
 * A candidate route for a prefix from one source, and whether it is the one in the FIB.
 *
 * @param installed true for the best candidate, which the FIB forwards with.
 * @param groupId   the FIB next-hop group of an installed route, else -1.
 * @param stale     kept from before the agent's restart until its source announces it again or the grace ends.
 */
public record RibRoute(IpPrefix prefix, RouteSource source, int distance, List<RibPath> paths, boolean installed,
    int groupId, boolean stale)
{
}
