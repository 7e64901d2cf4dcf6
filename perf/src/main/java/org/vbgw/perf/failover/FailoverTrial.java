package org.vbgw.perf.failover;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.vbgw.io.Port;
import org.vbgw.io.lab.FlowSequence;
import org.vbgw.io.lab.SequencedReceiver;
import org.vbgw.io.lab.SequencedSender;
import org.vbgw.io.lab.TrafficReport;

/**
 * One repeat of a failure mode: sequenced traffic from the VPC host to the data center's prefixes, then
 * {@link FailureMode#cut}, a wait, {@link FailureMode#restore}, a wait for the hold-down and the traffic to
 * settle, and the receiver's report reduced to a {@link TrialResult}.
 * <p>
 * Each trial sends to its own UDP destination port, so a frame of an earlier trial still in a ring is foreign to
 * this one's receiver. Sender and receiver run on threads of their own (Agrona agents); the caller's thread runs
 * the failure mode (it is the agent's thread for the modes that change routes).
 */
final class FailoverTrial
{
    private static final int FIRST_SRC_PORT = 20_000;
    private static final long BUCKET_NS = 1_000_000L;

    private final Port senderPort;
    private final Port[] receiverPorts;
    private final int[] destinations;
    private final long ratePps;
    private final long warmupMs;
    private final long holdMs;
    private final long settleMs;
    private final long maxDelayNs;

    /**
     * @param senderPort    the VPC host's port (opened in its namespace).
     * @param receiverPorts the customer router's ports, path A then path B.
     * @param destinations  one destination address per flow, inside the routes.
     * @param holdMs        how long the cut lasts after it has been handed over.
     * @param settleMs      how long traffic runs after the restore (plus the mode's hold-down).
     * @param maxDelayMs    one-way delay above which a packet counts as lost (RFC 7680's Tmax).
     */
    FailoverTrial(final Port senderPort, final Port[] receiverPorts, final int[] destinations, final long ratePps,
        final long warmupMs, final long holdMs, final long settleMs, final long maxDelayMs)
    {
        this.maxDelayNs = maxDelayMs * 1_000_000L;
        this.senderPort = senderPort;
        this.receiverPorts = receiverPorts.clone();
        this.destinations = destinations.clone();
        this.ratePps = ratePps;
        this.warmupMs = warmupMs;
        this.holdMs = holdMs;
        this.settleMs = settleMs;
    }

    TrialResult run(final FailureMode mode, final FailoverLab lab, final FailoverGateway gateway, final int repeat)
    {
        return run(mode, lab, gateway, repeat, null);
    }

