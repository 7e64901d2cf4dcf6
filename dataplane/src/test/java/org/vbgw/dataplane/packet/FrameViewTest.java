package org.vbgw.dataplane.packet;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameViewTest
{
    private final FrameView view = new FrameView();

    @Test
    void wrapAcceptsOnlyFramesInsideTheBuffer()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[100]);
        assertTrue(view.wrap(buffer, 0, 100));
        assertTrue(view.wrap(buffer, 100, 0));
        assertTrue(view.wrap(buffer, 40, 60));
        assertEquals(40, view.offset());
        assertEquals(100, view.limit());
        assertEquals(60, view.length());
        assertFalse(view.wrap(buffer, 41, 60));
        assertNull(view.buffer(), "a rejected frame leaves nothing to read");
        assertFalse(view.wrap(buffer, -1, 10));
        assertFalse(view.wrap(buffer, 0, -1));
        assertFalse(view.wrap(buffer, Integer.MAX_VALUE, Integer.MAX_VALUE));
    }

    @Test
    void readsAndWritesInNetworkOrderAsTheCheckedBufferDoes()
    {
        final Random random = new Random(7);
        final byte[] bytes = new byte[64];
        random.nextBytes(bytes);
        for (final UnsafeBuffer buffer : new UnsafeBuffer[] {
            new UnsafeBuffer(bytes.clone()), new UnsafeBuffer(ByteBuffer.allocateDirect(64).put(bytes).flip())})
        {
            assertTrue(view.wrap(buffer, 8, 56));
            for (int i = 8; i + 8 <= 64; i++)
            {
                assertEquals(buffer.getByte(i) & 0xFF, view.getByte(i));
                assertEquals(buffer.getShort(i, ByteOrder.BIG_ENDIAN) & 0xFFFF, view.getShort(i));
                assertEquals(buffer.getInt(i, ByteOrder.BIG_ENDIAN), view.getInt(i));
                assertEquals(buffer.getLong(i, ByteOrder.BIG_ENDIAN), view.getLong(i));
                assertEquals(EthernetFlyweight.readMac(buffer, i), view.getMac(i));
            }
            view.putShort(10, 0xBEEF);
            assertEquals((short)0xBEEF, buffer.getShort(10, ByteOrder.BIG_ENDIAN));
            view.putByte(12, 0xA5);
            assertEquals((byte)0xA5, buffer.getByte(12));
            view.putLongNative(0, 0x0102030405060708L);
            assertEquals(0x0102030405060708L, buffer.getLong(0));
            for (int start = 8; start < 64; start++)
            {
                for (int length = 0; start + length <= 64; length++)
                {
                    assertEquals(InternetChecksum.partial(buffer, start, length), view.checksumPartial(start, length),
                        "sum of " + length + " at " + start);
                }
            }
        }
    }

    @Test
    void everyAccessOutsideTheFrameFailsAnAssertion()
    {
        assertTrue(FrameView.class.desiredAssertionStatus(), "tests run with -ea (surefire's default)");
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        assertTrue(view.wrap(buffer, 16, 32));
        assertThrows(AssertionError.class, () -> view.getByte(15));
        assertThrows(AssertionError.class, () -> view.getByte(48));
        assertThrows(AssertionError.class, () -> view.getShort(47));
        assertThrows(AssertionError.class, () -> view.getInt(45));
        assertThrows(AssertionError.class, () -> view.getLong(41));
        assertThrows(AssertionError.class, () -> view.putShort(47, 0));
        assertThrows(AssertionError.class, () -> view.putLongNative(-1, 0));
        assertThrows(AssertionError.class, () -> view.putLongNative(41, 0));
        assertThrows(AssertionError.class, () -> view.checksumPartial(40, 9));
        assertEquals(0, view.getLong(40), "the last word of the frame is inside");
    }
}
