package org.vbgw.io.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.vbgw.io.FrameHandler;
import org.vbgw.io.LinkState;
import org.vbgw.io.MemoryPort;

/**
 * Sender and receiver over in-memory ports, duty cycles run by hand: two paths, traffic moved from one to the
 * other with loss in between, the report's losses, switches and series. The namespace version is the failover
 * benchmark's IT in perf.
 */
class SequencedTrafficTest
{
    private static final int DST_PORT = 7777;

    @Test
    void frameRoundTripsAndForeignFramesAreRejected()
    {
        final UnsafeBuffer b = new UnsafeBuffer(ByteBuffer.allocateDirect(128));
        final int n = SequencedFrame.writeTemplate(b, 4, 0x02_00_00_00_00_02L, 0x02_00_00_00_00_01L, 0xC0A8_010A,
            0x0A01_0203, 20_000, DST_PORT, 17);
        SequencedFrame.stamp(b, 4, 12345L, 987_654_321L);
        final int payload = SequencedFrame.payloadOffset(b, 4, n, DST_PORT);
        assertEquals(4 + SequencedFrame.PAYLOAD_OFFSET, payload);
        assertEquals(17, SequencedFrame.flow(b, payload));
        assertEquals(12345L, SequencedFrame.sequence(b, payload));
        assertEquals(987_654_321L, SequencedFrame.sendTimeNs(b, payload));
        assertEquals(-1, SequencedFrame.payloadOffset(b, 4, n, DST_PORT + 1));
        assertEquals(-1, SequencedFrame.payloadOffset(b, 4, n - 1, DST_PORT));
        // IPv4 header checksum: the one's complement sum over the header is 0xFFFF.
        int sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            sum += b.getShort(4 + 14 + i, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF;
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        assertEquals(0xFFFF, sum);
        b.putInt(payload, 0);
        assertEquals(-1, SequencedFrame.payloadOffset(b, 4, n, DST_PORT));
    }

    @Test
    void trafficMovesFromOnePathToTheOtherWithTheLossCountedOnce() throws Exception
    {
        final MemoryPort[] src = MemoryPort.pair("gen", "gw-in", 1 << 20, 1500);
        final MemoryPort[] pathA = MemoryPort.pair("gw-a", "rx-a", 1 << 20, 1500);
        final MemoryPort[] pathB = MemoryPort.pair("gw-b", "rx-b", 1 << 20, 1500);
        final int flows = 4;
        final SequencedSender sender = new SequencedSender(src[0], new SequencedSender.Flows(0x02_00_00_00_00_02L,
            0x02_00_00_00_00_01L, 0xC0A8_010A, new int[] {0x0A000001, 0x0A000002, 0x0A000003, 0x0A000004}, 30_000,
            DST_PORT), 1_000_000);
        final SequencedReceiver receiver = new SequencedReceiver(new MemoryPort[] {pathA[1], pathB[1]}, DST_PORT, flows,
            1_000_000L, 10_000_000_000L, 0);
        receiver.onStart();
        // The "gateway": flows 0 and 1 take path A, 2 and 3 path B; path A goes dead for a while, then its
        // flows come back on path B. Flows 2 and 3 must lose nothing.
        // The gateway's own frame count places the cut, not the sender's: a sender that catches up after its
        // thread was descheduled sends a burst in one duty cycle, and the window must not grow with it.
        final long[] seen = {0};
        final FrameHandler gateway = (buffer, offset, length) ->
        {
            final long n = seen[0]++;
            final int payload = SequencedFrame.payloadOffset(buffer, offset, length, DST_PORT);
            final int flow = SequencedFrame.flow(buffer, payload);
            if (flow < 2)
            {
                if (n >= 1400)
                {
                    pathB[0].send(buffer, offset, length);
                }
                else if (n < 1000)
                {
                    pathA[0].send(buffer, offset, length);
                }
            }
            else
            {
                pathB[0].send(buffer, offset, length);
            }
        };
        sender.onStart();
        while (sender.sent() < 3000)
        {
            sender.doWork();
            src[1].receive(gateway, 1024);
            receiver.doWork();
        }
        sender.stop();
        sender.onClose();
        src[1].receive(gateway, 1 << 20);
        while (receiver.doWork() > 0)
        {
            // drain
        }
        final TrafficReport report = receiver.report(sender.sentPerFlow(), sender.flowSpacingNs(), List.of("a", "b"));
        long sentAll = 0;
        for (final TrafficReport.Flow f : report.flows())
        {
            sentAll += f.sent();
            assertEquals(f.sent(), f.received() + f.lost(), "flow " + f.flow());
            assertEquals(0, f.duplicates());
        }
        assertEquals(sender.sent(), sentAll);
        for (final int f : new int[] {2, 3})
        {
            final TrafficReport.Flow flow = report.flows().get(f);
            assertEquals(0, flow.lost(), "surviving flow " + f);
            assertEquals(1, flow.firstPath());
            assertTrue(flow.switches().isEmpty());
        }
        for (final int f : new int[] {0, 1})
        {
            final TrafficReport.Flow flow = report.flows().get(f);
            assertEquals(0, flow.firstPath());
            assertEquals(1, flow.gaps().size(), "one outage for flow " + f);
            final TrafficReport.Gap gap = flow.gaps().get(0);
            assertTrue(gap.lost() >= 90 && gap.lost() <= 110, "about 400 / 4 lost: " + gap.lost());
            assertTrue(!gap.open());
            assertEquals(1, flow.switches().size());
            assertEquals(0, flow.switches().get(0).fromPath());
            assertEquals(1, flow.switches().get(0).toPath());
            assertEquals(gap.lastSequence() + 1, flow.switches().get(0).sequence());
            assertArrayEquals(new long[] {gap.firstSequence(), flow.received() - gap.firstSequence()},
                flow.packetsPerPath());
        }
        assertEquals(report.paths().get(0).packets() + report.paths().get(1).packets(),
            sender.sent() - report.flows().stream().mapToLong(TrafficReport.Flow::lost).sum());
        assertEquals(report.paths().get(0).packets(), java.util.Arrays.stream(report.paths().get(0).perBucket()).sum());
        assertEquals(0, report.foreignFrames());
    }

    @Test
    void refusedSendsAreRetriedNotSkipped()
    {
        final MemoryPort[] src = MemoryPort.pair("gen", "sink", 1 << 16, 1500);
        final SequencedSender sender = new SequencedSender(src[0], new SequencedSender.Flows(1, 2, 3, new int[] {4},
            1000, DST_PORT), 100_000_000);
        sender.onStart();
        src[0].linkState(LinkState.DOWN);
        for (int i = 0; i < 10; i++)
        {
            sender.doWork();
        }
        assertTrue(sender.refusals() > 0);
        assertEquals(0, sender.sent());
        src[0].linkState(LinkState.UP);
        sender.doWork();
        sender.stop();
        sender.onClose();
        final long[] seen = {0};
        final boolean[] inOrder = {true};
        src[1].receive(new FrameHandler()
        {
            @Override
            public void onFrame(final MutableDirectBuffer buffer, final int offset, final int length)
            {
                final int payload = SequencedFrame.payloadOffset(buffer, offset, length, DST_PORT);
                inOrder[0] &= SequencedFrame.sequence(buffer, payload) == seen[0]++;
            }
        }, 1 << 16);
        assertTrue(inOrder[0]);
        assertEquals(sender.sentPerFlow()[0], seen[0]);
        assertEquals(SequencedSender.BURST, seen[0]);
    }

    @Test
    void packetsOverTheDelayLimitCountAsLostNotLate()
    {
        final MemoryPort[] link = MemoryPort.pair("tx", "rx", 1 << 16, 1500);
        final SequencedReceiver receiver = new SequencedReceiver(new MemoryPort[] {link[1]}, DST_PORT, 1, 1_000_000L,
            1_000_000_000L, 50_000_000L);
        receiver.onStart();
        final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(SequencedFrame.LENGTH));
        final int n = SequencedFrame.writeTemplate(frame, 0, 2, 1, 3, 4, 1000, DST_PORT, 0);
        final long now = System.nanoTime();
        // 0 and 1 in time, 2 and 3 held back (sent a second ago, released now: a queue that was stuck), 4 in time.
        final long[][] sends = {{0, now}, {1, now}, {4, now}, {2, now - 1_000_000_000L}, {3, now - 1_000_000_000L}};
        for (final long[] s : sends)
        {
            SequencedFrame.stamp(frame, 0, s[0], s[1]);
            link[0].send(frame, 0, n);
        }
        receiver.doWork();
        final TrafficReport report = receiver.report(new long[] {5}, 1_000_000L, List.of("only"));
        final TrafficReport.Flow flow = report.flows().get(0);
        assertEquals(3, flow.received());
        assertEquals(2, flow.overdue());
        assertEquals(2, flow.lost());
        assertEquals(0, flow.late());
        assertEquals(1, flow.gaps().size());
        assertEquals(2, flow.gaps().get(0).firstSequence());
        // They did arrive on the path: the per-path series counts every sequenced frame.
        assertEquals(5, report.paths().get(0).packets());
    }
}
