package org.vbgw.dataplane.liveness;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.vbgw.dataplane.packet.BfdControlFlyweight;
import org.vbgw.fib.IpPrefix;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vbgw.dataplane.packet.BfdControlFlyweight.*;

/** The RFC 5880 state machine, timers, poll/final and authentication, on packets passed by hand. */
class BfdSessionTest
{
    private static final long MS = 1_000_000L;
    private final List<String> changes = new ArrayList<>();
    private final UnsafeBuffer wire = new UnsafeBuffer(new byte[128]);
    private final BfdControlFlyweight packet = new BfdControlFlyweight();

    private BfdSessionConfig config(final long txUs, final long rxUs, final int mult)
    {
        return BfdSessionConfig.of(0, IpPrefix.parse("10.0.0.1"), IpPrefix.parse("10.0.0.2"), txUs, rxUs, mult, 0);
    }

    private BfdSession session(final String name, final BfdSessionConfig config, final int discriminator)
    {
        return new BfdSession(config, discriminator,
            (s, from, to, now) -> changes.add(name + " " + BfdSession.stateName(from) + "->" + BfdSession.stateName(to)),
            new SplittableRandom(discriminator), 0);
    }

    /** Sends one packet from {@code from} to {@code to}; returns the receive result. */
    private int pass(final BfdSession from, final BfdSession to, final long nowNs)
    {
        final int length = from.writePacket(packet.wrap(wire, 0), nowNs);
        assertTrue(packet.wrap(wire, 0).isValid(length));
        return to.onPacket(packet, nowNs);
    }

    @Test
    void twoSessionsComeUpThroughInitAndThenPollDownToTheirConfiguredTimers()
    {
        final BfdSession a = session("a", config(10_000, 10_000, 3), 0x11111111);
        final BfdSession b = session("b", config(10_000, 10_000, 3), 0x22222222);
        assertEquals(BfdSession.SLOW_TX_US, a.desiredMinTxUs(), "one second while not Up (§6.8.3)");
        assertEquals(BfdSession.ACCEPTED, pass(a, b, 0));
        assertEquals(STATE_INIT, b.state());
        assertEquals(0x11111111, b.remoteDiscriminator());
        pass(b, a, 1 * MS);
        assertEquals(STATE_UP, a.state());
        assertTrue(a.polling(), "Up: the faster timer is announced by a poll");
        pass(a, b, 2 * MS);
        assertEquals(STATE_UP, b.state());
        assertEquals(List.of("b down->init", "a down->up", "b init->up"), changes);

        // a's poll reached b (it carried P): b answers with F and a ends its poll.
        packet.wrap(wire, 0);
        assertTrue(b.txDue(2 * MS), "a final is due at once");
        b.writePacket(packet, 2 * MS);
        assertTrue(packet.fin());
        assertFalse(packet.poll(), "never P and F together");
        a.onPacket(packet, 2 * MS);
        assertFalse(a.polling());
        // b polls for its own change; a answers.
        assertTrue(b.polling());
        pass(b, a, 3 * MS);
        pass(a, b, 3 * MS);
        assertFalse(b.polling());
        assertEquals(10_000, a.txIntervalUs());
        assertEquals(10_000, b.txIntervalUs());
        assertEquals(30 * MS, a.detectionTimeNs(), "3 x 10 ms");
    }

    private BfdSession[] up(final BfdSessionConfig ca, final BfdSessionConfig cb)
    {
        final BfdSession a = session("a", ca, 1);
        final BfdSession b = session("b", cb, 2);
        pass(a, b, 0);
        pass(b, a, 0);
        pass(a, b, 0);
        for (int i = 0; i < 4; i++)
        {
            pass(b, a, 0);
            pass(a, b, 0);
        }
        assertEquals(STATE_UP, a.state());
        assertEquals(STATE_UP, b.state());
        assertFalse(a.polling());
        assertFalse(b.polling());
        changes.clear();
        return new BfdSession[] {a, b};
    }

