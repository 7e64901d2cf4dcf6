package org.vbgw.agent.rib;

import org.vbgw.fib.IpPrefix;

/**
 * One path of a candidate route: out of a VIF, to a gateway address, with an ECMP weight.
 *
 * @param gateway the next hop's address as a host prefix (/32, /128), or null for a directly attached
 *                destination (a connected subnet), where the packet's own destination is the neighbour.
 */
public record RibPath(int vifId, IpPrefix gateway, int weight)
{
    public RibPath
    {
        if (weight < 1)
        {
            throw new IllegalArgumentException("path weight must be >= 1: " + weight);
        }
        if (gateway != null && gateway.length() != (gateway.ipv6() ? 128 : 32))
        {
            throw new IllegalArgumentException("gateway must be an address, not a prefix: " + gateway);
        }
    }

    public static RibPath via(final int vifId, final String gateway)
    {
        return new RibPath(vifId, IpPrefix.parse(gateway), 1);
    }

    public static RibPath attached(final int vifId)
    {
        return new RibPath(vifId, null, 1);
    }

    @Override
    public String toString()
    {
        return (gateway == null ? "attached" : "via " + IpPrefix.format(gateway.ipv6(), gateway.hi(), gateway.lo())) +
            " vif " + vifId + (weight != 1 ? " weight " + weight : "");
    }
}
