package org.vbgw.perf.io;

import static org.vbgw.io.linux.Native.LIBC;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.io.linux.Native;

/**
 * The baseline a packet ring is measured against: an AF_PACKET SOCK_RAW socket bound to one interface,
 * without rings, one {@code recv()} system call per received frame (not {@code recvfrom}, whose six
 * arguments JNR-FFI 2.2.17 garbles). Benchmark use only.
 */
final class RecvSocket implements AutoCloseable
{
    private static final int ETH_P_ALL = 0x0003;
    private static final int SOL_PACKET = 263;
    private static final int PACKET_STATISTICS = 6;
    private static final int PACKET_IGNORE_OUTGOING = 23;

    private final int fd;
    private final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(65536));
    private final UnsafeBuffer pollFd = new UnsafeBuffer(ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder()));

    /** Opens the socket on {@code interfaceName} in the calling thread's namespace. */
    RecvSocket(final String interfaceName)
    {
        final int ifIndex = LIBC.if_nametoindex(interfaceName);
        if (ifIndex == 0)
        {
            throw new IllegalArgumentException(interfaceName + ": no such interface");
        }
        fd = LIBC.socket(Native.AF_PACKET, Native.SOCK_RAW | Native.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw Native.failure(interfaceName, "socket(AF_PACKET, SOCK_RAW)");
        }
        final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(32).order(ByteOrder.nativeOrder()));
        scratch.putInt(0, 1);
        LIBC.setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, scratch.addressOffset(), 4);
        scratch.putInt(0, 4 << 20);
        LIBC.setsockopt(fd, Native.SOL_SOCKET, Native.SO_RCVBUFFORCE, scratch.addressOffset(), 4);
        scratch.setMemory(0, 20, (byte)0);
        scratch.putShort(0, (short)Native.AF_PACKET);
        scratch.putShort(2, (short)Native.htons(ETH_P_ALL));
        scratch.putInt(4, ifIndex);
        if (LIBC.bind(fd, scratch.addressOffset(), 20) < 0)
        {
            final RuntimeException ex = Native.failure(interfaceName, "bind(AF_PACKET)");
            LIBC.close(fd);
            throw ex;
        }
    }

    /** Receives one frame without blocking; its length, or -1 when none is queued. */
    int receive()
    {
        final long n = LIBC.recv(fd, frame.addressOffset(), frame.capacity(), Native.MSG_DONTWAIT);
        if (n > 0)
        {
            frame.getByte(0);
        }
        return (int)n;
    }

    /** The buffer {@link #receive()} fills, the frame at index 0. */
    UnsafeBuffer frame()
    {
        return frame;
    }

    /** Waits up to {@code timeoutMs} for a frame. */
    void await(final int timeoutMs)
    {
        pollFd.putInt(0, fd);
        pollFd.putShort(4, (short)1);
        pollFd.putShort(6, (short)0);
        LIBC.poll(pollFd.addressOffset(), 1, timeoutMs);
    }

    /** Frames the kernel dropped since the last call (its socket queue was full): PACKET_STATISTICS. */
    long kernelDrops()
    {
        pollFd.putInt(0, 8);
        final UnsafeBuffer stats = frame;
        if (LIBC.getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, stats.addressOffset(), pollFd.addressOffset()) < 0)
        {
            return 0;
        }
        return stats.getInt(4) & 0xFFFF_FFFFL;
    }

    @Override
    public void close()
    {
        LIBC.close(fd);
    }
}
