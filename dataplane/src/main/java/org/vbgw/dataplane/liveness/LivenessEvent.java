package org.vbgw.dataplane.liveness;

/**
 * A change of a path's liveness, as the agent and `vbgw show` report it: when, where, what, and why.
 *
 * @param timeNs    the data plane's clock when the change took effect.
 * @param subject   what changed: a port, a VIF, or a next hop (e.g. "port eth1", "nexthop 10.0.0.2%dx1").
 * @param cause     which detector saw it: carrier, bfd, probe, resolution, admin.
 * @param nextHops  how many next hops the change invalidated or restored.
 */
public record LivenessEvent(long timeNs, String subject, String from, String to, String cause, int nextHops)
{
    @Override
    public String toString()
    {
        return subject + " " + from + " -> " + to + " (" + cause + ", " + nextHops + " next hops)";
    }
}
