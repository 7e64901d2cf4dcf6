package org.vbgw.io.linux;

import static org.vbgw.io.linux.Native.LIBC;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.io.FrameHandler;
import org.vbgw.io.LinkState;
import org.vbgw.io.Port;
import org.vbgw.io.PortException;
import org.vbgw.io.PortStatistics;

/**
 * A {@link Port} on a TAP device ({@code /dev/net/tun} with IFF_TAP | IFF_NO_PI): frames the host kernel
 * sends out of the TAP interface are received here, frames sent here appear to the kernel as received on
 * it. vbgw punts traffic for its own addresses to the host stack (and FRR) this way.
 * <p>
 * The descriptor is non-blocking; {@link #receive} reads frames until none is left or the limit is reached
 * and {@link #send} writes one frame (the tun driver has no batch call; each frame is one
 * {@code read}/{@code write}, which the kernel copies). Received frames land in one off-heap buffer
 * owned by this port, writable in place during the callback.
 * <p>
 * Multi-queue: {@link #open(String, boolean)} with {@code multiQueue} on the same name again attaches
 * another queue to the same interface, a separate TapDevice for another worker; the interface goes away
 * when its last queue is closed. The device is created in the network namespace of the opening thread.
 * One thread receives and sends per queue.
 */
public final class TapDevice implements Port
{
    private static final long TUNSETIFF = 0x400454caL;
    private static final int IFF_TAP = 0x0002;
    private static final int IFF_MULTI_QUEUE = 0x0100;
    private static final int IFF_NO_PI = 0x1000;
    private static final int MAX_FRAME = 65536;

    private final String name;
    private final int fd;
    private final int controlFd;
    private final InterfaceControl control;
    // Frames are read behind Port.FRAME_HEADROOM bytes, like every port delivers them: a handler that adds a
    // longer L2 header (a VLAN shim tagging what the host sends) writes it there.
    private final UnsafeBuffer rxBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(FRAME_HEADROOM + MAX_FRAME));
    private final UnsafeBuffer txBuffer = new UnsafeBuffer(ByteBuffer.allocateDirect(MAX_FRAME));
    private final PortStatistics statistics = new PortStatistics();
    /** Written once by close(); read per batch so a late call never uses a descriptor number reused since. */
    private volatile boolean closed;

    private TapDevice(final String name, final int fd, final int controlFd)
    {
        this.name = name;
        this.fd = fd;
        this.controlFd = controlFd;
        control = new InterfaceControl(name, controlFd);
    }

    /**
     * Creates (or attaches to) TAP interface {@code name}; the interface starts down.
     *
     * @param name interface name, at most 15 characters; an existing TAP device of that name is attached
     *     to, if it was created with the same flags.
     * @param multiQueue IFF_MULTI_QUEUE: every open of the name is one more queue.
     * @throws PortException naming the interface and errno text (no /dev/net/tun, no CAP_NET_ADMIN, the
     *     name taken by another kind of interface).
     */
    public static TapDevice open(final String name, final boolean multiQueue)
    {
        InterfaceControl.checkName(name);
        final int fd = LIBC.open("/dev/net/tun", Native.O_RDWR | Native.O_NONBLOCK | Native.O_CLOEXEC);
        if (fd < 0)
        {
            final int errno = Native.errno();
            throw new PortException(name, "open(/dev/net/tun) failed: " + Native.describe(errno) +
                (errno == 2 ? "; the tun module is not loaded (modprobe tun) or /dev/net/tun is missing" : ""),
                errno);
        }
        int controlFd = -1;
        try
        {
            final UnsafeBuffer ifreq = new UnsafeBuffer(ByteBuffer.allocateDirect(40).order(ByteOrder.nativeOrder()));
            ifreq.putBytes(0, name.getBytes(StandardCharsets.US_ASCII));
            ifreq.putShort(16, (short)(IFF_TAP | IFF_NO_PI | (multiQueue ? IFF_MULTI_QUEUE : 0)));
            if (LIBC.ioctl(fd, TUNSETIFF, ifreq.addressOffset()) < 0)
            {
                throw Native.failure(name, "ioctl(TUNSETIFF, IFF_TAP" + (multiQueue ? " | IFF_MULTI_QUEUE" : "") + ")");
            }
            controlFd = LIBC.socket(Native.AF_INET, Native.SOCK_DGRAM | Native.SOCK_CLOEXEC, 0);
            if (controlFd < 0)
            {
                throw Native.failure(name, "socket(AF_INET, SOCK_DGRAM)");
            }
            return new TapDevice(name, fd, controlFd);
        }
        catch (final RuntimeException ex)
        {
            Native.closeQuietly(controlFd);
            Native.closeQuietly(fd);
            throw ex;
        }
    }

    @Override
    public String name()
    {
        return name;
    }

    /** Sets the MAC address the host kernel uses on this interface. */
    public synchronized TapDevice macAddress(final long mac)
    {
        control.mac(mac);
        return this;
    }

    /** Sets the interface MTU. */
    public synchronized TapDevice mtu(final int mtu)
    {
        control.mtu(mtu);
        return this;
    }

    /** Brings the interface administratively up or down. */
    public synchronized TapDevice up(final boolean up)
    {
        control.up(up);
        return this;
    }

    /** The interface index. */
    public synchronized int ifIndex()
    {
        return control.index();
    }

    @Override
    public int receive(final FrameHandler handler, final int limit)
    {
        if (closed)
        {
            return 0;
        }
        int frames = 0;
        long bytes = 0;
        while (frames < limit)
        {
            final long n = LIBC.read(fd, rxBuffer.addressOffset() + FRAME_HEADROOM, MAX_FRAME);
            if (n <= 0)
            {
                break;
            }
            frames++;
            bytes += n;
            handler.onFrame(rxBuffer, FRAME_HEADROOM, (int)n);
            // The next read(2) reuses the buffer: every frame is a batch of its own.
            handler.onBatchEnd();
        }
        if (frames > 0)
        {
            statistics.addRx(frames, bytes);
        }
        return frames;
    }

    @Override
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 14 || length > MAX_FRAME || closed)
        {
            statistics.addTxDrops(1);
            return false;
        }
        final long address;
        if (buffer.byteArray() == null)
        {
            address = buffer.addressOffset() + offset;
        }
        else
        {
            txBuffer.putBytes(0, buffer, offset, length);
            address = txBuffer.addressOffset();
        }
        if (LIBC.write(fd, address, length) != length)
        {
            statistics.addTxDrops(1);
            return false;
        }
        statistics.addTx(1, length);
        return true;
    }

    @Override
    public int flush()
    {
        return 0;
    }

    @Override
    public PortStatistics statistics()
    {
        return statistics;
    }

    @Override
    public synchronized LinkState linkState()
    {
        return closed ? LinkState.UNKNOWN : control.linkState();
    }

    @Override
    public synchronized int mtu()
    {
        return control.mtu();
    }

    @Override
    public synchronized long macAddress()
    {
        return control.mac();
    }

    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        LIBC.close(fd);
        LIBC.close(controlFd);
    }

    @Override
    public String toString()
    {
        return "TapDevice[" + name + "]";
    }
}
