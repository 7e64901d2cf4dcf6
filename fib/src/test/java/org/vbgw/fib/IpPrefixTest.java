package org.vbgw.fib;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IpPrefixTest
{
    @Test
    void parsesAndFormatsBothFamilies()
    {
        assertEquals("10.0.0.0/8", IpPrefix.parse("10.0.0.0/8").toString());
        assertEquals(0x0A000000, IpPrefix.parse("10.0.0.0/8").ipv4Address());
        assertEquals("192.0.2.1/32", IpPrefix.parse("192.0.2.1").toString());
        assertEquals("2001:db8::/32", IpPrefix.parse("2001:0db8:0000::/32").toString());
        assertEquals("::/0", IpPrefix.parse("::/0").toString());
        assertEquals("2001:db8:0:1:1:1:1:1/128", IpPrefix.parse("2001:db8:0:1:1:1:1:1").toString());
        assertEquals("2001:0:0:1::1/128", IpPrefix.parse("2001:0:0:1:0:0:0:1").toString(),
            "RFC 5952: the longest run of zeros is compressed, the first when tied");
        final IpPrefix p = IpPrefix.parse("2001:db8::1:0:0:1/128");
        assertEquals(0x20010db800000000L, p.hi());
        assertEquals(0x0001000000000001L, p.lo());
    }

    @Test
    void rejectsBadInputNamingIt()
    {
        assertEquals("host bits set in 10.0.0.1/8 (did you mean 10.0.0.0/8?)",
            assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("10.0.0.1/8")).getMessage());
        assertEquals("prefix length 33 out of range 0..32",
            assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("10.0.0.0/33")).getMessage());
        assertEquals("prefix length 129 out of range 0..128",
            assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("::/129")).getMessage());
        assertEquals("not an IP address: 'example.com'",
            assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("example.com/8")).getMessage());
        assertEquals("not an IP address: '10.1.2'",
            assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("10.1.2/24")).getMessage());
        assertEquals("bad prefix length in '10.0.0.0/x'",
            assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("10.0.0.0/x")).getMessage());
    }

    @Test
    void containmentAndOverlap()
    {
        final IpPrefix agg = IpPrefix.parse("10.1.0.0/16");
        assertTrue(agg.contains(IpPrefix.parse("10.1.2.0/24")));
        assertFalse(IpPrefix.parse("10.1.2.0/24").contains(agg));
        assertTrue(IpPrefix.parse("10.1.2.0/24").overlaps(agg));
        assertFalse(agg.overlaps(IpPrefix.parse("10.2.0.0/16")));
        assertFalse(agg.contains(IpPrefix.parse("2001:db8::/32")), "families never contain each other");
        assertTrue(IpPrefix.parse("2001:db8::/32").contains(IpPrefix.parse("2001:db8:1::/48")));
        assertTrue(IpPrefix.parse("0.0.0.0/0").contains(agg));
    }
}
