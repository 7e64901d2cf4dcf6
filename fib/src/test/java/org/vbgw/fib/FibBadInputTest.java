package org.vbgw.fib;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every rejected input names the bad value and leaves the FIB exactly as it was. */
class FibBadInputTest
{
    private Fib fib;

    @BeforeEach
    void setUp()
    {
        fib = new Fib();
        for (int id = 1; id <= 6; id++)
        {
            fib.addNextHop(id, id, "192.0.2." + id);
        }
        fib.addGroup(1, new int[] {1, 2}, new int[] {1, 3}, Fib.NO_GROUP);
        fib.addGroup(2, new int[] {3, 4}, null, 1);
        fib.addGroup(3, new int[] {5}, null, Fib.NO_GROUP);
        fib.addRoute(IpPrefix.parse("10.0.0.0/8"), 1);
        fib.addRoute(IpPrefix.parse("10.1.0.0/16"), 2);
        fib.addRoute(IpPrefix.parse("2001:db8::/32"), 3);
        fib.setNextHopAlive(4, false);
    }

    @Test
    void nextHopErrors()
    {
        rejects("duplicate next hop id 3", () -> fib.addNextHop(3, 9, "192.0.2.99"));
        rejects("next hop id -1 out of range", () -> fib.addNextHop(-1, 9, "192.0.2.99"));
        rejects("next hop id 16777216 out of range", () -> fib.addNextHop(NextHop.MAX_ID + 1, 9, "192.0.2.99"));
        rejects("VIF id -2", () -> fib.addNextHop(7, -2, "192.0.2.99"));
        rejects("IPv4 neighbour does not fit 32 bits", () -> fib.addNextHop(7, 1, false, 1, 5));
        rejects("not an IP address: 'gateway'", () -> fib.addNextHop(7, 1, "gateway"));
        rejects("neighbour must be an address, not '10.0.0.0/8'", () -> fib.addNextHop(7, 1, "10.0.0.0/8"));
        rejects("unknown next hop 42", () -> fib.setNextHopAlive(42, false));
        rejects("unknown next hop 42", () -> fib.removeNextHop(42));
        rejects("next hop 1 is a member of 1 group", () -> fib.removeNextHop(1));
    }

    @Test
    void groupErrors()
    {
        rejects("group 1 already exists", () -> fib.addGroup(1, new int[] {6}, null, Fib.NO_GROUP));
        rejects("group 7 has no members", () -> fib.addGroup(7, new int[0], null, Fib.NO_GROUP));
        rejects("group 7 has no members", () -> fib.addGroup(7, null, null, Fib.NO_GROUP));
        rejects("group id -4 out of range", () -> fib.addGroup(-4, new int[] {6}, null, Fib.NO_GROUP));
        rejects("group 7: unknown next hop 99", () -> fib.addGroup(7, new int[] {6, 99}, null, Fib.NO_GROUP));
        rejects("group 7: next hop 6 listed twice", () -> fib.addGroup(7, new int[] {6, 5, 6}, null, Fib.NO_GROUP));
        rejects("group 7: weight 0 of next hop 5 must be > 0", () -> fib.addGroup(7, new int[] {6, 5}, new int[] {1, 0}, Fib.NO_GROUP));
        rejects("group 7: weight -3 of next hop 6", () -> fib.addGroup(7, new int[] {6, 5}, new int[] {-3, 1}, Fib.NO_GROUP));
        rejects("group 7 has 2 members but 1 weights", () -> fib.addGroup(7, new int[] {6, 5}, new int[] {1}, Fib.NO_GROUP));
        rejects("group 7 has 513 members", () -> fib.addGroup(7, new int[513], null, Fib.NO_GROUP));
        rejects("group 7: backup group 8 does not exist", () -> fib.addGroup(7, new int[] {6}, null, 8));
        rejects("backup cycle: group 7 cannot be its own backup", () -> fib.addGroup(7, new int[] {6}, null, 7));
        rejects("group 9 does not exist", () -> fib.replaceGroup(9, new int[] {6}, null, Fib.NO_GROUP));
        rejects("backup cycle: 1 -> 2 -> 1", () -> fib.replaceGroup(1, new int[] {1, 2}, null, 2));
        rejects("group 1 is used by 1 route", () -> fib.removeGroup(1));
        rejects("group 9 does not exist", () -> fib.removeGroup(9));
    }

