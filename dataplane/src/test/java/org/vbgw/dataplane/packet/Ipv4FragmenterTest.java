package org.vbgw.dataplane.packet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class Ipv4FragmenterTest
{
    /** Collects copies of fragments (the test may allocate; the fragmenter must not). */
    private static final class Collector implements Ipv4Fragmenter.FragmentSink
    {
        final List<byte[]> fragments = new ArrayList<>();

        @Override
        public void onFragment(final MutableDirectBuffer buffer, final int offset, final int length, final int index)
        {
            assertEquals(fragments.size(), index);
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            fragments.add(copy);
        }
    }

    private final Ipv4Fragmenter fragmenter = new Ipv4Fragmenter();
    private final UnsafeBuffer out = new UnsafeBuffer(new byte[2048]);

    /** An IPv4 packet with {@code options} (hex, multiple of 4 bytes) and {@code payloadLength} patterned bytes. */
    private static byte[] packet(final String options, final int payloadLength, final int flagsAndOffset)
    {
        final byte[] optionBytes = Hex.bytes(options);
        final int headerLength = 20 + optionBytes.length;
        final byte[] data = new byte[headerLength + payloadLength];
        final UnsafeBuffer buffer = new UnsafeBuffer(data);
        buffer.putBytes(20, optionBytes);
        for (int i = headerLength; i < data.length; i++)
        {
            data[i] = (byte)(i * 31 + 7);
        }
        new Ipv4Flyweight().wrap(buffer, 0)
            .versionAndHeaderLength(headerLength)
            .tos(0x28)
            .totalLength(data.length)
            .identification(0xBEEF)
            .flagsAndFragmentOffset(flagsAndOffset)
            .ttl(63)
            .protocol(17)
            .srcAddress(0x0A010101)
            .dstAddress(0x0A020202)
            .updateChecksum();
        return data;
    }

    /** Reassembles by offset, checking every fragment on the way; returns the payload. */
    private static byte[] reassemble(final List<byte[]> fragments, final int mtu, final int expectedLastMf)
    {
        final byte[] payload = new byte[65536];
        int end = 0;
        for (int i = 0; i < fragments.size(); i++)
        {
            final byte[] fragment = fragments.get(i);
            final UnsafeBuffer buffer = new UnsafeBuffer(fragment);
            final Ipv4Flyweight ip = new Ipv4Flyweight().wrap(buffer, 0);
            assertTrue(fragment.length <= mtu, "fragment " + i + " is " + fragment.length + " > MTU " + mtu);
            assertTrue(Rfc1071.verifies(fragment, 0, ip.headerLength()), "checksum of fragment " + i);
            assertEquals(PacketError.OK, ip.validate(fragment.length));
            assertEquals(0xBEEF, ip.identification());
            assertEquals(0x28, ip.tos());
            assertEquals(63, ip.ttl());
            assertEquals(17, ip.protocol());
            final boolean last = i == fragments.size() - 1;
            assertEquals(last ? expectedLastMf != 0 : true, ip.moreFragments(), "MF of fragment " + i);
            if (!last)
            {
                assertEquals(0, ip.payloadLength() % 8, "non-last fragment payload is a multiple of 8");
            }
            final int at = ip.fragmentOffset() * 8;
            assertEquals(end, at, "fragments are contiguous");
            System.arraycopy(fragment, ip.headerLength(), payload, at, ip.payloadLength());
            end = at + ip.payloadLength();
        }
        return java.util.Arrays.copyOf(payload, end);
    }

    @Test
    void splitsAndReassemblesToTheOriginalPayload()
    {
        final byte[] original = packet("", 1480, 0);
        final Collector collector = new Collector();
        assertEquals(3, fragmenter.fragment(new UnsafeBuffer(original), 0, 576, out, 0, collector));
        assertEquals(20 + 552, collector.fragments.get(0).length);
        assertEquals(20 + 552, collector.fragments.get(1).length);
        assertEquals(20 + 376, collector.fragments.get(2).length);
        assertArrayEquals(java.util.Arrays.copyOfRange(original, 20, original.length),
            reassemble(collector.fragments, 576, 0));
    }

    @Test
    void firstFragmentHeaderByteExact()
    {
        // 100-byte packet at MTU 68: 48 + 32 bytes. Headers written by hand; checksums from an
        // independent RFC 1071 sum.
        final byte[] original = packet("", 80, 0);
        final Collector collector = new Collector();
        assertEquals(2, fragmenter.fragment(new UnsafeBuffer(original), 0, 68, out, 0, collector));
        final byte[] first = collector.fragments.get(0);
        final byte[] expectedFirst = Hex.bytes("4528 0044 beef 2000 3f11 0000 0a010101 0a020202");
        final int c1 = Rfc1071.checksum(expectedFirst, 0, 20);
        expectedFirst[10] = (byte)(c1 >>> 8);
        expectedFirst[11] = (byte)c1;
        assertEquals(Hex.of(expectedFirst, 0, 20), Hex.of(first, 0, 20));
        final byte[] second = collector.fragments.get(1);
        final byte[] expectedSecond = Hex.bytes("4528 0034 beef 0006 3f11 0000 0a010101 0a020202");
        final int c2 = Rfc1071.checksum(expectedSecond, 0, 20);
        expectedSecond[10] = (byte)(c2 >>> 8);
        expectedSecond[11] = (byte)c2;
        assertEquals(Hex.of(expectedSecond, 0, 20), Hex.of(second, 0, 20));
        assertEquals(Hex.of(original, 20 + 48, 32), Hex.of(second, 20, 32));
    }

    @Test
    void onlyOptionsWithTheCopyFlagGoToLaterFragments()
    {
        // LSRR (0x83, copied, 7 bytes), NOP, Record Route (0x07, not copied, 3 bytes), EOL.
        final String options = "8307040a000005 01 070304 00";
        final byte[] original = packet(options, 200, 0);
        final Collector collector = new Collector();
        assertEquals(3, fragmenter.fragment(new UnsafeBuffer(original), 0, 100, out, 0, collector));
        final byte[] first = collector.fragments.get(0);
        assertEquals(32 + 64, first.length);
        assertEquals(Hex.norm(options), Hex.of(first, 20, 12));
        for (int i = 1; i < 3; i++)
        {
            final byte[] later = collector.fragments.get(i);
            assertEquals(0x47, later[0] & 0xFF, "IHL 7: 20 + LSRR padded to 8");
            assertEquals(Hex.norm("8307040a000005 00"), Hex.of(later, 20, 8));
        }
        assertEquals(28 + 72, collector.fragments.get(1).length);
        assertEquals(28 + 64, collector.fragments.get(2).length);
        assertArrayEquals(java.util.Arrays.copyOfRange(original, 32, original.length),
            reassemble(collector.fragments, 100, 0));
    }

    @Test
    void fragmentingAFragmentKeepsOffsetAndLastMf()
    {
        // A middle fragment: offset 100 units (800 bytes), MF set.
        final byte[] original = packet("", 400, Ipv4Flyweight.FLAG_MF | 100);
        final Collector collector = new Collector();
        final int count = fragmenter.fragment(new UnsafeBuffer(original), 0, 200, out, 0, collector);
        assertEquals(3, count);
        int expectedOffset = 100;
        for (final byte[] fragment : collector.fragments)
        {
            final Ipv4Flyweight ip = new Ipv4Flyweight().wrap(new UnsafeBuffer(fragment), 0);
            assertEquals(expectedOffset, ip.fragmentOffset());
            assertTrue(ip.moreFragments());
            expectedOffset += ip.payloadLength() / 8;
        }
    }

    @Test
    void packetThatFitsIsOneCopy()
    {
        final byte[] original = packet("", 100, Ipv4Flyweight.FLAG_DF);
        final Collector collector = new Collector();
        assertEquals(1, fragmenter.fragment(new UnsafeBuffer(original), 0, 1500, out, 0, collector));
        assertArrayEquals(original, collector.fragments.get(0));
    }

    @Test
    void refusals()
    {
        final Collector collector = new Collector();
        final UnsafeBuffer df = new UnsafeBuffer(packet("", 1480, Ipv4Flyweight.FLAG_DF));
        assertEquals(-PacketError.FRAGMENT_DF_SET, fragmenter.fragment(df, 0, 1400, out, 0, collector));
        final UnsafeBuffer plain = new UnsafeBuffer(packet("", 1480, 0));
        assertEquals(-PacketError.FRAGMENT_MTU_TOO_SMALL, fragmenter.fragment(plain, 0, 67, out, 0, collector));
        assertEquals(-PacketError.BUFFER_TOO_SMALL,
            fragmenter.fragment(plain, 0, 1400, new UnsafeBuffer(new byte[1000]), 0, collector));
        assertEquals(0, collector.fragments.size());
    }

    @Test
    void writesAtTheGivenOffsetLeavingRoomForEthernet()
    {
        final byte[] original = packet("", 300, 0);
        final Collector collector = new Collector();
        out.putInt(0, 0x11223344, ByteOrder.BIG_ENDIAN);
        assertEquals(3, fragmenter.fragment(new UnsafeBuffer(original), 0, 128, out, 18, collector));
        assertEquals(0x11223344, out.getInt(0, ByteOrder.BIG_ENDIAN));
        reassemble(collector.fragments, 128, 0);
    }
}
