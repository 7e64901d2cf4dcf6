package org.vbgw.dataplane.vif;

import org.junit.jupiter.api.Test;
import org.vbgw.fib.IpPrefix;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The strict source check scans a VIF's few allowed prefixes instead of walking its trie: both must give
 * the same answer for every source, at every prefix length, for a handful of prefixes and beyond the
 * scan's limit (where the trie answers alone).
 */
class VifSourceCheckTest
{
    private static Vif vif(final List<IpPrefix> allowed)
    {
        return new Vif(0, "dx", 0, 100, 0, 0, 0x02_00_00_00_00_01L, 1500, List.of(IpPrefix.parse("10.0.0.1")),
            allowed, SourceCheck.STRICT, true);
    }

    @Test
    void scanAgreesWithTheTrieForRandomPrefixSetsAndSources()
    {
        final Random random = new Random(42);
        for (int round = 0; round < 60; round++)
        {
            final int count = random.nextInt(2 * Vif.SCAN_LIMIT + 2);
            final List<IpPrefix> allowed = new ArrayList<>();
            final List<IpPrefix> v4 = new ArrayList<>();
            final List<IpPrefix> v6 = new ArrayList<>();
            for (int i = 0; i < count; i++)
            {
                final int length4 = random.nextInt(33);
                final int network4 = random.nextInt() & IpPrefix.mask32(length4);
                v4.add(IpPrefix.ipv4(network4, length4));
                final int length6 = random.nextInt(129);
                v6.add(IpPrefix.ipv6(random.nextLong() & IpPrefix.mask128Hi(length6),
                    random.nextLong() & IpPrefix.mask128Lo(length6), length6));
            }
            allowed.addAll(v4);
            allowed.addAll(v6);
            final Vif vif = vif(allowed);
            for (int probe = 0; probe < 200; probe++)
            {
                // Half the probes inside a random allowed prefix (random host bits), half anywhere.
                int src4 = random.nextInt();
                long hi = random.nextLong();
                long lo = random.nextLong();
                if (count > 0 && random.nextBoolean())
                {
                    final IpPrefix p4 = v4.get(random.nextInt(count));
                    src4 = p4.ipv4Address() | (src4 & ~IpPrefix.mask32(p4.length()));
                    final IpPrefix p6 = v6.get(random.nextInt(count));
                    hi = p6.hi() | (hi & ~IpPrefix.mask128Hi(p6.length()));
                    lo = p6.lo() | (lo & ~IpPrefix.mask128Lo(p6.length()));
                    assertTrue(vif.allowsIpv4Source(src4), p4 + " allows " + IpPrefix.formatIpv4(src4));
                    assertTrue(vif.allowsIpv6Source(hi, lo), p6 + " allows " + IpPrefix.format(true, hi, lo));
                }
                assertEquals(vif.trieAllowsIpv4Source(src4), vif.allowsIpv4Source(src4),
                    allowed + " on " + IpPrefix.formatIpv4(src4));
                assertEquals(vif.trieAllowsIpv6Source(hi, lo), vif.allowsIpv6Source(hi, lo),
                    allowed + " on " + IpPrefix.format(true, hi, lo));
            }
        }
    }

    @Test
    void boundariesOfAPrefixAndNoPrefixAtAll()
    {
        final Vif vif = vif(List.of(IpPrefix.parse("192.168.0.0/16"), IpPrefix.parse("2001:db8:100::/40")));
        assertTrue(vif.allowsIpv4Source(0xC0A80000));
        assertTrue(vif.allowsIpv4Source(0xC0A8FFFF));
        assertFalse(vif.allowsIpv4Source(0xC0A90000));
        assertFalse(vif.allowsIpv4Source(0xC0A7FFFF));
        assertTrue(vif.allowsIpv6Source(0x20010db801000000L, 0));
        assertTrue(vif.allowsIpv6Source(0x20010db801ffffffL, -1L));
        assertFalse(vif.allowsIpv6Source(0x20010db802000000L, 0));
        final Vif none = vif(List.of());
        assertFalse(none.allowsIpv4Source(0xC0A80001), "no allowed prefix: a strict VIF allows nothing");
        assertFalse(none.allowsIpv6Source(0x20010db801000000L, 1));
    }
}
