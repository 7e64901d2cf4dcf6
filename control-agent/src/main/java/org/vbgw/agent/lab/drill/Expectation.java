package org.vbgw.agent.lab.drill;

import org.vbgw.agent.lab.FailureMode;
import java.util.List;

/**
 * What a failure mode should cost on the paths a drill cuts, derived from the config's timers: which detector
 * notices it, its detection time, the outage limit a mode passes under, and how long to wait for traffic to
 * return after a restore. {@link #derivation} says in words how the numbers follow from the timers.
 *
 * @param applicable  false when nothing in the config can notice this failure (e.g. route-withdrawn without BGP):
 *                    the drill skips the mode and says why.
 * @param detectMs    the detector's own time: what the outage should be close to.
 * @param limitMs     the outage a repeat may have and pass: {@code detectMs} plus {@link #MARGIN_MS}.
 * @param failbackMs  the longest a restored path may take to carry traffic again (hold-downs, session setup).
 */
public record Expectation(FailureMode mode, boolean applicable, String detector, long detectMs, long limitMs,
    long failbackMs, String derivation)
{
    /**
     * Added to every detection time: the gateway's control thread, the lab's own processes and the traffic
     * share two cores, and a BFD packet or a poll can be a scheduling quantum late. Large against the carrier
     * poll (1 ms), small against a BGP hold time.
     */
    public static final long MARGIN_MS = 100;
    /** The carrier detector's poll interval (the data plane's {@code CarrierWatch}). */
    public static final long CARRIER_POLL_MS = 1;
    /** The data plane's default hold-down after carrier returns. */
    public static final long CARRIER_HOLD_DOWN_MS = 1000;
    /**
     * A withdrawal has no timer: an UPDATE crosses the session, the routing daemon's RIB, FPM and the journal.
     * One second bounds it generously (BIRD sends withdrawals without a minimum advertisement interval).
     */
    public static final long WITHDRAW_PROPAGATION_MS = 1000;
    /** A BGP session re-established by the lab's restore needs OPEN, KEEPALIVE and the first UPDATE. */
    public static final long BGP_SETUP_MS = 5000;

    /**
     * The expectation for {@code mode} when all of {@code cut} fail together; the slowest path decides.
     */
    public static Expectation of(final FailureMode mode, final List<PathTimers> cut)
    {
        Expectation worst = null;
        for (final PathTimers path : cut)
        {
            final Expectation e = of(mode, path);
            if (worst == null || !e.applicable || (worst.applicable && e.limitMs > worst.limitMs))
            {
                worst = e;
            }
        }
        if (worst == null)
        {
            throw new IllegalArgumentException("no path to cut for " + mode);
        }
        return worst;
    }

    /** The expectation for {@code mode} on one path. */
    public static Expectation of(final FailureMode mode, final PathTimers p)
    {
        final String on = " on " + p.vif();
        switch (mode)
        {
            case PORT_DOWN:
            {
                // A link down long enough for BFD to expire takes a BFD-protected BGP session down with it: the
                // path returns only when the session is back.
                final long back = CARRIER_HOLD_DOWN_MS + Math.max(p.bfdHoldDownMs(), p.probeRecoverMs()) +
                    (p.hasBfd() ? p.bfdDetectMs() : 0) + (p.hasBfd() && p.hasBgp() ? BGP_SETUP_MS : 0);
                return new Expectation(mode, true, "carrier", CARRIER_POLL_MS, CARRIER_POLL_MS + MARGIN_MS, back,
                    "carrier poll " + CARRIER_POLL_MS + " ms + margin " + MARGIN_MS + " ms" + on +
                        "; failback within carrier hold-down " + CARRIER_HOLD_DOWN_MS + " ms" +
                        (p.hasBfd() ? " + BFD up and its hold-down" : "") + (p.hasProbe() ? " + probe recovery" : "") +
                        (p.hasBfd() && p.hasBgp() ? " + BGP session setup " + BGP_SETUP_MS + " ms" : ""));
            }
            case BFD_SILENCED:
            {
                if (p.hasBfd())
                {
                    final long setup = p.hasBgp() ? BGP_SETUP_MS : 0;
                    return new Expectation(mode, true, "BFD", p.bfdDetectMs(), p.bfdDetectMs() + MARGIN_MS,
                        p.bfdDetectMs() + p.bfdHoldDownMs() + setup,
                        "BFD detect time " + p.bfdDetectMs() + " ms (minRx x multiplier)" + on + " + margin " +
                            MARGIN_MS + " ms; failback within BFD up + hold-down " + p.bfdHoldDownMs() + " ms" +
                            (p.hasBgp() ? " + BGP session setup " + setup + " ms (BFD down takes BGP down)" : ""));
                }
                if (p.hasProbe())
                {
                    return new Expectation(mode, true, "health check", p.probeDetectMs(),
                        p.probeDetectMs() + MARGIN_MS, p.probeRecoverMs(),
                        "no BFD" + on + ": health check interval x count = " + p.probeDetectMs() + " ms + margin " +
                            MARGIN_MS + " ms; failback within recover-count probes + hold-down " + p.probeRecoverMs() +
                            " ms");
                }
                if (p.hasBgp())
                {
                    return new Expectation(mode, true, "BGP hold timer", p.bgpHoldMs(), p.bgpHoldMs() + MARGIN_MS,
                        BGP_SETUP_MS, "no BFD or health check" + on + ": BGP hold time " + p.bgpHoldMs() +
                            " ms + margin " + MARGIN_MS + " ms; failback within session setup " + BGP_SETUP_MS + " ms");
                }
                return notApplicable(mode, "no BFD, health check or BGP" + on + " can notice a silent peer");
            }
            case BGP_DOWN:
            {
                if (!p.hasBgp())
                {
                    return notApplicable(mode, "no BGP session" + on);
                }
                // A session broken without a NOTIFICATION is noticed by the hold timer; one closed with a Cease
                // at once. BFD does not help: it stays up when only BGP breaks. The hold time bounds both.
                return new Expectation(mode, true, "BGP hold timer", p.bgpHoldMs(), p.bgpHoldMs() + MARGIN_MS,
                    BGP_SETUP_MS + WITHDRAW_PROPAGATION_MS, "BGP hold time " + p.bgpHoldMs() + " ms" + on +
                        " (BFD stays up when only BGP breaks) + margin " + MARGIN_MS + " ms; failback within session " +
                        "setup " + BGP_SETUP_MS + " ms + UPDATE " + WITHDRAW_PROPAGATION_MS + " ms");
            }
            case ROUTE_WITHDRAWN:
            {
                if (!p.hasBgp())
                {
                    return notApplicable(mode, "no BGP session" + on + " to withdraw routes over");
                }
                return new Expectation(mode, true, "BGP withdrawal", WITHDRAW_PROPAGATION_MS,
                    WITHDRAW_PROPAGATION_MS + MARGIN_MS, WITHDRAW_PROPAGATION_MS,
                    "no timer: UPDATE, routing daemon, FPM and journal, bounded by " + WITHDRAW_PROPAGATION_MS +
                        " ms + margin " + MARGIN_MS + " ms" + on + "; failback by the re-announcement, same bound");
            }
            default:
                throw new IllegalStateException("unhandled failure mode " + mode);
        }
    }

    private static Expectation notApplicable(final FailureMode mode, final String why)
    {
        return new Expectation(mode, false, "none", 0, 0, 0, why);
    }
}
