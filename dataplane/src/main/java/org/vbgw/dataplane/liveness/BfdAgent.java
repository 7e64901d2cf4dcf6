package org.vbgw.dataplane.liveness;

import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.dataplane.packet.BfdControlFlyweight;
import org.vbgw.dataplane.packet.EthernetFlyweight;
import org.vbgw.dataplane.packet.Ipv4Flyweight;
import org.vbgw.dataplane.packet.Ipv6Flyweight;
import org.vbgw.dataplane.packet.L2Header;
import org.vbgw.dataplane.packet.UdpFlyweight;
import org.vbgw.dataplane.punt.LocalReceiver;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.dataplane.vif.VifTable;
import org.vbgw.fib.IpPrefix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Runs the gateway's BFD sessions (RFC 5880 asynchronous mode, RFC 5881 single hop) on the data plane's
 * control thread: takes the BFD packets the workers punt (UDP 3784 to a gateway address, on the priority ring)
 * for peers it has a session with, sends each session's packets on its VIF (the VIF's tags, TTL 255, a source
 * port of 49152-65535 per session), and turns session state into next-hop liveness: Up → Down takes the
 * peer's next hops out of service at once, Down → Up puts them back after the session's hold-down.
 * <p>
 * BFD packets for peers without a session go on to the host TAP, so a BFD daemon on the host still works.
 * Control thread only; no allocation per packet (sessions, events and views allocate when they change).
 */
public final class BfdAgent implements LocalReceiver
{
    public static final int PORT = 3784;
    /** RFC 5881 §4: the source port range of single-hop control packets. */
    public static final int MIN_SOURCE_PORT = 49152;
    /** RFC 5881 §5: single-hop packets are sent, and must arrive, with TTL / hop limit 255. */
    public static final int TTL = 255;
    /** DSCP CS6 (network control), as routers send BFD. */
    private static final int TRAFFIC_CLASS_CS6 = 0xC0;

    private record Key(int vifId, boolean ipv6, long hi, long lo)
    {
        static Key of(final int vifId, final IpPrefix peer)
        {
            return new Key(vifId, peer.ipv6(), peer.hi(), peer.lo());
        }
    }

    private static final class Entry
    {
        final BfdSession session;
        final int sourcePort;
        final NextHopLiveness.Scope scope;
        final String name;

        Entry(final BfdSession session, final int sourcePort, final NextHopLiveness.Scope scope, final String name)
        {
            this.session = session;
            this.sourcePort = sourcePort;
            this.scope = scope;
            this.name = name;
        }
    }

    private final VifTable vifs;
    private final LocalSender sender;
    private final NextHopLiveness liveness;
    private final Consumer<LivenessEvent> events;
    private final SplittableRandom random;
    private final Map<Key, Entry> byPeer = new HashMap<>();
    private final Int2ObjectHashMap<Entry> byDiscriminator = new Int2ObjectHashMap<>();
    /** Iterated every duty cycle: an array, rebuilt when sessions come and go. */
    private Entry[] entries = new Entry[0];
    private final BfdControlFlyweight packet = new BfdControlFlyweight();
    private final Ipv4Flyweight ip4 = new Ipv4Flyweight();
    private final Ipv6Flyweight ip6 = new Ipv6Flyweight();
    private final UdpFlyweight udp = new UdpFlyweight();
    private final BfdControlFlyweight out = new BfdControlFlyweight();
    /** Where a packet that cannot leave (no neighbour yet) is written, so its session's timers still advance. */
    private final UnsafeBuffer unsent = new UnsafeBuffer(new byte[64]);
    private int nextSourcePort = MIN_SOURCE_PORT;

    private long rxPackets;
    private long txPackets;
    private long txNoNeighbour;
    private long badTtl;
    private long malformed;
    private long authFailures;
    private long discarded;

    public BfdAgent(final VifTable vifs, final LocalSender sender, final NextHopLiveness liveness,
        final Consumer<LivenessEvent> events, final long seed)
    {
        this.vifs = vifs;
        this.sender = sender;
        this.liveness = liveness;
        this.events = events;
        this.random = new SplittableRandom(seed);
    }

