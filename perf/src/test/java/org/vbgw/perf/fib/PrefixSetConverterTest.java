package org.vbgw.perf.fib;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PrefixSetConverterTest
{
    private static String ipv4(final long start, final long end) throws IOException
    {
        final StringBuilder out = new StringBuilder();
        PrefixSetConverter.writeIpv4Range(out, start, end, 7);
        return out.toString();
    }

    @Test
    void alignedRangeIsOnePrefix() throws IOException
    {
        assertEquals("1.0.0.0/24 7\n", ipv4(0x0100_0000L, 0x0100_00FFL));
        assertEquals("0.0.0.0/0 7\n", ipv4(0, 0xFFFF_FFFFL));
        assertEquals("255.255.255.255/32 7\n", ipv4(0xFFFF_FFFFL, 0xFFFF_FFFFL));
    }

    @Test
    void unalignedRangeSplitsIntoTheMinimalCover() throws IOException
    {
        // 10.0.0.1 – 10.0.0.10: /32, /31, /30, /31, /32 ... the minimal cover, in address order.
        assertEquals("10.0.0.1/32 7\n10.0.0.2/31 7\n10.0.0.4/30 7\n10.0.0.8/31 7\n10.0.0.10/32 7\n",
            ipv4(0x0A00_0001L, 0x0A00_000AL));
        // 1.0.4.0 – 1.0.7.255 is one /22.
        assertEquals("1.0.4.0/22 7\n", ipv4(0x0100_0400L, 0x0100_07FFL));
    }

    @Test
    void ipv6RangeSplits() throws IOException
    {
        final StringBuilder out = new StringBuilder();
        final BigInteger start = new BigInteger("42540488161975842760550356425300246528");  // 2001::
        final BigInteger end = new BigInteger("42540488241204005274814694018844196863");    // 2001:0:ffff:...
        PrefixSetConverter.writeIpv6Range(out, start, end, 3);
        assertEquals("2001::/32 3\n", out.toString());

        out.setLength(0);
        PrefixSetConverter.writeIpv6Range(out, BigInteger.ZERO, BigInteger.TWO.pow(128).subtract(BigInteger.ONE), 1);
        assertEquals("::/0 1\n", out.toString());

        out.setLength(0);
        PrefixSetConverter.writeIpv6Range(out, BigInteger.ONE, BigInteger.valueOf(3), 2);
        assertEquals("::1/128 2\n::2/127 2\n", out.toString());
    }
}
