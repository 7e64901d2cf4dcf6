package org.vbgw.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class MemoryPortTest
{
    @Test
    void whatOneEndSendsTheOtherReceivesInOrder()
    {
        final MemoryPort[] pair = MemoryPort.pair("a", "b", 1 << 16, 1500);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[100]);
        for (int i = 0; i < 10; i++)
        {
            frame.putInt(20, i);
            assertTrue(pair[0].send(frame, 0, 60 + i));
        }
        final List<byte[]> received = new ArrayList<>();
        assertEquals(4, pair[1].receive((buffer, offset, length) ->
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            received.add(copy);
        }, 4));
        assertEquals(6, pair[1].receive((buffer, offset, length) ->
        {
            final byte[] copy = new byte[length];
            buffer.getBytes(offset, copy);
            received.add(copy);
        }, 100));
        for (int i = 0; i < 10; i++)
        {
            assertEquals(60 + i, received.get(i).length);
            assertEquals(i, new UnsafeBuffer(received.get(i)).getInt(20));
        }
        assertEquals(10, pair[0].statistics().txFrames());
        assertEquals(10, pair[1].statistics().rxFrames());
        assertEquals(10 * 60 + 45, pair[1].statistics().rxBytes());
        assertEquals(0, pair[0].receive((b, o, l) -> { }, 10));
    }

    @Test
    void receivedFramesAreWritableInPlaceAndForwardable()
    {
        final MemoryPort[] in = MemoryPort.pair("in0", "in1", 1 << 12, 1500);
        final MemoryPort[] out = MemoryPort.pair("out0", "out1", 1 << 12, 1500);
        final byte[] original = new byte[64];
        original[0] = 1;
        in[0].send(new UnsafeBuffer(original), 0, 64);
        in[1].receive((buffer, offset, length) ->
        {
            buffer.putByte(offset, (byte)42);
            out[0].send(buffer, offset, length);
        }, 1);
        final byte[][] got = new byte[1][];
        assertEquals(1, out[1].receive((buffer, offset, length) ->
        {
            got[0] = new byte[length];
            buffer.getBytes(offset, got[0]);
        }, 1));
        final byte[] expected = original.clone();
        expected[0] = 42;
        assertArrayEquals(expected, got[0]);
    }

    @Test
    void fullQueueAndLinkDownDropAndCount()
    {
        final MemoryPort[] pair = MemoryPort.pair("a", "b", 2048, 100);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[200]);
        int accepted = 0;
        for (int i = 0; i < 20; i++)
        {
            accepted += pair[0].send(frame, 0, 100) ? 1 : 0;
        }
        assertEquals(18, accepted, "2048 bytes hold eighteen 112-byte records");
        assertEquals(2, pair[0].statistics().txDrops());
        assertFalse(pair[0].send(frame, 0, 123), "longer than MTU + headers");
        assertEquals(3, pair[0].statistics().txDrops());

        pair[0].linkState(LinkState.DOWN);
        assertEquals(LinkState.DOWN, pair[1].linkState());
        assertEquals(18, pair[1].receive((b, o, l) -> { }, 100));
        assertFalse(pair[0].send(frame, 0, 100));
        assertEquals(4, pair[0].statistics().txDrops());
        pair[1].close();
        pair[1].close();
        assertEquals(LinkState.UNKNOWN, pair[1].linkState());
    }

    @Test
    void oneThreadSendsWhileAnotherReceivesEveryFrameInOrderOrCounted() throws InterruptedException
    {
        final MemoryPort[] pair = MemoryPort.pair("tx", "rx", 1 << 14, 1500);
        final int frames = 200_000;
        final Thread sender = new Thread(() ->
        {
            final UnsafeBuffer frame = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(128));
            for (int i = 0; i < frames; i++)
            {
                frame.putInt(0, i);
                frame.putInt(60 + (i % 64), ~i);
                pair[0].send(frame, 0, 64 + (i % 64));
            }
        });
        final long[] received = new long[1];
        final int[] last = {-1};
        final boolean[] ordered = {true};
        sender.start();
        while (sender.isAlive() || pair[1].queuedBytes() > 0)
        {
            pair[1].receive((buffer, offset, length) ->
            {
                final int sequence = buffer.getInt(offset);
                ordered[0] &= sequence > last[0] && length == 64 + (sequence % 64) &&
                    buffer.getInt(offset + 60 + (sequence % 64)) == ~sequence;
                last[0] = sequence;
                received[0]++;
            }, 100);
        }
        sender.join();
        pair[1].receive((buffer, offset, length) -> received[0]++, Integer.MAX_VALUE);
        assertTrue(ordered[0], "frames arrive intact and in send order");
        assertEquals(frames, received[0] + pair[0].statistics().txDrops(), "every frame received or counted");
        assertEquals(received[0], pair[1].statistics().rxFrames());
    }

    @Test
    void macAddressesFormatAndParse()
    {
        assertEquals(0x0200_0000_0001L, MemoryPort.pair("a", "b", 1024, 1500)[0].macAddress());
        assertEquals("02:00:00:00:0a:ff", MacAddress.toString(0x02_00_00_00_0A_FFL));
        assertEquals(0x02_00_00_00_0A_FFL, MacAddress.parse("02:00:00:00:0A:ff"));
    }

    @Test
    void framesStayValidUntilTheirBatchEndsAcrossTheRingsWrap()
    {
        // A small ring, frames of varied size: the queue wraps many times, with padding records at its end.
        final MemoryPort[] pair = MemoryPort.pair("w0", "w1", 1 << 12, 1500);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[400]);
        final class Holder implements FrameHandler
        {
            final int[] offsets = new int[64];
            final int[] lengths = new int[64];
            org.agrona.MutableDirectBuffer buffer;
            int held;
            int next;
            int batches;

            @Override
            public void onFrame(final org.agrona.MutableDirectBuffer buffer, final int offset, final int length)
            {
                this.buffer = buffer;
                offsets[held] = offset;
                lengths[held++] = length;
            }

            @Override
            public void onBatchEnd()
            {
                // Every frame of the batch is read only now, when the batch ends.
                for (int k = 0; k < held; k++)
                {
                    assertEquals(next, buffer.getInt(offsets[k] + 20), "frame " + next + " still intact");
                    assertEquals(60 + next % 300, lengths[k]);
                    next++;
                }
                held = 0;
                batches++;
            }
        }
        final Holder holder = new Holder();
        int sent = 0;
        for (int round = 0; round < 2000; round++)
        {
            while (true)
            {
                frame.putInt(20, sent);
                if (!pair[0].send(frame, 0, 60 + sent % 300))
                {
                    break;
                }
                sent++;
            }
            pair[1].receive(holder, 1 + round % 7);
            assertEquals(0, holder.held, "every delivered frame was closed by a batch end");
        }
        while (pair[1].receive(holder, 64) > 0)
        {
            assertEquals(0, holder.held);
        }
        assertEquals(sent, holder.next);
        assertTrue(holder.batches > 0);
    }
}
