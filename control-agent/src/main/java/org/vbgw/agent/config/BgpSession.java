package org.vbgw.agent.config;

/**
 * The eBGP session a VIF runs with the customer router (seed 000: peer ASN, BGP key).
 *
 * @param peerAsn       the customer's ASN, 1..4294967295, never the gateway's own (eBGP only)
 * @param md5Key        the TCP MD5 signature key (RFC 2385), or null for none
 * @param holdTimeS     BGP hold time in seconds: 0 (no keepalives) or 3..65535 (RFC 4271 4.2)
 * @param asPathPrepend how many times the gateway prepends its ASN on this VIF, to make it the
 *                      backup path by AS_PATH length (seed 001)
 * @param localPref     LOCAL_PREF set on routes learned here, or null to leave the default
 * @param maxPrefixes   the most prefixes the peer may announce; one more and the session is torn down
 */
public record BgpSession(Long peerAsn, String md5Key, int holdTimeS, int asPathPrepend, Long localPref,
                         long maxPrefixes)
{
    /** RFC 4271 suggests 90 s; it is what failover costs when nothing faster is configured. */
    public static final int DEFAULT_HOLD_TIME_S = 90;
    /**
     * Cloud products cap what a VIF's BGP peer may announce at 100 to a few hundred prefixes; 1000 leaves an
     * IDC room and still stops a leaked full table (about a million routes) from filling the FIB.
     */
    public static final long DEFAULT_MAX_PREFIXES = 1000;
}
