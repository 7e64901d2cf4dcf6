package org.vbgw.io.linux;

import static org.vbgw.io.linux.Native.LIBC;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.io.LinkState;
import org.vbgw.io.PortException;

/**
 * Carrier and admin state of the interfaces of one network namespace, from rtnetlink: an AF_NETLINK
 * socket subscribed to RTMGRP_LINK receives an RTM_NEWLINK message (ifinfomsg flags IFF_UP and
 * IFF_LOWER_UP, attributes IFLA_IFNAME and IFLA_OPERSTATE) as soon as the kernel changes a link.
 * <p>
 * {@link #poll(Listener)} is non-blocking and meant for an agent's {@code doWork}: it drains the socket
 * and reports each interface whose {@link LinkState} changed, so a cable pulled is seen within one duty
 * cycle of the agent. {@link #state(String)} asks the kernel for one interface's state now. The socket
 * belongs to the namespace of the thread that opens the monitor. {@code poll} from one thread; events
 * are rare, so a change allocates its name string; nothing is allocated while nothing changes.
 */
public final class LinkMonitor implements AutoCloseable
{
    /** Receives link changes from {@link #poll(Listener)}. */
    @FunctionalInterface
    public interface Listener
    {
        /**
         * The state of {@code interfaceName} changed (or the interface appeared or went away, then
         * {@link LinkState#UNKNOWN}).
         */
        void onLinkChange(int ifIndex, String interfaceName, LinkState state);
    }

    private static final int NETLINK_ROUTE = 0;
    private static final int RTMGRP_LINK = 1;
    private static final int NLMSG_HEADER = 16;
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    private static final int RTM_NEWLINK = 16;
    private static final int RTM_DELLINK = 17;
    private static final int RTM_GETLINK = 18;
    private static final int NLM_F_REQUEST = 1;
    private static final int NLM_F_DUMP = 0x300;
    private static final int IFLA_IFNAME = 3;
    private static final int IFLA_OPERSTATE = 16;
    private static final int IF_OPER_UNKNOWN = 0;
    private static final int IF_OPER_NOTPRESENT = 1;
    private static final int IF_OPER_DORMANT = 5;
    private static final int BUFFER_LENGTH = 1 << 16;
    private static final String NAME = "rtnetlink";

