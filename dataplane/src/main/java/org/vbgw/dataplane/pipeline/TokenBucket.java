package org.vbgw.dataplane.pipeline;

/**
 * A token bucket: at most {@code tokensPerSecond} on average, {@code burst} at once. Limits ICMP errors
 * (RFC 1812 §4.3.2.8, RFC 4443 §2.4(f): a flood of expiring or unroutable packets must not become a flood of
 * errors) and polices punted traffic. One owner thread; not thread-safe.
 */
public final class TokenBucket
{
    private final long tokensPerSecond;
    private final long burst;
    private long tokens;
    private long lastRefillNs;

    public TokenBucket(final long tokensPerSecond, final long burst, final long nowNs)
    {
        if (tokensPerSecond <= 0 || burst <= 0)
        {
            throw new IllegalArgumentException("rate " + tokensPerSecond + "/s burst " + burst + " must be > 0");
        }
        this.tokensPerSecond = tokensPerSecond;
        this.burst = burst;
        this.tokens = burst;
        this.lastRefillNs = nowNs;
    }

    /** True when one unit may pass now, taking a token. */
    public boolean tryAcquire(final long nowNs)
    {
        final long elapsed = nowNs - lastRefillNs;
        if (elapsed >= 1_000_000_000L)
        {
            // A second or more idle refills the bucket; computing it exactly could overflow.
            tokens = burst;
            lastRefillNs = nowNs;
        }
        else if (elapsed > 0)
        {
            final long add = elapsed * tokensPerSecond / 1_000_000_000L;
            if (add > 0)
            {
                tokens = Math.min(burst, tokens + add);
                lastRefillNs += add * 1_000_000_000L / tokensPerSecond;
            }
        }
        if (tokens > 0)
        {
            tokens--;
            return true;
        }
        return false;
    }
}
