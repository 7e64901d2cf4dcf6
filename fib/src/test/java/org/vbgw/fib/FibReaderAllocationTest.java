package org.vbgw.fib;

import java.lang.management.ManagementFactory;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The reader-side promise of next hops and groups: once warm, hashing a flow, choosing its next hop
 * (through a derived variant as well as a plain group) and reading the next hop's VIF and neighbour
 * allocate nothing. Measured with the JVM's per-thread allocation counter. Prefix lookups belong to the
 * LPM tables and are checked there.
 */
class FibReaderAllocationTest
{
    @Test
    void selectionAndNextHopReadsAllocateNothing()
    {
        final java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "JVM has no per-thread allocation counter");
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean)bean;
        assumeTrue(threads.isThreadAllocatedMemoryEnabled(), "per-thread allocation counting is disabled");

        final Fib fib = new Fib();
        for (int nh = 0; nh < 16; nh++)
        {
            fib.addNextHop(nh, nh, nh % 2 == 0, nh % 2 == 0 ? 0x2001_0DB8_0000_0000L : 0, 0x0A00_0001L + nh);
        }
        fib.addGroup(1, new int[] {0, 1, 2, 3, 4, 5, 6, 7}, null, Fib.NO_GROUP);
        fib.addGroup(2, new int[] {8, 9, 10, 11, 12, 13, 14, 15}, new int[] {1, 2, 3, 4, 5, 6, 7, 8}, 1);
        fib.addRoute(IpPrefix.parse("10.0.0.0/8"), 1);
        fib.addRoute(IpPrefix.parse("10.1.0.0/16"), 2);
        final int[] groups = {1, 2, fib.lookupIpv4(FibTest.ipv4("10.1.0.1"))};
        fib.setNextHopAlive(9, false);

        long sink = 0;
        for (int i = 0; i < 50_000; i++)
        {
            sink += iteration(fib, groups, i);
        }
        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < 200_000; i++)
        {
            sink += iteration(fib, groups, i);
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;
        assertTrue(sink != 0);
        // Slack for the counter call itself; one allocation per iteration would be megabytes.
        assertTrue(allocated < 1024, "allocated " + allocated + " bytes in 200k iterations");
    }

    private static long iteration(final Fib fib, final int[] groups, final int i)
    {
        final int h4 = FlowHash.ipv4(i, 0x0A01_0001, 6, i & 0xFFFF, 443);
        final int h4s = FlowHash.ipv4Symmetric(0x0A01_0001, i, 17, 53, i & 0xFFFF);
        final int h6 = FlowHash.ipv6(i, i, 7, 9, 6, i & 0xFFFF, 80);
        final int h6s = FlowHash.ipv6Symmetric(7, 9, i, i, 6, 80, i & 0xFFFF);
        final int l3 = FlowHash.ipv4L3(i, 5) ^ FlowHash.ipv6L3(i, 1, 2, 3);
        final int group = groups[i % groups.length];
        return forward(fib, group, h4) + forward(fib, group, h4s) + forward(fib, group, h6) +
            forward(fib, group, h6s) + forward(fib, group, l3);
    }

    private static long forward(final Fib fib, final int group, final int flowHash)
    {
        final int nh = fib.selectNextHop(group, flowHash);
        final NextHop nextHop = fib.nextHop(nh);
        return fib.nextHopVif(nh) + nextHop.neighbourLo() + (nextHop.ipv6() ? 1 : 0);
    }
}