    /**
     * One trial; with {@code wire} (a BFD capture on the customer router's side) the result also holds the longest
     * gaps between BFD packets per direction during the trial.
     */
    TrialResult run(final FailureMode mode, final FailoverLab lab, final FailoverGateway gateway, final int repeat,
        final BfdWire wire)
    {
        // Start from the steady state: the previous trial's restore may still be in its hold-down.
        final long readyBy = System.nanoTime() + 10_000_000_000L;
        // Both paths: a flap of B's BFD session in the previous trial must have healed too.
        while (!gateway.pathUsable(FailoverGateway.VIF_A) || !gateway.pathUsable(FailoverGateway.VIF_B))
        {
            if (System.nanoTime() > readyBy)
            {
                throw new IllegalStateException("VIF A's and B's next hops were not both alive 10 s after the last " +
                    "restore");
            }
            FailoverGateway.sleepMs(5);
        }
        final int dstPort = 40_000 + (repeat % 20_000);
        final SequencedSender sender = new SequencedSender(senderPort, new SequencedSender.Flows(FailoverLab.GW_VPC_MAC,
            FailoverLab.VPC_MAC, FailoverLab.VPC_IP, destinations, FIRST_SRC_PORT, dstPort), ratePps);
        final long cutBudgetNs = 600_000_000_000L;
        final SequencedReceiver receiver = new SequencedReceiver(receiverPorts, dstPort, destinations.length, BUCKET_NS,
            cutBudgetNs + (warmupMs + holdMs + settleMs) * 1_000_000L + mode.restoreDelayNs(gateway), maxDelayNs);
        final AgentRunner receiving = new AgentRunner(new BackoffIdleStrategy(100, 10, 1_000, 20_000),
            Throwable::printStackTrace, null, receiver);
        final AgentRunner sending = new AgentRunner(new BackoffIdleStrategy(100, 10, 1_000, 20_000),
            Throwable::printStackTrace, null, sender);
        final long cutNs;
        final long cutEpochNs;
        final long cutReturnedNs;
        final long restoreNs;
        final long restoreReturnedNs;
        // Sender, receiver and gateway share this JVM, so a collection pauses all three and the cut meets no
        // traffic: collect now, and report the collections that still happen during the trial. Under G1 this is a
        // stop-the-world full GC of 40-70 ms (1,000 routes; longer with 1,000,000), which stops the gateway's BFD
        // past a 10 ms x 3 session's 30 ms and flaps the surviving connection: bench-failover.sh runs ZGC, where
        // it is a concurrent cycle with pauses under a millisecond.
        System.gc();
        final long[] gcBefore = gc();
        final long startEpochNs = epochNs();
        final java.util.Map<String, Long> countersBefore = counters(gateway, null);
        AgentRunner.startOnThread(receiving);
        try
        {
            AgentRunner.startOnThread(sending);
            try
            {
                FailoverGateway.sleepMs(warmupMs);
                // On a loaded machine the first packets may take longer (a path's BFD session flapping as the
                // trial starts): give them 5 s more before calling the lab broken.
                final long forwardingBy = System.nanoTime() + 5_000_000_000L;
                while (receiver.received() == 0 && System.nanoTime() < forwardingBy)
                {
                    FailoverGateway.sleepMs(10);
                }
                if (receiver.received() == 0)
                {
                    throw new IllegalStateException("no traffic reached the customer router in " + (warmupMs + 5000) +
                        " ms before the cut: the lab or the gateway does not forward (BFD: " + gateway.bfdState() +
                        ")");
                }
                cutNs = System.nanoTime();
                cutEpochNs = epochNs();
                mode.cut(lab, gateway);
                cutReturnedNs = System.nanoTime();
                FailoverGateway.sleepMs(holdMs);
                restoreNs = System.nanoTime();
                mode.restore(lab, gateway);
                restoreReturnedNs = System.nanoTime();
                FailoverGateway.sleepMs(settleMs + mode.restoreDelayNs(gateway) / 1_000_000L);
                sender.stop();
            }
            finally
            {
                sending.close();
            }
            // What is in flight (rings, the bridge) arrives within a few ms.
            FailoverGateway.sleepMs(50);
        }
        finally
        {
            receiving.close();
        }
        final TrafficReport report = receiver.report(sender.sentPerFlow(), sender.flowSpacingNs(),
            List.of("vif-a", "vif-b"));
        final java.util.Map<String, Long> counters = counters(gateway, countersBefore);
        counters.put("sender refused (retried)", sender.refusals());
        final long[] gcAfter = gc();
        counters.put("jvm gc collections", gcAfter[0] - gcBefore[0]);
        counters.put("jvm gc ms", gcAfter[1] - gcBefore[1]);
        final List<String> events = new ArrayList<>();
        for (final org.vbgw.dataplane.liveness.LivenessEvent e : gateway.events())
        {
            // The data plane's clock is the wall clock in ns, as is startEpochNs.
            if (e.timeNs() >= startEpochNs)
            {
                events.add(String.format("%+.1f ms %s", (e.timeNs() - cutEpochNs) / 1e6, e));
            }
        }
        return analyse(mode.name(), gateway, repeat, report, sender.flowSpacingNs(), sender.sent(), cutNs,
            cutReturnedNs - cutNs, restoreNs, restoreReturnedNs - restoreNs).withCounters(counters)
            .withDiagnostics(events, wire == null ? java.util.Map.of() : wire.maxGaps(startEpochNs, epochNs()));
    }

