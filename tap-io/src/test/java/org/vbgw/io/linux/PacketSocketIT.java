package org.vbgw.io.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vbgw.io.LinkState;
import org.vbgw.io.Port;
import org.vbgw.io.PortException;
import org.vbgw.io.testing.Capabilities;
import org.vbgw.io.lab.Netns;
import org.vbgw.io.testing.TestFrames;

/**
 * Frames through a veth pair between two namespaces the test creates, a PacketSocket on each end (opened
 * inside its namespace with setns on the test thread): byte-identical delivery of untagged, 802.1Q and
 * QinQ frames of 60-9000 bytes both ways, both transmit modes, and bursts larger than the receive ring.
 */
class PacketSocketIT
{
    private static final long MAC_A = 0x02_00_00_00_0A_0AL;
    private static final long MAC_B = 0x02_00_00_00_0B_0BL;
    private static final int[] SIZES = {60, 64, 65, 128, 500, 1000, 1514, 1518, 1522, 4000, 8999, 9000};

    private static Netns nsA;
    private static Netns nsB;
    private static String ifA;
    private static String ifB;
    private static String ifA2;
    private static String ifB2;

    @BeforeAll
    static void createNamespaces()
    {
        nsA = Netns.create("vbgw-psa");
        nsB = Netns.create("vbgw-psb");
        ifA = Netns.interfaceName("psa");
        ifB = Netns.interfaceName("psb");
        nsA.veth(ifA, nsB, ifB, 9000);
        ifA2 = Netns.interfaceName("psa2");
        ifB2 = Netns.interfaceName("psb2");
        nsA.veth(ifA2, nsB, ifB2, 9000);
    }

    @AfterAll
    static void deleteNamespaces()
    {
        if (nsA != null)
        {
            nsA.close();
        }
        if (nsB != null)
        {
            nsB.close();
        }
    }

    @Test
    void framesArriveByteIdenticalBothWaysTaggedAndUntagged()
    {
        try (PacketSocket a = open(nsA, ifA, new PacketSocketOptions().tx(PacketSocketOptions.TxMode.RING, 256));
            PacketSocket b = open(nsB, ifB, new PacketSocketOptions().tx(PacketSocketOptions.TxMode.SEND, 1)))
        {
            assertEquals(9000, a.mtu());
            assertEquals(LinkState.UP, a.linkState());
            final List<byte[]> frames = new ArrayList<>();
            int sequence = 0;
            for (final int size : SIZES)
            {
                frames.add(TestFrames.frame(MAC_B, MAC_A, 0, 0, 0, sequence++, size));
                frames.add(TestFrames.frame(MAC_B, MAC_A, 0x8100, 0x2064, 0, sequence++, size));
                frames.add(TestFrames.frame(MAC_B, MAC_A, 0x8100, 0xE000, 0, sequence++, size));
                frames.add(TestFrames.frame(MAC_B, MAC_A, 0x88A8, 0x012C, 0x0C8, sequence++, size));
            }
            roundTrip(a, b, frames, MAC_A);

            final List<byte[]> back = new ArrayList<>();
            for (final byte[] f : frames)
            {
                final byte[] copy = f.clone();
                TestFrames.putMac(copy, 0, MAC_A);
                TestFrames.putMac(copy, 6, MAC_B);
                back.add(copy);
            }
            roundTrip(b, a, back, MAC_B);
            assertEquals(frames.size(), a.statistics().txFrames());
            assertEquals(frames.size(), b.statistics().rxFrames());
            assertEquals(0, b.statistics().rxDropsTotal());
        }
    }