    /**
     * Starts a session, or changes the timers of the one with this VIF and peer (by a poll sequence when it is
     * running; a change of addresses or authentication restarts it).
     *
     * @return the session's local discriminator.
     */
    public int add(final BfdSessionConfig config, final long nowNs)
    {
        final Vif vif = vifs.snapshot().vif(config.vifId());
        if (vif == null)
        {
            throw new IllegalArgumentException("no VIF " + config.vifId() + " for a BFD session to " + config.peer());
        }
        final Key key = Key.of(config.vifId(), config.peer());
        final Entry existing = byPeer.get(key);
        if (existing != null)
        {
            final BfdSessionConfig old = existing.session.config();
            if (old.local().equals(config.local()) && old.authType() == config.authType() &&
                old.authKeyId() == config.authKeyId() && java.util.Arrays.equals(old.authKey(), config.authKey()) &&
                old.holdDownNs() == config.holdDownNs())
            {
                existing.session.modify(config.desiredMinTxUs(), config.requiredMinRxUs(), config.detectMult(), nowNs);
                return existing.session.localDiscriminator();
            }
            remove(config.vifId(), config.peer(), nowNs);
        }
        int discriminator;
        do
        {
            discriminator = random.nextInt();
        }
        while (discriminator == 0 || byDiscriminator.containsKey(discriminator));
        final String name = IpPrefix.format(config.peer().ipv6(), config.peer().hi(), config.peer().lo()) + "%" +
            vif.name();
        final Entry entry = new Entry(new BfdSession(config, discriminator, this::onStateChange, random.split(), nowNs),
            allocateSourcePort(), NextHopLiveness.Scope.peer(config.vifId(), config.peer().ipv6(), config.peer().hi(),
            config.peer().lo()), name);
        byPeer.put(key, entry);
        byDiscriminator.put(discriminator, entry);
        rebuild();
        return discriminator;
    }

    /** Stops a session; its peer's next hops no longer depend on it. False when there was none. */
    public boolean remove(final int vifId, final IpPrefix peer, final long nowNs)
    {
        final Entry entry = byPeer.remove(Key.of(vifId, peer));
        if (entry == null)
        {
            return false;
        }
        byDiscriminator.remove(entry.session.localDiscriminator());
        rebuild();
        liveness.clear(entry.scope, NextHopLiveness.CAUSE_BFD, 0, nowNs);
        return true;
    }

    private int allocateSourcePort()
    {
        for (int tries = 0; tries < 16384; tries++)
        {
            final int port = nextSourcePort;
            nextSourcePort = nextSourcePort == 65535 ? MIN_SOURCE_PORT : nextSourcePort + 1;
            boolean used = false;
            for (final Entry e : entries)
            {
                used |= e.sourcePort == port;
            }
            if (!used)
            {
                return port;
            }
        }
        throw new IllegalStateException("no free BFD source port: 16384 sessions");
    }

    private void rebuild()
    {
        entries = byPeer.values().toArray(new Entry[0]);
    }

    /** Expires detection times and sends what is due; returns the work done. */
    public int doWork(final long nowNs)
    {
        int work = 0;
        final Entry[] all = entries;
        for (final Entry e : all)
        {
            final BfdSession s = e.session;
            if (nowNs - s.nextDeadlineNs() < 0)
            {
                continue;
            }
            if (s.checkDetection(nowNs))
            {
                work++;
            }
            if (s.txDue(nowNs))
            {
                transmit(e, nowNs);
                work++;
            }
        }
        return work;
    }

    private void transmit(final Entry e, final long nowNs)
    {
        final BfdSessionConfig c = e.session.config();
        final int l4 = sender.begin(c.vifId(), c.peer(), c.local(), c.peer(), Ipv4Flyweight.PROTOCOL_UDP, TTL,
            TRAFFIC_CLASS_CS6, nowNs);
        if (l4 < 0)
        {
            // No neighbour yet: the session's timers still run (a packet counts as sent for scheduling, so the
            // detection time, not a stuck transmit timer, is what notices the peer is gone).
            txNoNeighbour++;
            out.wrap(unsent, 0);
            e.session.writePacket(out, nowNs);
            return;
        }
        final MutableDirectBuffer buffer = sender.buffer();
        out.wrap(buffer, l4 + UdpFlyweight.HEADER_LENGTH);
        final int length = e.session.writePacket(out, nowNs);
        udp.wrap(buffer, l4).srcPort(e.sourcePort).dstPort(PORT).length(UdpFlyweight.HEADER_LENGTH + length);
        if (sender.send(UdpFlyweight.HEADER_LENGTH + length, l4 + UdpFlyweight.CHECKSUM_OFFSET))
        {
            txPackets++;
        }
    }

