package org.vbgw.agent.fpm;

import org.agrona.DirectBuffer;
import org.vbgw.fib.IpPrefix;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static org.vbgw.agent.fpm.Netlink.AF_INET;
import static org.vbgw.agent.fpm.Netlink.AF_INET6;

/**
 * Turns one FPM frame into the route and next-hop messages it carries, checking every length against its
 * container first: a frame is decoded completely or not at all, so a broken one changes nothing.
 * <p>
 * Netlink is extensible: attributes the gateway does not use are skipped, and message types other than routes
 * and next hops (zebra may also send neighbours, MACs, links) are counted in {@link #ignoredMessages()} and
 * skipped rather than treated as errors; resetting on them would make zebra replay, and fail, for ever.
 * <p>
 * One thread (the FPM server's); the flyweights are reused, the decoded messages are ordinary objects (control
 * plane, a few per frame).
 */
public final class FpmDecoder
{
    private final FpmHeaderFlyweight fpmHeader = new FpmHeaderFlyweight();
    private final NetlinkHeaderFlyweight nlHeader = new NetlinkHeaderFlyweight();
    private final RtMsgFlyweight rtMsg = new RtMsgFlyweight();
    private final NhMsgFlyweight nhMsg = new NhMsgFlyweight();
    private final RtAttrFlyweight attr = new RtAttrFlyweight();
    private final RtAttrFlyweight inner = new RtAttrFlyweight();
    private final RtNextHopFlyweight rtnh = new RtNextHopFlyweight();
    private final long[] messagesByType = new long[4];
    private long ignoredMessages;

    /**
     * Checks the FPM header at {@code offset} and returns the frame's length, or 0 when fewer than
     * {@link FpmHeaderFlyweight#HEADER_LENGTH} bytes are {@code available}.
     */
    public int frameLength(final DirectBuffer buffer, final int offset, final int available) throws MalformedFrameException
    {
        if (available < FpmHeaderFlyweight.HEADER_LENGTH)
        {
            return 0;
        }
        fpmHeader.wrap(buffer, offset);
        if (fpmHeader.version() != FpmHeaderFlyweight.VERSION_1)
        {
            throw new MalformedFrameException("bad_version", "FPM version " + fpmHeader.version() + ", expected 1");
        }
        if (fpmHeader.type() != FpmHeaderFlyweight.TYPE_NETLINK)
        {
            throw new MalformedFrameException("bad_type", "FPM message type " + fpmHeader.type() +
                ", expected 1 (netlink); is zebra using dplane_fpm_nl?");
        }
        final int length = fpmHeader.frameLength();
        if (length < FpmHeaderFlyweight.HEADER_LENGTH + NetlinkHeaderFlyweight.HEADER_LENGTH)
        {
            throw new MalformedFrameException("bad_length", "FPM frame length " + length + " cannot hold a netlink message");
        }
        return length;
    }

