package org.vbgw.dataplane.liveness;

import org.agrona.collections.Int2IntHashMap;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.dataplane.vif.VifTable;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;
import org.vbgw.fib.NextHop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The one place that decides whether a next hop carries traffic. Every detector (carrier, BFD, health probe,
 * neighbour resolution, the operator, the routing agent) holds next hops down through a <em>cause</em> on a
 * <em>scope</em>: a port, a VIF, a peer (a VIF and a neighbour address) or one next hop. A next hop is alive
 * only when no cause on any scope that covers it holds it down: carrier back while BFD is still down keeps it
 * down. Raising a cause takes effect at once (the FIB's O(1)-per-group invalidation); clearing one may wait a
 * hold-down, so a flapping link does not flap traffic, and a new raise during the wait cancels it.
 * <p>
 * A next hop added later (a BGP route through a peer whose BFD session is down) starts in the state its scopes
 * are in. Every transition of a (scope, cause) is a {@link LivenessEvent}; downs and restores are counted per
 * cause. Control thread only: it writes the FIB. Allocates only when a state changes, never per packet.
 */
public final class NextHopLiveness
{
    /** Cause numbers, shared with the FIB journal's next-hop state entries. */
    public static final int CAUSE_ADMIN = 0;
    public static final int CAUSE_CARRIER = 1;
    public static final int CAUSE_BFD = 2;
    public static final int CAUSE_PROBE = 3;
    public static final int CAUSE_RESOLUTION = 4;
    public static final int CAUSE_ROUTING = 5;
    public static final int CAUSES = 6;
    private static final String[] CAUSE_NAMES = {"admin", "carrier", "bfd", "probe", "resolution", "routing"};

    /** What a cause is held on. */
    public enum Kind
    {
        PORT, VIF, PEER, NEXT_HOP
    }

    /** A port, VIF, peer or next hop; {@code id} is the port index, VIF id or next hop id. */
    public record Scope(Kind kind, int id, boolean ipv6, long hi, long lo)
    {
        public static Scope port(final int index)
        {
            return new Scope(Kind.PORT, index, false, 0, 0);
        }

        public static Scope vif(final int vifId)
        {
            return new Scope(Kind.VIF, vifId, false, 0, 0);
        }

        public static Scope peer(final int vifId, final boolean ipv6, final long hi, final long lo)
        {
            return new Scope(Kind.PEER, vifId, ipv6, hi, lo);
        }

        public static Scope nextHop(final int id)
        {
            return new Scope(Kind.NEXT_HOP, id, false, 0, 0);
        }
    }

    private record Pending(Scope scope, int cause, long atNs)
    {
    }

    private final Fib fib;
    private final VifTable vifs;
    private final Consumer<LivenessEvent> events;
    /** Next hop id → VIF id: the next hops this class decides for (the agent's, not the resolver's host routes). */
    private final Int2IntHashMap tracked = new Int2IntHashMap(-1);
    /** Causes held per scope; a scope leaves the map when its mask is clear. */
    private final Map<Scope, Integer> held = new HashMap<>();
    private final List<Pending> pending = new ArrayList<>();
    private final String[] portNames;
    private final long[] downs = new long[CAUSES];
    private final long[] restores = new long[CAUSES];
    private final int[] scratch = new int[1];

    public NextHopLiveness(final Fib fib, final VifTable vifs, final String[] portNames,
        final Consumer<LivenessEvent> events)
    {
        this.fib = fib;
        this.vifs = vifs;
        this.portNames = portNames.clone();
        this.events = events;
    }

    public static String causeName(final int cause)
    {
        return cause >= 0 && cause < CAUSES ? CAUSE_NAMES[cause] : "unknown(" + cause + ")";
    }

    /** Starts deciding for a next hop already in the FIB; it takes the state its scopes are in now. */
    public void track(final int nextHopId, final int vifId)
    {
        tracked.put(nextHopId, vifId);
        apply(nextHopId);
    }

    /** Forgets a next hop (removed from the FIB) and whatever was held on it alone. */
    public void untrack(final int nextHopId)
    {
        tracked.remove(nextHopId);
        final Scope own = Scope.nextHop(nextHopId);
        held.remove(own);
        pending.removeIf(p -> p.scope.equals(own));
    }

    /**
     * Holds the scope's next hops down for {@code cause}, at once; cancels a pending restore of the same cause.
     *
     * @return the number of next hops this took out of service.
     */
    public int raise(final Scope scope, final int cause, final long nowNs)
    {
        final boolean wasPending = pending.removeIf(p -> p.cause == cause && p.scope.equals(scope));
        final int mask = held.getOrDefault(scope, 0);
        if ((mask & (1 << cause)) != 0 && !wasPending)
        {
            return 0;
        }
        held.put(scope, mask | (1 << cause));
        downs[cause]++;
        final int changed = applyScope(scope);
        events.accept(event(nowNs, scope, wasPending ? "up (hold-down)" : "up", "down", cause, changed));
        return changed;
    }

    /**
     * Releases {@code cause} on the scope after {@code holdDownNs} (at once when 0). The next hops return to
     * service only if nothing else holds them down.
     *
     * @return the number of next hops restored now (0 while the hold-down runs).
     */
    public int clear(final Scope scope, final int cause, final long holdDownNs, final long nowNs)
    {
        final int mask = held.getOrDefault(scope, 0);
        if ((mask & (1 << cause)) == 0)
        {
            return 0;
        }
        for (int i = 0; i < pending.size(); i++)
        {
            final Pending p = pending.get(i);
            if (p.cause == cause && p.scope.equals(scope))
            {
                return 0;
            }
        }
        if (holdDownNs <= 0)
        {
            return release(scope, cause, "down", nowNs);
        }
        pending.add(new Pending(scope, cause, nowNs + holdDownNs));
        events.accept(event(nowNs, scope, "down", "up (hold-down)", cause, 0));
        return 0;
    }

    /** True when {@code cause} holds the scope down (including during its hold-down). */
    public boolean isHeld(final Scope scope, final int cause)
    {
        return (held.getOrDefault(scope, 0) & (1 << cause)) != 0;
    }

    /** The scopes {@code cause} holds down now (including those in their hold-down). */
    public List<Scope> heldBy(final int cause)
    {
        final List<Scope> scopes = new ArrayList<>();
        held.forEach((scope, mask) ->
        {
            if ((mask & (1 << cause)) != 0)
            {
                scopes.add(scope);
            }
        });
        return scopes;
    }

    /** Ends the hold-downs that are due; returns how many ended. */
    public int doWork(final long nowNs)
    {
        if (pending.isEmpty())
        {
            return 0;
        }
        int work = 0;
        for (final Iterator<Pending> it = pending.iterator(); it.hasNext(); )
        {
            final Pending p = it.next();
            if (nowNs - p.atNs >= 0)
            {
                it.remove();
                release(p.scope, p.cause, "up (hold-down)", nowNs);
                work++;
            }
        }
        return work;
    }

    /** Every cause holding the next hop down, as a bit mask of {@code 1 << cause}. */
    public int downMask(final int nextHopId)
    {
        final int vifId = tracked.get(nextHopId);
        if (vifId == -1)
        {
            return 0;
        }
        final NextHop nh = fib.nextHop(nextHopId);
        final Vif vif = vifs.snapshot().vif(vifId);
        int mask = 0;
        for (final Map.Entry<Scope, Integer> e : held.entrySet())
        {
            if (covers(e.getKey(), nextHopId, vifId, vif, nh))
            {
                mask |= e.getValue();
            }
        }
        return mask;
    }

    /** Times {@code cause} took a scope down since start. */
    public long downs(final int cause)
    {
        return downs[cause];
    }

    /** Times {@code cause} released a scope since start. */
    public long restores(final int cause)
    {
        return restores[cause];
    }

    private int release(final Scope scope, final int cause, final String from, final long nowNs)
    {
        final int mask = held.getOrDefault(scope, 0) & ~(1 << cause);
        if (mask == 0)
        {
            held.remove(scope);
        }
        else
        {
            held.put(scope, mask);
        }
        restores[cause]++;
        final int changed = applyScope(scope);
        events.accept(event(nowNs, scope, from, "up", cause, changed));
        return changed;
    }

    /** Brings every tracked next hop the scope covers in line with its mask; returns how many changed. */
    private int applyScope(final Scope scope)
    {
        scratch[0] = 0;
        final VifTable.Snapshot snapshot = vifs.snapshot();
        tracked.forEach((nh, vifId) ->
        {
            if (covers(scope, nh, vifId, snapshot.vif(vifId), fib.nextHop(nh)) && apply(nh))
            {
                scratch[0]++;
            }
        });
        return scratch[0];
    }

    /** Sets the FIB's liveness bit of one next hop from its mask; true when it changed. */
    private boolean apply(final int nextHopId)
    {
        final NextHop nh = fib.nextHop(nextHopId);
        if (nh == null)
        {
            return false;
        }
        final boolean alive = downMask(nextHopId) == 0;
        if (nh.alive() == alive)
        {
            return false;
        }
        fib.setNextHopAlive(nextHopId, alive);
        return true;
    }

    private static boolean covers(final Scope scope, final int nextHopId, final int vifId, final Vif vif,
        final NextHop nh)
    {
        return switch (scope.kind())
        {
            case NEXT_HOP -> scope.id() == nextHopId;
            case VIF -> scope.id() == vifId;
            case PORT -> vif != null && vif.portIndex() == scope.id();
            case PEER -> scope.id() == vifId && nh != null && nh.ipv6() == scope.ipv6() &&
                nh.neighbourHi() == scope.hi() && nh.neighbourLo() == scope.lo();
        };
    }

    private LivenessEvent event(final long nowNs, final Scope scope, final String from, final String to,
        final int cause, final int nextHops)
    {
        final String vifName;
        final String peer;
        final String subject;
        switch (scope.kind())
        {
            case PORT ->
            {
                vifName = "";
                peer = "";
                subject = "port " + (scope.id() < portNames.length ? portNames[scope.id()] : scope.id());
            }
            case VIF ->
            {
                vifName = vifName(scope.id());
                peer = "";
                subject = "vif " + vifName;
            }
            case PEER ->
            {
                vifName = vifName(scope.id());
                peer = IpPrefix.format(scope.ipv6(), scope.hi(), scope.lo());
                subject = "peer " + peer + "%" + vifName;
            }
            default ->
            {
                final NextHop nh = fib.nextHop(scope.id());
                final int vifId = tracked.get(scope.id());
                vifName = vifId == -1 ? "" : vifName(vifId);
                peer = nh == null ? "" : IpPrefix.format(nh.ipv6(), nh.neighbourHi(), nh.neighbourLo());
                subject = "nexthop " + scope.id() + (nh == null ? "" : " " + peer + "%" + vifName);
            }
        }
        return new LivenessEvent(nowNs, subject, vifName, peer, from, to, causeName(cause), nextHops);
    }

    private String vifName(final int vifId)
    {
        final Vif v = vifs.snapshot().vif(vifId);
        return v == null ? "vif" + vifId : v.name();
    }
}
