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
    private static final long DST = 0x02_11_22_33_44_02L;
    private static final long SRC = 0x02_55_66_77_88_01L;

    private static String frameHex(final Adjacency adj)
    {
        return frameHex(adj, 0x0800);
    }

    private static String frameHex(final Adjacency adj, final int etherType)
    {
        final UnsafeBuffer buf = new UnsafeBuffer(new byte[64]);
        buf.setMemory(0, 64, (byte)0xEE); // whatever was there before: every header byte must be written
        buf.putByte(40, (byte)0x45); // first byte of the L3 header, which must survive
        final int start = adj.writeHeader(buf, 40, etherType);
        assertEquals(40 - adj.l2HeaderLength(), start);
        final byte[] out = new byte[41 - start];
        buf.getBytes(start, out);
        return HexFormat.of().formatHex(out);
    }

    @Test
    void writesUntaggedSingleAndQinqHeaders()
    {
        final Adjacency untagged = new Adjacency(1, 0, 0, 1500, DST, SRC, 0, 0, 0);
        final Adjacency single = new Adjacency(1, 0, 0, 1500, DST, SRC, 0x8100, 100, 0);
        final Adjacency qinq = new Adjacency(1, 0, 0, 1500, DST, SRC, 0x88a8, 200, 101);
        // IPv4 and IPv6 take the precomputed word stores, any other EtherType the byte copy: all the same bytes.
        for (final int etherType : new int[] {0x0800, 0x86dd, 0x0806})
        {
            final String type = String.format("%04x", etherType);
            assertEquals("021122334402" + "025566778801" + type + "45", frameHex(untagged, etherType));
            assertEquals("021122334402" + "025566778801" + "8100" + "0064" + type + "45", frameHex(single, etherType));
            assertEquals("021122334402" + "025566778801" + "88a8" + "00c8" + "8100" + "0065" + type + "45",
                frameHex(qinq, etherType));
        }
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