    @Override
    public boolean onLocal(final Vif vif, final MutableDirectBuffer buffer, final L2Header l2, final long nowNs)
    {
        final int l3 = l2.l3Offset;
        final int ttl;
        final int udpOffset;
        final int udpAvailable;
        final boolean ipv6;
        final long srcHi;
        final long srcLo;
        if (l2.l3EtherType == EthernetFlyweight.ETHER_TYPE_IPV4)
        {
            ip4.wrap(buffer, l3);
            if (ip4.protocol() != Ipv4Flyweight.PROTOCOL_UDP || ip4.isFragment() || ip4.moreFragments())
            {
                return false;
            }
            ttl = ip4.ttl();
            udpOffset = l3 + ip4.headerLength();
            udpAvailable = ip4.totalLength() - ip4.headerLength();
            ipv6 = false;
            srcHi = 0;
            srcLo = ip4.srcAddress() & 0xFFFF_FFFFL;
        }
        else if (l2.l3EtherType == EthernetFlyweight.ETHER_TYPE_IPV6)
        {
            ip6.wrap(buffer, l3);
            if (ip6.nextHeader() != Ipv6Flyweight.NEXT_HEADER_UDP)
            {
                return false;
            }
            ttl = ip6.hopLimit();
            udpOffset = l3 + Ipv6Flyweight.HEADER_LENGTH;
            udpAvailable = ip6.payloadLength();
            ipv6 = true;
            srcHi = ip6.srcHi();
            srcLo = ip6.srcLo();
        }
        else
        {
            return false;
        }
        if (udpAvailable < UdpFlyweight.HEADER_LENGTH)
        {
            return false;
        }
        udp.wrap(buffer, udpOffset);
        if (udp.dstPort() != PORT)
        {
            return false;
        }
        final Entry entry = find(vif.id(), ipv6, srcHi, srcLo);
        if (entry == null)
        {
            // Not ours: a BFD daemon on the host may have a session with this peer.
            return false;
        }
        if (ttl != TTL)
        {
            // RFC 5881 §5: anything else may come from off the link (the GTSM argument of RFC 5082).
            badTtl++;
            return true;
        }
        final int payload = Math.min(udp.length(), udpAvailable) - UdpFlyweight.HEADER_LENGTH;
        packet.wrap(buffer, udpOffset + UdpFlyweight.HEADER_LENGTH);
        if (payload < 0 || !packet.isValid(payload))
        {
            malformed++;
            return true;
        }
        if (packet.yourDiscriminator() != 0 && packet.yourDiscriminator() != entry.session.localDiscriminator())
        {
            discarded++;
            return true;
        }
        final int result = entry.session.onPacket(packet, nowNs);
        if (result == BfdSession.ACCEPTED)
        {
            rxPackets++;
        }
        else if (result == BfdSession.DISCARD_AUTH || result == BfdSession.DISCARD_SEQUENCE)
        {
            authFailures++;
        }
        else
        {
            discarded++;
        }
        return true;
    }

    /** A scan, not a map lookup: no key object per packet, and a gateway has a few sessions, one per VIF peer. */
    private Entry find(final int vifId, final boolean ipv6, final long hi, final long lo)
    {
        for (final Entry e : entries)
        {
            final BfdSessionConfig c = e.session.config();
            if (c.vifId() == vifId && c.peer().ipv6() == ipv6 && c.peer().hi() == hi && c.peer().lo() == lo)
            {
                return e;
            }
        }
        return null;
    }

