package org.vbgw.agent.demo;

import org.vbgw.agent.lab.FailureMode;
import com.fasterxml.jackson.databind.JsonNode;
import org.vbgw.agent.lab.GatewayApi;
import org.vbgw.agent.lab.Lab;
import org.vbgw.agent.lab.LabFault;
import org.vbgw.agent.lab.LabScenario;
import org.vbgw.agent.lab.LabState;
import org.vbgw.agent.lab.LabStatus;
import org.vbgw.agent.lab.LabTraffic;
import org.vbgw.io.lab.Netns;
import org.vbgw.io.lab.TrafficReport;

import java.io.PrintWriter;
import java.util.List;

/**
 * {@code vbgw demo} as root: the active-active lab in network namespaces (the real gateway process with FRR, a
 * customer router running BIRD, BGP with MD5 and BFD on two tagged VIFs), sequenced traffic from the VPC host
 * to the IDC host, a live view every half second, one connection cut (port down) and restored, and the outage
 * measured from the lost sequence numbers. The lab is removed at the end, on failure and on Ctrl-C.
 */
public final class NamespaceDemo
{
    private static final long VIEW_INTERVAL_MS = 500;
    private static final String CUT_VIF = "vbr1";

    private final PrintWriter out;
    private final int flows;
    private final long ratePps;
    private final long phaseMs;
    private final String name = "demo-" + Netns.suffix(4);

    /**
     * @param flows   flows of traffic
     * @param ratePps packets per second in total
     * @param phaseMs how long each phase (both paths, cut, after failback) is watched
     */
    public NamespaceDemo(final PrintWriter out, final int flows, final long ratePps, final long phaseMs)
    {
        this.out = out;
        this.flows = flows;
        this.ratePps = ratePps;
        this.phaseMs = phaseMs;
    }

    /** The outcome: whether traffic left the cut path, stayed up on the other, and came back; with the times. */
    public record Result(boolean switched, boolean returned, long lost, long sent, long worstOutageNs, long failbackNs)
    {
    }

