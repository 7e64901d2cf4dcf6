package org.vbgw.agent.config;

/**
 * BFD timers of a VIF (RFC 5880): the session is declared down after {@code multiplier} intervals
 * of the negotiated receive interval without a packet, so detection takes about
 * {@code minRxMs * multiplier} milliseconds.
 */
public record BfdTimers(int minTxMs, int minRxMs, int multiplier)
{
    /** FRR's defaults: 300 ms x 3. */
    public static final int DEFAULT_INTERVAL_MS = 300;
    public static final int DEFAULT_MULTIPLIER = 3;

    public long detectTimeMs()
    {
        return (long)minRxMs * multiplier;
    }
}
