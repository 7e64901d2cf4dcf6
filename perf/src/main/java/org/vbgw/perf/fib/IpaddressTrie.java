package org.vbgw.perf.fib;

import inet.ipaddr.format.util.AssociativeAddressTrie.AssociativeTrieNode;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv4.IPv4AddressAssociativeTrie;
import inet.ipaddr.ipv6.IPv6Address;
import inet.ipaddr.ipv6.IPv6AddressAssociativeTrie;
import org.vbgw.agent.cli.RouteList;

/**
 * The general-purpose library baseline: the compact binary tries of
 * {@code com.github.seancfoley:ipaddress}, prefix → value, looked up with
 * {@code longestPrefixMatchNode}. Every lookup allocates an address object; that is the library's
 * API, and part of what is being compared.
 */
public final class IpaddressTrie
{
    private IpaddressTrie()
    {
    }

    public static IPv4AddressAssociativeTrie<Integer> buildIpv4(final RouteList routes)
    {
        final IPv4AddressAssociativeTrie<Integer> trie = new IPv4AddressAssociativeTrie<>();
        for (int i = 0; i < routes.ipv4Count(); i++)
        {
            trie.put(ipv4Block(routes.ipv4Prefixes()[i], routes.ipv4Lengths()[i]), routes.ipv4Values()[i]);
        }
        return trie;
    }

    public static IPv6AddressAssociativeTrie<Integer> buildIpv6(final RouteList routes)
    {
        final IPv6AddressAssociativeTrie<Integer> trie = new IPv6AddressAssociativeTrie<>();
        for (int i = 0; i < routes.ipv6Count(); i++)
        {
            trie.put(ipv6Block(routes.ipv6His()[i], routes.ipv6Los()[i], routes.ipv6Lengths()[i]), routes.ipv6Values()[i]);
        }
        return trie;
    }

    /** The prefix as the trie keys it: an address block with its prefix length. */
    public static IPv4Address ipv4Block(final int prefix, final int length)
    {
        return new IPv4Address(prefix, length).toPrefixBlock();
    }

    public static IPv6Address ipv6Block(final long hi, final long lo, final int length)
    {
        return new IPv6Address(hi, lo, length).toPrefixBlock();
    }

    /** The value of the longest prefix matching {@code address}, or -1. */
    public static int lookup(final IPv4AddressAssociativeTrie<Integer> trie, final int address)
    {
        final AssociativeTrieNode<IPv4Address, Integer> node = trie.longestPrefixMatchNode(new IPv4Address(address));
        return node == null ? -1 : node.getValue();
    }

    /** The value of the longest prefix matching the address, or -1. */
    public static int lookup(final IPv6AddressAssociativeTrie<Integer> trie, final long hi, final long lo)
    {
        final AssociativeTrieNode<IPv6Address, Integer> node = trie.longestPrefixMatchNode(new IPv6Address(hi, lo));
        return node == null ? -1 : node.getValue();
    }
}