    private final int eventFd;
    private final int queryFd;
    private final UnsafeBuffer buffer =
        new UnsafeBuffer(ByteBuffer.allocateDirect(BUFFER_LENGTH).order(ByteOrder.nativeOrder()));
    private final UnsafeBuffer request = new UnsafeBuffer(ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder()));
    private final Int2ObjectHashMap<Link> links = new Int2ObjectHashMap<>();
    private byte[][] watched = new byte[0][];
    private long queryIntervalNs = 1_000_000L;
    private long lastQueryNs;
    private int sequence;
    private volatile boolean closed;

    /** What the monitor last saw of one interface. */
    private static final class Link
    {
        String name;
        LinkState state;
    }

    private LinkMonitor(final int eventFd, final int queryFd)
    {
        this.eventFd = eventFd;
        this.queryFd = queryFd;
    }

    /** Subscribes to link changes in the calling thread's namespace and learns the current states. */
    public static LinkMonitor open()
    {
        final int eventFd = netlinkSocket(RTMGRP_LINK);
        int queryFd = -1;
        try
        {
            queryFd = netlinkSocket(0);
            final LinkMonitor monitor = new LinkMonitor(eventFd, queryFd);
            monitor.learnCurrentStates();
            return monitor;
        }
        catch (final RuntimeException ex)
        {
            Native.closeQuietly(queryFd);
            Native.closeQuietly(eventFd);
            throw ex;
        }
    }

    /**
     * Also asks the kernel for the state of these interfaces on {@link #poll}, at most once per query
     * interval. The kernel announces carrier changes through its link watch, which on some drivers batches
     * them for up to a second; the carrier flag (IFF_LOWER_UP) in a direct query is current at once.
     */
    public LinkMonitor watch(final String... interfaceNames)
    {
        final byte[][] names = new byte[interfaceNames.length][];
        for (int i = 0; i < names.length; i++)
        {
            InterfaceControl.checkName(interfaceNames[i]);
            names[i] = interfaceNames[i].getBytes(StandardCharsets.US_ASCII);
        }
        watched = names;
        return this;
    }

    /** The least time between two queries of the watched interfaces; default 1 ms. */
    public LinkMonitor queryIntervalNs(final long intervalNs)
    {
        queryIntervalNs = intervalNs;
        return this;
    }

    /**
     * Reports every link change received since the last call (and, for watched interfaces, found by a
     * query); never blocks.
     *
     * @return the number of changes reported.
     */
    public int poll(final Listener listener)
    {
        if (closed)
        {
            return 0;
        }
        int changes = 0;
        if (watched.length > 0)
        {
            final long nowNs = System.nanoTime();
            if (nowNs - lastQueryNs >= queryIntervalNs)
            {
                lastQueryNs = nowNs;
                changes += queryWatched(listener);
            }
        }
        while (true)
        {
            final long n = LIBC.recv(eventFd, buffer.addressOffset(), BUFFER_LENGTH, Native.MSG_DONTWAIT);
            if (n < 0)
            {
                if (Native.errno() == Native.ENOBUFS)
                {
                    // The kernel dropped notifications (socket buffer overrun): ask for the full state,
                    // whose answers arrive on this socket as ordinary RTM_NEWLINK messages.
                    sendDumpRequest(eventFd);
                    continue;
                }
                return changes;
            }
            changes += parse((int)n, listener);
        }
    }

    /**
     * The state of {@code interfaceName} now, asked of the kernel (RTM_GETLINK); {@link LinkState#UNKNOWN}
     * when there is no such interface. Blocks for the kernel's answer (microseconds); not per frame.
     */
    public synchronized LinkState state(final String interfaceName)
    {
        InterfaceControl.checkName(interfaceName);
        if (closed)
        {
            return LinkState.UNKNOWN;
        }
        sendQuery(interfaceName.getBytes(StandardCharsets.US_ASCII));
        final long n = LIBC.recv(queryFd, buffer.addressOffset(), BUFFER_LENGTH, 0);
        if (n < NLMSG_HEADER)
        {
            throw Native.failure(interfaceName, "recv(RTM_GETLINK reply)");
        }
        final int type = buffer.getShort(4) & 0xFFFF;
        if (type == RTM_NEWLINK)
        {
            return stateOf(0, buffer.getInt(0));
        }
        return LinkState.UNKNOWN;
    }

    /** Closes both netlink sockets; harmless when called again. */
    @Override
    public synchronized void close()
    {
        if (!closed)
        {
            closed = true;
            LIBC.close(eventFd);
            LIBC.close(queryFd);
        }
    }

    private int queryWatched(final Listener listener)
    {
        int changes = 0;
        for (final byte[] name : watched)
        {
            sendQuery(name);
            // rtnetlink answers a request before send() returns, so the reply is already queued.
            final long n = LIBC.recv(queryFd, buffer.addressOffset(), BUFFER_LENGTH, Native.MSG_DONTWAIT);
            if (n >= NLMSG_HEADER && (buffer.getShort(4) & 0xFFFF) == RTM_NEWLINK)
            {
                changes += Math.max(0, parse((int)n, listener));
            }
        }
        return changes;
    }

    private void sendQuery(final byte[] name)
    {
        final int attributeLength = 4 + name.length + 1;
        final int length = NLMSG_HEADER + 16 + ((attributeLength + 3) & ~3);
        request.setMemory(0, 64, (byte)0);
        request.putInt(0, length);
        request.putShort(4, (short)RTM_GETLINK);
        request.putShort(6, (short)NLM_F_REQUEST);
        request.putInt(8, ++sequence);
        // nlmsghdr (16 bytes), ifinfomsg (16 bytes, all zero: any index), then the IFLA_IFNAME rtattr.
        request.putShort(32, (short)attributeLength);
        request.putShort(34, (short)IFLA_IFNAME);
        request.putBytes(36, name);
        if (LIBC.send(queryFd, request.addressOffset(), length, 0) < 0)
        {
            throw Native.failure(new String(name, StandardCharsets.US_ASCII), "send(RTM_GETLINK)");
        }
    }

    private void learnCurrentStates()
    {
        sendDumpRequest(queryFd);
        while (true)
        {
            final long n = LIBC.recv(queryFd, buffer.addressOffset(), BUFFER_LENGTH, 0);
            if (n < 0)
            {
                throw Native.failure(NAME, "recv(RTM_GETLINK dump)");
            }
            if (parse((int)n, null) < 0)
            {
                return;
            }
        }
    }

    /** Parses one datagram of netlink messages; -1 when it ended a dump (NLMSG_DONE). */
    private int parse(final int length, final Listener listener)
    {
        int changes = 0;
        int at = 0;
        while (at + NLMSG_HEADER <= length)
        {
            final int messageLength = buffer.getInt(at);
            final int type = buffer.getShort(at + 4) & 0xFFFF;
            if (messageLength < NLMSG_HEADER || at + messageLength > length)
            {
                break;
            }
            if (type == NLMSG_DONE)
            {
                return -1;
            }
            if (type == NLMSG_ERROR && listener == null)
            {
                final int errno = -buffer.getInt(at + NLMSG_HEADER);
                throw Native.failure(NAME, "RTM_GETLINK dump", errno);
            }
            if (type == RTM_NEWLINK || type == RTM_DELLINK)
            {
                final int ifIndex = buffer.getInt(at + NLMSG_HEADER + 4);
                final LinkState state = type == RTM_DELLINK ? LinkState.UNKNOWN : stateOf(at, messageLength);
                Link link = links.get(ifIndex);
                if (link == null || link.state != state)
                {
                    if (link == null)
                    {
                        link = new Link();
                        links.put(ifIndex, link);
                    }
                    link.name = nameOf(at, messageLength, link.name);
                    link.state = state;
                    if (listener != null)
                    {
                        listener.onLinkChange(ifIndex, link.name, state);
                        changes++;
                    }
                }
                if (type == RTM_DELLINK)
                {
                    links.remove(ifIndex);
                }
            }
            at += (messageLength + 3) & ~3;
        }
        return changes;
    }

    private LinkState stateOf(final int message, final int messageLength)
    {
        final int flags = buffer.getInt(message + NLMSG_HEADER + 8);
        int operState = IF_OPER_UNKNOWN;
        final int attribute = findAttribute(message, messageLength, IFLA_OPERSTATE);
        if (attribute >= 0)
        {
            operState = buffer.getByte(attribute + 4) & 0xFF;
        }
        // The flags decide: IFF_LOWER_UP is the carrier bit itself, changed at once by the driver, while
        // IFLA_OPERSTATE follows it through the kernel's link watch, which can lag by up to a second.
        // Only the operational states a driver sets directly (not present, dormant) override the flags.
        final boolean carrier = (flags & Native.IFF_UP) != 0 && (flags & Native.IFF_LOWER_UP) != 0;
        return carrier && operState != IF_OPER_NOTPRESENT && operState != IF_OPER_DORMANT ?
            LinkState.UP : LinkState.DOWN;
    }

    private String nameOf(final int message, final int messageLength, final String known)
    {
        final int attribute = findAttribute(message, messageLength, IFLA_IFNAME);
        if (attribute < 0)
        {
            return known;
        }
        final int valueLength = (buffer.getShort(attribute) & 0xFFFF) - 4;
        int end = 0;
        while (end < valueLength && buffer.getByte(attribute + 4 + end) != 0)
        {
            end++;
        }
        if (known != null && known.length() == end)
        {
            boolean same = true;
            for (int i = 0; i < end && same; i++)
            {
                same = buffer.getByte(attribute + 4 + i) == known.charAt(i);
            }
            if (same)
            {
                return known;
            }
        }
        return buffer.getStringWithoutLengthAscii(attribute + 4, end);
    }

    private int findAttribute(final int message, final int messageLength, final int wanted)
    {
        int at = message + NLMSG_HEADER + 16;
        final int end = message + messageLength;
        while (at + 4 <= end)
        {
            final int length = buffer.getShort(at) & 0xFFFF;
            if (length < 4)
            {
                return -1;
            }
            if ((buffer.getShort(at + 2) & 0x3FFF) == wanted)
            {
                return at;
            }
            at += (length + 3) & ~3;
        }
        return -1;
    }

    private void sendDumpRequest(final int fd)
    {
        final int length = NLMSG_HEADER + 16;
        request.setMemory(0, length, (byte)0);
        request.putInt(0, length);
        request.putShort(4, (short)RTM_GETLINK);
        request.putShort(6, (short)(NLM_F_REQUEST | NLM_F_DUMP));
        request.putInt(8, ++sequence);
        if (LIBC.send(fd, request.addressOffset(), length, 0) < 0)
        {
            throw Native.failure(NAME, "send(RTM_GETLINK dump request)");
        }
    }

    private static int netlinkSocket(final int groups)
    {
        final int flags = Native.SOCK_CLOEXEC | (groups != 0 ? Native.SOCK_NONBLOCK : 0);
        final int fd = LIBC.socket(Native.AF_NETLINK, Native.SOCK_RAW | flags, NETLINK_ROUTE);
        if (fd < 0)
        {
            throw Native.failure(NAME, "socket(AF_NETLINK, NETLINK_ROUTE)");
        }
        final UnsafeBuffer address = new UnsafeBuffer(ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder()));
        // struct sockaddr_nl: family, pad, pid (0: the kernel assigns one), groups.
        address.putShort(0, (short)Native.AF_NETLINK);
        address.putInt(8, groups);
        if (LIBC.bind(fd, address.addressOffset(), 12) < 0)
        {
            final PortException ex = Native.failure(NAME, "bind(AF_NETLINK, RTMGRP_LINK)");
            LIBC.close(fd);
            throw ex;
        }
        return fd;
    }
}