    /** Decodes the whole frame of {@code length} bytes at {@code offset} into {@code out} (appended). */
    public void decode(final DirectBuffer buffer, final int offset, final int length, final List<Object> out)
        throws MalformedFrameException
    {
        if (frameLength(buffer, offset, length) != length)
        {
            throw new MalformedFrameException("bad_length", "FPM header says " + fpmHeader.frameLength() +
                " bytes, frame has " + length);
        }
        final int sizeBefore = out.size();
        try
        {
            final int end = offset + length;
            int at = offset + FpmHeaderFlyweight.HEADER_LENGTH;
            while (at < end)
            {
                if (end - at < NetlinkHeaderFlyweight.HEADER_LENGTH)
                {
                    throw new MalformedFrameException("truncated_message", (end - at) + " bytes left, a netlink header needs 16");
                }
                nlHeader.wrap(buffer, at);
                final int msgLength = nlHeader.length();
                if (msgLength < NetlinkHeaderFlyweight.HEADER_LENGTH || msgLength > end - at)
                {
                    throw new MalformedFrameException("bad_message_length", "netlink message length " +
                        Integer.toUnsignedString(msgLength) + " with " + (end - at) + " bytes left in the frame");
                }
                final int type = nlHeader.type();
                final int body = at + NetlinkHeaderFlyweight.HEADER_LENGTH;
                final int bodyEnd = at + msgLength;
                switch (type)
                {
                    case Netlink.RTM_NEWROUTE, Netlink.RTM_DELROUTE ->
                        out.add(route(buffer, body, bodyEnd, type == Netlink.RTM_NEWROUTE));
                    case Netlink.RTM_NEWNEXTHOP, Netlink.RTM_DELNEXTHOP ->
                        out.add(nextHop(buffer, body, bodyEnd, type == Netlink.RTM_NEWNEXTHOP));
                    default -> ignoredMessages++;
                }
                at += NetlinkHeaderFlyweight.align(msgLength);
            }
        }
        catch (final MalformedFrameException ex)
        {
            // All or nothing: what was decoded before the error is dropped with the frame.
            out.subList(sizeBefore, out.size()).clear();
            throw ex;
        }
        for (int i = sizeBefore; i < out.size(); i++)
        {
            final Object m = out.get(i);
            if (m instanceof RouteMessage r)
            {
                messagesByType[r.add() ? 0 : 1]++;
            }
            else
            {
                messagesByType[((NextHopMessage)m).add() ? 2 : 3]++;
            }
        }
    }

    private RouteMessage route(final DirectBuffer buffer, final int body, final int end, final boolean add)
        throws MalformedFrameException
    {
        if (end - body < RtMsgFlyweight.LENGTH)
        {
            throw new MalformedFrameException("short_body", "rtmsg needs 12 bytes, message has " + (end - body));
        }
        rtMsg.wrap(buffer, body);
        final int family = rtMsg.family();
        if (family != AF_INET && family != AF_INET6)
        {
            throw new MalformedFrameException("bad_family", "route of address family " + family);
        }
        final boolean ipv6 = family == AF_INET6;
        final int dstLength = rtMsg.dstLength();
        if (dstLength > (ipv6 ? 128 : 32))
        {
            throw new MalformedFrameException("bad_prefix_length", "route /" + dstLength + " of " +
                (ipv6 ? "IPv6" : "IPv4"));
        }
        int table = rtMsg.table();
        final int protocol = rtMsg.protocol();
        final int type = rtMsg.type();
        IpPrefix prefix = null;
        IpPrefix gateway = null;
        int oif = 0;
        int nextHopId = 0;
        List<FrrPath> paths = null;
        int at = body + RtMsgFlyweight.LENGTH;
        while (at < end)
        {
            final int next = attribute(buffer, at, end);
            switch (attr.type())
            {
                case Netlink.RTA_DST -> prefix = prefix(buffer, attr.valueOffset(), attr.valueLength(), ipv6, dstLength);
                case Netlink.RTA_GATEWAY -> gateway = address(buffer, attr.valueOffset(), attr.valueLength(), ipv6, "RTA_GATEWAY");
                case Netlink.RTA_OIF -> oif = u32(attr, "RTA_OIF");
                case Netlink.RTA_TABLE -> table = u32(attr, "RTA_TABLE");
                case Netlink.RTA_NH_ID -> nextHopId = u32(attr, "RTA_NH_ID");
                case Netlink.RTA_MULTIPATH -> paths = multipath(buffer, attr.valueOffset(),
                    attr.valueOffset() + attr.valueLength(), ipv6);
                default ->
                {
                    // RTA_PRIORITY, RTA_PREFSRC, encapsulations: not used by the gateway.
                }
            }
            at = next;
        }
        if (prefix == null)
        {
            if (dstLength != 0)
            {
                throw new MalformedFrameException("bad_attribute", "route /" + dstLength + " without RTA_DST");
            }
            prefix = ipv6 ? IpPrefix.ipv6(0, 0, 0) : IpPrefix.ipv4(0, 0);
        }
        if (paths == null)
        {
            paths = gateway != null || oif != 0 ? List.of(new FrrPath(oif, gateway, 1)) : List.of();
        }
        return new RouteMessage(add, prefix, protocol, table, type, nextHopId, paths);
    }