    @Test
    void lateArrivalsAndLateTransmitsAreCountedWhileUp()
    {
        final BfdSession[] s = up(config(10_000, 10_000, 3), config(10_000, 10_000, 3));
        final BfdSession a = s[0];
        final BfdSession b = s[1];
        assertEquals(30 * MS, a.detectionTimeNs());
        pass(b, a, 1_000 * MS);
        pass(b, a, 1_010 * MS);
        assertEquals(0, a.lateRxGaps(), "10 ms apart: on time");
        pass(b, a, 1_026 * MS);
        assertEquals(1, a.lateRxGaps(), "16 ms is over half of the 30 ms detection time");
        assertEquals(16 * MS, a.maxRxGapNs());
        pass(b, a, 1_040 * MS);
        assertEquals(1, a.lateRxGaps());
        assertEquals(16 * MS, a.maxRxGapNs(), "the longest gap is kept");

        // a's own packets: 2 ms past the scheduled time is within a quarter of 10 ms; 4 ms is not.
        final long due = a.nextTxNs();
        a.writePacket(packet.wrap(wire, 0), due + 2 * MS);
        assertEquals(0, a.lateTxPackets());
        assertEquals(2 * MS, a.maxTxLateNs());
        final long next = a.nextTxNs();
        a.writePacket(packet.wrap(wire, 0), next + 4 * MS);
        assertEquals(1, a.lateTxPackets());
        assertEquals(4 * MS, a.maxTxLateNs());
    }

    @Test
    void detectionTimeExpiresExactlyAfterMultiplierTimesTheNegotiatedInterval()
    {
        final BfdSession[] s = up(config(10_000, 10_000, 3), config(50_000, 20_000, 5));
        final BfdSession a = s[0];
        // a hears b at most every max(a's rx 10 ms, b's tx 50 ms) = 50 ms, and b's multiplier is 5.
        assertEquals(250 * MS, a.detectionTimeNs());
        pass(s[1], a, 1_000 * MS);
        assertFalse(a.checkDetection(1_249 * MS));
        assertTrue(a.checkDetection(1_250 * MS));
        assertEquals(STATE_DOWN, a.state());
        assertEquals(DIAG_DETECTION_TIME_EXPIRED, a.diag());
        assertEquals(0, a.remoteDiscriminator(), "§6.8.1: forgotten when the detection time expires");
        assertEquals(BfdSession.SLOW_TX_US, a.desiredMinTxUs(), "back to one second");
        assertEquals(List.of("a up->down"), changes);
    }

    @Test
    void aPeerSignallingDownOrAdminDownTakesTheSessionDown()
    {
        final BfdSession[] s = up(config(10_000, 10_000, 3), config(10_000, 10_000, 3));
        packet.wrap(wire, 0).write(DIAG_NONE, STATE_DOWN, 0, 3, 2, 1, 1_000_000, 10_000, AUTH_NONE);
        assertEquals(BfdSession.ACCEPTED, s[0].onPacket(packet, 5 * MS));
        assertEquals(STATE_DOWN, s[0].state());
        assertEquals(DIAG_NEIGHBOR_SIGNALED_DOWN, s[0].diag());

        final BfdSession[] t = up(config(10_000, 10_000, 3), config(10_000, 10_000, 3));
        packet.wrap(wire, 0).write(DIAG_ADMIN_DOWN, STATE_ADMIN_DOWN, 0, 3, 2, 1, 1_000_000, 10_000, AUTH_NONE);
        t[0].onPacket(packet, 5 * MS);
        assertEquals(STATE_DOWN, t[0].state());
        assertEquals(STATE_ADMIN_DOWN, t[0].remoteState());
    }

