package org.vbgw.agent.lab.drill;

import org.vbgw.agent.config.VifConfig;

/**
 * The failure detectors configured on one VIF, in milliseconds: what a drill derives its expected outage and
 * failback from. A detector that is not configured is 0.
 *
 * @param vif             the VIF's name.
 * @param bfdDetectMs     BFD detection time, {@code minRxMs * multiplier} (RFC 5880 6.8.4), 0 without BFD.
 * @param bfdHoldDownMs   how long a BFD session stays Up before the VIF carries traffic again.
 * @param probeDetectMs   health check: {@code intervalMs * count} lost probes, 0 without one.
 * @param probeRecoverMs  health check: {@code intervalMs * recoverCount + holdDownMs} until traffic returns.
 * @param bgpHoldMs       BGP hold time, 0 without BGP on the VIF.
 */
public record PathTimers(String vif, long bfdDetectMs, long bfdHoldDownMs, long probeDetectMs, long probeRecoverMs,
    long bgpHoldMs)
{
    /** The timers a VIF's config sets. */
    public static PathTimers of(final VifConfig vif)
    {
        final long bfdDetect = vif.bfd() == null ? 0 : (long)Math.max(vif.bfd().minRxMs(), vif.bfd().minTxMs()) *
            vif.bfd().multiplier();
        final long bfdHold = vif.bfd() == null ? 0 : vif.bfd().holdDownMs();
        final long probeDetect = vif.healthCheck() == null ? 0 : vif.healthCheck().detectTimeMs();
        final long probeRecover = vif.healthCheck() == null ? 0 :
            (long)vif.healthCheck().intervalMs() * vif.healthCheck().recoverCount() + vif.healthCheck().holdDownMs();
        final long bgpHold = vif.bgp() == null ? 0 : vif.bgp().holdTimeS() * 1000L;
        return new PathTimers(vif.name(), bfdDetect, bfdHold, probeDetect, probeRecover, bgpHold);
    }

    public boolean hasBfd()
    {
        return bfdDetectMs > 0;
    }

    public boolean hasProbe()
    {
        return probeDetectMs > 0;
    }

    public boolean hasBgp()
    {
        return bgpHoldMs > 0;
    }

    /** One line for a report, e.g. {@code BFD 50 ms x 3 = 150 ms (hold-down 1000 ms), BGP hold 9 s}. */
    public String describe()
    {
        final StringBuilder s = new StringBuilder();
        if (hasBfd())
        {
            s.append("BFD detect ").append(bfdDetectMs).append(" ms (hold-down ").append(bfdHoldDownMs).append(" ms)");
        }
        if (hasProbe())
        {
            s.append(s.length() > 0 ? ", " : "").append("health check detect ").append(probeDetectMs)
                .append(" ms (recovery ").append(probeRecoverMs).append(" ms)");
        }
        if (hasBgp())
        {
            s.append(s.length() > 0 ? ", " : "").append("BGP hold ").append(bgpHoldMs / 1000).append(" s");
        }
        return s.length() == 0 ? "no detector but carrier" : s.toString();
    }
}
