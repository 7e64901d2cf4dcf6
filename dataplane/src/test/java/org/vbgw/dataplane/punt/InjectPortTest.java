package org.vbgw.dataplane.punt;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.vbgw.io.MemoryPort;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The control thread's transmit queue: straight through before the threads start, queued for the worker
 * after, in order and byte for byte; a full queue refuses and counts.
 */
class InjectPortTest
{
    private final MemoryPort[] pair = MemoryPort.pair("data", "far", 1 << 20, 1500);
    private final InjectPort inject = new InjectPort(pair[0], 0);

    @Test
    void sendsStraightThroughBeforeHandOff()
    {
        assertTrue(inject.send(new UnsafeBuffer(frame(1, 60)), 0, 60));
        inject.flush();
        assertEquals(1, drainFar().size());
        assertEquals(0, inject.drain(64), "nothing was queued");
    }

    @Test
    void queuesForTheWorkerAfterHandOff()
    {
        inject.handOff();
        for (int i = 0; i < 3; i++)
        {
            assertTrue(inject.send(new UnsafeBuffer(frame(i, 60 + i * 500)), 0, 60 + i * 500));
        }
        inject.flush();
        assertTrue(drainFar().isEmpty(), "the control thread itself sends nothing");
        assertEquals(2, inject.drain(2));
        assertEquals(1, inject.drain(64));
        final List<byte[]> out = drainFar();
        assertEquals(3, out.size());
        for (int i = 0; i < 3; i++)
        {
            assertArrayEquals(frame(i, 60 + i * 500), out.get(i), "frame " + i + " in order, unchanged");
        }
    }

    @Test
    void aFullQueueRefusesAndCounts()
    {
        inject.handOff();
        final byte[] big = frame(9, 1514);
        int sent = 0;
        while (inject.send(new UnsafeBuffer(big), 0, big.length))
        {
            sent++;
        }
        assertTrue(sent >= 8, "room for at least eight full-size frames: " + sent);
        assertEquals(1, inject.queueFull());
        assertFalse(inject.send(new UnsafeBuffer(big), 0, big.length));
        assertEquals(2, inject.queueFull());
        assertEquals(sent, inject.drain(1000));
    }

    @Test
    void theControlThreadDoesNotReceive()
    {
        assertThrows(UnsupportedOperationException.class, () -> inject.receive((b, o, l) -> { }, 1));
        assertEquals("data", inject.name());
        assertEquals(1500, inject.mtu());
    }

    private static byte[] frame(final int id, final int length)
    {
        final byte[] f = new byte[length];
        for (int i = 0; i < length; i++)
        {
            f[i] = (byte)(id * 31 + i);
        }
        return f;
    }

    private List<byte[]> drainFar()
    {
        final List<byte[]> out = new ArrayList<>();
        pair[1].receive((MutableDirectBuffer b, int o, int l) ->
        {
            final byte[] f = new byte[l];
            b.getBytes(o, f);
            out.add(f);
        }, 1000);
        return out;
    }
}