    /** The wall clock in ns, the clock of the data plane's events and of tcpdump's timestamps. */
    private static long epochNs()
    {
        final java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Collections and their total time in ms so far, over all of the JVM's collectors. */
    private static long[] gc()
    {
        long count = 0;
        long ms = 0;
        for (final java.lang.management.GarbageCollectorMXBean gc :
            java.lang.management.ManagementFactory.getGarbageCollectorMXBeans())
        {
            count += Math.max(0, gc.getCollectionCount());
            ms += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, ms};
    }

    /**
     * Where packets went: the data plane's counters and the receiver ports' kernel drops, as the change since
     * {@code before} (null: the values now). Verdicts other than forwarded and ring drops explain a loss.
     */
    private java.util.Map<String, Long> counters(final FailoverGateway gateway, final java.util.Map<String, Long> before)
    {
        final java.util.Map<String, Long> now = gateway.counters();
        now.putAll(gateway.bfdTiming());
        for (int p = 0; p < receiverPorts.length; p++)
        {
            now.put("receiver " + receiverPorts[p].name() + " rx_kernel_drops",
                receiverPorts[p].statistics().rxKernelDrops());
        }
        if (before == null)
        {
            return now;
        }
        final java.util.Map<String, Long> delta = new java.util.TreeMap<>();
        now.forEach((k, v) ->
        {
            final long d = v - before.getOrDefault(k, 0L);
            if (d != 0 && !k.startsWith("fib ") && !k.startsWith("neighbour entries"))
            {
                delta.put(k, d);
            }
        });
        return delta;
    }

    /** Reduces a receiver's report to the trial's figures (see {@link TrialResult}). */
    static TrialResult analyse(final String mode, final FailoverGateway gateway, final int repeat,
        final TrafficReport report, final long spacingNs, final long sent, final long cutNs, final long cutCallNs,
        final long restoreNs, final long restoreCallNs)
    {
        return analyse(mode, gateway.redundancy().label, gateway.routeCount(), repeat, report, spacingNs, sent, cutNs,
            cutCallNs, restoreNs, restoreCallNs);
    }

    static TrialResult analyse(final String mode, final String redundancy, final int routes, final int repeat,
        final TrafficReport report, final long spacingNs, final long sent, final long cutNs, final long cutCallNs,
        final long restoreNs, final long restoreCallNs)
    {
        final long cutReturnedNs = cutNs + cutCallNs;
        int affected = 0;
        int switched = 0;
        int surviving = 0;
        long worst = 0;
        long failoverLost = 0;
        long survivingLost = 0;
        long unexpectedLost = 0;
        long failbackLost = 0;
        long failback = 0;
        final List<Long> flowOutages = new ArrayList<>();
        for (final TrafficReport.Flow flow : report.flows())
        {
            final boolean onB = flow.firstPath() == FailoverLab.PATH_B;
            long flowOutage = 0;
            boolean failoverGapSeen = false;
            for (final TrafficReport.Gap gap : onB ? List.<TrafficReport.Gap>of() : flow.gaps())
            {
                final long before = gap.beforeSendNs();
                final long after = gap.afterSendNs();
                // The cut's own gap: the flow's last packet before it was sent before the cut was in place, but
                // not long before the cut began (the packet after it would have been sent, and lost, before the
                // cut: a 2-spacing margin for the sender's bursts), and the next one after the cut began. Any
                // other loss is the lab's (a thread kept off the CPU), not the cut's.
                final boolean spansCut = before != FlowSequence.NO_TIME && before <= cutReturnedNs &&
                    before >= cutNs - 2 * spacingNs - 1_000_000L && (after == FlowSequence.NO_TIME || after >= cutNs);
                if (!failoverGapSeen && spansCut && before < restoreNs)
                {
                    failoverGapSeen = true;
                    failoverLost += gap.lost();
                    flowOutage = gap.outageNs();
                }
                else if (before != FlowSequence.NO_TIME && before >= restoreNs)
                {
                    failbackLost += gap.lost();
                }
                else
                {
                    unexpectedLost += gap.lost();
                }
            }
            if (onB)
            {
                surviving++;
                survivingLost += flow.lost();
            }
            else
            {
                affected++;
                flowOutages.add(flowOutage);
                worst = Math.max(worst, flowOutage);
                // Failback is asked only of flows that moved off A; one that never came back makes it -1.
                boolean left = false;
                long back = -1;
                for (final TrafficReport.PathSwitch s : flow.switches())
                {
                    if (!left && s.receiveNs() >= cutNs && s.receiveNs() < restoreNs && s.toPath() == FailoverLab.PATH_B)
                    {
                        switched++;
                    }
                    left |= s.receiveNs() >= cutNs && s.toPath() == FailoverLab.PATH_B;
                    if (s.receiveNs() >= restoreNs && s.toPath() == FailoverLab.PATH_A)
                    {
                        back = s.receiveNs() - restoreNs;
                        break;
                    }
                }
                if (left)
                {
                    failback = back < 0 || failback < 0 ? -1 : Math.max(failback, back);
                }
            }
        }
        return new TrialResult(mode, redundancy, routes, repeat, affected, switched, surviving, worst, flowOutages, failoverLost,
            survivingLost, unexpectedLost, affected == 0 ? -1 : failback, failbackLost, cutNs, cutCallNs, restoreNs,
            restoreCallNs, spacingNs, sent, java.util.Map.of(), report, List.of(), java.util.Map.of());
    }
}
