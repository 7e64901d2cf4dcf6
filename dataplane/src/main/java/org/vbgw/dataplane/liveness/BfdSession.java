package org.vbgw.dataplane.liveness;

import org.vbgw.dataplane.packet.BfdControlFlyweight;

import java.util.SplittableRandom;

import static org.vbgw.dataplane.packet.BfdControlFlyweight.DIAG_DETECTION_TIME_EXPIRED;
import static org.vbgw.dataplane.packet.BfdControlFlyweight.DIAG_NEIGHBOR_SIGNALED_DOWN;
import static org.vbgw.dataplane.packet.BfdControlFlyweight.DIAG_NONE;
import static org.vbgw.dataplane.packet.BfdControlFlyweight.FLAG_FINAL;
import static org.vbgw.dataplane.packet.BfdControlFlyweight.FLAG_POLL;
import static org.vbgw.dataplane.packet.BfdControlFlyweight.STATE_ADMIN_DOWN;
import static org.vbgw.dataplane.packet.BfdControlFlyweight.STATE_DOWN;
import static org.vbgw.dataplane.packet.BfdControlFlyweight.STATE_INIT;
import static org.vbgw.dataplane.packet.BfdControlFlyweight.STATE_UP;

/**
 * One BFD session in asynchronous mode (RFC 5880): the state machine of §6.2 and §6.8.6, the timers of
 * §6.8.2-6.8.4 (transmit interval with 0-25 % jitter, detection time), the poll/final sequence that changes
 * timers of a running session, and sequence checks for keyed and meticulous keyed authentication.
 * <p>
 * No I/O: {@link BfdAgent} hands it received packets and asks it for packets to send, so the unit tests can
 * run it on crafted packets and a hand-turned clock. Times in nanoseconds, intervals on the wire in
 * microseconds. Control thread only; allocates nothing per packet.
 */
public final class BfdSession
{
    /** RFC 5880 §6.8.3: while not Up, a session sends no faster than once a second. */
    static final long SLOW_TX_US = 1_000_000L;

    /** Told of every state change. */
    @FunctionalInterface
    public interface Listener
    {
        void onStateChange(BfdSession session, int from, int to, long nowNs);
    }

    /** Why a received packet was not taken (counted by the agent). */
    public static final int ACCEPTED = 0;
    public static final int DISCARD_AUTH = 1;
    public static final int DISCARD_SEQUENCE = 2;
    public static final int DISCARD_STATE = 3;

    private final BfdSessionConfig config;
    private final int localDiscriminator;
    private final BfdAuth auth;
    private final Listener listener;
    private final SplittableRandom random;

    private int state = STATE_DOWN;
    private int diag = DIAG_NONE;
    private int remoteState = STATE_DOWN;
    private int remoteDiscriminator;
    private int remoteDiag;
    private int remoteDetectMult;
    private long remoteMinRxUs = 1;
    private long remoteDesiredMinTxUs;

    /** What the operator asked for; {@link #desiredMinTxUs} is what goes on the wire (1 s while not Up). */
    private long configuredMinTxUs;
    private long desiredMinTxUs;
    private long requiredMinRxUs;
    private int detectMult;
    /** What the tx timer and the detection time use: changes to them wait for the poll sequence (§6.8.3). */
    private long timingMinTxUs;
    private long timingMinRxUs;
    private boolean polling;
    private boolean finalDue;

    private long nextTxNs;
    private long detectDeadlineNs;
    private long lastRxNs;
    private boolean authSeqKnown;
    private long rcvAuthSeq;
    private long xmitAuthSeq;

    private long lastChangeNs;
    private long upCount;
    private long downCount;
    private long rxPackets;
    private long txPackets;
    /**
     * Timing health, for telling a flap's cause: how late packets came in while Up (the peer sent late, or this
     * side's receive path ran late) and how late this side's own packets went out (its control thread ran late).
     */
    private long maxRxGapNs;
    private long lateRxGaps;
    private long maxTxLateNs;
    private long lateTxPackets;