    @Test
    void receivedFramesAreRewrittenInPlaceAndForwardedOutOfAnotherPort()
    {
        // A --ifA/ifB--> [B: receive, rewrite MACs in the ring, send] --ifB2/ifA2--> A
        try (PacketSocket source = open(nsA, ifA, new PacketSocketOptions());
            PacketSocket in = open(nsB, ifB, new PacketSocketOptions());
            PacketSocket out = open(nsB, ifB2, new PacketSocketOptions().tx(PacketSocketOptions.TxMode.RING, 64));
            PacketSocket sink = open(nsA, ifA2, new PacketSocketOptions()))
        {
            final long nextHop = 0x02_00_00_00_0C_0CL;
            final List<byte[]> expected = new ArrayList<>();
            int sequence = 0;
            for (final int size : new int[] {60, 1514, 9000})
            {
                for (final int tpid : new int[] {0, 0x8100, 0x88A8})
                {
                    final byte[] f = TestFrames.frame(MAC_B, MAC_A, tpid, 0x0123, 0x0456, sequence++, size);
                    assertTrue(source.send(new UnsafeBuffer(f), 0, f.length));
                    final byte[] rewritten = f.clone();
                    TestFrames.putMac(rewritten, 0, nextHop);
                    TestFrames.putMac(rewritten, 6, out.macAddress());
                    expected.add(rewritten);
                }
            }
            source.flush();
            final long outMac = out.macAddress();
            final int[] forwarded = new int[1];
            final org.vbgw.io.FrameHandler forward = (buffer, offset, length) ->
            {
                buffer.putShort(offset, (short)(nextHop >>> 32), java.nio.ByteOrder.BIG_ENDIAN);
                buffer.putInt(offset + 2, (int)nextHop, java.nio.ByteOrder.BIG_ENDIAN);
                buffer.putShort(offset + 6, (short)(outMac >>> 32), java.nio.ByteOrder.BIG_ENDIAN);
                buffer.putInt(offset + 8, (int)outMac, java.nio.ByteOrder.BIG_ENDIAN);
                assertTrue(out.send(buffer, offset, length));
                forwarded[0]++;
            };
            final long deadline = System.nanoTime() + 3_000_000_000L;
            while (forwarded[0] < expected.size() && System.nanoTime() < deadline)
            {
                in.receive(forward, 16);
                out.flush();
            }
            assertEquals(expected.size(), forwarded[0]);
            final List<byte[]> received = new ArrayList<>();
            while (received.size() < expected.size() && System.nanoTime() < deadline + 2_000_000_000L)
            {
                sink.receive((buffer, offset, length) -> received.add(TestFrames.copy(buffer, offset, length)), 16);
            }
            assertEquals(expected.size(), received.size());
            for (int i = 0; i < expected.size(); i++)
            {
                assertArrayEquals(expected.get(i), received.get(i), "forwarded frame " + i);
            }
        }
    }