    /** Runs the demo; returns its result (the lab is gone when this returns). */
    public Result run() throws InterruptedException
    {
        final Thread cleanup = new Thread(() ->
        {
            try
            {
                Lab.down(name);
            }
            catch (final RuntimeException ex)
            {
                System.err.println("vbgw demo: removing lab " + name + ": " + ex.getMessage() +
                    " (vbgw lab down --all removes what is left)");
            }
        }, "demo-lab-down");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try
        {
            out.println("building the lab " + name + " in network namespaces: VPC host, vbgw (with FRR), a wire with two");
            out.println("connections, the customer router (BIRD 2, configured by vbgw client-config, VLANs 101 and 102");
            out.println("tagged by a user-space shim), an IDC host ...");
            out.flush();
            final LabState state = Lab.up(LabScenario.ACTIVE_ACTIVE, name);
            out.println("waiting for BGP (MD5) and BFD on both VIFs ...");
            out.flush();
            Lab.awaitReady(state, 90_000);
            out.print(LabStatus.collect(state).render());
            out.printf("%ntraffic: %,d packets/s in %d flows from the VPC host %s to the IDC host %s%n%n", ratePps, flows,
                state.vpcHost().ip(), state.idcHosts().get(0).ip());
            out.println("   time  " + header(state));
            out.flush();
            return measure(state);
        }
        finally
        {
            out.println("removing the lab " + name + " ...");
            out.flush();
            Lab.down(name);
            out.println("lab removed");
            out.flush();
            try
            {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
            catch (final IllegalStateException ex)
            {
                // Shutting down already: the hook does the same.
            }
        }
    }

    private Result measure(final LabState state) throws InterruptedException
    {
        final long startNs = System.nanoTime();
        try (LabTraffic traffic = LabTraffic.start(state, flows, ratePps, 600_000_000_000L))
        {
            watch(state, traffic, startNs, phaseMs, null);
            out.println("-- cut: " + CUT_VIF + "'s connection goes down (port down at the wire) --");
            final long cutNs = System.nanoTime();
            LabFault.cut(state, CUT_VIF, FailureMode.PORT_DOWN);
            watch(state, traffic, startNs, phaseMs, null);
            out.println("-- restore: the connection comes back --");
            final long restoreNs = System.nanoTime();
            LabFault.restore(state, CUT_VIF, FailureMode.PORT_DOWN);
            final long[] backNs = {-1};
            watch(state, traffic, startNs, 90_000, t ->
            {
                if (backNs[0] < 0 && t.lastPps()[0] > 0)
                {
                    backNs[0] = System.nanoTime();
                }
                return backNs[0] >= 0;
            });
            watch(state, traffic, startNs, phaseMs, null);
            final LabTraffic.Result r = traffic.stop(300);
            return report(r, cutNs, restoreNs, backNs[0]);
        }
    }

    private Result report(final LabTraffic.Result r, final long cutNs, final long restoreNs, final long backNs)
    {
        long worstCut = 0;
        long lostCut = 0;
        long lostRestore = 0;
        for (final TrafficReport.Flow f : r.report().flows())
        {
            for (final TrafficReport.Gap g : f.gaps())
            {
                final long at = g.beforeSendNs() == org.vbgw.io.lab.FlowSequence.NO_TIME ? g.afterSendNs() : g.beforeSendNs();
                if (at >= cutNs - 1_000_000_000L && at < restoreNs)
                {
                    worstCut = Math.max(worstCut, g.outageNs());
                    lostCut += g.lost();
                }
                else if (at >= restoreNs)
                {
                    lostRestore += g.lost();
                }
            }
        }
        final double[][] series = r.ppsSeries();
        final boolean switched = survivorCarriedAll(r, cutNs, restoreNs);
        out.println();
        out.printf("sent %,d packets, lost %,d (%,d at the cut, %,d after the restore, %,d elsewhere)%n", r.sent(), r.lost(),
            lostCut, lostRestore, r.lost() - lostCut - lostRestore);
        out.printf("cut:     traffic moved to vbr2; worst outage of a flow %.1f ms (%,d packets lost at the cut)%n",
            worstCut / 1e6, lostCut);
        out.printf("restore: vbr1 carried traffic again %s after the restore (BFD and BGP up again, the route back " +
            "in the FIB); %,d packets lost after it%n", backNs < 0 ? "(never)" : String.format("%.1f s", (backNs - restoreNs) / 1e9),
            lostRestore);
        out.printf("for comparison: the clouds' default health checks detect a failure after 2 s x 8 = 16 s, " +
            "AWS BFD after 300 ms x 3 = 900 ms%n");
        final boolean ok = switched && backNs >= 0 && series.length > 0;
        out.println(ok ? "RESULT: traffic switched paths and came back" : "RESULT: FAILED: traffic did not switch cleanly");
        out.flush();
        return new Result(switched, backNs >= 0, r.lost(), r.sent(), worstCut, backNs < 0 ? -1 : backNs - restoreNs);
    }

    /** During the cut (after a second for detection), the surviving VIF carried traffic and the cut one none. */
    private static boolean survivorCarriedAll(final LabTraffic.Result r, final long cutNs, final long restoreNs)
    {
        final List<LabTraffic.Sample> s = r.samples();
        LabTraffic.Sample from = null;
        LabTraffic.Sample to = null;
        for (final LabTraffic.Sample x : s)
        {
            if (from == null && x.timeNs() >= cutNs + 1_000_000_000L)
            {
                from = x;
            }
            if (x.timeNs() <= restoreNs)
            {
                to = x;
            }
        }
        if (from == null || to == null || to.timeNs() <= from.timeNs())
        {
            return false;
        }
        return to.txPackets()[0] == from.txPackets()[0] && to.txPackets()[1] > from.txPackets()[1];
    }

    private interface Until
    {
        boolean done(LabTraffic traffic);
    }

    /** Prints the live view every half second for {@code ms}, or until {@code until} says done. */
    private void watch(final LabState state, final LabTraffic traffic, final long startNs, final long ms, final Until until)
        throws InterruptedException
    {
        final long end = System.currentTimeMillis() + ms;
        final GatewayApi api = GatewayApi.of(state);
        long next = System.currentTimeMillis() + VIEW_INTERVAL_MS;
        while (System.currentTimeMillis() < end)
        {
            // Every half second from the start, however long the gateway took to answer the last time.
            Thread.sleep(Math.max(0, next - System.currentTimeMillis()));
            next = Math.max(next + VIEW_INTERVAL_MS, System.currentTimeMillis());
            final JsonNode bfd = api.get("bfd");
            final JsonNode bgp = api.get("bgp");
            final JsonNode routes = api.get("routes");
            final double[] pps = traffic.lastPps();
            final StringBuilder line = new StringBuilder(String.format("%6.1fs ", (System.nanoTime() - startNs) / 1e9));
            for (int v = 0; v < pps.length; v++)
            {
                final String vif = traffic.vifs().get(v);
                line.append(String.format(" %8.0f pps  bfd %-5s bgp %-12s", pps[v], LabStatus.stateOf(LabStatus.sessions(bfd), vif),
                    LabStatus.stateOf(LabStatus.sessions(bgp), vif)));
            }
            line.append(String.format(" routes %d", routes == null ? 0 : routes.size()));
            out.println(line);
            out.flush();
            if (until != null && until.done(traffic))
            {
                return;
            }
        }
    }

    private static String header(final LabState state)
    {
        final StringBuilder sb = new StringBuilder();
        for (final LabState.LabPath p : state.paths())
        {
            sb.append(String.format(" %-45s", p.vif() + " (VLAN " + p.vlan() + ")"));
        }
        return sb.toString();
    }
}