    @Test
    void packetsThatMustBeDiscardedAre()
    {
        final BfdSession a = session("a", config(10_000, 10_000, 3), 7);
        // §6.8.6: Your Discriminator zero while the sender says Up.
        packet.wrap(wire, 0).write(DIAG_NONE, STATE_UP, 0, 3, 9, 0, 10_000, 10_000, AUTH_NONE);
        assertEquals(BfdSession.DISCARD_STATE, a.onPacket(packet, 0));
        assertEquals(STATE_DOWN, a.state());
        // Authentication present on an unauthenticated session.
        packet.write(DIAG_NONE, STATE_DOWN, 0, 3, 9, 0, 10_000, 10_000, AUTH_KEYED_MD5);
        assertEquals(BfdSession.DISCARD_AUTH, a.onPacket(packet, 0));

        packet.write(DIAG_NONE, STATE_DOWN, 0, 3, 9, 0, 10_000, 10_000, AUTH_NONE);
        assertTrue(packet.isValid(24));
        assertFalse(packet.isValid(23), "shorter than the mandatory section");
        wire.putByte(0, (byte)(2 << 5));
        assertFalse(packet.isValid(24), "version 2");
        packet.write(DIAG_NONE, STATE_DOWN, 0, 0, 9, 0, 10_000, 10_000, AUTH_NONE);
        assertFalse(packet.isValid(24), "detect multiplier 0");
        packet.write(DIAG_NONE, STATE_DOWN, FLAG_MULTIPOINT, 3, 9, 0, 10_000, 10_000, AUTH_NONE);
        assertFalse(packet.isValid(24), "multipoint");
        packet.write(DIAG_NONE, STATE_DOWN, 0, 3, 0, 0, 10_000, 10_000, AUTH_NONE);
        assertFalse(packet.isValid(24), "my discriminator 0");
        packet.write(DIAG_NONE, STATE_DOWN, 0, 3, 9, 0, 10_000, 10_000, AUTH_NONE);
        wire.putByte(LENGTH_OFFSET, (byte)40);
        assertFalse(packet.isValid(24), "length beyond the payload");
    }

    @Test
    void changingTimersOfARunningSessionWaitsForTheFinalBeforeSlowingDown()
    {
        final BfdSession[] s = up(config(10_000, 10_000, 3), config(10_000, 10_000, 3));
        final BfdSession a = s[0];
        a.modify(100_000, 100_000, 3, 10 * MS);
        assertTrue(a.polling());
        assertEquals(10_000, a.txIntervalUs(), "a slower transmit waits for the final (§6.8.3)");
        assertEquals(300 * MS, a.detectionTimeNs(), "a slower receive applies at once");
        packet.wrap(wire, 0);
        a.writePacket(packet, 10 * MS);
        assertTrue(packet.poll());
        assertEquals(100_000, packet.desiredMinTxUs());
        s[1].onPacket(packet, 10 * MS);
        pass(s[1], a, 10 * MS);
        assertFalse(a.polling());
        assertEquals(100_000, a.txIntervalUs());
        assertEquals(30 * MS, s[1].detectionTimeNs() / 10, "b now expects a every 100 ms, x3");
    }

    @Test
    void transmitIntervalIsJitteredTo75To100PercentAnd90WithMultiplierOne()
    {
        final BfdSession[] s = up(config(100_000, 100_000, 3), config(100_000, 100_000, 3));
        long min = Long.MAX_VALUE;
        long max = 0;
        long now = 0;
        for (int i = 0; i < 2000; i++)
        {
            s[0].writePacket(packet.wrap(wire, 0), now);
            final long gap = s[0].nextTxNs() - now;
            min = Math.min(min, gap);
            max = Math.max(max, gap);
            now += gap;
        }
        assertTrue(min >= 75 * MS && min < 77 * MS, "min " + min);
        assertTrue(max <= 100 * MS && max > 98 * MS, "max " + max);

        final BfdSession[] t = up(config(100_000, 100_000, 1), config(100_000, 100_000, 1));
        max = 0;
        for (int i = 0; i < 2000; i++)
        {
            t[0].writePacket(packet.wrap(wire, 0), 0);
            max = Math.max(max, t[0].nextTxNs());
        }
        assertTrue(max <= 90 * MS, "max " + max);
    }

