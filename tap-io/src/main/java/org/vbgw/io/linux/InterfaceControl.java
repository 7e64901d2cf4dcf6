package org.vbgw.io.linux;

import static org.vbgw.io.linux.Native.LIBC;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.io.LinkState;
import org.vbgw.io.PortException;

/**
 * Interface ioctls (index, flags, MTU, MAC, ethtool queries) on one interface by name, through a socket
 * that lives in the interface's network namespace. Not thread-safe (one scratch {@code ifreq}); not for
 * the per-frame path.
 * <p>
 * {@code struct ifreq} is 40 bytes: a 16-byte name, then a 24-byte union (flags as a short, MTU and
 * index as an int, the MAC as a sockaddr, or a pointer for SIOCETHTOOL); JNR structs get the union
 * wrong without padding, so it is laid out by hand here.
 */
public final class InterfaceControl
{
    /** Longest interface name (IFNAMSIZ - 1). */
    public static final int MAX_NAME_LENGTH = 15;

    private static final int IFREQ_LENGTH = 40;
    private static final int IFR_UNION_OFFSET = 16;
    private static final int ETHTOOL_OFFSET = 48;

    private final String name;
    private final int fd;
    private final UnsafeBuffer scratch;

    /**
     * @param name the interface name, at most 15 characters.
     * @param fd an open socket in the interface's namespace; owned by the caller.
     */
    public InterfaceControl(final String name, final int fd)
    {
        checkName(name);
        this.name = name;
        this.fd = fd;
        scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder()));
    }

    /** Throws unless {@code name} can be an interface name. */
    public static void checkName(final String name)
    {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH || name.indexOf('/') >= 0 ||
            name.chars().anyMatch(Character::isWhitespace))
        {
            throw new PortException(String.valueOf(name),
                "not a valid interface name (1-15 characters, no '/' or spaces)", 0);
        }
    }

    /** The interface name. */
    public String name()
    {
        return name;
    }

    /** The interface index (SIOCGIFINDEX). */
    public int index()
    {
        ioctl(Native.SIOCGIFINDEX, "ioctl(SIOCGIFINDEX)");
        return scratch.getInt(IFR_UNION_OFFSET);
    }

    /** The interface flags (IFF_UP, IFF_RUNNING, IFF_LOWER_UP is not in this 16-bit view). */
    public int flags()
    {
        ioctl(Native.SIOCGIFFLAGS, "ioctl(SIOCGIFFLAGS)");
        return scratch.getShort(IFR_UNION_OFFSET) & 0xFFFF;
    }

    /** Sets or clears IFF_UP. */
    public void up(final boolean up)
    {
        final int flags = flags();
        prepare();
        scratch.putShort(IFR_UNION_OFFSET, (short)(up ? flags | Native.IFF_UP : flags & ~Native.IFF_UP));
        call(Native.SIOCSIFFLAGS, "ioctl(SIOCSIFFLAGS)");
    }

    /** Up with carrier (IFF_UP and IFF_RUNNING, which the kernel sets from the operational state). */
    public LinkState linkState()
    {
        prepare();
        if (LIBC.ioctl(fd, Native.SIOCGIFFLAGS, scratch.addressOffset()) < 0)
        {
            return LinkState.UNKNOWN;
        }
        final int flags = scratch.getShort(IFR_UNION_OFFSET);
        return (flags & (Native.IFF_UP | Native.IFF_RUNNING)) == (Native.IFF_UP | Native.IFF_RUNNING) ?
            LinkState.UP : LinkState.DOWN;
    }

    /** The MTU in bytes. */
    public int mtu()
    {
        ioctl(Native.SIOCGIFMTU, "ioctl(SIOCGIFMTU)");
        return scratch.getInt(IFR_UNION_OFFSET);
    }

    /** Sets the MTU in bytes. */
    public void mtu(final int mtu)
    {
        prepare();
        scratch.putInt(IFR_UNION_OFFSET, mtu);
        call(Native.SIOCSIFMTU, "ioctl(SIOCSIFMTU, " + mtu + ")");
    }

    /** The MAC address, see {@link org.vbgw.io.MacAddress}. */
    public long mac()
    {
        ioctl(Native.SIOCGIFHWADDR, "ioctl(SIOCGIFHWADDR)");
        long mac = 0;
        for (int i = 0; i < 6; i++)
        {
            mac = (mac << 8) | (scratch.getByte(IFR_UNION_OFFSET + 2 + i) & 0xFF);
        }
        return mac;
    }

    /** Sets the MAC address. */
    public void mac(final long mac)
    {
        prepare();
        scratch.putShort(IFR_UNION_OFFSET, (short)Native.ARPHRD_ETHER);
        for (int i = 0; i < 6; i++)
        {
            scratch.putByte(IFR_UNION_OFFSET + 2 + i, (byte)(mac >>> (40 - 8 * i)));
        }
        call(Native.SIOCSIFHWADDR, "ioctl(SIOCSIFHWADDR)");
    }

    /**
     * A legacy ethtool "get value" command (ETHTOOL_GTXCSUM, ETHTOOL_GTSO, ...): the {@code data} field of
     * {@code struct ethtool_value}, or -1 when the driver does not answer it (EOPNOTSUPP).
     */
    public int ethtoolValue(final int command, final String what)
    {
        prepare();
        scratch.putInt(ETHTOOL_OFFSET, command);
        scratch.putInt(ETHTOOL_OFFSET + 4, 0);
        scratch.putLong(IFR_UNION_OFFSET, scratch.addressOffset() + ETHTOOL_OFFSET);
        if (LIBC.ioctl(fd, Native.SIOCETHTOOL, scratch.addressOffset()) < 0)
        {
            final int errno = Native.errno();
            if (errno == 95)
            {
                return -1;
            }
            throw Native.failure(name, "ioctl(SIOCETHTOOL, " + what + ")", errno);
        }
        return scratch.getInt(ETHTOOL_OFFSET + 4);
    }

    private void ioctl(final int request, final String what)
    {
        prepare();
        call(request, what);
    }

    private void call(final int request, final String what)
    {
        if (LIBC.ioctl(fd, request, scratch.addressOffset()) < 0)
        {
            throw Native.failure(name, what);
        }
    }

    private void prepare()
    {
        scratch.setMemory(0, IFREQ_LENGTH, (byte)0);
        final byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        scratch.putBytes(0, bytes);
    }
}
