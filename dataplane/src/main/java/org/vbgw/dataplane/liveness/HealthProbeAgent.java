package org.vbgw.dataplane.liveness;

import org.agrona.MutableDirectBuffer;
import org.vbgw.dataplane.packet.EthernetFlyweight;
import org.vbgw.dataplane.packet.IcmpFlyweight;
import org.vbgw.dataplane.packet.Icmpv6Flyweight;
import org.vbgw.dataplane.packet.InternetChecksum;
import org.vbgw.dataplane.packet.Ipv4Flyweight;
import org.vbgw.dataplane.packet.Ipv6Flyweight;
import org.vbgw.dataplane.packet.L2Header;
import org.vbgw.dataplane.punt.LocalReceiver;
import org.vbgw.dataplane.vif.Vif;
import org.vbgw.dataplane.vif.VifTable;
import org.vbgw.fib.IpPrefix;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the VIFs' health probes on the data plane's control thread: sends each probe's ICMP echo on its VIF,
 * takes the echo replies the workers punt (to a gateway address, with a probe's identifier, from its
 * destination; the reply may come back on any VIF), and turns K lost probes into the VIF's next hops leaving
 * service ({@link NextHopLiveness#CAUSE_PROBE} on the VIF), M answered ones into their return after the hold-down.
 * <p>
 * Replies that are not a probe's go on to the host TAP, so the host's own pings still work. Control thread
 * only; no allocation per packet.
 */
public final class HealthProbeAgent implements LocalReceiver
{
    private static final int ICMP_HEADER_LENGTH = 8;
    /** Echo payload: the send time, which makes each probe distinct on the wire and in captures. */
    private static final int PAYLOAD_LENGTH = 8;

    private final VifTable vifs;
    private final LocalSender sender;
    private final NextHopLiveness liveness;
    private final Consumer<LivenessEvent> events;
    private final int identifierBase;
    private HealthProbe[] probes = new HealthProbe[0];
    private final Ipv4Flyweight ip4 = new Ipv4Flyweight();
    private final Ipv6Flyweight ip6 = new Ipv6Flyweight();
    private long sent;
    private long notSent;
    private long replies;

    public HealthProbeAgent(final VifTable vifs, final LocalSender sender, final NextHopLiveness liveness,
        final Consumer<LivenessEvent> events, final int identifierBase)
    {
        this.vifs = vifs;
        this.sender = sender;
        this.liveness = liveness;
        this.events = events;
        this.identifierBase = identifierBase;
    }

    /** Starts the VIF's probe, or replaces it (one per VIF). Control thread. */
    public void add(final HealthProbeConfig config, final long nowNs)
    {
        if (vifs.snapshot().vif(config.vifId()) == null)
        {
            throw new IllegalArgumentException("no VIF " + config.vifId() + " for a health probe to " +
                config.destination());
        }
        remove(config.vifId(), nowNs);
        final HealthProbe[] more = java.util.Arrays.copyOf(probes, probes.length + 1);
        more[probes.length] = new HealthProbe(config, identifierBase + config.vifId(), nowNs);
        probes = more;
    }

    /** Stops the VIF's probe; what it held down comes back at once. False when there was none. */
    public boolean remove(final int vifId, final long nowNs)
    {
        for (int i = 0; i < probes.length; i++)
        {
            if (probes[i].config().vifId() == vifId)
            {
                final HealthProbe[] fewer = new HealthProbe[probes.length - 1];
                System.arraycopy(probes, 0, fewer, 0, i);
                System.arraycopy(probes, i + 1, fewer, i, probes.length - i - 1);
                probes = fewer;
                liveness.clear(NextHopLiveness.Scope.vif(vifId), NextHopLiveness.CAUSE_PROBE, 0, nowNs);
                return true;
            }
        }
        return false;
    }

    /** Counts lost probes and sends the due ones; returns the work done. */
    public int doWork(final long nowNs)
    {
        int work = 0;
        for (final HealthProbe p : probes)
        {
            if (nowNs - p.nextDeadlineNs() < 0)
            {
                continue;
            }
            final int actions = p.tick(nowNs);
            if ((actions & HealthProbe.WENT_DOWN) != 0)
            {
                event(p, "up", "down", nowNs);
                liveness.raise(NextHopLiveness.Scope.vif(p.config().vifId()), NextHopLiveness.CAUSE_PROBE, nowNs);
                work++;
            }
            if ((actions & HealthProbe.SEND) != 0)
            {
                p.sent(nowNs);
                if (send(p, nowNs))
                {
                    sent++;
                }
                else
                {
                    // Unresolved neighbour or a full ring: the probe is lost like any other.
                    notSent++;
                }
                work++;
            }
        }
        return work;
    }

    private boolean send(final HealthProbe p, final long nowNs)
    {
        final HealthProbeConfig c = p.config();
        final boolean v6 = c.destination().ipv6();
        final int l4 = sender.begin(c.vifId(), c.via(), c.source(), c.destination(),
            v6 ? Ipv6Flyweight.NEXT_HEADER_ICMPV6 : Ipv4Flyweight.PROTOCOL_ICMP, 64, 0, nowNs);
        if (l4 < 0)
        {
            return false;
        }
        final MutableDirectBuffer b = sender.buffer();
        b.putByte(l4, (byte)(v6 ? Icmpv6Flyweight.TYPE_ECHO_REQUEST : IcmpFlyweight.TYPE_ECHO_REQUEST));
        b.putByte(l4 + 1, (byte)0);
        b.putShort(l4 + 2, (short)0);
        b.putShort(l4 + 4, (short)p.identifier(), ByteOrder.BIG_ENDIAN);
        b.putShort(l4 + 6, (short)p.sequence(), ByteOrder.BIG_ENDIAN);
        b.putLong(l4 + ICMP_HEADER_LENGTH, nowNs, ByteOrder.BIG_ENDIAN);
        final int length = ICMP_HEADER_LENGTH + PAYLOAD_LENGTH;
        if (!v6)
        {
            b.putShort(l4 + 2, (short)InternetChecksum.checksum(b, l4, length), ByteOrder.BIG_ENDIAN);
            return sender.send(length, -1);
        }
        return sender.send(length, l4 + 2);
    }

    @Override
    public boolean onLocal(final Vif vif, final MutableDirectBuffer buffer, final L2Header l2, final long nowNs)
    {
        final int icmp;
        final int available;
        final boolean v6;
        final long srcHi;
        final long srcLo;
        if (l2.l3EtherType == EthernetFlyweight.ETHER_TYPE_IPV4)
        {
            ip4.wrap(buffer, l2.l3Offset);
            if (ip4.protocol() != Ipv4Flyweight.PROTOCOL_ICMP || ip4.isFragment() || ip4.moreFragments())
            {
                return false;
            }
            icmp = l2.l3Offset + ip4.headerLength();
            available = ip4.totalLength() - ip4.headerLength();
            v6 = false;
            srcHi = 0;
            srcLo = ip4.srcAddress() & 0xFFFF_FFFFL;
        }
        else if (l2.l3EtherType == EthernetFlyweight.ETHER_TYPE_IPV6)
        {
            ip6.wrap(buffer, l2.l3Offset);
            if (ip6.nextHeader() != Ipv6Flyweight.NEXT_HEADER_ICMPV6)
            {
                return false;
            }
            icmp = l2.l3Offset + Ipv6Flyweight.HEADER_LENGTH;
            available = ip6.payloadLength();
            v6 = true;
            srcHi = ip6.srcHi();
            srcLo = ip6.srcLo();
        }
        else
        {
            return false;
        }
        if (available < ICMP_HEADER_LENGTH ||
            (buffer.getByte(icmp) & 0xFF) != (v6 ? Icmpv6Flyweight.TYPE_ECHO_REPLY : IcmpFlyweight.TYPE_ECHO_REPLY))
        {
            return false;
        }
        final int identifier = buffer.getShort(icmp + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        for (final HealthProbe p : probes)
        {
            final IpPrefix d = p.config().destination();
            if (p.identifier() == identifier && d.ipv6() == v6 && d.hi() == srcHi && d.lo() == srcLo)
            {
                replies++;
                if (p.onReply(buffer.getShort(icmp + 6, ByteOrder.BIG_ENDIAN) & 0xFFFF, nowNs))
                {
                    event(p, "down", "up", nowNs);
                    liveness.clear(NextHopLiveness.Scope.vif(p.config().vifId()), NextHopLiveness.CAUSE_PROBE,
                        p.config().holdDownNs(), nowNs);
                }
                return true;
            }
        }
        return false;
    }

    private void event(final HealthProbe p, final String from, final String to, final long nowNs)
    {
        final HealthProbeConfig c = p.config();
        final Vif vif = vifs.snapshot().vif(c.vifId());
        final String name = vif == null ? "vif" + c.vifId() : vif.name();
        final String dst = IpPrefix.format(c.destination().ipv6(), c.destination().hi(), c.destination().lo());
        events.accept(new LivenessEvent(nowNs, "probe " + dst + "%" + name, name, dst, from, to, "probe", 0));
    }

    /** What {@code show probes} prints, one per probe. */
    public List<HealthProbeView> probes()
    {
        final List<HealthProbeView> views = new ArrayList<>();
        for (final HealthProbe p : probes)
        {
            final HealthProbeConfig c = p.config();
            final Vif vif = vifs.snapshot().vif(c.vifId());
            views.add(new HealthProbeView(vif == null ? "vif" + c.vifId() : vif.name(),
                IpPrefix.format(c.source().ipv6(), c.source().hi(), c.source().lo()),
                IpPrefix.format(c.destination().ipv6(), c.destination().hi(), c.destination().lo()),
                c.intervalNs() / 1_000_000, c.count(), c.recoverCount(), c.holdDownNs() / 1_000_000,
                p.down() ? "down" : "up", p.sentCount(), p.answeredCount(), p.lostCount(), p.lostInARow(),
                p.lastRttNs() < 0 ? -1 : p.lastRttNs() / 1_000, p.lastChangeNs(),
                liveness.isHeld(NextHopLiveness.Scope.vif(c.vifId()), NextHopLiveness.CAUSE_PROBE)));
        }
        return views;
    }

    public long sent()
    {
        return sent;
    }

    public long notSent()
    {
        return notSent;
    }

    public long replies()
    {
        return replies;
    }
}
