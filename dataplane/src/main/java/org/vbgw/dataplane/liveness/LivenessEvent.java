package org.vbgw.dataplane.liveness;

/**
 * A change of a path's liveness, as the agent and `vbgw show events` report it: when, where, what, and why.
 *
 * @param timeNs    the data plane's clock (epoch nanoseconds) when the change took effect.
 * @param subject   what changed: a port, a VIF, a peer or a next hop (e.g. "port eth1", "peer 10.0.0.2%dx1").
 * @param vif       the VIF's name, empty for a port.
 * @param peer      the peer's address, empty for a port or a VIF.
 * @param from      the state before: up, down, or "up (hold-down)" while a restore waits.
 * @param to        the state after.
 * @param cause     which detector saw it: carrier, bfd, probe, resolution, admin, routing.
 * @param nextHops  how many next hops the change took out of service or put back.
 */
public record LivenessEvent(long timeNs, String subject, String vif, String peer, String from, String to,
                            String cause, int nextHops)
{
    @Override
    public String toString()
    {
        return subject + " " + from + " -> " + to + " (" + cause + ", " + nextHops + " next hops)";
    }
}
