package org.vbgw.agent.fpm;

import org.vbgw.fib.IpPrefix;

/**
 * A path as zebra describes it: an interface index of the host and/or a gateway address, and a weight.
 * Resolved to a VIF by {@link VifResolver}.
 *
 * @param gateway a host prefix (/32, /128), or null when the destination is attached to the interface.
 */
public record FrrPath(int ifindex, IpPrefix gateway, int weight)
{
}
