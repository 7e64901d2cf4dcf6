package org.vbgw.dataplane.neighbour;

/**
 * Timers of neighbour resolution (ARP, RFC 826; ND, RFC 4861 §10 gives the IPv6 defaults), in nanoseconds.
 *
 * @param retransmitNs   between two requests while resolving (RFC 4861 RETRANS_TIMER: 1 s).
 * @param maxProbes      requests sent before a neighbour is declared failed (MAX_MULTICAST_SOLICIT: 3).
 * @param reachableNs    how long an answer is trusted (REACHABLE_TIME: 30 s).
 * @param refreshAheadNs how long before {@code reachableNs} runs out a refresh request goes out, so a live
 *                       neighbour is re-confirmed before it expires and traffic never waits on resolution.
 * @param failedRetryNs  between attempts to resolve a failed neighbour, so it comes back by itself.
 */
public record NeighbourTimers(long retransmitNs, int maxProbes, long reachableNs, long refreshAheadNs, long failedRetryNs)
{
    public static final NeighbourTimers DEFAULT = new NeighbourTimers(
        1_000_000_000L, 3, 30_000_000_000L, 5_000_000_000L, 1_000_000_000L);

    public NeighbourTimers
    {
        if (retransmitNs <= 0 || maxProbes < 1 || reachableNs <= 0 || refreshAheadNs < 0 ||
            refreshAheadNs >= reachableNs || failedRetryNs <= 0)
        {
            throw new IllegalArgumentException("bad neighbour timers: " + retransmitNs + "/" + maxProbes + "/" +
                reachableNs + "/" + refreshAheadNs + "/" + failedRetryNs);
        }
    }
}
