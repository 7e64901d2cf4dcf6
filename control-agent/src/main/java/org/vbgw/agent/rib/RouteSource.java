package org.vbgw.agent.rib;

/**
 * Where a candidate route came from, with its default administrative distance (lower wins). The values
 * are the ones FRR and Cisco use, so an operator's intuition carries over.
 */
public enum RouteSource
{
    CONNECTED(0),
    STATIC(1),
    /** Added at run time through the CLI or HTTP API. */
    API(1),
    EBGP(20),
    /**
     * A route FRR's zebra selected from a protocol other than BGP (staticd, OSPF, ...), learnt over FPM; added
     * at the distance zebra gives that protocol.
     */
    FRR(1),
    IBGP(200);

    private final int defaultDistance;

    RouteSource(final int defaultDistance)
    {
        this.defaultDistance = defaultDistance;
    }

    public int defaultDistance()
    {
        return defaultDistance;
    }
}