    @Test
    void keyedMd5AndSha1DigestsAreTheRfcConstructionAndVerify() throws Exception
    {
        for (final int type : new int[] {AUTH_KEYED_MD5, AUTH_METICULOUS_KEYED_MD5, AUTH_KEYED_SHA1,
            AUTH_METICULOUS_KEYED_SHA1})
        {
            final byte[] key = "s3cret".getBytes(StandardCharsets.US_ASCII);
            final BfdAuth auth = new BfdAuth(type, 5, key);
            packet.wrap(wire, 0);
            final int length = packet.write(DIAG_NONE, STATE_DOWN, 0, 3, 0x01020304, 0, 1_000_000, 300_000, type);
            auth.sign(packet, 0xFFFFFFFEL);
            final boolean md5 = type <= AUTH_METICULOUS_KEYED_MD5;
            assertEquals(md5 ? 48 : 52, length);
            assertEquals(md5 ? 24 : 28, packet.authLen());
            assertEquals(5, packet.authKeyId());
            assertEquals(0xFFFFFFFEL, packet.authSequence());

            // Independently: the packet with the zero-padded key in the digest field, hashed (§6.7.3, §6.7.4).
            final byte[] bytes = new byte[length];
            wire.getBytes(0, bytes);
            final byte[] received = Arrays.copyOfRange(bytes, 32, length);
            final byte[] withKey = bytes.clone();
            Arrays.fill(withKey, 32, length, (byte)0);
            System.arraycopy(key, 0, withKey, 32, key.length);
            assertArrayEquals(MessageDigest.getInstance(md5 ? "MD5" : "SHA-1").digest(withKey), received);

            assertTrue(auth.verify(packet));
            assertFalse(new BfdAuth(type, 5, "other".getBytes(StandardCharsets.US_ASCII)).verify(packet), "wrong key");
            assertFalse(new BfdAuth(type, 6, key).verify(packet), "wrong key ID");
            wire.putByte(DESIRED_MIN_TX_OFFSET + 3, (byte)1);
            assertFalse(auth.verify(packet), "a changed byte");
        }
        assertThrows(IllegalArgumentException.class, () -> new BfdAuth(AUTH_SIMPLE_PASSWORD, 1, new byte[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new BfdAuth(AUTH_KEYED_MD5, 1, new byte[17]));
    }

    @Test
    void authenticatedSessionsComeUpAndRejectReplaysAsTheirTypeDemands()
    {
        final byte[] key = "k".getBytes(StandardCharsets.US_ASCII);
        for (final int type : new int[] {AUTH_KEYED_SHA1, AUTH_METICULOUS_KEYED_SHA1, AUTH_METICULOUS_KEYED_MD5})
        {
            final BfdSessionConfig c = config(10_000, 10_000, 3).withAuth(type, 1, key);
            final BfdSession[] s = up(c, c);
            final int length = s[1].writePacket(packet.wrap(wire, 0), 0);
            final byte[] copy = new byte[length];
            wire.getBytes(0, copy);
            assertEquals(BfdSession.ACCEPTED, s[0].onPacket(packet, 0));
            // The same packet again: a keyed session accepts a repeated sequence number, a meticulous one not.
            assertEquals(BfdControlFlyweight.isMeticulous(type) ? BfdSession.DISCARD_SEQUENCE : BfdSession.ACCEPTED,
                s[0].onPacket(packet, 0), "type " + type);
            // Far ahead of the window of 3 x DetectMult.
            final BfdAuth signer = new BfdAuth(type, 1, key);
            packet.write(DIAG_NONE, STATE_UP, 0, 3, 2, 1, 10_000, 10_000, type);
            signer.sign(packet, packet.authSequence() + 100);
            assertEquals(BfdSession.DISCARD_SEQUENCE, s[0].onPacket(packet, 0));
            // Unauthenticated packet to an authenticated session.
            packet.write(DIAG_NONE, STATE_UP, 0, 3, 2, 1, 10_000, 10_000, AUTH_NONE);
            assertEquals(BfdSession.DISCARD_AUTH, s[0].onPacket(packet, 0));
            assertEquals(STATE_UP, s[0].state());
        }
    }

    @Test
    void configurationIsCheckedWithReasons()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> config(5_000, 10_000, 3));
        assertTrue(ex.getMessage().contains("10 ms .. 10 s"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> config(10_000, 10_000, 0));
        assertThrows(IllegalArgumentException.class, () -> BfdSessionConfig.of(0, IpPrefix.parse("10.0.0.1"),
            IpPrefix.parse("2001:db8::2"), 10_000, 10_000, 3, 0));
    }
}
