package org.vbgw.agent.rib;

/**
 * Where a candidate route came from, with its default administrative distance (lower wins). The values
 * are the ones FRR and Cisco use, so an operator's intuition carries over.
 * <p>
 * Each source has a fixed code the journal records with a route's group ({@link #journalCode()}), so an agent
 * that restarts knows which routes came from a routing protocol that will announce them again. Codes are part of
 * the journal's format: never renumber one.
 */
public enum RouteSource
{
    CONNECTED(0, 1),
    STATIC(1, 2),
    /** Added at run time through the CLI or HTTP API. */
    API(1, 3),
    EBGP(20, 4),
    /**
     * A route FRR's zebra selected from a protocol other than BGP (staticd, OSPF, ...), learnt over FPM; added
     * at the distance zebra gives that protocol.
     */
    FRR(1, 5),
    IBGP(200, 6),
    /**
     * A BGP VIF's remote subnets, via its peer: where the data plane sends a BGP route's traffic when every one
     * of the route's own next hops has died (the standby connection of an active/standby pair), in O(1) and
     * before FRR has converged, as BGP PIC does with a precomputed backup path. FPM carries only zebra's best
     * path, so the config's remote subnets are what says the standby connection reaches the prefix. A backup
     * only ({@link #backupOnly()}): never installed on its own, so a prefix the customer withdraws is gone.
     */
    STANDBY(255, 7);

    private static final RouteSource[] BY_CODE = new RouteSource[8];

    static
    {
        for (final RouteSource s : values())
        {
            BY_CODE[s.journalCode] = s;
        }
    }

    private final int defaultDistance;
    private final int journalCode;

    RouteSource(final int defaultDistance, final int journalCode)
    {
        this.defaultDistance = defaultDistance;
        this.journalCode = journalCode;
    }

    public int defaultDistance()
    {
        return defaultDistance;
    }

    /**
     * True for a source whose candidates only ever back up another source's route (the RIB never installs one
     * as a prefix's route), for the prefix itself and the more specific prefixes inside it.
     */
    public boolean backupOnly()
    {
        return this == STANDBY;
    }

    /** The code the journal records for this source (never 0, which means "not recorded"). */
    public int journalCode()
    {
        return journalCode;
    }

    /** The source of a journal code, or null for 0 (not recorded) and codes this version does not know. */
    public static RouteSource ofJournalCode(final int code)
    {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