    private void onStateChange(final BfdSession session, final int from, final int to, final long nowNs)
    {
        final Entry e = byDiscriminator.get(session.localDiscriminator());
        final BfdSessionConfig c = session.config();
        final Vif vif = vifs.snapshot().vif(c.vifId());
        final String peer = IpPrefix.format(c.peer().ipv6(), c.peer().hi(), c.peer().lo());
        events.accept(new LivenessEvent(nowNs, "bfd " + (e == null ? peer : e.name), vif == null ? "" : vif.name(),
            peer, BfdSession.stateName(from), BfdSession.stateName(to) + diagText(session.diag()), "bfd", 0));
        final NextHopLiveness.Scope scope = NextHopLiveness.Scope.peer(c.vifId(), c.peer().ipv6(), c.peer().hi(),
            c.peer().lo());
        if (to == BfdControlFlyweight.STATE_UP)
        {
            liveness.clear(scope, NextHopLiveness.CAUSE_BFD, c.holdDownNs(), nowNs);
        }
        else if (from == BfdControlFlyweight.STATE_UP &&
            session.remoteState() != BfdControlFlyweight.STATE_ADMIN_DOWN)
        {
            // RFC 5882 §3.2: a peer that says AdminDown is being shut down on purpose, not failing: its
            // next hops are left to the routing protocol. Anything else leaving Up is a failure.
            liveness.raise(scope, NextHopLiveness.CAUSE_BFD, nowNs);
        }
    }

    private static String diagText(final int diag)
    {
        return switch (diag)
        {
            case BfdControlFlyweight.DIAG_NONE -> "";
            case BfdControlFlyweight.DIAG_DETECTION_TIME_EXPIRED -> " (detection time expired)";
            case BfdControlFlyweight.DIAG_NEIGHBOR_SIGNALED_DOWN -> " (neighbor signaled down)";
            default -> " (diag " + diag + ")";
        };
    }

    /** What {@code show bfd} prints, one per session. */
    public List<BfdSessionView> sessions()
    {
        final List<BfdSessionView> views = new ArrayList<>();
        for (final Entry e : entries)
        {
            final BfdSession s = e.session;
            final BfdSessionConfig c = s.config();
            final Vif vif = vifs.snapshot().vif(c.vifId());
            views.add(new BfdSessionView(vif == null ? "vif" + c.vifId() : vif.name(),
                IpPrefix.format(c.peer().ipv6(), c.peer().hi(), c.peer().lo()),
                IpPrefix.format(c.local().ipv6(), c.local().hi(), c.local().lo()),
                BfdSession.stateName(s.state()), BfdSession.stateName(s.remoteState()), s.diag(),
                s.localDiscriminator() & 0xFFFF_FFFFL, s.remoteDiscriminator() & 0xFFFF_FFFFL, e.sourcePort,
                s.configuredMinTxUs(), s.requiredMinRxUs(), s.detectMult(), s.txIntervalUs(),
                s.detectionTimeNs() / 1_000L, s.remoteDesiredMinTxUs(), s.remoteMinRxUs(), s.lastChangeNs(), s.lastRxNs(),
                s.upCount(), s.downCount(), s.rxPackets(), s.txPackets(),
                liveness.isHeld(e.scope, NextHopLiveness.CAUSE_BFD), c.authType(), s.maxRxGapNs() / 1_000L,
                s.lateRxGaps(), s.maxTxLateNs() / 1_000L, s.lateTxPackets()));
        }
        return views;
    }

    public int sessionCount()
    {
        return entries.length;
    }

    public long rxPackets()
    {
        return rxPackets;
    }

    public long txPackets()
    {
        return txPackets;
    }

    public long txNoNeighbour()
    {
        return txNoNeighbour;
    }

    public long badTtl()
    {
        return badTtl;
    }

    public long malformed()
    {
        return malformed;
    }

    public long authFailures()
    {
        return authFailures;
    }

    public long discarded()
    {
        return discarded;
    }

    /** Sessions Up now. */
    public long up()
    {
        long n = 0;
        for (final Entry e : entries)
        {
            n += e.session.state() == BfdControlFlyweight.STATE_UP ? 1 : 0;
        }
        return n;
    }
}