    @Test
    void longBackupChainIsRefused()
    {
        fib.addGroup(100, new int[] {6}, null, Fib.NO_GROUP);
        for (int id = 101; id <= 100 + Fib.MAX_BACKUP_DEPTH; id++)
        {
            fib.addGroup(id, new int[] {6}, null, id - 1); // the last one has the longest chain allowed
        }
        final int last = 100 + Fib.MAX_BACKUP_DEPTH;
        rejects("group 200: backup chain 200 -> 108 -> 107", () -> fib.addGroup(200, new int[] {6}, null, last));
    }

    @Test
    void groupUsedAsBackupCannotBeRemoved()
    {
        fib.removeRoute(IpPrefix.parse("10.1.0.0/16"));
        fib.removeRoute(IpPrefix.parse("10.0.0.0/8"));
        rejects("group 1 is the backup of another group", () -> fib.removeGroup(1));
    }

    @Test
    void routeErrors()
    {
        rejects("route 10.2.0.0/16: group 9 does not exist", () -> fib.addRoute(IpPrefix.parse("10.2.0.0/16"), 9));
        rejects("route 10.2.0.0/16: group 16777216 does not exist",
            () -> fib.addRoute(IpPrefix.parse("10.2.0.0/16"), Fib.FIRST_DERIVED_GROUP_ID));
        rejects("route 10.0.0.0/8 already exists (group 1)", () -> fib.addRoute(IpPrefix.parse("10.0.0.0/8"), 3));
        rejects("no route 10.9.0.0/16 to replace", () -> fib.replaceRoute(IpPrefix.parse("10.9.0.0/16"), 3));
        rejects("route 10.1.0.0/16: group -1 does not exist", () -> fib.replaceRoute(IpPrefix.parse("10.1.0.0/16"), Fib.NO_GROUP));
    }

    @Test
    void bulkLoadErrors()
    {
        final int a = FibTest.ipv4("10.0.0.0");
        final int b = FibTest.ipv4("10.0.0.1");
        rejects("prefix length 33 out of range", () -> fib.loadIpv4Routes(new int[] {a, a}, new int[] {8, 33}, new int[] {1, 1}, 2));
        rejects("host bits set in 10.0.0.1/8", () -> fib.loadIpv4Routes(new int[] {a, b}, new int[] {16, 8}, new int[] {1, 1}, 2));
        rejects("route 10.0.0.0/16: group 77 does not exist", () -> fib.loadIpv4Routes(new int[] {a, a}, new int[] {8, 16}, new int[] {1, 77}, 2));
        rejects("duplicate route 10.0.0.0/16 at index 2",
            () -> fib.loadIpv4Routes(new int[] {a, a, a}, new int[] {16, 8, 16}, new int[] {1, 1, 2}, 3));
        rejects("route count 3 out of range 0..2", () -> fib.loadIpv4Routes(new int[] {a, a}, new int[] {8, 16}, new int[] {1, 1}, 3));
        rejects("prefix length 129 out of range",
            () -> fib.loadIpv6Routes(new long[] {0}, new long[] {0}, new int[] {129}, new int[] {1}, 1));
    }

    /** Runs a bad call and checks the message and that nothing in the FIB changed. */
    private void rejects(final String messagePart, final Executable call)
    {
        final String before = FibSnapshot.of(fib);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, call);
        assertTrue(ex.getMessage().contains(messagePart), "message '" + ex.getMessage() + "' lacks '" + messagePart + "'");
        assertEquals(before, FibSnapshot.of(fib), "FIB changed by a rejected call: " + messagePart);
    }
}