    public BfdSession(final BfdSessionConfig config, final int localDiscriminator, final Listener listener,
        final SplittableRandom random, final long nowNs)
    {
        if (localDiscriminator == 0)
        {
            throw new IllegalArgumentException("a BFD discriminator must not be 0 (RFC 5880 §6.8.1)");
        }
        this.config = config;
        this.localDiscriminator = localDiscriminator;
        this.auth = config.authType() == BfdControlFlyweight.AUTH_NONE ? null
            : new BfdAuth(config.authType(), config.authKeyId(), config.authKey());
        this.listener = listener;
        this.random = random;
        this.requiredMinRxUs = config.requiredMinRxUs();
        this.detectMult = config.detectMult();
        this.configuredMinTxUs = config.desiredMinTxUs();
        this.desiredMinTxUs = Math.max(SLOW_TX_US, configuredMinTxUs);
        this.timingMinTxUs = desiredMinTxUs;
        this.timingMinRxUs = requiredMinRxUs;
        this.xmitAuthSeq = random.nextInt() & 0xFFFF_FFFFL;
        this.lastChangeNs = nowNs;
        this.nextTxNs = nowNs;
    }

    public BfdSessionConfig config()
    {
        return config;
    }

    /**
     * Handles a packet that passed {@link BfdControlFlyweight#isValid} and was addressed to this session
     * (RFC 5880 §6.8.6 from the authentication check on).
     *
     * @return {@link #ACCEPTED} or why it was discarded.
     */
    public int onPacket(final BfdControlFlyweight packet, final long nowNs)
    {
        if (packet.yourDiscriminator() == 0 && packet.state() != STATE_DOWN && packet.state() != STATE_ADMIN_DOWN)
        {
            return DISCARD_STATE;
        }
        if (packet.authPresent() != (auth != null))
        {
            return DISCARD_AUTH;
        }
        if (auth != null)
        {
            if (!auth.verify(packet))
            {
                return DISCARD_AUTH;
            }
            final long seq = packet.authSequence();
            if (authSeqKnown && nowNs - lastRxNs > 2 * detectionTimeNs())
            {
                // §6.8.1: after two detection times of silence the peer may have restarted its sequence.
                authSeqKnown = false;
            }
            if (authSeqKnown && !inWindow(seq))
            {
                return DISCARD_SEQUENCE;
            }
            rcvAuthSeq = seq;
            authSeqKnown = true;
        }
        rxPackets++;
        if (state == STATE_UP && lastRxNs != 0)
        {
            // A gap over half the detection time is one more late packet from losing the session.
            final long gap = nowNs - lastRxNs;
            maxRxGapNs = Math.max(maxRxGapNs, gap);
            lateRxGaps += 2 * gap > detectionTimeNs() ? 1 : 0;
        }
        lastRxNs = nowNs;
        remoteDiscriminator = packet.myDiscriminator();
        remoteState = packet.state();
        remoteDiag = packet.diag();
        remoteDetectMult = packet.detectMult();
        remoteDesiredMinTxUs = packet.desiredMinTxUs();
        final long newRemoteMinRx = packet.requiredMinRxUs();
        if (newRemoteMinRx != remoteMinRxUs)
        {
            remoteMinRxUs = newRemoteMinRx;
            // §6.8.3: a slower peer must be honoured at once; a faster one on the next packet, which this is.
            nextTxNs = Math.min(nextTxNs, nowNs + jittered(txIntervalUs()));
        }
        if (packet.fin() && polling)
        {
            polling = false;
            timingMinTxUs = desiredMinTxUs;
            timingMinRxUs = requiredMinRxUs;
        }
        detectDeadlineNs = nowNs + detectionTimeNs();

        if (state != STATE_ADMIN_DOWN)
        {
            final int received = packet.state();
            if (received == STATE_ADMIN_DOWN)
            {
                if (state != STATE_DOWN)
                {
                    change(STATE_DOWN, DIAG_NEIGHBOR_SIGNALED_DOWN, nowNs);
                }
            }
            else if (state == STATE_DOWN)
            {
                if (received == STATE_DOWN)
                {
                    change(STATE_INIT, DIAG_NONE, nowNs);
                }
                else if (received == STATE_INIT)
                {
                    change(STATE_UP, DIAG_NONE, nowNs);
                }
            }
            else if (state == STATE_INIT)
            {
                if (received == STATE_INIT || received == STATE_UP)
                {
                    change(STATE_UP, DIAG_NONE, nowNs);
                }
            }
            else if (received == STATE_DOWN)
            {
                change(STATE_DOWN, DIAG_NEIGHBOR_SIGNALED_DOWN, nowNs);
            }
        }
        if (packet.poll())
        {
            // §6.8.6: answer a poll with a final at once, outside the transmit timer.
            finalDue = true;
            nextTxNs = nowNs;
        }
        return ACCEPTED;
    }

