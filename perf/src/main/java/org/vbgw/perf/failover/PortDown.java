package org.vbgw.perf.failover;

/**
 * Port down: the far end of the gateway's cable on VIF A goes away ({@code ip link set <wire end> down} in the
 * wire namespace), so the gateway's own port loses carrier and its carrier watch invalidates VIF A's next hops.
 * <p>
 * Why the far end and not {@code ip link set <gateway port> down}: a real failure (a fibre cut, the customer
 * router's port or line card failing, the provider's switch rebooting) is not something the gateway does to
 * itself; all it sees is carrier going away on a port it still has up. Downing its own port would be an
 * operator's act, which software could simply announce; the far end makes the gateway detect the loss by the
 * same path as in production. Restore brings the far end up; traffic returns after the carrier hold-down.
 */
final class PortDown implements FailureMode
{
    private final long holdDownNs;

    PortDown(final long holdDownNs)
    {
        this.holdDownNs = holdDownNs;
    }

    @Override
    public String name()
    {
        return "port-down";
    }

    @Override
    public void cut(final FailoverLab lab, final FailoverGateway gateway)
    {
        lab.farEnd(FailoverLab.PATH_A, false);
    }

    @Override
    public void restore(final FailoverLab lab, final FailoverGateway gateway)
    {
        lab.farEnd(FailoverLab.PATH_A, true);
    }

    @Override
    public long restoreDelayNs(final FailoverGateway gateway)
    {
        return holdDownNs;
    }
}
