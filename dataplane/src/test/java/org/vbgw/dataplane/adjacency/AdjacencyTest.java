package org.vbgw.dataplane.adjacency;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AdjacencyTest
{
    private static final long DST = 0x02_00_00_00_00_02L;
    private static final long SRC = 0x02_00_00_00_00_01L;

    private static String frameHex(final Adjacency adj)
    {
        final UnsafeBuffer buf = new UnsafeBuffer(new byte[64]);
        buf.putByte(40, (byte)0x45); // first byte of an IPv4 header
        final int start = adj.writeHeader(buf, 40, 0x0800);
        assertEquals(40 - adj.l2HeaderLength(), start);
        final byte[] out = new byte[41 - start];
        buf.getBytes(start, out);
        return HexFormat.of().formatHex(out);
    }

    @Test
    void writesUntaggedSingleAndQinqHeaders()
    {
        assertEquals("020000000002" + "020000000001" + "0800" + "45",
            frameHex(new Adjacency(1, 0, 0, 1500, DST, SRC, 0, 0, 0)));
        assertEquals("020000000002" + "020000000001" + "8100" + "0064" + "0800" + "45",
            frameHex(new Adjacency(1, 0, 0, 1500, DST, SRC, 0x8100, 100, 0)));
        assertEquals("020000000002" + "020000000001" + "88a8" + "00c8" + "8100" + "0065" + "0800" + "45",
            frameHex(new Adjacency(1, 0, 0, 1500, DST, SRC, 0x88a8, 200, 101)));
    }

    @Test
    void tablePublishesAndWithdraws()
    {
        final AdjacencyTable table = new AdjacencyTable(8);
        assertNull(table.get(3));
        final Adjacency a = new Adjacency(3, 1, 0, 1500, DST, SRC, 0, 0, 0);
        table.put(a);
        assertSame(a, table.get(3));
        table.clear(3);
        assertNull(table.get(3));
        assertNull(table.get(99), "out of range reads are simply absent");
        assertThrows(IllegalArgumentException.class, () -> table.put(new Adjacency(8, 1, 0, 1500, DST, SRC, 0, 0, 0)));
    }
}