    /** Keyed: within [last, last + 3 × DetectMult]; meticulous: strictly after last (mod 2^32). */
    private boolean inWindow(final long seq)
    {
        final long ahead = (seq - rcvAuthSeq) & 0xFFFF_FFFFL;
        final long window = 3L * detectMult;
        return auth.meticulous() ? ahead >= 1 && ahead <= window : ahead <= window;
    }

    /**
     * Expires the detection time (§6.8.4).
     *
     * @return true when the session changed state.
     */
    public boolean checkDetection(final long nowNs)
    {
        if (detectDeadlineNs == 0 || nowNs - detectDeadlineNs < 0)
        {
            return false;
        }
        detectDeadlineNs = 0;
        // §6.8.1: the peer is unknown again; its next packet must come with our discriminator zero.
        remoteDiscriminator = 0;
        remoteState = STATE_DOWN;
        remoteMinRxUs = 1;
        if (state == STATE_INIT || state == STATE_UP)
        {
            change(STATE_DOWN, DIAG_DETECTION_TIME_EXPIRED, nowNs);
            return true;
        }
        return false;
    }

    /** True when a packet is due (§6.8.7: never while the peer asks for none with a zero RequiredMinRx). */
    public boolean txDue(final long nowNs)
    {
        return nowNs - nextTxNs >= 0 && (remoteMinRxUs != 0 || finalDue);
    }

    /**
     * Writes the next packet into {@code packet} (wrapped where the UDP payload goes) and schedules the one
     * after it.
     *
     * @return the packet's length.
     */
    public int writePacket(final BfdControlFlyweight packet, final long nowNs)
    {
        int flags = 0;
        if (finalDue)
        {
            // §6.5: never P and F together; the poll goes out in the next packet.
            flags = FLAG_FINAL;
            finalDue = false;
        }
        else if (polling)
        {
            flags = FLAG_POLL;
        }
        final int length = packet.write(diag, state, flags, detectMult, localDiscriminator, remoteDiscriminator,
            desiredMinTxUs, requiredMinRxUs, auth == null ? BfdControlFlyweight.AUTH_NONE : auth.type());
        if (auth != null)
        {
            // Every packet advances the sequence: what meticulous demands, and what keyed allows (§6.7.3).
            xmitAuthSeq = (xmitAuthSeq + 1) & 0xFFFF_FFFFL;
            auth.sign(packet, xmitAuthSeq);
        }
        txPackets++;
        if (state == STATE_UP)
        {
            // Late by more than the jitter allows (a quarter of the interval) means the thread ran late.
            final long late = nowNs - nextTxNs;
            maxTxLateNs = Math.max(maxTxLateNs, late);
            lateTxPackets += 4 * late > txIntervalUs() * 1_000L ? 1 : 0;
        }
        nextTxNs = nowNs + jittered(txIntervalUs());
        return length;
    }

    /**
     * Changes the timers of a running session (§6.8.3): new values go out at once under a poll sequence; a
     * slower transmit or a faster receive takes effect when the peer answers with a final.
     */
    public void modify(final long newDesiredMinTxUs, final long newRequiredMinRxUs, final int newDetectMult,
        final long nowNs)
    {
        BfdSessionConfig.checkTimers(newDesiredMinTxUs, newRequiredMinRxUs, newDetectMult);
        configuredMinTxUs = newDesiredMinTxUs;
        final long advertisedTx = state == STATE_UP ? newDesiredMinTxUs : Math.max(SLOW_TX_US, newDesiredMinTxUs);
        setTimers(advertisedTx, newRequiredMinRxUs, nowNs);
        detectMult = newDetectMult;
    }

    private void setTimers(final long advertisedTxUs, final long minRxUs, final long nowNs)
    {
        if (advertisedTxUs == desiredMinTxUs && minRxUs == requiredMinRxUs)
        {
            return;
        }
        if (advertisedTxUs < timingMinTxUs)
        {
            timingMinTxUs = advertisedTxUs;
        }
        if (minRxUs > timingMinRxUs)
        {
            timingMinRxUs = minRxUs;
        }
        desiredMinTxUs = advertisedTxUs;
        requiredMinRxUs = minRxUs;
        if (state == STATE_UP || state == STATE_INIT)
        {
            polling = true;
            nextTxNs = nowNs;
        }
        else
        {
            timingMinTxUs = advertisedTxUs;
            timingMinRxUs = minRxUs;
        }
    }

