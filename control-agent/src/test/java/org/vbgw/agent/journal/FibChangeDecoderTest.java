package org.vbgw.agent.journal;

import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Entries whose checksum is right but whose body is not (a writer bug, or a damaged file that happens to
 * check out) are refused with a reason and hand nothing over.
 */
class FibChangeDecoderTest
{
    private static byte[] encode(final java.util.function.Consumer<FibChangeEncoder> write)
    {
        final Bytes<ByteBuffer> out = Bytes.elasticHeapByteBuffer(256);
        write.accept(new FibChangeEncoder(() -> 7L).target(out));
        return out.toByteArray();
    }

    /** Cuts an entry's body to {@code bodyLength} bytes and seals it again with a correct CRC. */
    private static byte[] resealed(final byte[] entry, final int bodyLength)
    {
        final ByteBuffer b = ByteBuffer.allocate(bodyLength + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(entry, 0, bodyLength);
        final CRC32C crc = new CRC32C();
        crc.update(entry, 0, bodyLength);
        b.putInt((int)crc.getValue());
        return b.array();
    }

    @Test
    void aWellFormedEntryDecodesFromAnArrayAsFromTheQueue()
    {
        final byte[] route = encode(e -> e.route(false, 0, 0x0A010000L, 16, 3));
        final FibJournalTest.Recorder r = new FibJournalTest.Recorder();
        assertNull(new FibChangeDecoder().decode(1, route, 0, route.length, r));
        assertEquals(List.of("route false 0:a010000/16 -> 3"), r.seen);
    }

    @Test
    void aTruncatedBodyWithAValidChecksumIsRefused()
    {
        final byte[] route = encode(e -> e.route(false, 0, 0x0A010000L, 16, 3));
        final byte[] cut = resealed(route, route.length - 4 - 4);    // the group id missing
        final FibJournalTest.Recorder r = new FibJournalTest.Recorder();
        final String why = new FibChangeDecoder().decode(1, cut, 0, cut.length, r);
        assertTrue(why != null && why.contains("route entry too short"), why);
        assertEquals(List.of(), r.seen);
    }

    @Test
    void aGroupClaimingMoreMembersThanItCarriesIsRefused()
    {
        final byte[] group = encode(e -> e.group(4, new int[] {1, 2}, new int[] {1, 1}, 2, -1));
        final byte[] cut = resealed(group, group.length - 4 - 8);    // one member short
        final FibJournalTest.Recorder r = new FibJournalTest.Recorder();
        final String why = new FibChangeDecoder().decode(1, cut, 0, cut.length, r);
        assertTrue(why != null && why.contains("too short for its 2 members"), why);
        assertEquals(List.of(), r.seen);
    }

    @Test
    void anUnknownTypeAndAWrongChecksumAreRefused()
    {
        final byte[] begin = encode(FibChangeEncoder::transactionBegin);
        final byte[] unknown = begin.clone();
        unknown[FibChangeDecoder.TYPE_OFFSET] = 99;
        final FibJournalTest.Recorder r = new FibJournalTest.Recorder();
        final FibChangeDecoder decoder = new FibChangeDecoder();
        final byte[] resealed = resealed(unknown, unknown.length - 4);
        assertTrue(decoder.decode(1, resealed, 0, resealed.length, r).contains("unknown entry type 99"));
        assertTrue(decoder.decode(1, unknown, 0, unknown.length, r).contains("checksum mismatch"));
        assertTrue(decoder.decode(1, begin, 0, 5, r).contains("too short"));
        assertEquals(List.of(), r.seen);
    }
}
