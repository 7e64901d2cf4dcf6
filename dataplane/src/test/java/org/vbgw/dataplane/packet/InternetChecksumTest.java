package org.vbgw.dataplane.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class InternetChecksumTest
{
    @Test
    void rfc1071WorkedExample()
    {
        // RFC 1071 §3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2 (after end-around carry).
        final UnsafeBuffer buffer = new UnsafeBuffer(Hex.bytes("0001f203f4f5f6f7"));
        assertEquals(0xDDF2, InternetChecksum.fold(InternetChecksum.partial(buffer, 0, 8)));
        assertEquals(0x220D, InternetChecksum.checksum(buffer, 0, 8));
    }

    @Test
    void foldInFourStepsMatchesFoldingUntilNoCarry()
    {
        final long[] edges = {0, 1, 0xFFFF, 0x10000, 0x1FFFE, 0xFFFF_FFFFL, 0x1_0000_0000L, 0xFFFF_0000_FFFFL,
            Long.MAX_VALUE, -1L, Long.MIN_VALUE, 0xFFFF_FFFF_FFFF_0001L};
        for (final long sum : edges)
        {
            assertEquals(foldUntilNoCarry(sum), InternetChecksum.fold(sum), () -> Long.toHexString(sum));
        }
        final SplittableRandom random = new SplittableRandom(1071);
        for (int i = 0; i < 1_000_000; i++)
        {
            // Every magnitude: partial sums of short headers and of jumbo frames, and arbitrary 64-bit values.
            final long sum = random.nextLong() >>> random.nextInt(64);
            assertEquals(foldUntilNoCarry(sum), InternetChecksum.fold(sum), () -> Long.toHexString(sum));
        }
    }

    private static int foldUntilNoCarry(final long partial)
    {
        long sum = partial;
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int)sum;
    }

    @Test
    void wellKnownIpv4HeaderVerifies()
    {
        // The sample header of the "IPv4 header checksum" literature: 192.168.0.1 -> 192.168.0.199,
        // checksum b861.
        final byte[] header = Hex.bytes("45000073000040004011b861c0a80001c0a800c7");
        final UnsafeBuffer buffer = new UnsafeBuffer(header);
        assertTrue(InternetChecksum.isValid(buffer, 0, 20));
        buffer.putShort(10, (short)0);
        assertEquals(0xB861, InternetChecksum.checksum(buffer, 0, 20));
    }

    @Test
    void matchesIndependentSumForEveryOffsetAndLength()
    {
        final SplittableRandom random = new SplittableRandom(1071);
        final byte[] data = new byte[300];
        for (int round = 0; round < 20; round++)
        {
            for (int i = 0; i < data.length; i++)
            {
                data[i] = (byte)random.nextInt(256);
            }
            if (round == 0)
            {
                java.util.Arrays.fill(data, (byte)0xFF);
            }
            final UnsafeBuffer buffer = new UnsafeBuffer(data);
            for (int offset = 0; offset < 9; offset++)
            {
                for (int length = 0; length < 280; length += 1 + (length > 40 ? 13 : 0))
                {
                    assertEquals(
                        Rfc1071.checksum(data, offset, length),
                        InternetChecksum.checksum(buffer, offset, length),
                        "offset " + offset + " length " + length);
                }
            }
        }
    }

    @Test
    void ipv4PseudoHeaderMatchesSumOfItsBytes()
    {
        // RFC 768 pseudo-header: src, dst, zero, protocol, UDP length.
        final byte[] pseudo = Hex.bytes("c0000201 c6336407 00 11 0123");
        final int expected = Rfc1071.sum(pseudo, 0, pseudo.length, 0);
        assertEquals(expected, InternetChecksum.fold(InternetChecksum.ipv4PseudoHeader(0xC0000201, 0xC6336407, 17, 0x123)));
    }

    @Test
    void ipv6PseudoHeaderMatchesIndependentSum()
    {
        final byte[] packet = new byte[48];
        final SplittableRandom random = new SplittableRandom(8200);
        for (int i = 8; i < 40; i++)
        {
            packet[i] = (byte)random.nextInt(256);
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(packet);
        assertEquals(
            Rfc1071.sum(new byte[0], 0, 0, Rfc1071.ipv6PseudoHeader(packet, 0, 70000, 58)),
            InternetChecksum.fold(InternetChecksum.ipv6PseudoHeader(buffer, 0, 58, 70000)));
    }

    /**
     * RFC 1624 property: for random IPv4 headers and random TTL changes, the incremental update
     * equals a full recomputation, including headers forced to the corner cases of RFC 1624 §3
     * (the new or the old checksum is 0x0000, i.e. the header sums to 0xFFFF).
     */
    @Test
    void incrementalTtlUpdateEqualsFullRecomputation()
    {
        final SplittableRandom random = new SplittableRandom(1624);
        final byte[] header = new byte[20];
        final UnsafeBuffer buffer = new UnsafeBuffer(header);
        int cornerNew = 0;
        int cornerOld = 0;
        for (int round = 0; round < 200_000; round++)
        {
            for (int i = 0; i < 20; i++)
            {
                header[i] = (byte)random.nextInt(256);
            }
            header[0] = 0x45;
            final int oldTtl = random.nextInt(256);
            final int newTtl = round % 3 == 0 ? (oldTtl - 1) & 0xFF : random.nextInt(256);
            final int mode = round % 4;
            if (mode == 1)
            {
                // Force the new header to sum to 0xFFFF so that its checksum is 0x0000.
                header[8] = (byte)newTtl;
                forceSum(header, 0xFFFF);
                cornerNew++;
            }
            else if (mode == 2)
            {
                // Force the old header to sum to 0xFFFF so that the stored checksum is 0x0000.
                header[8] = (byte)oldTtl;
                forceSum(header, 0xFFFF);
                cornerOld++;
            }
            header[8] = (byte)oldTtl;
            header[10] = 0;
            header[11] = 0;
            final int oldChecksum = Rfc1071.checksum(header, 0, 20);
            final int oldWord = (oldTtl << 8) | (header[9] & 0xFF);
            final int newWord = (newTtl << 8) | (header[9] & 0xFF);

            header[8] = (byte)newTtl;
            final int expected = Rfc1071.checksum(header, 0, 20);
            assertEquals(expected, InternetChecksum.update16(oldChecksum, oldWord, newWord),
                () -> "header " + Hex.of(header, 0, 20) + " ttl " + oldTtl + "->" + newTtl);

            // And through the flyweight, on the real decrement path.
            if (oldTtl > 0)
            {
                header[8] = (byte)oldTtl;
                buffer.putShort(10, (short)oldChecksum, java.nio.ByteOrder.BIG_ENDIAN);
                new Ipv4Flyweight().wrap(buffer, 0).decrementTtl();
                final int patched = buffer.getShort(10, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
                assertEquals(oldTtl - 1, header[8] & 0xFF);
                header[10] = 0;
                header[11] = 0;
                assertEquals(Rfc1071.checksum(header, 0, 20), patched);
            }
        }
        assertTrue(cornerNew > 0 && cornerOld > 0);
    }

    @Test
    void rfc1624Section3Example()
    {
        // RFC 1624 §3: the other header words sum to 0xCD7A, a field m = 0x5555 changes to
        // m' = 0x3285. HC = ~(0xCD7A + 0x5555) = ~0x22D0 = 0xDD2F; full recomputation gives
        // ~(0xCD7A + 0x3285) = ~0xFFFF = 0x0000.
        final int hc = ~(InternetChecksum.fold(0xCD7A + 0x5555)) & 0xFFFF;
        assertEquals(0xDD2F, hc);
        final int full = ~InternetChecksum.fold(0xCD7A + 0x3285) & 0xFFFF;
        assertEquals(0x0000, full);
        assertEquals(full, InternetChecksum.update16(hc, 0x5555, 0x3285));
        // Eqn. 2 (HC' = HC - ~m - m') would give 0xFFFF here; eqn. 3 gives the recomputed 0x0000.
    }

    @Test
    void update32EqualsFullRecomputation()
    {
        final SplittableRandom random = new SplittableRandom(32);
        final byte[] header = new byte[20];
        for (int round = 0; round < 10_000; round++)
        {
            for (int i = 0; i < 20; i++)
            {
                header[i] = (byte)random.nextInt(256);
            }
            header[10] = 0;
            header[11] = 0;
            final UnsafeBuffer buffer = new UnsafeBuffer(header);
            final int oldAddress = buffer.getInt(12, java.nio.ByteOrder.BIG_ENDIAN);
            final int oldChecksum = Rfc1071.checksum(header, 0, 20);
            final int newAddress = random.nextInt();
            buffer.putInt(12, newAddress, java.nio.ByteOrder.BIG_ENDIAN);
            assertEquals(Rfc1071.checksum(header, 0, 20), InternetChecksum.update32(oldChecksum, oldAddress, newAddress));
        }
    }

    @Test
    void isValidRejectsCorruption()
    {
        final byte[] header = Hex.bytes("45000073000040004011b861c0a80001c0a800c7");
        header[15] ^= 0x01;
        assertFalse(InternetChecksum.isValid(new UnsafeBuffer(header), 0, 20));
    }

    /** Adjusts the identification word so that the header (checksum field zero) sums to {@code target}. */
    private static void forceSum(final byte[] header, final int target)
    {
        header[4] = 0;
        header[5] = 0;
        header[10] = 0;
        header[11] = 0;
        final int sum = Rfc1071.sum(header, 0, 20, 0);
        // One's-complement subtraction: id = target - sum.
        int id = target + (~sum & 0xFFFF);
        id = (id & 0xFFFF) + (id >>> 16);
        header[4] = (byte)(id >>> 8);
        header[5] = (byte)id;
        if (Rfc1071.sum(header, 0, 20, 0) != target)
        {
            throw new AssertionError("forceSum failed");
        }
    }
}
