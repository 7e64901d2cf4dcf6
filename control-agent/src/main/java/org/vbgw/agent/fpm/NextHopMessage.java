package org.vbgw.agent.fpm;

import org.vbgw.fib.IpPrefix;

/**
 * One decoded RTM_NEWNEXTHOP or RTM_DELNEXTHOP: zebra's next-hop object {@code id}, either one next hop
 * (gateway and/or interface) or a group of other ids with weights. FRR's ids are its own: they change when
 * zebra restarts and when it rebuilds groups.
 *
 * @param gateway      the next hop's address as a host prefix, or null (an interface route).
 * @param ifindex      the outgoing interface, 0 when not given.
 * @param groupIds     member ids of a group, or null for a single next hop.
 * @param groupWeights member weights (1..256), parallel to {@code groupIds}.
 */
public record NextHopMessage(boolean add, int id, IpPrefix gateway, int ifindex, boolean blackhole, int[] groupIds,
    int[] groupWeights)
{
    public boolean isGroup()
    {
        return groupIds != null;
    }

    /** Same forwarding meaning (records compare arrays by identity). */
    public boolean sameAs(final NextHopMessage other)
    {
        return other != null && id == other.id && ifindex == other.ifindex && blackhole == other.blackhole &&
            java.util.Objects.equals(gateway, other.gateway) && java.util.Arrays.equals(groupIds, other.groupIds) &&
            java.util.Arrays.equals(groupWeights, other.groupWeights);
    }
}
