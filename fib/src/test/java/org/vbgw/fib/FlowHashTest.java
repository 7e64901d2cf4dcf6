package org.vbgw.fib;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowHashTest
{
    private static final int FLOWS = 200_000;

    @Test
    void sameFlowSameHash()
    {
        final Random random = new Random(1);
        for (int i = 0; i < 10_000; i++)
        {
            final int src = random.nextInt();
            final int dst = random.nextInt();
            final int sp = random.nextInt(65536);
            final int dp = random.nextInt(65536);
            assertEquals(FlowHash.ipv4(src, dst, 6, sp, dp), FlowHash.ipv4(src, dst, 6, sp, dp));
            final long a = random.nextLong();
            final long b = random.nextLong();
            assertEquals(FlowHash.ipv6(a, b, b, a, 17, sp, dp), FlowHash.ipv6(a, b, b, a, 17, sp, dp));
        }
    }

    @Test
    void everyFieldMatters()
    {
        final int base = FlowHash.ipv4(0x0A000001, 0xC0A80001, 6, 40000, 443);
        assertNotEquals(base, FlowHash.ipv4(0x0A000002, 0xC0A80001, 6, 40000, 443));
        assertNotEquals(base, FlowHash.ipv4(0x0A000001, 0xC0A80002, 6, 40000, 443));
        assertNotEquals(base, FlowHash.ipv4(0x0A000001, 0xC0A80001, 17, 40000, 443));
        assertNotEquals(base, FlowHash.ipv4(0x0A000001, 0xC0A80001, 6, 40001, 443));
        assertNotEquals(base, FlowHash.ipv4(0x0A000001, 0xC0A80001, 6, 40000, 444));
        assertNotEquals(base, FlowHash.ipv4(0xC0A80001, 0x0A000001, 6, 443, 40000), "plain hash is directional");

        final int v6 = FlowHash.ipv6(1, 2, 3, 4, 6, 5, 6);
        assertNotEquals(v6, FlowHash.ipv6(1, 2, 3, 5, 6, 5, 6));
        assertNotEquals(v6, FlowHash.ipv6(1, 3, 3, 4, 6, 5, 6));
        assertNotEquals(v6, FlowHash.ipv6(1, 2, 3, 4, 6, 5, 7));
        assertNotEquals(v6, FlowHash.ipv6(3, 4, 1, 2, 6, 6, 5));
    }

    @Test
    void symmetricVariantsIgnoreDirection()
    {
        final Random random = new Random(2);
        for (int i = 0; i < 10_000; i++)
        {
            final int src = random.nextInt();
            final int dst = i % 10 == 0 ? src : random.nextInt();
            final int sp = random.nextInt(65536);
            final int dp = random.nextInt(65536);
            assertEquals(FlowHash.ipv4Symmetric(src, dst, 6, sp, dp), FlowHash.ipv4Symmetric(dst, src, 6, dp, sp));
            assertEquals(FlowHash.ipv4L3(src, dst), FlowHash.ipv4L3(dst, src));
            final long sh = random.nextLong();
            final long sl = random.nextLong();
            final long dh = i % 7 == 0 ? sh : random.nextLong();
            final long dl = random.nextLong();
            assertEquals(FlowHash.ipv6Symmetric(sh, sl, dh, dl, 17, sp, dp), FlowHash.ipv6Symmetric(dh, dl, sh, sl, 17, dp, sp));
            assertEquals(FlowHash.ipv6L3(sh, sl, dh, dl), FlowHash.ipv6L3(dh, dl, sh, sl));
        }
    }

    @Test
    void l3VariantSeparatesAddressPairs()
    {
        assertNotEquals(FlowHash.ipv4L3(1, 2), FlowHash.ipv4L3(1, 3));
        assertNotEquals(FlowHash.ipv6L3(0, 1, 0, 2), FlowHash.ipv6L3(0, 1, 0, 3));
    }

    @Test
    void randomFlowsSpreadEvenlyOverBuckets()
    {
        final Random random = new Random(3);
        final int[] ipv4 = new int[512];
        final int[] ipv4Sym = new int[512];
        final int[] ipv4L3 = new int[512];
        final int[] ipv6 = new int[512];
        final int[] ipv6Sym = new int[512];
        final int[] ipv6L3 = new int[512];
        for (int i = 0; i < FLOWS; i++)
        {
            final int src = random.nextInt();
            final int dst = random.nextInt();
            final int sp = random.nextInt(65536);
            final int dp = random.nextInt(65536);
            ipv4[FlowHash.ipv4(src, dst, 6, sp, dp) & 511]++;
            ipv4Sym[FlowHash.ipv4Symmetric(src, dst, 6, sp, dp) & 511]++;
            ipv4L3[FlowHash.ipv4L3(src, dst) & 511]++;
            final long sh = random.nextLong();
            final long sl = random.nextLong();
            ipv6[FlowHash.ipv6(sh, sl, 0x20010DB8L << 32, 1, 6, sp, dp) & 511]++;
            ipv6Sym[FlowHash.ipv6Symmetric(sh, sl, 0x20010DB8L << 32, 1, 6, sp, dp) & 511]++;
            ipv6L3[FlowHash.ipv6L3(sh, sl, 0x20010DB8L << 32, 1) & 511]++;
        }
        for (final int[] counts : new int[][] {ipv4, ipv4Sym, ipv4L3, ipv6, ipv6Sym, ipv6L3})
        {
            assertBalanced(counts, FLOWS);
        }
    }

    @Test
    void sequentialFlowsFromOneClientSpreadEvenly()
    {
        // The realistic worst case: one client, one server, consecutive source ports.
        final int[] counts = new int[512];
        final int[] low = new int[64];
        for (int port = 1024; port < 1024 + FLOWS / 4; port++)
        {
            final int h = FlowHash.ipv4(0x0A000001, 0xC0A80001, 6, port & 0xFFFF, 443);
            counts[h & 511]++;
            low[h & 63]++;
        }
        assertBalanced(counts, FLOWS / 4);
        assertBalanced(low, FLOWS / 4);
        final int[] hosts = new int[512];
        for (int host = 0; host < FLOWS; host++)
        {
            hosts[FlowHash.ipv4L3(0x0A000000 + host, 0xC0A80001) & 511]++;
        }
        assertBalanced(hosts, FLOWS);
    }

    /** Every bucket within 6 standard deviations of the mean, and a chi-square close to its degrees of freedom. */
    private static void assertBalanced(final int[] counts, final int total)
    {
        final double mean = (double)total / counts.length;
        final double sd = Math.sqrt(mean);
        double chi = 0;
        for (int b = 0; b < counts.length; b++)
        {
            assertTrue(Math.abs(counts[b] - mean) < 6 * sd, "bucket " + b + " has " + counts[b] + ", mean " + mean);
            chi += (counts[b] - mean) * (counts[b] - mean) / mean;
        }
        final int df = counts.length - 1;
        assertTrue(Math.abs(chi - df) < 6 * Math.sqrt(2.0 * df), "chi-square " + chi + " for " + df + " degrees of freedom");
    }
}
