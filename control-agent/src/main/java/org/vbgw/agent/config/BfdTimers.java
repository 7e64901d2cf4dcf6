package org.vbgw.agent.config;

/**
 * BFD timers of a VIF (RFC 5880): the session is declared down after {@code multiplier} intervals
 * of the negotiated receive interval without a packet, so detection takes about
 * {@code minRxMs * multiplier} milliseconds. After a failure the VIF's next hops return only once the
 * session has been Up for {@code holdDownMs}. Optional keyed MD5 / SHA1 authentication (RFC 5880 §6.7).
 *
 * @param authType  null (none), or one of {@link #AUTH_TYPES}.
 * @param authKeyId 0..255, when authenticated.
 * @param authKey   1..16 characters for MD5, 1..20 for SHA1, when authenticated.
 */
public record BfdTimers(int minTxMs, int minRxMs, int multiplier, int holdDownMs, String authType, int authKeyId,
                        String authKey)
{
    /** FRR's defaults: 300 ms x 3. */
    public static final int DEFAULT_INTERVAL_MS = 300;
    public static final int DEFAULT_MULTIPLIER = 3;
    /** Long enough that a link flapping every second does not flap traffic with it. */
    public static final int DEFAULT_HOLD_DOWN_MS = 1000;
    /** The config's names of RFC 5880's keyed authentication types 2..5, in that order. */
    public static final java.util.List<String> AUTH_TYPES =
        java.util.List.of("keyed-md5", "meticulous-keyed-md5", "keyed-sha1", "meticulous-keyed-sha1");

    /** Timers only: the default hold-down, no authentication. */
    public BfdTimers(final int minTxMs, final int minRxMs, final int multiplier)
    {
        this(minTxMs, minRxMs, multiplier, DEFAULT_HOLD_DOWN_MS, null, 0, null);
    }

    public long detectTimeMs()
    {
        return (long)minRxMs * multiplier;
    }

    /** RFC 5880's number of the authentication type: 0 for none, 2..5 for the keyed types. */
    public int authTypeNumber()
    {
        return authType == null ? 0 : 2 + AUTH_TYPES.indexOf(authType);
    }
}
