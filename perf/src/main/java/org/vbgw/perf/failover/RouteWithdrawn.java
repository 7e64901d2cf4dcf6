package org.vbgw.perf.failover;

/**
 * Route withdrawn: path A goes silently dead (a blackhole on bridge A: every port stays up, nothing is
 * forwarded) and at once the agent withdraws A from every prefix (each one re-learned with B's path only, as
 * when FRR reports the BGP session on VIF A down): one RIB change and one journal entry per route, applied in
 * order by the data plane.
 * <p>
 * What it measures is the repair by route withdrawal alone, with detection taken as instant: in production
 * the BGP hold timer (90 s by default, 3 s at the least) or a health check comes first. The outage grows with
 * the number of routes, unlike the modes that invalidate a next hop. Restore heals the link first and then
 * re-learns A (the session comes back after the link does), so failback should lose nothing.
 */
final class RouteWithdrawn implements FailureMode
{
    @Override
    public String name()
    {
        return "route-withdrawn";
    }

    @Override
    public void cut(final FailoverLab lab, final FailoverGateway gateway)
    {
        lab.blackhole(FailoverLab.PATH_A, true);
        gateway.withdrawPathA();
    }

    @Override
    public void restore(final FailoverLab lab, final FailoverGateway gateway)
    {
        lab.blackhole(FailoverLab.PATH_A, false);
        gateway.restorePathA();
    }

    @Override
    public long restoreDelayNs(final FailoverGateway gateway)
    {
        return 0;
    }
}
