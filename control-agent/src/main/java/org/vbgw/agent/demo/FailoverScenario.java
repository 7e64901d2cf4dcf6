package org.vbgw.agent.demo;

import java.io.PrintWriter;
import java.util.function.LongSupplier;

/**
 * The seeds' failover test, run against a {@link MemoryLab}: traffic over both connections, cut the first,
 * watch its flows move to the second, restore it, watch them come back after the hold-down. Prints a live
 * line per interval and returns what it measured.
 */
public final class FailoverScenario
{
    /**
     * What one run showed.
     *
     * @param warmupNs          from start until both connections carried traffic (ARP resolved on both VIFs).
     * @param movedFlows        flows that were on the cut connection.
     * @param switchNs          from the cut until the last of those flows arrived over the other connection.
     * @param worstOutageNs     the longest gap in any flow's sequence around the cut.
     * @param lostAtCut         packets lost around the cut (all flows).
     * @param survivorLoss      packets lost by flows that were on the other connection (must be 0).
     * @param returnNs          from the restore until the restored connection carried traffic again.
     * @param lostAtRestore     packets lost after the restore (moving back loses nothing).
     * @param sent              packets the VPC host sent.
     * @param ttl               TTL of the last packet the customer router received (63: one routed hop).
     */
    public record Result(long warmupNs, int movedFlows, long switchNs, long worstOutageNs, long lostAtCut,
        long survivorLoss, long returnNs, long lostAtRestore, long sent, int ttl)
    {
        /** Traffic left the cut connection, nothing else was lost, and it came back. */
        public boolean switched()
        {
            return movedFlows > 0 && switchNs >= 0 && survivorLoss == 0 && returnNs >= 0 && lostAtRestore == 0;
        }
    }

    /** How the first connection is cut. */
    public enum Cut
    {
        /** The link goes down: what the gateway's carrier detector sees. */
        LINK_DOWN,
        /** The far end stops receiving while the link stays up: nothing the carrier detector can see. */
        SILENT
    }

    private final MemoryLab lab;
    private final PrintWriter out;
    private final Cut cutMode;
    private final long phaseNs;
    private final long intervalNs;
    private final LongSupplier clock = System::nanoTime;
    private final long[] lastCount;
    private long startNs;
    private long nextPrintNs;

    /**
     * @param phaseNs    how long each phase (before the cut, cut, after the restore) runs.
     * @param intervalNs time between two live lines.
     */
    public FailoverScenario(final MemoryLab lab, final PrintWriter out, final long phaseNs, final long intervalNs,
        final Cut cutMode)
    {
        this.lab = lab;
        this.cutMode = cutMode;
        this.out = out;
        this.phaseNs = phaseNs;
        this.intervalNs = intervalNs;
        this.lastCount = new long[lab.paths()];
    }

    public Result run()
    {
        lab.start();
        startNs = clock.getAsLong();
        nextPrintNs = startNs + intervalNs;
        // Warm-up: the gateway resolves both customer routers before traffic spreads over both.
        final long warmupDeadline = startNs + 10_000_000_000L;
        while (!allPathsCarry() && clock.getAsLong() < warmupDeadline)
        {
            tick("");
        }
        final long warmupNs = clock.getAsLong() - startNs;
        if (!allPathsCarry())
        {
            out.println("the gateway did not bring both connections into use within 10 s");
            return new Result(warmupNs, 0, -1, -1, 0, 0, -1, 0, lab.sent(), lab.lastTtl(0));
        }
        lab.resetGaps();
        runFor(phaseNs, "");

        final int cut = 0;
        final int other = 1;
        final boolean[] wasOnCut = new boolean[lab.flows()];
        int moved = 0;
        for (int f = 0; f < lab.flows(); f++)
        {
            wasOnCut[f] = lab.lastPath(f) == cut;
            moved += wasOnCut[f] ? 1 : 0;
        }
        out.printf("%n-- cutting %s (%s): %s --%n", lab.portName(cut), lab.pathName(cut),
            cutMode == Cut.LINK_DOWN ? "link down" : "far end silent, link up");
        if (cutMode == Cut.LINK_DOWN)
        {
            lab.link(cut, false);
        }
        else
        {
            lab.silence(cut, true);
        }
        final long cutNs = clock.getAsLong();
        long switchNs = -1;
        final long cutEnd = cutNs + phaseNs;
        while (clock.getAsLong() < cutEnd)
        {
            tick("  [" + lab.portName(cut) + " cut]");
            if (switchNs < 0 && allMoved(wasOnCut, other))
            {
                switchNs = clock.getAsLong() - cutNs;
            }
        }
        long worst = 0;
        long survivorLoss = 0;
        for (int f = 0; f < lab.flows(); f++)
        {
            worst = Math.max(worst, lab.worstOutageNs(f));
            survivorLoss += wasOnCut[f] ? 0 : lab.lost(f);
        }
        final long lostAtCut = lab.lost();
        lab.resetGaps();

        out.printf("%n-- restoring %s (%s) --%n", lab.portName(cut), lab.pathName(cut));
        final long before = lab.pathPackets(cut);
        lab.link(cut, true);
        lab.silence(cut, false);
        final long restoreNs = clock.getAsLong();
        long returnNs = -1;
        final long restoreEnd = restoreNs + phaseNs;
        while (clock.getAsLong() < restoreEnd)
        {
            tick("");
            if (returnNs < 0 && lab.pathPackets(cut) > before)
            {
                returnNs = clock.getAsLong() - restoreNs;
            }
        }
        return new Result(warmupNs, moved, switchNs, worst, lostAtCut, survivorLoss, returnNs, lab.lost(), lab.sent(),
            lab.lastTtl(other));
    }

    private void runFor(final long durationNs, final String note)
    {
        final long end = clock.getAsLong() + durationNs;
        while (clock.getAsLong() < end)
        {
            tick(note);
        }
    }

    private void tick(final String note)
    {
        final long now = clock.getAsLong();
        if (lab.step() == 0)
        {
            // Idle far ends give the CPU back: on two cores the gateway's worker and control threads need it more
            // than a spinning simulator (the control thread's carrier poll decides the outage).
            java.util.concurrent.locks.LockSupport.parkNanos(20_000);
        }
        if (now >= nextPrintNs)
        {
            final StringBuilder line = new StringBuilder(String.format("%6.1f s", (now - startNs) / 1e9));
            final double seconds = intervalNs / 1e9;
            for (int p = 0; p < lab.paths(); p++)
            {
                final long count = lab.pathPackets(p);
                line.append(String.format("   %s %-4s %7.0f pps %3d flows", lab.pathName(p), lab.linkUp(p) ? "up" : "DOWN",
                    (count - lastCount[p]) / seconds, lab.flowsOn(p)));
                lastCount[p] = count;
            }
            line.append(String.format("   lost %d%s", lab.lost(), note));
            out.println(line);
            out.flush();
            nextPrintNs += intervalNs;
        }
    }

    private boolean allPathsCarry()
    {
        for (int p = 0; p < lab.paths(); p++)
        {
            if (lab.pathPackets(p) == 0)
            {
                return false;
            }
        }
        return true;
    }

    private boolean allMoved(final boolean[] wasOnCut, final int other)
    {
        for (int f = 0; f < wasOnCut.length; f++)
        {
            if (wasOnCut[f] && lab.lastPath(f) != other)
            {
                return false;
            }
        }
        return true;
    }
}
