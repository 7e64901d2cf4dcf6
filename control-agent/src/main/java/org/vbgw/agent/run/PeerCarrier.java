package org.vbgw.agent.run;

import org.vbgw.dataplane.Dataplane;
import org.vbgw.dataplane.liveness.NextHopLiveness;
import org.vbgw.dataplane.liveness.NextHopLiveness.Scope;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Tells FRR what the data plane's detectors saw: a BGP VIF's host TAP carries the data plane's verdict on the path
 * as its carrier. While carrier loss holds the VIF's port down, the operator or a health probe holds the VIF down,
 * or BFD holds its BGP peer down, the TAP has no carrier.
 * <p>
 * Why: the data plane takes the VIF's next hops out of service at once, but FRR learned its routes over the TAP,
 * which stays up, so bgpd keeps the session, and with it the routes through the dead connection, until its hold
 * timer expires (9 s or more). Where ECMP has another member that costs nothing; on an active/standby pair it is
 * the whole outage: zebra sends only the best path over FPM, so the FIB holds no backup to fall to. With the
 * carrier gone, bgpd's fast-external-failover drops the directly connected session at once and zebra sends the
 * standby path, in tens of milliseconds instead of the hold time. BFD silenced on the wire already works this
 * way from the customer's side (its BFD takes its BGP session down); this covers the gateway's own detectors.
 * <p>
 * The check runs on the data plane's control thread every duty cycle (a few map reads); the carrier is changed on
 * a thread of its own, because {@code ip link} takes milliseconds the control thread's BFD timers cannot spare.
 */
public final class PeerCarrier implements Dataplane.ControlTask, AutoCloseable
{
    /** One BGP VIF: the scopes whose hold means its path is down, and its TAP. */
    record Watch(String vifName, String tapName, Scope port, Scope vif, List<Scope> peers)
    {
    }

    /** Sets a TAP's carrier; the tests pass their own, so nothing touches the host's interfaces. */
    interface CarrierSetter
    {
        void set(Watch watch, boolean on);
    }

    private final NextHopLiveness liveness;
    private final CarrierSetter carrierSetter;
    private final Watch[] watches;
    private final boolean[] down;
    private final Consumer<String> notes;
    private final ExecutorService setter = Executors.newSingleThreadExecutor(r ->
    {
        final Thread t = new Thread(r, "vbgw-peer-carrier");
        t.setDaemon(true);
        return t;
    });

    PeerCarrier(final NextHopLiveness liveness, final List<Watch> watches, final Consumer<String> notes)
    {
        this(liveness, watches, notes, null);
    }

    PeerCarrier(final NextHopLiveness liveness, final List<Watch> watches, final Consumer<String> notes,
        final CarrierSetter carrierSetter)
    {
        this.carrierSetter = carrierSetter != null ? carrierSetter : this::carrier;
        this.liveness = liveness;
        this.watches = watches.toArray(new Watch[0]);
        this.down = new boolean[this.watches.length];
        this.notes = notes;
    }

    @Override
    public int doWork(final long nowNs)
    {
        int work = 0;
        for (int i = 0; i < watches.length; i++)
        {
            final boolean pathDown = pathDown(watches[i]);
            if (pathDown != down[i])
            {
                down[i] = pathDown;
                final Watch w = watches[i];
                setter.execute(() -> carrierSetter.set(w, !pathDown));
                work++;
            }
        }
        return work;
    }

    /** True when a detector (or the operator) holds the VIF's path down. */
    boolean pathDown(final Watch w)
    {
        if (liveness.isHeld(w.port(), NextHopLiveness.CAUSE_CARRIER) ||
            liveness.isHeld(w.vif(), NextHopLiveness.CAUSE_ADMIN) ||
            liveness.isHeld(w.vif(), NextHopLiveness.CAUSE_PROBE))
        {
            return true;
        }
        for (final Scope peer : w.peers())
        {
            if (liveness.isHeld(peer, NextHopLiveness.CAUSE_BFD))
            {
                return true;
            }
        }
        return false;
    }

    private void carrier(final Watch w, final boolean on)
    {
        try
        {
            final Process p = new ProcessBuilder("ip", "link", "set", "dev", w.tapName(), "carrier", on ? "on" : "off")
                .redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0)
            {
                notes.accept("cannot set the carrier of " + w.tapName() + " " + (on ? "on" : "off") + ": " + out);
            }
            else
            {
                notes.accept("VIF " + w.vifName() + ": path " + (on ? "up" : "down") + " in the data plane, carrier of " +
                    w.tapName() + " " + (on ? "on" : "off") + " for BGP");
            }
        }
        catch (final java.io.IOException ex)
        {
            notes.accept("cannot set the carrier of " + w.tapName() + ": " + ex.getMessage());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** How many VIFs are watched. */
    int size()
    {
        return watches.length;
    }

    static List<Scope> peers(final int vifId, final List<org.vbgw.fib.IpPrefix> addresses)
    {
        final List<Scope> scopes = new ArrayList<>();
        for (final org.vbgw.fib.IpPrefix a : addresses)
        {
            scopes.add(Scope.peer(vifId, a.ipv6(), a.hi(), a.lo()));
        }
        return List.copyOf(scopes);
    }

    @Override
    public void close()
    {
        setter.shutdown();
        try
        {
            setter.awaitTermination(1, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