    private List<FrrPath> multipath(final DirectBuffer buffer, final int start, final int end, final boolean ipv6)
        throws MalformedFrameException
    {
        final List<FrrPath> paths = new ArrayList<>();
        int at = start;
        while (at < end)
        {
            if (end - at < RtNextHopFlyweight.HEADER_LENGTH)
            {
                throw new MalformedFrameException("truncated_attribute", "RTA_MULTIPATH: " + (end - at) +
                    " bytes left, a path needs 8");
            }
            rtnh.wrap(buffer, at);
            final int length = rtnh.length();
            if (length < RtNextHopFlyweight.HEADER_LENGTH || length > end - at)
            {
                throw new MalformedFrameException("truncated_attribute", "RTA_MULTIPATH path length " + length +
                    " with " + (end - at) + " bytes left");
            }
            IpPrefix gateway = null;
            final int pathEnd = at + length;
            int a = at + RtNextHopFlyweight.HEADER_LENGTH;
            while (a < pathEnd)
            {
                if (pathEnd - a < RtAttrFlyweight.HEADER_LENGTH)
                {
                    throw new MalformedFrameException("truncated_attribute", "RTA_MULTIPATH path attribute cut short");
                }
                inner.wrap(buffer, a);
                final int innerLength = inner.length();
                if (innerLength < RtAttrFlyweight.HEADER_LENGTH || innerLength > pathEnd - a)
                {
                    throw new MalformedFrameException("truncated_attribute", "RTA_MULTIPATH path attribute length " +
                        innerLength + " with " + (pathEnd - a) + " bytes left");
                }
                if (inner.type() == Netlink.RTA_GATEWAY)
                {
                    gateway = address(buffer, inner.valueOffset(), inner.valueLength(), ipv6, "RTA_GATEWAY");
                }
                a += Math.min(NetlinkHeaderFlyweight.align(innerLength), pathEnd - a);
            }
            paths.add(new FrrPath(rtnh.ifindex(), gateway, rtnh.weight()));
            at += Math.min(NetlinkHeaderFlyweight.align(length), end - at);
        }
        return List.copyOf(paths);
    }

    private NextHopMessage nextHop(final DirectBuffer buffer, final int body, final int end, final boolean add)
        throws MalformedFrameException
    {
        if (end - body < NhMsgFlyweight.LENGTH)
        {
            throw new MalformedFrameException("short_body", "nhmsg needs 8 bytes, message has " + (end - body));
        }
        nhMsg.wrap(buffer, body);
        final int family = nhMsg.family();
        if (family != AF_INET && family != AF_INET6 && family != Netlink.AF_UNSPEC)
        {
            throw new MalformedFrameException("bad_family", "next hop of address family " + family);
        }
        int id = 0;
        IpPrefix gateway = null;
        int oif = 0;
        boolean blackhole = false;
        int[] groupIds = null;
        int[] groupWeights = null;
        int at = body + NhMsgFlyweight.LENGTH;
        while (at < end)
        {
            final int next = attribute(buffer, at, end);
            switch (attr.type())
            {
                case Netlink.NHA_ID -> id = u32(attr, "NHA_ID");
                case Netlink.NHA_OIF -> oif = u32(attr, "NHA_OIF");
                case Netlink.NHA_BLACKHOLE -> blackhole = true;
                case Netlink.NHA_GATEWAY ->
                {
                    if (family == Netlink.AF_UNSPEC)
                    {
                        throw new MalformedFrameException("bad_attribute", "NHA_GATEWAY in a next hop without a family");
                    }
                    gateway = address(buffer, attr.valueOffset(), attr.valueLength(), family == AF_INET6, "NHA_GATEWAY");
                }
                case Netlink.NHA_GROUP ->
                {
                    final int length = attr.valueLength();
                    if (length == 0 || length % Netlink.NEXTHOP_GRP_LENGTH != 0)
                    {
                        throw new MalformedFrameException("bad_attribute", "NHA_GROUP of " + length +
                            " bytes is not a list of 8-byte members");
                    }
                    final int n = length / Netlink.NEXTHOP_GRP_LENGTH;
                    groupIds = new int[n];
                    groupWeights = new int[n];
                    for (int i = 0; i < n; i++)
                    {
                        final int member = attr.valueOffset() + i * Netlink.NEXTHOP_GRP_LENGTH;
                        groupIds[i] = buffer.getInt(member, NetlinkHeaderFlyweight.ORDER);
                        // struct nexthop_grp stores weight - 1, as rtnh_hops does.
                        groupWeights[i] = (buffer.getByte(member + 4) & 0xFF) + 1;
                        if (groupIds[i] == 0)
                        {
                            throw new MalformedFrameException("bad_attribute", "NHA_GROUP member id 0");
                        }
                    }
                }
                default ->
                {
                    // NHA_GROUP_TYPE, NHA_ENCAP, NHA_FDB...: not used by the gateway.
                }
            }
            at = next;
        }
        if (id == 0)
        {
            throw new MalformedFrameException("bad_attribute", (add ? "RTM_NEWNEXTHOP" : "RTM_DELNEXTHOP") +
                " without NHA_ID");
        }
        return new NextHopMessage(add, id, gateway, oif, blackhole, groupIds, groupWeights);
    }

