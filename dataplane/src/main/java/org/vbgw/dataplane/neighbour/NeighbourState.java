package org.vbgw.dataplane.neighbour;

/** States of a neighbour entry, after RFC 4861 §7.3.2 (also used for ARP). */
public final class NeighbourState
{
    /** Free slot. */
    public static final int NONE = 0;
    /** Request sent, no answer yet; frames wait in the pending queue. */
    public static final int INCOMPLETE = 1;
    /** Answered recently; forwarding uses the MAC. */
    public static final int REACHABLE = 2;
    /** Past its reachable time, still used for forwarding while unicast probes ask again. */
    public static final int PROBE = 3;
    /** Stopped answering; next hops through it are invalidated, retried every failedRetryNs. */
    public static final int FAILED = 4;
    /** Configured by the operator; never expires, never probed. */
    public static final int STATIC = 5;

    private static final String[] NAMES = { "none", "incomplete", "reachable", "probe", "failed", "static" };

    private NeighbourState()
    {
    }

    public static String name(final int state)
    {
        return state >= 0 && state < NAMES.length ? NAMES[state] : "unknown(" + state + ")";
    }

    /** True when frames may be sent to the entry's MAC. */
    public static boolean usable(final int state)
    {
        return state == REACHABLE || state == PROBE || state == STATIC;
    }
}
