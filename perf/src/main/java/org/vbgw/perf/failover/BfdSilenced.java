package org.vbgw.perf.failover;

/**
 * BFD peer silenced: the provider network between the gateway and the customer router on VIF A stops carrying
 * anything ({@link FailoverLab#blackhole}, both directions) while every link stays up, so carrier sees nothing
 * and no agent is told; the gateway's BFD session with the customer router stops receiving and declares the
 * peer Down after its detection time, which takes VIF A's next hops out of service. Restore lifts the
 * blackhole; the session comes Up again and the next hops return after the BFD hold-down.
 */
final class BfdSilenced implements FailureMode
{
    private final long holdDownNs;

    BfdSilenced(final long holdDownNs)
    {
        this.holdDownNs = holdDownNs;
    }

    @Override
    public String name()
    {
        return "bfd-silenced";
    }

    @Override
    public void cut(final FailoverLab lab, final FailoverGateway gateway)
    {
        lab.blackhole(FailoverLab.PATH_A, true);
    }

    @Override
    public void restore(final FailoverLab lab, final FailoverGateway gateway)
    {
        lab.blackhole(FailoverLab.PATH_A, false);
    }

    @Override
    public long restoreDelayNs(final FailoverGateway gateway)
    {
        // Up again needs a few packets in each direction (the three-way handshake of RFC 5880 §6.2), then the
        // hold-down; the trial waits for path A to be usable anyway.
        return holdDownNs;
    }
}
