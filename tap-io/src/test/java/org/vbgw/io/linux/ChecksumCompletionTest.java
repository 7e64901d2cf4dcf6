package org.vbgw.io.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ChecksumCompletionTest
{
    @Test
    void completesTcpAndUdpOverIpv4AndIpv6BehindTags()
    {
        final Random random = new Random(7);
        for (final int tags : new int[] {0, 1, 2})
        {
            for (final boolean ipv6 : new boolean[] {false, true})
            {
                for (final int protocol : new int[] {6, 17})
                {
                    for (final int payload : new int[] {0, 1, 2, 3, 100, 1001})
                    {
                        final byte[] frame = frame(random, tags, ipv6, protocol, payload);
                        final int checksumAt = checksumOffset(tags, ipv6, protocol);
                        final int expected = naiveChecksum(frame, tags, ipv6, protocol);
                        // What a sender with checksum offload leaves: garbage (the pseudo-header sum).
                        frame[checksumAt] = 0x12;
                        frame[checksumAt + 1] = 0x34;
                        assertTrue(ChecksumCompletion.complete(new UnsafeBuffer(frame), 0, frame.length));
                        assertEquals(expected, ((frame[checksumAt] & 0xFF) << 8) | (frame[checksumAt + 1] & 0xFF),
                            "tags " + tags + " ipv6 " + ipv6 + " protocol " + protocol + " payload " + payload);
                    }
                }
            }
        }
    }

    @Test
    void refusesWhatItCannotComplete()
    {
        final byte[] frame = frame(new Random(1), 0, false, 1, 20); // ICMP
        assertFalse(ChecksumCompletion.complete(new UnsafeBuffer(frame), 0, frame.length));
        final byte[] fragment = frame(new Random(1), 0, false, 17, 20);
        fragment[14 + 6] = 0x20; // more fragments
        assertFalse(ChecksumCompletion.complete(new UnsafeBuffer(fragment), 0, fragment.length));
        final byte[] shortFrame = frame(new Random(1), 0, false, 6, 20);
        assertFalse(ChecksumCompletion.complete(new UnsafeBuffer(shortFrame), 0, shortFrame.length - 1));
    }

    private static byte[] frame(final Random random, final int tags, final boolean ipv6, final int protocol, final int payload)
    {
        final int l3 = 14 + 4 * tags;
        final int ipHeader = ipv6 ? 40 : 20;
        final int l4Header = protocol == 6 ? 20 : 8;
        final byte[] f = new byte[l3 + ipHeader + l4Header + payload];
        random.nextBytes(f);
        for (int t = 0; t < tags; t++)
        {
            put16(f, 12 + 4 * t, t == 0 && tags == 2 ? 0x88A8 : 0x8100);
        }
        put16(f, l3 - 2, ipv6 ? 0x86DD : 0x0800);
        final int l4Length = l4Header + payload;
        if (ipv6)
        {
            f[l3] = 0x60;
            put16(f, l3 + 4, l4Length);
            f[l3 + 6] = (byte)protocol;
        }
        else
        {
            f[l3] = 0x45;
            put16(f, l3 + 2, 20 + l4Length);
            put16(f, l3 + 6, 0x4000);
            f[l3 + 9] = (byte)protocol;
        }
        if (protocol == 17)
        {
            put16(f, l3 + ipHeader + 4, l4Length);
        }
        return f;
    }

    private static int checksumOffset(final int tags, final boolean ipv6, final int protocol)
    {
        return 14 + 4 * tags + (ipv6 ? 40 : 20) + (protocol == 6 ? 16 : 6);
    }

    /** RFC 1071 the slow way: byte pairs, pseudo-header built separately. */
    private static int naiveChecksum(final byte[] f, final int tags, final boolean ipv6, final int protocol)
    {
        final int l3 = 14 + 4 * tags;
        final int l4 = l3 + (ipv6 ? 40 : 20);
        final int l4Length = f.length - l4;
        final byte[] copy = f.clone();
        final int at = checksumOffset(tags, ipv6, protocol);
        copy[at] = 0;
        copy[at + 1] = 0;
        long sum = 0;
        final int addressStart = ipv6 ? l3 + 8 : l3 + 12;
        final int addressLength = ipv6 ? 32 : 8;
        for (int i = 0; i < addressLength; i += 2)
        {
            sum += ((copy[addressStart + i] & 0xFF) << 8) | (copy[addressStart + i + 1] & 0xFF);
        }
        sum += protocol + l4Length;
        for (int i = 0; i < l4Length; i += 2)
        {
            final int hi = copy[l4 + i] & 0xFF;
            final int lo = i + 1 < l4Length ? copy[l4 + i + 1] & 0xFF : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        final int checksum = (int)(~sum & 0xFFFF);
        return checksum == 0 && protocol == 17 ? 0xFFFF : checksum;
    }

    private static void put16(final byte[] f, final int at, final int value)
    {
        f[at] = (byte)(value >>> 8);
        f[at + 1] = (byte)value;
    }
}
