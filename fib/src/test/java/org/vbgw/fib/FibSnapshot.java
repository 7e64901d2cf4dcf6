package org.vbgw.fib;

import java.util.Arrays;

/** A text picture of everything a FIB answers, to show that a rejected call changed nothing. */
final class FibSnapshot
{
    private FibSnapshot()
    {
    }

    static String of(final Fib fib)
    {
        final StringBuilder sb = new StringBuilder();
        sb.append("routes=").append(fib.routeCount()).append(" groups=").append(fib.groupCount())
            .append(" derived=").append(fib.derivedGroupCount()).append(" nextHops=").append(fib.nextHopCount())
            .append(" bytes=").append(fib.memoryBytes()).append('\n');
        fib.forEachRoute((prefix, group) ->
        {
            sb.append(prefix).append(" -> ").append(group).append(" resolves");
            final int stored = prefix.ipv6() ? fib.lookupIpv6(prefix.hi(), prefix.lo()) : fib.lookupIpv4(prefix.ipv4Address());
            for (int h = 0; h < 64; h++)
            {
                sb.append(' ').append(fib.selectNextHop(stored, h));
            }
            sb.append('\n');
        });
        for (int id = 0; id < 300; id++)
        {
            final NextHopGroup g = fib.group(id);
            if (g != null)
            {
                sb.append(g).append(Arrays.toString(g.currentBuckets())).append('\n');
            }
            final NextHop nh = fib.nextHop(id);
            if (nh != null)
            {
                sb.append(nh).append('\n');
            }
        }
        return sb.toString();
    }
}