    @Test
    void burstLargerThanRingIsCountedNotLost()
    {
        final int sent = 3000;
        try (PacketSocket a = open(nsA, ifA, new PacketSocketOptions().tx(PacketSocketOptions.TxMode.RING, 512));
            PacketSocket b = open(nsB, ifB, new PacketSocketOptions().rxRing(16384, 4)))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1000]);
            for (int i = 0; i < sent; i++)
            {
                buffer.wrap(TestFrames.frame(MAC_B, MAC_A, 0x8100, 7, 0, i, 1000));
                while (!a.send(buffer, 0, 1000))
                {
                    a.flush();
                    Thread.onSpinWait();
                }
                if ((i & 63) == 63)
                {
                    a.flush();
                }
            }
            a.flush();
            sleep(200);
            final int[] received = new int[1];
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < deadline)
            {
                if (b.receive((buf, offset, length) ->
                {
                    assertEquals(1000, length);
                    assertEquals(MAC_A, TestFrames.sourceMac(buf, offset));
                    received[0]++;
                }, 64) == 0)
                {
                    sleep(5);
                }
            }
            final long drops = b.statistics().rxKernelDrops();
            assertTrue(drops > 0, "a burst of " + sent + " into a 64 KiB ring must overflow it");
            assertEquals(sent, received[0] + drops, "received " + received[0] + " + dropped " + drops);
            assertEquals(received[0], b.statistics().rxFrames());
        }
    }

    @Test
    void fanoutSharesFlowsAndPromiscuousModeLastsWhileOpen()
    {
        final int flows = 200;
        try (PacketSocket a = open(nsA, ifA, new PacketSocketOptions());
            PacketSocket b1 = open(nsB, ifB, new PacketSocketOptions().fanoutHash(77).promiscuous(true));
            PacketSocket b2 = open(nsB, ifB, new PacketSocketOptions().fanoutHash(77).qdiscBypass(true)))
        {
            // A membership raises the promiscuity count (ip -d), not the user-visible PROMISC flag.
            assertTrue(nsB.exec("ip", "-d", "link", "show", ifB).contains("promiscuity 1"));
            for (int round = 0; round < 2; round++)
            {
                for (int flow = 0; flow < flows; flow++)
                {
                    final byte[] f = udpFrame(flow, round);
                    assertTrue(a.send(new UnsafeBuffer(f), 0, f.length));
                }
                a.flush();
            }
            final int[][] seenBy = new int[2][flows * 2];
            final long deadline = System.nanoTime() + 3_000_000_000L;
            int total = 0;
            while (total < flows * 2 && System.nanoTime() < deadline)
            {
                total += b1.receive((buffer, offset, length) ->
                    seenBy[0][buffer.getShort(offset + 18, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF]++, 64);
                total += b2.receive((buffer, offset, length) ->
                    seenBy[1][buffer.getShort(offset + 18, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF]++, 64);
            }
            assertEquals(flows * 2, total, "every frame delivered once to the group");
            int toFirst = 0;
            for (int i = 0; i < flows * 2; i++)
            {
                assertEquals(1, seenBy[0][i] + seenBy[1][i], "frame " + i + " exactly once");
                toFirst += seenBy[0][i];
            }
            for (int flow = 0; flow < flows; flow++)
            {
                assertEquals(seenBy[0][flow], seenBy[0][flows + flow], "flow " + flow + " stays on one socket");
            }
            assertTrue(toFirst > 0 && toFirst < flows * 2, "both sockets get flows: " + toFirst + " of " + flows * 2 + " to the first");
        }
        assertTrue(nsB.exec("ip", "-d", "link", "show", ifB).contains("promiscuity 0"), "promiscuous mode undone on close");
    }

    /** An IPv4/UDP frame: its UDP source port is its flow, its IPv4 identification its index. */
    private static byte[] udpFrame(final int flow, final int round)
    {
        final byte[] f = TestFrames.frame(MAC_B, MAC_A, 0, 0, 0, flow, 128);
        TestFrames.putShort(f, 12, 0x0800);
        f[14] = 0x45;
        f[15] = 0;
        TestFrames.putShort(f, 16, 128 - 14);
        TestFrames.putShort(f, 20, 0);
        f[22] = 64;
        f[23] = 17;
        TestFrames.putShort(f, 26, 0x0A00);
        TestFrames.putShort(f, 28, 0x0001);
        TestFrames.putShort(f, 30, 0x0A00);
        TestFrames.putShort(f, 32, 0x0002);
        TestFrames.putShort(f, 18, round * 200 + flow); // IPv4 identification: the frame's index
        TestFrames.putShort(f, 34, 1000 + flow); // UDP source port: the flow
        TestFrames.putShort(f, 36, 9);
        TestFrames.putShort(f, 38, 128 - 34);
        return f;
    }

    @Test
    void missingInterfaceIsNamedWithErrnoTextAndNothingLeftOpen()
    {
        final int descriptorsBefore = openDescriptors();
        for (int i = 0; i < 20; i++)
        {
            final PortException ex = assertThrows(PortException.class, () -> PacketSocket.open("vbgwnone0x"));
            assertTrue(ex.getMessage().contains("vbgwnone0x"), ex.getMessage());
            assertTrue(ex.getMessage().contains("No such device"), ex.getMessage());
            assertEquals(19, ex.errno());
        }
        final PortException tooSmall = assertThrows(PortException.class,
            () -> open(nsA, ifA, new PacketSocketOptions().rxRing(4096, 4)));
        assertTrue(tooSmall.getMessage().startsWith(ifA + ": rx ring block size 4096"), tooSmall.getMessage());
        assertEquals(descriptorsBefore, openDescriptors(), "failed opens close their sockets");
    }

    private static int openDescriptors()
    {
        final String[] fds = new java.io.File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    @Test
    void withoutCapNetRawTheErrorSaysWhatIsMissing() throws InterruptedException
    {
        final Throwable thrown = Capabilities.runWithout(() -> open(nsA, ifA, new PacketSocketOptions()),
            Capabilities.CAP_NET_RAW);
        assertTrue(thrown instanceof PortException, String.valueOf(thrown));
        assertTrue(thrown.getMessage().startsWith(ifA + ": socket(AF_PACKET, SOCK_RAW) failed: Operation not permitted"),
            thrown.getMessage());
        assertTrue(thrown.getMessage().contains("CAP_NET_RAW"), thrown.getMessage());
    }

    @Test
    void interfaceWithOffloadsOnIsRefusedWithTheFix()
    {
        final String x = Netns.interfaceName("psx");
        final String y = Netns.interfaceName("psy");
        nsA.vethWithOffloads(x, nsB, y, 1500);
        final PortException ex = assertThrows(PortException.class, () -> open(nsA, x, new PacketSocketOptions()));
        assertTrue(ex.getMessage().contains("ethtool -K " + x), ex.getMessage());
        assertTrue(ex.getMessage().contains("tx off"), ex.getMessage());
        try (PacketSocket unchecked = open(nsA, x, new PacketSocketOptions().checkOffloads(false)))
        {
            assertEquals(1500, unchecked.mtu());
        }
    }

    @Test
    void closingTwiceIsHarmless()
    {
        final PacketSocket a = open(nsA, ifA, new PacketSocketOptions());
        a.close();
        a.close();
        assertEquals(LinkState.UNKNOWN, a.linkState());
        assertEquals(0, a.receive((buffer, offset, length) -> { }, 10), "no access to the unmapped ring");
        final byte[] frame = TestFrames.frame(MAC_B, MAC_A, 0, 0, 0, 1, 60);
        assertTrue(!a.send(new UnsafeBuffer(frame), 0, frame.length), "closed ports refuse frames");
        assertEquals(1, a.statistics().txDrops());
    }

    static PacketSocket open(final Netns ns, final String name, final PacketSocketOptions options)
    {
        return ns.call(() -> PacketSocket.open(name, options));
    }

    private static void roundTrip(final Port from, final Port to, final List<byte[]> frames, final long source)
    {
        for (final byte[] f : frames)
        {
            assertTrue(from.send(new UnsafeBuffer(f), 0, f.length), "send " + f.length);
        }
        from.flush();
        final List<byte[]> received = new ArrayList<>();
        final long deadline = System.nanoTime() + 3_000_000_000L;
        while (received.size() < frames.size() && System.nanoTime() < deadline)
        {
            if (to.receive((buffer, offset, length) ->
            {
                if (TestFrames.sourceMac(buffer, offset) == source)
                {
                    received.add(TestFrames.copy(buffer, offset, length));
                }
            }, 16) == 0)
            {
                Thread.onSpinWait();
            }
        }
        assertEquals(frames.size(), received.size(), "frames received");
        for (int i = 0; i < frames.size(); i++)
        {
            assertArrayEquals(frames.get(i), received.get(i), "frame " + i + " of " + frames.get(i).length + " bytes");
        }
    }

    private static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
