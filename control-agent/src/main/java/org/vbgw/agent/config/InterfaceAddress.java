package org.vbgw.agent.config;

import org.vbgw.fib.IpPrefix;

/**
 * An address on a link with its subnet length, as interface configs write it: {@code 10.0.0.1/30}.
 * Unlike a route prefix, host bits are the point here; {@link #subnet()} is the link's network.
 */
public record InterfaceAddress(IpPrefix host, int length)
{
    /**
     * Parses {@code ADDRESS/LENGTH}; the length is required, because the subnet is what ties the
     * two ends of an interconnect together.
     *
     * @throws IllegalArgumentException with a message that quotes the text.
     */
    public static InterfaceAddress parse(final String text)
    {
        final int slash = text.indexOf('/');
        if (slash < 0)
        {
            throw new IllegalArgumentException("'" + text + "' has no /length: write ADDRESS/LENGTH, e.g. 10.0.0.1/30");
        }
        final IpPrefix host = IpPrefix.parse(text.substring(0, slash));
        final int length;
        try
        {
            length = Integer.parseInt(text.substring(slash + 1).trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("bad prefix length in '" + text + "'");
        }
        final int max = host.ipv6() ? 128 : 32;
        if (length < 0 || length > max)
        {
            throw new IllegalArgumentException("prefix length " + length + " out of range 0.." + max + " in '" + text + "'");
        }
        return new InterfaceAddress(host, length);
    }

    public boolean ipv6()
    {
        return host.ipv6();
    }

    /** The link's network: the address with its host bits cleared. */
    public IpPrefix subnet()
    {
        if (host.ipv6())
        {
            return IpPrefix.ipv6(host.hi() & IpPrefix.mask128Hi(length), host.lo() & IpPrefix.mask128Lo(length), length);
        }
        return IpPrefix.ipv4(host.ipv4Address() & IpPrefix.mask32(length), length);
    }

    /** True when the host part is all zeros: the network (IPv4) or subnet-router anycast (IPv6) address. */
    public boolean isNetworkAddress()
    {
        return host.equals(Addresses.host(subnet()));
    }

    /** True when the host part is all ones: the IPv4 broadcast address, or its IPv6 counterpart. */
    public boolean isAllOnesAddress()
    {
        final IpPrefix net = subnet();
        if (host.ipv6())
        {
            return host.hi() == (net.hi() | ~IpPrefix.mask128Hi(length)) && host.lo() == (net.lo() | ~IpPrefix.mask128Lo(length));
        }
        return host.lo() == ((net.lo() | ~IpPrefix.mask32(length)) & 0xFFFF_FFFFL);
    }

    @Override
    public String toString()
    {
        return Addresses.text(host) + "/" + length;
    }
}
