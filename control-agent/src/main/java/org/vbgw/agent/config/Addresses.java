package org.vbgw.agent.config;

import org.vbgw.fib.IpPrefix;

/**
 * Host addresses in the config are {@link IpPrefix} host routes (/32, /128): one type for both
 * families, with {@code contains} for free. These helpers print them the way operators wrote them.
 */
public final class Addresses
{
    private Addresses()
    {
    }

    /** The address of a host route without its /32 or /128. */
    public static String text(final IpPrefix host)
    {
        return IpPrefix.format(host.ipv6(), host.hi(), host.lo());
    }

    /** The first address of a prefix as a host route. */
    public static IpPrefix host(final IpPrefix prefix)
    {
        return new IpPrefix(prefix.ipv6(), prefix.hi(), prefix.lo(), prefix.ipv6() ? 128 : 32);
    }

    /** Parses an address that must not carry a /length. */
    public static IpPrefix parseHost(final String text)
    {
        if (text.indexOf('/') >= 0)
        {
            throw new IllegalArgumentException("'" + text + "' is a prefix; write an address without /length");
        }
        return IpPrefix.parse(text);
    }
}
