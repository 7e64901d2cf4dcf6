package org.vbgw.dataplane.neighbour;

import org.agrona.DirectBuffer;
import org.agrona.collections.IntArrayList;
import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.dataplane.adjacency.Adjacency;
import org.vbgw.dataplane.adjacency.AdjacencyTable;
import org.vbgw.dataplane.liveness.NextHopLiveness;
import org.agrona.concurrent.EpochNanoClock;
import org.vbgw.dataplane.packet.ArpPacketBuilder;
import org.vbgw.dataplane.packet.EthernetEncap;
import org.vbgw.dataplane.packet.EthernetFlyweight;
import org.vbgw.dataplane.packet.NdpPacketBuilder;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.dataplane.vif.VifTable;
import org.vbgw.fib.Fib;
import org.vbgw.fib.IpPrefix;
import org.vbgw.io.Port;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns neighbour resolution into forwarding state: publishes an {@link Adjacency} for every next hop
 * whose neighbour answered, invalidates next hops whose neighbour stopped answering (O(1) per group in the
 * FIB), sends ARP requests and neighbour solicitations, releases packets that waited, and installs host
 * routes for destinations in connected subnets (an attached next hop has no address of its own: each
 * resolved destination gets a /32 or /128 of its own, VPP's "glean" adjacency). Whether a next hop carries
 * traffic is {@link NextHopLiveness}'s to decide: failed resolution is one of its causes.
 * <p>
 * Control thread only: it is the FIB's single writer.
 */
public final class NeighbourResolver implements NeighbourListener
{
    /** Next hop ids from here on are the data plane's own (host routes); below are the agent's. */
    public static final int FIRST_HOST_NEXT_HOP_ID = 1 << 16;
    /** Group ids from here on are the data plane's own (host routes). */
    public static final int FIRST_HOST_GROUP_ID = 1 << 20;

    private record Key(int vifId, boolean ipv6, long hi, long lo)
    {
    }

    private final Fib fib;
    private final NextHopLiveness liveness;
    private final EpochNanoClock clock;
    private final VifTable vifs;
    private final AdjacencyTable adjacencies;
    private final Port[] ports;
    private NeighbourTable table;
    private final Map<Key, IntArrayList> nextHopsByNeighbour = new HashMap<>();
    private final Map<Key, Integer> hostRoutes = new HashMap<>();
    private final IntArrayList freeHostIds = new IntArrayList();
    private int nextHostId;
    private final ArpPacketBuilder arp = new ArpPacketBuilder();
    private final NdpPacketBuilder ndp = new NdpPacketBuilder();
    private final EthernetEncap encap = new EthernetEncap();
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[9216 + 64]);
    private long solicitations;
    private long droppedWaiting;
    private long released;

    public NeighbourResolver(final Fib fib, final VifTable vifs, final AdjacencyTable adjacencies, final Port[] ports,
        final NextHopLiveness liveness, final EpochNanoClock clock)
    {
        this.liveness = liveness;
        this.clock = clock;
        this.fib = fib;
        this.vifs = vifs;
        this.adjacencies = adjacencies;
        this.ports = ports;
    }

    /** Records that a next hop forwards through a neighbour; its adjacency appears once that resolves. */
    public void track(final int nextHopId, final int vifId, final boolean ipv6, final long hi, final long lo)
    {
        nextHopsByNeighbour.computeIfAbsent(new Key(vifId, ipv6, hi, lo), k -> new IntArrayList()).addInt(nextHopId);
    }

    public void untrack(final int nextHopId, final int vifId, final boolean ipv6, final long hi, final long lo)
    {
        final Key key = new Key(vifId, ipv6, hi, lo);
        final IntArrayList ids = nextHopsByNeighbour.get(key);
        if (ids != null)
        {
            ids.removeInt(nextHopId);
            if (ids.isEmpty())
            {
                nextHopsByNeighbour.remove(key);
            }
        }
        adjacencies.clear(nextHopId);
    }

    @Override
    public void solicit(final int vifId, final boolean ipv6, final long hi, final long lo, final long unicastMac)
    {
        final Vif vif = vifs.snapshot().vif(vifId);
        if (vif == null || !vif.adminUp())
        {
            return;
        }
        encap(vif);
        final int length;
        if (!ipv6)
        {
            if (!vif.hasIpv4())
            {
                return;
            }
            length = arp.request(scratch, 0, encap, vif.primaryIpv4(), (int)lo);
            if (unicastMac != 0 && length > 0)
            {
                // RFC 1122 §2.3.2.1: refresh a cached entry with a unicast request, not a broadcast.
                EthernetFlyweight.writeMac(scratch, EthernetFlyweight.DST_MAC_OFFSET, unicastMac);
            }
        }
        else
        {
            if (!vif.hasIpv6())
            {
                return;
            }
            length = unicastMac != 0
                ? ndp.unicastSolicitation(scratch, 0, encap, unicastMac, vif.primaryIpv6Hi(), vif.primaryIpv6Lo(), hi, lo)
                : ndp.solicitation(scratch, 0, encap, vif.primaryIpv6Hi(), vif.primaryIpv6Lo(), hi, lo);
        }
        if (length > 0 && ports[vif.portIndex()].send(scratch, 0, length))
        {
            solicitations++;
        }
    }

    @Override
    public void resolved(final int entry, final int vifId, final boolean ipv6, final long hi, final long lo,
        final long mac)
    {
        final Vif vif = vifs.snapshot().vif(vifId);
        if (vif == null)
        {
            return;
        }
        final Key key = new Key(vifId, ipv6, hi, lo);
        final IntArrayList ids = nextHopsByNeighbour.get(key);
        if (ids != null)
        {
            for (int i = 0; i < ids.size(); i++)
            {
                final int nh = ids.getInt(i);
                adjacencies.put(adjacency(nh, vif, mac));
                // "Invalidated until it resolves": no hold-down, the neighbour has just proved itself.
                liveness.clear(NextHopLiveness.Scope.nextHop(nh), NextHopLiveness.CAUSE_RESOLUTION, 0, clock.nanoTime());
            }
            return;
        }
        if (!hostRoutes.containsKey(key) && isInConnectedSubnet(ipv6, hi, lo, vifId))
        {
            installHostRoute(key, vif, mac);
        }
    }

    @Override
    public void unreachable(final int entry, final int vifId, final boolean ipv6, final long hi, final long lo)
    {
        final Key key = new Key(vifId, ipv6, hi, lo);
        final IntArrayList ids = nextHopsByNeighbour.get(key);
        if (ids != null)
        {
            for (int i = 0; i < ids.size(); i++)
            {
                final int nh = ids.getInt(i);
                adjacencies.clear(nh);
                liveness.raise(NextHopLiveness.Scope.nextHop(nh), NextHopLiveness.CAUSE_RESOLUTION, clock.nanoTime());
            }
        }
        final Integer hostId = hostRoutes.remove(key);
        if (hostId != null)
        {
            removeHostRoute(key, hostId);
        }
    }

    @Override
    public void release(final int entry, final long mac, final DirectBuffer packet, final int offset, final int length)
    {
        final int version = (packet.getByte(offset) & 0xF0) >>> 4;
        final Vif vif = vifs.snapshot().vif(table.vifId(entry));
        if (vif == null)
        {
            return;
        }
        encap(vif);
        final int l2 = encap.write(scratch, 0, mac,
            version == 6 ? EthernetFlyweight.ETHER_TYPE_IPV6 : EthernetFlyweight.ETHER_TYPE_IPV4);
        scratch.putBytes(l2, packet, offset, length);
        if (ports[vif.portIndex()].send(scratch, 0, l2 + length))
        {
            released++;
        }
    }

    /** Connects the table this resolver listens to (the table needs its listener first). */
    public void attach(final NeighbourTable table)
    {
        this.table = table;
    }

    @Override
    public void dropped(final int entry, final int frames)
    {
        droppedWaiting += frames;
    }

    public long solicitations()
    {
        return solicitations;
    }

    public long droppedWaiting()
    {
        return droppedWaiting;
    }

    public long released()
    {
        return released;
    }

    /** Host routes the data plane installed for resolved hosts of connected subnets. */
    public int hostRouteCount()
    {
        return hostRoutes.size();
    }

    private Adjacency adjacency(final int nextHopId, final Vif vif, final long mac)
    {
        return new Adjacency(nextHopId, vif.id(), vif.portIndex(), vif.mtuBytes(), mac, vif.mac(),
            vif.outerTpid(), vif.outerVlan(), vif.innerVlan());
    }

    private void encap(final Vif vif)
    {
        encap.set(vif.mac(), vif.outerVlan(), vif.innerVlan());
        encap.qinqOuterTpid = vif.outerTpid() == 0 ? EthernetFlyweight.ETHER_TYPE_QINQ : vif.outerTpid();
    }

    /** True when the address is covered by a route whose group forwards to an attached next hop on the VIF. */
    private boolean isInConnectedSubnet(final boolean ipv6, final long hi, final long lo, final int vifId)
    {
        final int group = ipv6 ? fib.lookupIpv6(hi, lo) : fib.lookupIpv4((int)lo);
        if (group == Fib.NO_GROUP)
        {
            return false;
        }
        final int nh = fib.selectNextHop(group, 0);
        final var nextHop = nh == Fib.NO_NEXT_HOP ? null : fib.nextHop(nh);
        return nextHop != null && nextHop.vifId() == vifId && nextHop.neighbourHi() == 0 && nextHop.neighbourLo() == 0;
    }

    private void installHostRoute(final Key key, final Vif vif, final long mac)
    {
        final int id = freeHostIds.isEmpty() ? nextHostId++ : freeHostIds.removeAt(freeHostIds.size() - 1);
        final int nh = FIRST_HOST_NEXT_HOP_ID + id;
        final int group = FIRST_HOST_GROUP_ID + id;
        if (nh >= adjacencies.capacity())
        {
            freeHostIds.addInt(id);
            return;
        }
        fib.addNextHop(nh, vif.id(), key.ipv6(), key.hi(), key.lo());
        adjacencies.put(adjacency(nh, vif, mac));
        fib.addGroup(group, new int[] {nh}, new int[] {1}, Fib.NO_GROUP);
        fib.addRoute(key.ipv6() ? IpPrefix.ipv6(key.hi(), key.lo(), 128) : IpPrefix.ipv4((int)key.lo(), 32), group);
        hostRoutes.put(key, id);
    }

    private void removeHostRoute(final Key key, final int id)
    {
        final int nh = FIRST_HOST_NEXT_HOP_ID + id;
        final int group = FIRST_HOST_GROUP_ID + id;
        final IpPrefix host = key.ipv6() ? IpPrefix.ipv6(key.hi(), key.lo(), 128) : IpPrefix.ipv4((int)key.lo(), 32);
        if (fib.routeGroup(host) == group)
        {
            fib.removeRoute(host);
        }
        fib.removeGroup(group);
        adjacencies.clear(nh);
        fib.removeNextHop(nh);
        freeHostIds.addInt(id);
    }
}
