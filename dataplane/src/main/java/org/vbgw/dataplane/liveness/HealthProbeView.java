package org.vbgw.dataplane.liveness;

/**
 * A health probe as {@code show probes} reports it: a copy, taken on the control thread.
 *
 * @param state           the probe's verdict: up, or down after {@code count} lost probes.
 * @param lastRttUs       round-trip time of the latest answered probe, -1 before the first.
 * @param holdingNextHops true while the VIF's next hops are out of service for this probe (including the
 *                        hold-down after recovery).
 */
public record HealthProbeView(String vif, String source, String destination, long intervalMs, int count,
                              int recoverCount, long holdDownMs, String state, long sent, long answered, long lost,
                              int lostInARow, long lastRttUs, long lastChangeNs, boolean holdingNextHops)
{
}