    /** Wraps {@link #attr} on the attribute at {@code at} and returns where the next one starts. */
    private int attribute(final DirectBuffer buffer, final int at, final int end) throws MalformedFrameException
    {
        if (end - at < RtAttrFlyweight.HEADER_LENGTH)
        {
            throw new MalformedFrameException("truncated_attribute", (end - at) + " bytes left, an attribute needs 4");
        }
        attr.wrap(buffer, at);
        final int length = attr.length();
        if (length < RtAttrFlyweight.HEADER_LENGTH || length > end - at)
        {
            throw new MalformedFrameException("truncated_attribute", "attribute type " + attr.type() + " length " +
                length + " with " + (end - at) + " bytes left in its message");
        }
        // The last attribute's padding may be left out by the sender.
        return at + Math.min(NetlinkHeaderFlyweight.align(length), end - at);
    }

    private static int u32(final RtAttrFlyweight a, final String name) throws MalformedFrameException
    {
        if (a.valueLength() != 4)
        {
            throw new MalformedFrameException("bad_attribute", name + " of " + a.valueLength() + " bytes, expected 4");
        }
        return a.valueInt();
    }

    private static IpPrefix prefix(final DirectBuffer buffer, final int at, final int length, final boolean ipv6,
        final int prefixLength) throws MalformedFrameException
    {
        final IpPrefix address = address(buffer, at, length, ipv6, "RTA_DST");
        try
        {
            return new IpPrefix(ipv6, address.hi(), address.lo(), prefixLength);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new MalformedFrameException("bad_attribute", "RTA_DST: " + ex.getMessage());
        }
    }

    private static IpPrefix address(final DirectBuffer buffer, final int at, final int length, final boolean ipv6,
        final String name) throws MalformedFrameException
    {
        if (length != (ipv6 ? 16 : 4))
        {
            throw new MalformedFrameException("bad_attribute", name + " of " + length + " bytes in an " +
                (ipv6 ? "IPv6" : "IPv4") + " message");
        }
        // Addresses are in network order whatever the host's order.
        return ipv6
            ? IpPrefix.ipv6(buffer.getLong(at, ByteOrder.BIG_ENDIAN), buffer.getLong(at + 8, ByteOrder.BIG_ENDIAN), 128)
            : IpPrefix.ipv4(buffer.getInt(at, ByteOrder.BIG_ENDIAN), 32);
    }

    /** Messages decoded so far: RTM_NEWROUTE, RTM_DELROUTE, RTM_NEWNEXTHOP, RTM_DELNEXTHOP, in that order. */
    public long messages(final int index)
    {
        return messagesByType[index];
    }

    /** Messages of other types, skipped. */
    public long ignoredMessages()
    {
        return ignoredMessages;
    }
}
