package org.vbgw.dataplane.liveness;

import org.vbgw.fib.IpPrefix;

/**
 * A health probe on a VIF, the model of the cloud's health checks (seed 003): an ICMP echo from {@code source}
 * to {@code destination} every {@code intervalNs}; {@code count} lost in a row take the VIF's next hops out of
 * service, {@code recoverCount} answered in a row and then {@code holdDownNs} bring them back.
 *
 * @param vifId        the VIF whose next hops the probe decides for, and that it leaves by.
 * @param via          the neighbour the probe is sent to (the VIF's peer): the destination may lie behind it.
 * @param source       a gateway address (replies come back to it), a host prefix.
 * @param destination  on the IDC side of the VIF, a host prefix of the source's family.
 * @param intervalNs   10 ms .. 10 s.
 * @param count        lost probes that take the VIF down, 1..255.
 * @param recoverCount answered probes that start its return, 1..255.
 * @param holdDownNs   and then this wait, 0 .. 600 s.
 */
public record HealthProbeConfig(int vifId, IpPrefix via, IpPrefix source, IpPrefix destination, long intervalNs,
                                int count, int recoverCount, long holdDownNs)
{
    public HealthProbeConfig
    {
        if (source == null || destination == null || via == null || source.ipv6() != destination.ipv6() ||
            via.ipv6() != destination.ipv6() || !host(source) || !host(destination) || !host(via))
        {
            throw new IllegalArgumentException("a health probe needs source, destination and next-hop addresses of " +
                "one family, got " + source + ", " + destination + " via " + via);
        }
        if (intervalNs < 10_000_000L || intervalNs > 10_000_000_000L)
        {
            throw new IllegalArgumentException("health probe interval must be 10 ms .. 10 s, got " +
                intervalNs / 1_000_000 + " ms");
        }
        if (count < 1 || count > 255 || recoverCount < 1 || recoverCount > 255)
        {
            throw new IllegalArgumentException("health probe counts must be 1..255, got count " + count +
                ", recover count " + recoverCount);
        }
        if (holdDownNs < 0 || holdDownNs > 600_000_000_000L)
        {
            throw new IllegalArgumentException("health probe hold-down must be 0 .. 600 s, got " +
                holdDownNs / 1_000_000 + " ms");
        }
    }

    private static boolean host(final IpPrefix p)
    {
        return p.length() == (p.ipv6() ? 128 : 32);
    }
}
