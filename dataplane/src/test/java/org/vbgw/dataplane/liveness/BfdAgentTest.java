package org.vbgw.dataplane.liveness;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vbgw.dataplane.Dataplane;
import org.vbgw.dataplane.packet.BfdControlFlyweight;
import org.vbgw.dataplane.packet.InternetChecksum;
import org.vbgw.dataplane.packet.Ipv4Flyweight;
import org.vbgw.dataplane.vif.SourceCheck;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.MemoryPort;
import org.vbgw.io.Port;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The BFD agent inside an assembled data plane on in-memory ports, time turned by hand: what it puts on the
 * wire, what it accepts, and how a session's state moves the peer's next hop.
 */
class BfdAgentTest
{
    private static final long MS = 1_000_000L;
    private static final long DX1_MAC = 0x02_00_00_00_00_A0L;
    private static final long CPE_MAC = 0x02_00_00_00_00_E1L;
    private static final int GW = 0x0A000001;
    private static final int CPE = 0x0A000002;

    private final MemoryPort[] idc = MemoryPort.pair("idc", "idc-peer", 1 << 20, 1500);
    private final MemoryPort[] tap = MemoryPort.pair("tap-dx1", "host", 1 << 20, 1500);
    private long now = 1_000_000_000L;
    private Dataplane dp;
    /** The customer router's side of the session, run by the test. */
    private BfdSession cpe;
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[256]);

    @BeforeEach
    void setUp()
    {
        dp = new Dataplane(new Port[] {idc[0]}, Dataplane.Config.defaults(), () -> now);
        dp.addVif(new Vif(0, "dx1", 0, 100, 0, 0, DX1_MAC, 1500, List.of(IpPrefix.parse("10.0.0.1")),
            List.of(IpPrefix.parse("10.0.0.0/30")), SourceCheck.STRICT, true), tap[0]);
        dp.addStaticNeighbour(0, false, 0, CPE, CPE_MAC);
        dp.addNextHop(1, 0, false, 0, CPE);
        dp.fib().addGroup(1, new int[] {1}, null, Fib.NO_GROUP);
        dp.fib().addRoute(IpPrefix.parse("192.168.0.0/16"), 1);
        drain(idc[1]);
        cpe = new BfdSession(BfdSessionConfig.of(0, IpPrefix.parse("10.0.0.2"), IpPrefix.parse("10.0.0.1"), 10_000,
            10_000, 3, 0), 0x0C0C0C0C, (s, from, to, t) -> { }, new SplittableRandom(1), now);
    }

    @AfterEach
    void tearDown()
    {
        dp.close();
    }

    private static List<byte[]> drain(final MemoryPort far)
    {
        final List<byte[]> out = new ArrayList<>();
        far.receive((MutableDirectBuffer b, int o, int l) ->
        {
            final byte[] f = new byte[l];
            b.getBytes(o, f);
            out.add(f);
        }, 1000);
        return out;
    }

    private void run()
    {
        for (int i = 0; i < 3; i++)
        {
            dp.doWorkerWork();
            dp.doControlWork();
        }
    }

    /** The cpe's next packet as a tagged frame from {@code src} with {@code ttl}. */
    private byte[] cpeFrame(final int src, final int ttl)
    {
        final int l3 = 18;
        putMac(0, DX1_MAC);
        putMac(6, CPE_MAC);
        frame.putByte(12, (byte)0x81);
        frame.putByte(13, (byte)0x00);
        frame.putByte(14, (byte)0);
        frame.putByte(15, (byte)100);
        frame.putByte(16, (byte)0x08);
        frame.putByte(17, (byte)0x00);
        final BfdControlFlyweight bfd = new BfdControlFlyweight().wrap(frame, l3 + 28);
        final int length = cpe.writePacket(bfd, now);
        final Ipv4Flyweight ip = new Ipv4Flyweight().wrap(frame, l3);
        ip.versionAndHeaderLength(20).tos(0xC0).totalLength(28 + length).identification(1).flagsAndFragmentOffset(0)
            .ttl(ttl).protocol(17).srcAddress(src).dstAddress(GW).updateChecksum();
        frame.putShort(l3 + 20, (short)Short.reverseBytes((short)49200));
        frame.putShort(l3 + 22, (short)Short.reverseBytes((short)3784));
        frame.putShort(l3 + 24, (short)Short.reverseBytes((short)(8 + length)));
        frame.putShort(l3 + 26, (short)0); // no UDP checksum (allowed in IPv4)
        final byte[] bytes = new byte[l3 + 28 + length];
        frame.getBytes(0, bytes);
        return bytes;
    }

    private void putMac(final int offset, final long mac)
    {
        for (int i = 0; i < 6; i++)
        {
            frame.putByte(offset + i, (byte)(mac >>> (8 * (5 - i))));
        }
    }

    private void fromCpe(final byte[] f)
    {
        assertTrue(idc[1].send(new UnsafeBuffer(f), 0, f.length));
        idc[1].flush();
    }

    /** Hands every BFD frame vbgw sent to the cpe session. */
    private int toCpe()
    {
        int n = 0;
        for (final byte[] f : drain(idc[1]))
        {
            final UnsafeBuffer b = new UnsafeBuffer(f);
            final BfdControlFlyweight bfd = new BfdControlFlyweight().wrap(b, 18 + 28);
            assertTrue(bfd.isValid(f.length - 18 - 28));
            cpe.onPacket(bfd, now);
            n++;
        }
        return n;
    }

    private long counter(final String label)
    {
        final long[] value = {-1};
        dp.counters().forEach((id, l) ->
        {
            if (l.equals(label))
            {
                value[0] = dp.counters().getCounterValue(id);
            }
        });
        return value[0];
    }

    private BfdSessionView view()
    {
        return dp.bfdSessions().get(0);
    }

    @Test
    void packetsLeaveTaggedWithTtl255ValidChecksumsAndASourcePortFromTheRfc5881Range()
    {
        dp.addBfdSession(BfdSessionConfig.of(0, IpPrefix.parse("10.0.0.1"), IpPrefix.parse("10.0.0.2"), 10_000, 10_000,
            3, 100 * MS));
        run();
        final List<byte[]> sent = drain(idc[1]);
        assertEquals(1, sent.size());
        final ByteBuffer f = ByteBuffer.wrap(sent.get(0));
        assertEquals(CPE_MAC, f.getLong(0) >>> 16);
        assertEquals(0x8100, f.getShort(12) & 0xFFFF);
        assertEquals(100, f.getShort(14) & 0x0FFF);
        assertEquals(0x0800, f.getShort(16) & 0xFFFF);
        assertEquals(255, f.get(18 + 8) & 0xFF, "TTL 255 (RFC 5881 §5)");
        assertEquals(0xC0, f.get(18 + 1) & 0xFF, "CS6");
        assertTrue(InternetChecksum.isValid(new UnsafeBuffer(sent.get(0)), 18, 20));
        final int sport = f.getShort(38) & 0xFFFF;
        assertTrue(sport >= 49152, "source port " + sport);
        assertEquals(3784, f.getShort(40) & 0xFFFF);
        final int udpLength = f.getShort(42) & 0xFFFF;
        final long pseudo = InternetChecksum.ipv4PseudoHeader(GW, CPE, 17, udpLength);
        assertEquals(0, InternetChecksum.finish(pseudo + InternetChecksum.partial(new UnsafeBuffer(sent.get(0)), 38,
            udpLength)), "UDP checksum over the pseudo-header");
        final BfdControlFlyweight bfd = new BfdControlFlyweight().wrap(new UnsafeBuffer(sent.get(0)), 46);
        assertEquals(BfdControlFlyweight.STATE_DOWN, bfd.state());
        assertEquals(0, bfd.yourDiscriminator());
        assertEquals(1_000_000, bfd.desiredMinTxUs(), "one second while not Up");
        assertEquals(10_000, bfd.requiredMinRxUs());
        assertEquals(3, bfd.detectMult());
        now += 500 * MS;
        run();
        assertEquals(0, drain(idc[1]).size(), "the next packet waits its (jittered) second");
        now += 600 * MS;
        run();
        assertEquals(1, drain(idc[1]).size());
    }

    @Test
    void aSessionThatWasUpTakesItsPeersNextHopDownAtOnceAndBackAfterTheHoldDown()
    {
        dp.addBfdSession(BfdSessionConfig.of(0, IpPrefix.parse("10.0.0.1"), IpPrefix.parse("10.0.0.2"), 10_000, 10_000,
            3, 100 * MS));
        run();
        toCpe();
        fromCpe(cpeFrame(CPE, 255));
        run();
        toCpe();
        assertEquals("up", view().state());
        // Both polls end; the session runs at 10 ms.
        for (int i = 0; i < 5; i++)
        {
            now += 5 * MS;
            fromCpe(cpeFrame(CPE, 255));
            run();
            toCpe();
        }
        assertEquals(10_000, view().txIntervalUs());
        assertTrue(dp.fib().nextHop(1).alive());

        now += 29 * MS;
        run();
        assertEquals("up", view().state(), "29 ms of silence is inside 3 x 10 ms");
        now += 2 * MS;
        run();
        assertEquals("down", view().state());
        assertFalse(dp.fib().nextHop(1).alive(), "invalidated the moment the detection time expired");
        assertEquals(Fib.NO_NEXT_HOP, dp.fib().selectNextHop(1, 0));
        assertTrue(view().holdingNextHops());

        toCpe();
        fromCpe(cpeFrame(CPE, 255));
        run();
        toCpe();
        fromCpe(cpeFrame(CPE, 255));
        run();
        assertEquals("up", view().state());
        assertFalse(dp.fib().nextHop(1).alive(), "the hold-down runs");
        for (int i = 0; i < 20; i++)
        {
            now += 5 * MS;
            toCpe();
            fromCpe(cpeFrame(CPE, 255));
            run();
        }
        assertTrue(dp.fib().nextHop(1).alive(), "back after 100 ms Up");
        final List<String> events = dp.events().stream().map(LivenessEvent::toString).toList();
        assertTrue(events.contains("bfd 10.0.0.2%dx1 up -> down (detection time expired) (bfd, 0 next hops)"), events.toString());
        assertTrue(events.contains("peer 10.0.0.2%dx1 up -> down (bfd, 1 next hops)"), events.toString());
        assertTrue(events.contains("peer 10.0.0.2%dx1 up (hold-down) -> up (bfd, 1 next hops)"), events.toString());
    }

    @Test
    void aWrongTtlIsDroppedAndCountedAndOtherPeersBfdGoesToTheHost()
    {
        dp.addBfdSession(BfdSessionConfig.of(0, IpPrefix.parse("10.0.0.1"), IpPrefix.parse("10.0.0.2"), 10_000, 10_000,
            3, 0));
        run();
        drain(idc[1]);
        fromCpe(cpeFrame(CPE, 254));
        run();
        assertEquals("down", view().state());
        assertEquals(0, view().rxPackets(), "a packet that may have come from off the link is not taken");
        now += 200 * MS;
        run();
        assertEquals(1, counter("bfd bad_ttl"));
        fromCpe(cpeFrame(0x0A000003, 255));
        run();
        assertEquals(1, drain(tap[1]).size(), "BFD from a peer without a session reaches the host TAP");
        fromCpe(cpeFrame(CPE, 255));
        run();
        assertEquals(1, view().rxPackets());
        assertEquals("init", view().state());
        assertEquals(0, drain(tap[1]).size());
    }
}
