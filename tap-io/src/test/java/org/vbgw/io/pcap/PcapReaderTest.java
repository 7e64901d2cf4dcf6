package org.vbgw.io.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vbgw.io.PortException;

/** Capture files built byte by byte: both byte orders, both pcap timestamp units, pcapng block kinds. */
class PcapReaderTest
{
    @TempDir
    Path dir;

    private static final byte[] FRAME_A = frame(60, 1);
    private static final byte[] FRAME_B = frame(1514, 2);
    private static final byte[] FRAME_C = frame(61, 3);

    @Test
    void readsBigEndianNanosecondPcap() throws IOException
    {
        final ByteBuffer b = ByteBuffer.allocate(24 + 2 * 16 + FRAME_A.length + FRAME_B.length).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0xA1B23C4D).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(65535).putInt(1);
        b.putInt(1_700_000_000).putInt(123_456_789).putInt(FRAME_A.length).putInt(FRAME_A.length).put(FRAME_A);
        b.putInt(1_700_000_001).putInt(5).putInt(FRAME_B.length).putInt(FRAME_B.length).put(FRAME_B);
        final List<byte[]> frames = new ArrayList<>();
        final List<Long> times = new ArrayList<>();
        read(write("be-nsec.pcap", b), frames, times);
        assertEquals(2, frames.size());
        assertArrayEquals(FRAME_A, frames.get(0));
        assertArrayEquals(FRAME_B, frames.get(1));
        assertEquals(List.of(1_700_000_000_123_456_789L, 1_700_000_001_000_000_005L), times);
    }

    @Test
    void readsPcapngSectionsOfBothByteOrdersAndEveryPacketBlock() throws IOException
    {
        final ByteBuffer b = ByteBuffer.allocate(8192);
        // Section 1, little-endian: IDB with if_tsresol = 10^-9, an unknown block, an EPB.
        b.order(ByteOrder.LITTLE_ENDIAN);
        shb(b);
        final int idbStart = b.position();
        b.putInt(1).putInt(0).putShort((short)1).putShort((short)0).putInt(0);
        b.putShort((short)9).putShort((short)1).put((byte)9).put(new byte[3]).putShort((short)0).putShort((short)0);
        b.putInt(b.position() - idbStart + 4);
        b.putInt(idbStart + 4, b.position() - idbStart);
        block(b, 0x0BAD, new byte[12]);
        epb(b, 0, 1_700_000_000_123_456_789L, FRAME_A);
        // Section 2, big-endian: IDB with the default microsecond resolution, an SPB, an obsolete OPB.
        b.order(ByteOrder.BIG_ENDIAN);
        shb(b);
        block(b, 1, ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putShort((short)1).putShort((short)0).putInt(0).array());
        final ByteBuffer spb = ByteBuffer.allocate(4 + pad(FRAME_B.length)).order(ByteOrder.BIG_ENDIAN);
        spb.putInt(FRAME_B.length).put(FRAME_B);
        block(b, 3, spb.array());
        final ByteBuffer opb = ByteBuffer.allocate(20 + pad(FRAME_C.length)).order(ByteOrder.BIG_ENDIAN);
        final long micros = 1_700_000_002_000_007L;
        opb.putShort((short)0).putShort((short)0).putInt((int)(micros >>> 32)).putInt((int)micros)
            .putInt(FRAME_C.length).putInt(FRAME_C.length).put(FRAME_C);
        block(b, 2, opb.array());

        final List<byte[]> frames = new ArrayList<>();
        final List<Long> times = new ArrayList<>();
        read(write("mixed.pcapng", b), frames, times);
        assertEquals(3, frames.size());
        assertArrayEquals(FRAME_A, frames.get(0));
        assertArrayEquals(FRAME_B, frames.get(1));
        assertArrayEquals(FRAME_C, frames.get(2));
        assertEquals(1_700_000_000_123_456_789L, times.get(0));
        assertEquals(micros * 1000, times.get(2));
    }

    @Test
    void skipsTruncatedFramesAndRefusesOtherLinkTypes() throws IOException
    {
        final ByteBuffer b = ByteBuffer.allocate(24 + 2 * 16 + 40 + FRAME_A.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xA1B2C3D4).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(40).putInt(1);
        b.putInt(1).putInt(0).putInt(40).putInt(1514).put(new byte[40]);
        b.putInt(2).putInt(0).putInt(FRAME_A.length).putInt(FRAME_A.length).put(FRAME_A);
        final Path file = write("snap.pcap", b);
        try (PcapReader reader = new PcapReader(file))
        {
            final List<byte[]> frames = new ArrayList<>();
            assertTrue(reader.next((buffer, offset, length) -> frames.add(copy(buffer, offset, length))));
            assertFalse(reader.next((buffer, offset, length) -> frames.add(copy(buffer, offset, length))));
            assertEquals(1, frames.size());
            assertArrayEquals(FRAME_A, frames.get(0));
            assertEquals(1, reader.truncatedFrames());
        }

        final ByteBuffer raw = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        raw.putInt(0xA1B2C3D4).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(65535).putInt(101);
        final Path rawIp = write("raw-ip.pcap", raw);
        final PortException ex = assertThrows(PortException.class, () -> new PcapReader(rawIp));
        assertTrue(ex.getMessage().contains("raw-ip.pcap") && ex.getMessage().contains("link type 101"), ex.getMessage());
    }

    private void read(final Path file, final List<byte[]> frames, final List<Long> times)
    {
        try (PcapReader reader = new PcapReader(file))
        {
            while (reader.next((buffer, offset, length) -> frames.add(copy(buffer, offset, length))))
            {
                times.add(reader.timestampNs());
            }
        }
    }

    private Path write(final String name, final ByteBuffer b) throws IOException
    {
        final Path file = dir.resolve(name);
        final byte[] bytes = new byte[b.position()];
        b.flip().get(bytes);
        Files.write(file, bytes);
        return file;
    }

    private static void shb(final ByteBuffer b)
    {
        b.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short)1).putShort((short)0).putLong(-1).putInt(28);
    }

    private static void epb(final ByteBuffer b, final int interfaceId, final long ticks, final byte[] frame)
    {
        final ByteBuffer body = ByteBuffer.allocate(20 + pad(frame.length)).order(b.order());
        body.putInt(interfaceId).putInt((int)(ticks >>> 32)).putInt((int)ticks).putInt(frame.length)
            .putInt(frame.length).put(frame);
        block(b, 6, body.array());
    }

    private static void block(final ByteBuffer b, final int type, final byte[] body)
    {
        final int length = 12 + pad(body.length);
        b.putInt(type).putInt(length).put(body).put(new byte[pad(body.length) - body.length]).putInt(length);
    }

    private static int pad(final int length)
    {
        return (length + 3) & ~3;
    }

    private static byte[] frame(final int length, final int seed)
    {
        final byte[] f = new byte[length];
        new java.util.Random(seed).nextBytes(f);
        return f;
    }

    private static byte[] copy(final org.agrona.DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return bytes;
    }
}
