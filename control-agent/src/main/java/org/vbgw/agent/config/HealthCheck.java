package org.vbgw.agent.config;

import org.vbgw.fib.IpPrefix;

/**
 * A health probe on a VIF, the Alibaba model (../shared/seeds/003): a probe from
 * {@code sourceIp} to {@code destinationIp} every {@code intervalMs}; {@code count} probes lost in
 * a row take the VIF's routes away; {@code recoverCount} answered probes in a row, and then
 * {@code holdDownMs}, bring them back (so a flapping link does not flap the routes).
 * Addresses are host routes (/32, /128); null when missing or malformed (already reported).
 */
public record HealthCheck(IpPrefix sourceIp, IpPrefix destinationIp, int intervalMs, int count, int recoverCount,
                          int holdDownMs)
{
    /** The cloud default: a probe every 2 s, 8 lost probes switch the route (seed 003). */
    public static final int DEFAULT_INTERVAL_MS = 2000;
    public static final int DEFAULT_COUNT = 8;
    public static final int DEFAULT_RECOVER_COUNT = 3;
    public static final int DEFAULT_HOLD_DOWN_MS = 10_000;

    public long detectTimeMs()
    {
        return (long)intervalMs * count;
    }
}
