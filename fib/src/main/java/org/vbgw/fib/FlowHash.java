package org.vbgw.fib;

/**
 * Flow hashes for ECMP bucket selection: static, allocation-free, deterministic functions of a flow's
 * 5-tuple (or of its addresses only).
 * <p>
 * The same flow always gives the same hash, so a flow stays on one member while the group is unchanged.
 * Three shapes per family:
 * <ul>
 * <li>{@code ipv4}/{@code ipv6}: the full 5-tuple, the usual choice for TCP and UDP;</li>
 * <li>{@code *Symmetric}: both directions of a flow hash alike (the endpoints are ordered before mixing),
 *     so a stateful device behind the gateway sees both directions on one VIF;</li>
 * <li>{@code *L3}: addresses only, for fragments (no ports after the first) and protocols without ports;
 *     symmetric as well, since it costs nothing here.</li>
 * </ul>
 * Mixing multiplies each 64-bit input word by an odd constant (IPv6: a murmur3-style block step per word)
 * and ends with the murmur3 64-bit finalizer, so every input bit reaches every output bit; the low bits
 * that index a power-of-two bucket table are as good as the high ones. Thread-safe (pure functions).
 */
public final class FlowHash
{
    private static final long SEED = 0x9E37_79B9_7F4A_7C15L;
    private static final long C1 = 0x87C3_7B91_1142_53D5L;
    private static final long C2 = 0x4CF5_AD43_2745_937FL;

    private FlowHash()
    {
    }

    /** 5-tuple hash of an IPv4 flow; ports are the 16-bit values (0 for protocols without ports). */
    public static int ipv4(final int src, final int dst, final int protocol, final int srcPort, final int dstPort)
    {
        // The two words' multiplies are independent (they run in parallel) and the finalizer mixes the
        // high bits, which the multiplies filled, back down: a shorter dependency chain than two chained
        // block steps, with the same balance (FlowHashTest).
        final long addresses = ((long)src << 32) | (dst & 0xFFFF_FFFFL);
        final long rest = ((long)(protocol & 0xFF) << 32) | ((long)(srcPort & 0xFFFF) << 16) | (dstPort & 0xFFFF);
        return finish(addresses * C1 ^ Long.rotateLeft(rest * C2, 32), 16);
    }

    /** Like {@link #ipv4} but both directions of the flow give the same hash. */
    public static int ipv4Symmetric(
        final int src, final int dst, final int protocol, final int srcPort, final int dstPort)
    {
        final int c = Integer.compareUnsigned(src, dst);
        if (c > 0 || (c == 0 && (srcPort & 0xFFFF) > (dstPort & 0xFFFF)))
        {
            return ipv4(dst, src, protocol, dstPort, srcPort);
        }
        return ipv4(src, dst, protocol, srcPort, dstPort);
    }

    /** Addresses-only hash of an IPv4 packet (fragments, non-TCP/UDP); symmetric. */
    public static int ipv4L3(final int src, final int dst)
    {
        final boolean swap = Integer.compareUnsigned(src, dst) > 0;
        final int a = swap ? dst : src;
        final int b = swap ? src : dst;
        return finish((((long)a << 32) | (b & 0xFFFF_FFFFL)) * C1 ^ SEED, 8);
    }

    /** 5-tuple hash of an IPv6 flow; addresses as big-endian high and low halves. */
    public static int ipv6(
        final long srcHi, final long srcLo, final long dstHi, final long dstLo,
        final int protocol, final int srcPort, final int dstPort)
    {
        long h = mix(SEED, srcHi);
        h = mix(h, srcLo);
        h = mix(h, dstHi);
        h = mix(h, dstLo);
        h = mix(h, ((long)(protocol & 0xFF) << 32) | ((long)(srcPort & 0xFFFF) << 16) | (dstPort & 0xFFFF));
        return finish(h, 40);
    }

    /** Like {@link #ipv6} but both directions of the flow give the same hash. */
    public static int ipv6Symmetric(
        final long srcHi, final long srcLo, final long dstHi, final long dstLo,
        final int protocol, final int srcPort, final int dstPort)
    {
        final int c = compare(srcHi, srcLo, dstHi, dstLo);
        if (c > 0 || (c == 0 && (srcPort & 0xFFFF) > (dstPort & 0xFFFF)))
        {
            return ipv6(dstHi, dstLo, srcHi, srcLo, protocol, dstPort, srcPort);
        }
        return ipv6(srcHi, srcLo, dstHi, dstLo, protocol, srcPort, dstPort);
    }

    /** Addresses-only hash of an IPv6 packet (fragments, non-TCP/UDP); symmetric. */
    public static int ipv6L3(final long srcHi, final long srcLo, final long dstHi, final long dstLo)
    {
        final boolean swap = compare(srcHi, srcLo, dstHi, dstLo) > 0;
        long h = mix(SEED ^ C2, swap ? dstHi : srcHi);
        h = mix(h, swap ? dstLo : srcLo);
        h = mix(h, swap ? srcHi : dstHi);
        h = mix(h, swap ? srcLo : dstLo);
        return finish(h, 32);
    }

    private static int compare(final long aHi, final long aLo, final long bHi, final long bLo)
    {
        final int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    /** One murmur3 x64 block step. */
    private static long mix(final long h, final long word)
    {
        long k = word * C1;
        k = Long.rotateLeft(k, 31);
        k *= C2;
        final long x = h ^ k;
        return Long.rotateLeft(x, 27) * 5 + 0x52DC_E729L;
    }

    /** Folds in the input length, then the murmur3 fmix64 finalizer; returns the low 32 bits. */
    private static int finish(final long h, final int lengthBytes)
    {
        long x = h ^ lengthBytes;
        x ^= x >>> 33;
        x *= 0xFF51_AFD7_ED55_8CCDL;
        x ^= x >>> 33;
        x *= 0xC4CE_B9FE_1A85_EC53L;
        x ^= x >>> 33;
        return (int)x;
    }
}
