package org.vbgw.dataplane.liveness;

import org.vbgw.dataplane.packet.BfdControlFlyweight;
import org.vbgw.fib.IpPrefix;

/**
 * What a BFD session is asked to be (RFC 5880 §6.8.1 state variables the operator sets, RFC 5881 single hop):
 * one per VIF peer.
 *
 * @param vifId           the VIF the peer is on.
 * @param local           the gateway's address on the VIF (the packets' source), a host prefix.
 * @param peer            the peer's address, a host prefix of the same family.
 * @param desiredMinTxUs  bfd.DesiredMinTxInterval once Up, microseconds (10 ms .. 10 s).
 * @param requiredMinRxUs bfd.RequiredMinRxInterval, microseconds (10 ms .. 10 s).
 * @param detectMult      bfd.DetectMult, 1..255.
 * @param holdDownNs      how long the session must stay Up before its peer's next hops carry traffic again.
 * @param authType        {@link BfdControlFlyweight#AUTH_NONE} or a keyed MD5 / SHA1 type.
 * @param authKeyId       the key ID (0..255), when authenticated.
 * @param authKey         the key, when authenticated (1..16 bytes MD5, 1..20 SHA1).
 */
public record BfdSessionConfig(int vifId, IpPrefix local, IpPrefix peer, long desiredMinTxUs, long requiredMinRxUs,
                               int detectMult, long holdDownNs, int authType, int authKeyId, byte[] authKey)
{
    public static final long MIN_INTERVAL_US = 10_000;
    public static final long MAX_INTERVAL_US = 10_000_000;

    public BfdSessionConfig
    {
        if (local == null || peer == null || local.ipv6() != peer.ipv6() ||
            local.length() != (local.ipv6() ? 128 : 32) || peer.length() != (peer.ipv6() ? 128 : 32))
        {
            throw new IllegalArgumentException("a BFD session needs a local and a peer address of one family, got " +
                local + " and " + peer);
        }
        checkTimers(desiredMinTxUs, requiredMinRxUs, detectMult);
        if (holdDownNs < 0)
        {
            throw new IllegalArgumentException("BFD hold-down must not be negative: " + holdDownNs + " ns");
        }
        if (authType != BfdControlFlyweight.AUTH_NONE)
        {
            // Fails here, with the reason, rather than when the session starts.
            new BfdAuth(authType, authKeyId, authKey);
        }
    }

    /** A session without authentication. */
    public static BfdSessionConfig of(final int vifId, final IpPrefix local, final IpPrefix peer,
        final long desiredMinTxUs, final long requiredMinRxUs, final int detectMult, final long holdDownNs)
    {
        return new BfdSessionConfig(vifId, local, peer, desiredMinTxUs, requiredMinRxUs, detectMult, holdDownNs,
            BfdControlFlyweight.AUTH_NONE, 0, null);
    }

    /** The same session authenticated with {@code type}, {@code keyId} and {@code key}. */
    public BfdSessionConfig withAuth(final int type, final int keyId, final byte[] key)
    {
        return new BfdSessionConfig(vifId, local, peer, desiredMinTxUs, requiredMinRxUs, detectMult, holdDownNs,
            type, keyId, key);
    }

    static void checkTimers(final long desiredMinTxUs, final long requiredMinRxUs, final int detectMult)
    {
        if (desiredMinTxUs < MIN_INTERVAL_US || desiredMinTxUs > MAX_INTERVAL_US ||
            requiredMinRxUs < MIN_INTERVAL_US || requiredMinRxUs > MAX_INTERVAL_US)
        {
            throw new IllegalArgumentException("BFD intervals must be 10 ms .. 10 s, got tx " + desiredMinTxUs +
                " us, rx " + requiredMinRxUs + " us");
        }
        if (detectMult < 1 || detectMult > 255)
        {
            throw new IllegalArgumentException("BFD detect multiplier " + detectMult + " out of range 1..255");
        }
    }
}