    private void change(final int to, final int newDiag, final long nowNs)
    {
        final int from = state;
        state = to;
        diag = newDiag;
        lastChangeNs = nowNs;
        if (to == STATE_UP)
        {
            upCount++;
            // Up: drop from the one-second idle rate to the configured one, announced by a poll.
            setTimers(configuredMinTxUs, requiredMinRxUs, nowNs);
        }
        else if (from == STATE_UP)
        {
            downCount++;
            polling = false;
            setTimers(Math.max(SLOW_TX_US, configuredMinTxUs), requiredMinRxUs, nowNs);
            timingMinTxUs = desiredMinTxUs;
            timingMinRxUs = requiredMinRxUs;
        }
        // The peer learns of a change on the next packet, not a second later.
        nextTxNs = nowNs;
        listener.onStateChange(this, from, to, nowNs);
    }

    /** §6.8.7: the slower of what we want and what the peer accepts. */
    public long txIntervalUs()
    {
        return Math.max(timingMinTxUs, remoteMinRxUs);
    }

    /** §6.8.4: the peer's multiplier times the slower of what we accept and what it sends. */
    public long detectionTimeNs()
    {
        final int mult = remoteDetectMult == 0 ? detectMult : remoteDetectMult;
        return mult * Math.max(timingMinRxUs, remoteDesiredMinTxUs) * 1_000L;
    }

    /** §6.8.7: 75-100 % of the interval, 75-90 % with a multiplier of 1. */
    private long jittered(final long intervalUs)
    {
        final int max = detectMult == 1 ? 90 : 100;
        return intervalUs * 1_000L * (75 + random.nextInt(max - 75 + 1)) / 100;
    }

    /** The earliest time this session needs attention (a packet to send or a detection time to expire). */
    public long nextDeadlineNs()
    {
        return detectDeadlineNs == 0 ? nextTxNs : Math.min(nextTxNs, detectDeadlineNs);
    }

    /** When the latest packet was accepted; 0 before the first. */
    public long lastRxNs()
    {
        return lastRxNs;
    }

    /** When the next packet is due. */
    public long nextTxNs()
    {
        return nextTxNs;
    }

    public int state()
    {
        return state;
    }

    public int diag()
    {
        return diag;
    }

    public int remoteState()
    {
        return remoteState;
    }

    public int remoteDiag()
    {
        return remoteDiag;
    }

    public int localDiscriminator()
    {
        return localDiscriminator;
    }

    public int remoteDiscriminator()
    {
        return remoteDiscriminator;
    }

    public long remoteMinRxUs()
    {
        return remoteMinRxUs;
    }

    public long remoteDesiredMinTxUs()
    {
        return remoteDesiredMinTxUs;
    }

    public long configuredMinTxUs()
    {
        return configuredMinTxUs;
    }

    public long desiredMinTxUs()
    {
        return desiredMinTxUs;
    }

    public long requiredMinRxUs()
    {
        return requiredMinRxUs;
    }

    public int detectMult()
    {
        return detectMult;
    }

    public boolean polling()
    {
        return polling;
    }

    public long lastChangeNs()
    {
        return lastChangeNs;
    }

    public long upCount()
    {
        return upCount;
    }

    public long downCount()
    {
        return downCount;
    }

    public long rxPackets()
    {
        return rxPackets;
    }

    public long txPackets()
    {
        return txPackets;
    }

    /** The longest time between two accepted packets while Up. */
    public long maxRxGapNs()
    {
        return maxRxGapNs;
    }

    /** Packets accepted while Up more than half the detection time after the one before. */
    public long lateRxGaps()
    {
        return lateRxGaps;
    }

    /** The longest delay of a packet sent while Up past its scheduled time. */
    public long maxTxLateNs()
    {
        return maxTxLateNs;
    }

    /** Packets sent while Up later than a quarter of the transmit interval past their scheduled time. */
    public long lateTxPackets()
    {
        return lateTxPackets;
    }

    public static String stateName(final int state)
    {
        return switch (state)
        {
            case STATE_ADMIN_DOWN -> "admin-down";
            case STATE_DOWN -> "down";
            case STATE_INIT -> "init";
            case STATE_UP -> "up";
            default -> "unknown(" + state + ")";
        };
    }
}
