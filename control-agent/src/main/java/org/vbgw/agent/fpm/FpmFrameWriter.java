package org.vbgw.agent.fpm;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.vbgw.fib.IpPrefix;

import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Writes FPM frames the way zebra's {@code dplane_fpm_nl} (FRR 8.4) does, byte for byte: attribute order,
 * netlink flags, RTA_PRIORITY 20, NLA_F_NESTED on RTA_MULTIPATH. For tests and benchmarks that need zebra's
 * stream without zebra, and for checking the decoder against captures of the real one.
 * <p>
 * One frame at a time: {@link #begin}, messages, {@link #end}. Not thread-safe; reuses its buffer.
 */
public final class FpmFrameWriter
{
    private static final ByteOrder ORDER = NetlinkHeaderFlyweight.ORDER;
    private static final int NLM_F_REQUEST = 0x1;
    private static final int NLM_F_REPLACE = 0x100;
    private static final int NLM_F_CREATE = 0x400;
    private static final int NLA_F_NESTED = 0x8000;
    /** zebra's ROUTE_INSTALLATION_METRIC. */
    private static final int METRIC = 20;

    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);
    private final int pid;
    private int frameStart;
    private int at;
    private int messageStart;

    /** @param pid the nlmsg_pid zebra writes (its netlink port id; any number). */
    public FpmFrameWriter(final int pid)
    {
        this.pid = pid;
    }

    /** Starts a frame at the buffer's start, discarding any earlier one. */
    public FpmFrameWriter begin()
    {
        frameStart = 0;
        at = FpmHeaderFlyweight.HEADER_LENGTH;
        return this;
    }

    /** Finishes the frame; returns its length (header included). */
    public int end()
    {
        final int length = at - frameStart;
        if (length > FpmHeaderFlyweight.MAX_FRAME_LENGTH)
        {
            throw new IllegalStateException("FPM frame of " + length + " bytes exceeds 65535");
        }
        buffer.putByte(frameStart, (byte)FpmHeaderFlyweight.VERSION_1);
        buffer.putByte(frameStart + 1, (byte)FpmHeaderFlyweight.TYPE_NETLINK);
        buffer.putShort(frameStart + 2, (short)length, ByteOrder.BIG_ENDIAN);
        return length;
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    /** A copy of the frame ended last. */
    public byte[] bytes()
    {
        return Arrays.copyOf(buffer.byteArray(), (buffer.getShort(2, ByteOrder.BIG_ENDIAN) & 0xFFFF));
    }

    /** RTM_NEWNEXTHOP for one next hop: a gateway (or null for an interface next hop) out of {@code ifindex}. */
    public FpmFrameWriter nextHop(final int id, final boolean ipv6, final IpPrefix gateway, final int ifindex)
    {
        message(Netlink.RTM_NEWNEXTHOP, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE);
        nhmsg(ipv6 ? Netlink.AF_INET6 : Netlink.AF_INET);
        attrInt(Netlink.NHA_ID, id);
        if (gateway != null)
        {
            attrAddress(Netlink.NHA_GATEWAY, gateway);
        }
        attrInt(Netlink.NHA_OIF, ifindex);
        return finishMessage();
    }

    /** RTM_NEWNEXTHOP for a group of next hops with weights 1..256. */
    public FpmFrameWriter group(final int id, final int[] memberIds, final int[] weights)
    {
        message(Netlink.RTM_NEWNEXTHOP, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE);
        nhmsg(Netlink.AF_UNSPEC);
        attrInt(Netlink.NHA_ID, id);
        final int start = attrStart(Netlink.NHA_GROUP);
        for (int i = 0; i < memberIds.length; i++)
        {
            buffer.putInt(at, memberIds[i], ORDER);
            buffer.putByte(at + 4, (byte)(weights[i] - 1));
            buffer.putByte(at + 5, (byte)0);
            buffer.putShort(at + 6, (short)0, ORDER);
            at += Netlink.NEXTHOP_GRP_LENGTH;
        }
        attrEnd(start);
        return finishMessage();
    }

    /** RTM_DELNEXTHOP. */
    public FpmFrameWriter nextHopRemoved(final int id)
    {
        message(Netlink.RTM_DELNEXTHOP, NLM_F_REQUEST);
        nhmsg(Netlink.AF_UNSPEC);
        attrInt(Netlink.NHA_ID, id);
        return finishMessage();
    }

    /** RTM_NEWROUTE through a next-hop object (next-hop groups on). */
    public FpmFrameWriter route(final IpPrefix prefix, final int protocol, final int nextHopId)
    {
        routeHeader(true, prefix, protocol, Netlink.RTN_UNICAST);
        attrInt(Netlink.RTA_NH_ID, nextHopId);
        return finishMessage();
    }

    /** RTM_NEWROUTE with one path written in (next-hop groups off); {@code gateway} null for a connected route. */
    public FpmFrameWriter routeVia(final IpPrefix prefix, final int protocol, final IpPrefix gateway, final int ifindex)
    {
        routeHeader(true, prefix, protocol, Netlink.RTN_UNICAST);
        if (gateway != null)
        {
            attrAddress(Netlink.RTA_GATEWAY, gateway);
        }
        attrInt(Netlink.RTA_OIF, ifindex);
        return finishMessage();
    }

    /** RTM_NEWROUTE with RTA_MULTIPATH (next-hop groups off, ECMP). */
    public FpmFrameWriter routeMultipath(final IpPrefix prefix, final int protocol, final FrrPath... paths)
    {
        routeHeader(true, prefix, protocol, Netlink.RTN_UNICAST);
        final int start = attrStart(Netlink.RTA_MULTIPATH | NLA_F_NESTED);
        for (final FrrPath p : paths)
        {
            final int rtnh = at;
            buffer.putByte(rtnh + RtNextHopFlyweight.FLAGS_OFFSET, (byte)0);
            buffer.putByte(rtnh + RtNextHopFlyweight.HOPS_OFFSET, (byte)(p.weight() - 1));
            buffer.putInt(rtnh + RtNextHopFlyweight.IFINDEX_OFFSET, p.ifindex(), ORDER);
            at += RtNextHopFlyweight.HEADER_LENGTH;
            if (p.gateway() != null)
            {
                attrAddress(Netlink.RTA_GATEWAY, p.gateway());
            }
            buffer.putShort(rtnh, (short)(at - rtnh), ORDER);
        }
        attrEnd(start);
        return finishMessage();
    }

    /** RTM_DELROUTE as zebra sends it (no paths). */
    public FpmFrameWriter routeRemoved(final IpPrefix prefix, final int protocol)
    {
        routeHeader(false, prefix, protocol, 0);
        return finishMessage();
    }

    private void routeHeader(final boolean add, final IpPrefix prefix, final int protocol, final int type)
    {
        // zebra asks for a replace of IPv4 routes only: the kernel's IPv6 FIB treats NLM_F_REPLACE differently.
        message(add ? Netlink.RTM_NEWROUTE : Netlink.RTM_DELROUTE,
            NLM_F_REQUEST | NLM_F_CREATE | (add && !prefix.ipv6() ? NLM_F_REPLACE : 0));
        buffer.putByte(at + RtMsgFlyweight.FAMILY_OFFSET, (byte)(prefix.ipv6() ? Netlink.AF_INET6 : Netlink.AF_INET));
        buffer.putByte(at + RtMsgFlyweight.DST_LEN_OFFSET, (byte)prefix.length());
        buffer.putByte(at + RtMsgFlyweight.SRC_LEN_OFFSET, (byte)0);
        buffer.putByte(at + RtMsgFlyweight.TOS_OFFSET, (byte)0);
        buffer.putByte(at + RtMsgFlyweight.TABLE_OFFSET, (byte)Netlink.RT_TABLE_MAIN);
        buffer.putByte(at + RtMsgFlyweight.PROTOCOL_OFFSET, (byte)protocol);
        buffer.putByte(at + RtMsgFlyweight.SCOPE_OFFSET, (byte)0);
        buffer.putByte(at + RtMsgFlyweight.TYPE_OFFSET, (byte)type);
        buffer.putInt(at + RtMsgFlyweight.FLAGS_OFFSET, 0, ORDER);
        at += RtMsgFlyweight.LENGTH;
        attrAddress(Netlink.RTA_DST, prefix);
        attrInt(Netlink.RTA_PRIORITY, METRIC);
    }

    private void message(final int type, final int flags)
    {
        messageStart = at;
        buffer.putShort(at + NetlinkHeaderFlyweight.TYPE_OFFSET, (short)type, ORDER);
        buffer.putShort(at + NetlinkHeaderFlyweight.FLAGS_OFFSET, (short)flags, ORDER);
        buffer.putInt(at + NetlinkHeaderFlyweight.SEQ_OFFSET, 0, ORDER);
        buffer.putInt(at + NetlinkHeaderFlyweight.PID_OFFSET, pid, ORDER);
        at += NetlinkHeaderFlyweight.HEADER_LENGTH;
    }

    private FpmFrameWriter finishMessage()
    {
        buffer.putInt(messageStart + NetlinkHeaderFlyweight.LENGTH_OFFSET, at - messageStart, ORDER);
        return this;
    }

    private void nhmsg(final int family)
    {
        buffer.putByte(at + NhMsgFlyweight.FAMILY_OFFSET, (byte)family);
        buffer.putByte(at + NhMsgFlyweight.SCOPE_OFFSET, (byte)0);
        buffer.putByte(at + NhMsgFlyweight.PROTOCOL_OFFSET, (byte)Netlink.RTPROT_ZEBRA);
        buffer.putByte(at + 3, (byte)0);
        buffer.putInt(at + NhMsgFlyweight.FLAGS_OFFSET, 0, ORDER);
        at += NhMsgFlyweight.LENGTH;
    }

    private void attrInt(final int type, final int value)
    {
        final int start = attrStart(type);
        buffer.putInt(at, value, ORDER);
        at += 4;
        attrEnd(start);
    }

    private void attrAddress(final int type, final IpPrefix address)
    {
        final int start = attrStart(type);
        if (address.ipv6())
        {
            buffer.putLong(at, address.hi(), ByteOrder.BIG_ENDIAN);
            buffer.putLong(at + 8, address.lo(), ByteOrder.BIG_ENDIAN);
            at += 16;
        }
        else
        {
            buffer.putInt(at, (int)address.lo(), ByteOrder.BIG_ENDIAN);
            at += 4;
        }
        attrEnd(start);
    }

    private int attrStart(final int type)
    {
        final int start = at;
        buffer.putShort(at + RtAttrFlyweight.TYPE_OFFSET, (short)type, ORDER);
        at += RtAttrFlyweight.HEADER_LENGTH;
        return start;
    }

    private void attrEnd(final int start)
    {
        buffer.putShort(start + RtAttrFlyweight.LENGTH_OFFSET, (short)(at - start), ORDER);
        while ((at & 3) != 0)
        {
            buffer.putByte(at++, (byte)0);
        }
    }
}
