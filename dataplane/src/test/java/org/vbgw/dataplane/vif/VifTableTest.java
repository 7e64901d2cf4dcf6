package org.vbgw.dataplane.vif;

import org.junit.jupiter.api.Test;
import org.vbgw.fib.IpPrefix;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VifTableTest
{
    private static Vif vif(final int id, final String name, final int port, final int outer, final int inner, final String... addrs)
    {
        return new Vif(id, name, port, outer, inner, 0, 0x020000000000L + id, 1500,
            java.util.Arrays.stream(addrs).map(IpPrefix::parse).toList(),
            List.of(IpPrefix.parse("192.168.0.0/16")), SourceCheck.STRICT, true);
    }

    @Test
    void findsVifsByPortAndTags()
    {
        final VifTable t = new VifTable(2, 16);
        t.put(vif(0, "vpc", 0, 0, 0, "172.16.0.1"));
        t.put(vif(1, "dx1", 1, 100, 0, "10.0.0.1", "2001:db8::1"));
        t.put(vif(2, "dx2", 1, 200, 10));
        t.put(vif(3, "dx3", 1, 200, 11));
        final VifTable.Snapshot s = t.snapshot();
        assertEquals(0, s.lookup(0, 0, 0));
        assertEquals(1, s.lookup(1, 100, 0));
        assertEquals(2, s.lookup(1, 200, 10));
        assertEquals(3, s.lookup(1, 200, 11));
        assertEquals(VifTable.NO_VIF, s.lookup(1, 200, 12), "unknown inner VLAN");
        assertEquals(VifTable.NO_VIF, s.lookup(1, 200, 0), "single tag on a QinQ outer VLAN");
        assertEquals(VifTable.NO_VIF, s.lookup(1, 100, 5), "QinQ frame on a single-tagged VIF");
        assertEquals(VifTable.NO_VIF, s.lookup(1, 0, 0), "untagged on a port with only tagged VIFs");
        assertEquals(VifTable.NO_VIF, s.lookup(7, 0, 0), "unknown port");
        assertEquals(1, s.localIpv4Owner(0x0A000001));
        assertEquals(VifTable.NO_VIF, s.localIpv4Owner(0x0A000002));
        assertEquals(1, s.localIpv6Owner(0x20010db800000000L, 1));
        assertTrue(s.vif(1).allowsIpv4Source(0xC0A80101));
        assertFalse(s.vif(1).allowsIpv4Source(0x0B000001));
    }

    @Test
    void conflictsAreRefusedAndLeaveTheTableUnchanged()
    {
        final VifTable t = new VifTable(2, 16);
        t.put(vif(1, "dx1", 1, 100, 0, "10.0.0.1"));
        final VifTable.Snapshot before = t.snapshot();
        assertEquals("dx1b: VLAN 100 on port 1 already belongs to dx1",
            assertThrows(IllegalArgumentException.class, () -> t.put(vif(2, "dx1b", 1, 100, 0))).getMessage());
        assertEquals("dx9: address 10.0.0.1/32 already on dx1",
            assertThrows(IllegalArgumentException.class, () -> t.put(vif(9, "dx9", 0, 5, 0, "10.0.0.1"))).getMessage());
        assertEquals("VIF bad: address 10.0.0.0/30 must be a host address (/32 or /128)",
            assertThrows(IllegalArgumentException.class, () -> vif(4, "bad", 0, 5, 0, "10.0.0.0/30")).getMessage());
        assertTrue(before == t.snapshot(), "a refused change publishes nothing");
        assertTrue(t.remove(1));
        assertEquals(VifTable.NO_VIF, t.snapshot().lookup(1, 100, 0));
    }
}
