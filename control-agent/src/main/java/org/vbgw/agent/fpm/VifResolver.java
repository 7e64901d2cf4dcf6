package org.vbgw.agent.fpm;

import org.vbgw.fib.IpPrefix;

/**
 * Maps zebra's view of a path (a host interface index, a gateway address) onto the gateway's VIFs. zebra sees
 * the VIFs as their host TAPs ({@code vb-<vif>}), so an ifindex names a VIF through its TAP; a gateway on a
 * VIF's interconnect subnet names that VIF. Called on the FPM server's thread.
 */
public interface VifResolver
{
    int NO_VIF = -1;

    /** The VIF whose host TAP has this ifindex, or {@link #NO_VIF}. */
    int vifByIfindex(int ifindex);

    /** The VIF whose interconnect subnet holds this address, or {@link #NO_VIF}. */
    int vifByGateway(IpPrefix gateway);
}
