package org.vbgw.agent.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FibJournalTest
{
    @TempDir
    Path dir;

    /** Records every callback as text, so a test compares the whole sequence at once. */
    static final class Recorder implements FibChangeHandler
    {
        final List<String> seen = new ArrayList<>();

        @Override
        public void onNextHop(long i, long ts, int id, int vif, boolean v6, long hi, long lo)
        {
            seen.add("nh " + id + " vif " + vif + " " + v6 + " " + Long.toHexString(hi) + ":" + Long.toHexString(lo));
        }

        @Override
        public void onNextHopRemoved(long i, long ts, int id)
        {
            seen.add("nh-del " + id);
        }

        @Override
        public void onNextHopState(long i, long ts, int id, boolean alive, int cause)
        {
            seen.add("nh-state " + id + " " + alive + " " + FibChange.causeName(cause));
        }

        @Override
        public void onGroup(long i, long ts, int id, int[] nhs, int[] w, int n, int backup)
        {
            seen.add("group " + id + " " + Arrays.toString(Arrays.copyOf(nhs, n)) + " " +
                Arrays.toString(Arrays.copyOf(w, n)) + " backup " + backup);
        }

        @Override
        public void onGroupRemoved(long i, long ts, int id)
        {
            seen.add("group-del " + id);
        }

        @Override
        public void onRoute(long i, long ts, boolean v6, long hi, long lo, int len, int group)
        {
            seen.add("route " + v6 + " " + Long.toHexString(hi) + ":" + Long.toHexString(lo) + "/" + len + " -> " + group);
        }

        @Override
        public void onRouteRemoved(long i, long ts, boolean v6, long hi, long lo, int len)
        {
            seen.add("route-del " + v6 + " " + Long.toHexString(hi) + ":" + Long.toHexString(lo) + "/" + len);
        }

        @Override
        public void onNeighbour(long i, long ts, int vif, boolean v6, long hi, long lo, long mac)
        {
            seen.add("nbr " + vif + " " + Long.toHexString(lo) + " " + Long.toHexString(mac));
        }

        @Override
        public void onNeighbourRemoved(long i, long ts, int vif, boolean v6, long hi, long lo)
        {
            seen.add("nbr-del " + vif + " " + Long.toHexString(lo));
        }

        @Override
        public void onVifAdminState(long i, long ts, int vif, boolean up)
        {
            seen.add("vif " + vif + " " + up);
        }

        @Override
        public void onTransactionBegin(long i, long ts)
        {
            seen.add("begin");
        }

        @Override
        public void onTransactionEnd(long i, long ts)
        {
            seen.add("end");
        }
    }

    @Test
    void everyEntryTypeRoundTripsInOrder()
    {
        try (FibJournal journal = FibJournal.open(dir, () -> 42L))
        {
            journal.nextHop(7, 3, false, 0, 0x0A000002L);
            journal.nextHop(8, 4, true, 0x20010db800000000L, 2);
            journal.group(1, new int[] {7, 8}, new int[] {1, 3}, 2, -1);
            journal.transactionBegin();
            journal.routeRemoved(false, 0, 0x0A010000L, 16);
            journal.route(false, 0, 0x0A010000L, 16, 1);
            journal.transactionEnd();
            journal.route(true, 0x20010db800000000L, 0, 32, 1);
            journal.nextHopState(7, false, FibChange.CAUSE_BFD);
            journal.neighbour(3, false, 0, 0x0A000002L, 0x020000000001L);
            journal.neighbourRemoved(3, false, 0, 0x0A000002L);
            journal.vifAdminState(3, false);
            journal.groupRemoved(1);
            journal.nextHopRemoved(7);
        }
        try (FibJournal journal = FibJournal.open(dir); FibJournalReader reader = journal.reader(null))
        {
            final Recorder r = new Recorder();
            assertEquals(14, reader.drain(r));
            assertEquals(List.of(
                "nh 7 vif 3 false 0:a000002",
                "nh 8 vif 4 true 20010db800000000:2",
                "group 1 [7, 8] [1, 3] backup -1",
                "begin",
                "route-del false 0:a010000/16",
                "route false 0:a010000/16 -> 1",
                "end",
                "route true 20010db800000000:0/32 -> 1",
                "nh-state 7 false bfd",
                "nbr 3 a000002 20000000001",
                "nbr-del 3 a000002",
                "vif 3 false",
                "group-del 1",
                "nh-del 7"), r.seen);
            assertNull(reader.corruption());
        }
    }

    @Test
    void namedReaderResumesWhereItStopped()
    {
        try (FibJournal journal = FibJournal.open(dir))
        {
            for (int i = 0; i < 10; i++)
            {
                journal.route(false, 0, (long)i << 8, 24, i);
            }
            try (FibJournalReader reader = journal.reader("dataplane"))
            {
                final Recorder r = new Recorder();
                assertEquals(4, reader.poll(r, 4));
            }
            journal.route(false, 0, 0x0B000000L, 8, 99);
            try (FibJournalReader reader = journal.reader("dataplane"))
            {
                final Recorder r = new Recorder();
                assertEquals(7, reader.drain(r));
                assertEquals("route false 0:400/24 -> 4", r.seen.get(0));
                assertEquals("route false 0:b000000/8 -> 99", r.seen.get(6));
            }
        }
    }

    @Test
    void moveAfterSkipsToTheEntryAfterAnIndex()
    {
        try (FibJournal journal = FibJournal.open(dir))
        {
            long mark = 0;
            for (int i = 0; i < 10; i++)
            {
                final long index = journal.route(false, 0, (long)i << 8, 24, i);
                if (i == 5)
                {
                    mark = index;
                }
            }
            try (FibJournalReader reader = journal.reader(null))
            {
                reader.moveAfter(mark);
                final Recorder r = new Recorder();
                assertEquals(4, reader.drain(r));
                assertEquals("route false 0:600/24 -> 6", r.seen.get(0));
            }
        }
    }

    @Test
    void aDamagedEntryStopsTheReaderAndSaysWhere() throws IOException
    {
        try (FibJournal journal = FibJournal.open(dir))
        {
            journal.route(false, 0, 0x0A000000L, 8, 1);
            journal.route(false, 0, 0x5A5A5A00L, 24, 2);
            journal.route(false, 0, 0x0C000000L, 8, 3);
        }
        flipByteAfter(new byte[] {0x00, 0x5A, 0x5A, 0x5A});
        try (FibJournal journal = FibJournal.open(dir); FibJournalReader reader = journal.reader(null))
        {
            final Recorder r = new Recorder();
            final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> reader.drain(r));
            assertTrue(ex.getMessage().contains("checksum mismatch"), ex.getMessage());
            assertEquals(List.of("route false 0:a000000/8 -> 1"), r.seen, "nothing at or after the damage is applied");
            assertNotNull(reader.corruption());
            assertEquals(-1, reader.poll(r, 10));
        }
    }

    /** Finds the little-endian bytes of a route address in the queue file and damages the entry there. */
    private void flipByteAfter(final byte[] lePattern) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            final Path cq4 = files.filter(p -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
            final byte[] data = Files.readAllBytes(cq4);
            final byte[] le = {lePattern[0], lePattern[1], lePattern[2], lePattern[3]};
            for (int i = 0; i + 4 <= data.length; i++)
            {
                if (data[i] == le[0] && data[i + 1] == le[1] && data[i + 2] == le[2] && data[i + 3] == le[3])
                {
                    data[i + 1] ^= 0x01;
                    Files.write(cq4, data);
                    return;
                }
            }
            throw new AssertionError("pattern not found in " + cq4);
        }
    }
}
