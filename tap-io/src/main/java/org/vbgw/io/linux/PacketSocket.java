package org.vbgw.io.linux;

import static org.vbgw.io.linux.Native.LIBC;
import static org.vbgw.io.linux.PacketSocketSetup.PACKET_FANOUT;
import static org.vbgw.io.linux.PacketSocketSetup.PACKET_FANOUT_HASH;
import static org.vbgw.io.linux.PacketSocketSetup.PACKET_IGNORE_OUTGOING;
import static org.vbgw.io.linux.PacketSocketSetup.PACKET_LOSS;
import static org.vbgw.io.linux.PacketSocketSetup.PACKET_QDISC_BYPASS;
import static org.vbgw.io.linux.PacketSocketSetup.PACKET_RESERVE;
import static org.vbgw.io.linux.PacketSocketSetup.PACKET_RX_RING;
import static org.vbgw.io.linux.PacketSocketSetup.PACKET_STATISTICS;
import static org.vbgw.io.linux.PacketSocketSetup.PACKET_TX_RING;
import static org.vbgw.io.linux.PacketSocketSetup.PACKET_VERSION;
import static org.vbgw.io.linux.PacketSocketSetup.SOL_PACKET;
import static org.vbgw.io.linux.PacketSocketSetup.TPACKET_V3;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.io.FrameHandler;
import org.vbgw.io.LinkState;
import org.vbgw.io.Port;
import org.vbgw.io.PortException;
import org.vbgw.io.PortStatistics;

/**
 * A {@link Port} on one network interface: an AF_PACKET SOCK_RAW socket bound to it, with a PACKET_MMAP
 * TPACKET_V3 receive ring (block based, block timeout) and either a TPACKET_V3 transmit ring or one
 * {@code send()} per frame ({@link PacketSocketOptions.TxMode}).
 * <p>
 * Receive: frames are delivered as views over the mapped ring ({@link RxRing}), with the VLAN tag the
 * kernel took out rebuilt in place, so the frame is as it was on the wire; blocks go back to the kernel
 * per batch. Frames this host sends out of the interface are not seen (PACKET_IGNORE_OUTGOING).
 * Transmit: the frame is copied into a ring slot and {@link #flush()} sends every queued slot with one
 * system call; or, in SEND mode, the kernel copies it from the caller's buffer in {@code send()}.
 * <p>
 * Opening needs CAP_NET_RAW; every failure is a {@link PortException} naming the interface and the errno
 * text, with the socket closed and the ring unmapped. The socket lives in the network namespace of the
 * thread that opens it. One thread receives and sends; {@link #statistics()} and {@link #linkState()}
 * may be called from another thread (they are serialised with each other).
 */
public final class PacketSocket implements Port
{
    private static final int PAGE_SIZE = 4096;
    /** Ethernet header plus two VLAN tags: the largest frame is MTU + this. */
    private static final int MAX_HEADER_LENGTH = 22;

    private final String name;
    private final int fd;
    private final int ifIndex;
    private final int mtu;
    private final long mac;
    private final long ringAddress;
    private final long ringLength;
    private final RxRing rxRing;
    private final TxRing txRing;
    private final int maxFrameLength;
    private final UnsafeBuffer sendScratch;
    private final UnsafeBuffer controlScratch;
    private final UnsafeBuffer pollScratch =
        new UnsafeBuffer(ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder()));
    private final InterfaceControl control;
    private final PortStatistics statistics;
    /** Written once by close(); read per batch so a late call after close never touches unmapped memory. */
    private volatile boolean closed;

    private PacketSocket(
        final String name, final int fd, final InterfaceControl control, final int ifIndex, final int mtu,
        final long mac, final long ringAddress, final long ringLength, final RxRing rxRing, final TxRing txRing,
        final UnsafeBuffer controlScratch, final PortStatistics statistics)
    {
        this.statistics = statistics;
        this.name = name;
        this.fd = fd;
        this.control = control;
        this.ifIndex = ifIndex;
        this.mtu = mtu;
        this.mac = mac;
        this.ringAddress = ringAddress;
        this.ringLength = ringLength;
        this.rxRing = rxRing;
        this.txRing = txRing;
        this.controlScratch = controlScratch;
        maxFrameLength = txRing != null ? Math.min(txRing.maxFrameLength(), mtu + MAX_HEADER_LENGTH) :
            mtu + MAX_HEADER_LENGTH;
        sendScratch = txRing != null ? null : new UnsafeBuffer(ByteBuffer.allocateDirect(maxFrameLength));
    }

    /** Opens a socket on {@code interfaceName} with default options. */
    public static PacketSocket open(final String interfaceName)
    {
        return open(interfaceName, new PacketSocketOptions());
    }

    /**
     * Opens a socket on {@code interfaceName}, sets up its rings and binds it.
     *
     * @throws PortException naming the interface and the errno text when any step fails.
     */
    public static PacketSocket open(final String interfaceName, final PacketSocketOptions options)
    {
        InterfaceControl.checkName(interfaceName);
        final int fd = LIBC.socket(Native.AF_PACKET, Native.SOCK_RAW | Native.SOCK_CLOEXEC, 0);
        if (fd < 0)
        {
            throw Native.failure(interfaceName, "socket(AF_PACKET, SOCK_RAW)");
        }
        long ringAddress = -1;
        long ringLength = 0;
        try
        {
            final UnsafeBuffer scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder()));
            final InterfaceControl control = new InterfaceControl(interfaceName, fd);
            final int ifIndex = control.index();
            final int mtu = control.mtu();
            final long mac = control.mac();
            if (options.checkOffloads)
            {
                Offloads.requireOff(control);
            }

            PacketSocketSetup.setInt(fd, scratch, interfaceName, SOL_PACKET, PACKET_VERSION, TPACKET_V3,
                "PACKET_VERSION");
            PacketSocketSetup.setInt(fd, scratch, interfaceName, SOL_PACKET, PACKET_RESERVE, RxRing.HEADROOM,
                "PACKET_RESERVE");
            PacketSocketSetup.setInt(fd, scratch, interfaceName, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1,
                "PACKET_IGNORE_OUTGOING");
            if (options.qdiscBypass)
            {
                PacketSocketSetup.setInt(fd, scratch, interfaceName, SOL_PACKET, PACKET_QDISC_BYPASS, 1,
                    "PACKET_QDISC_BYPASS");
            }
            if (options.socketBufferBytes > 0)
            {
                PacketSocketSetup.setInt(fd, scratch, interfaceName, Native.SOL_SOCKET, Native.SO_SNDBUFFORCE,
                    options.socketBufferBytes, "SO_SNDBUFFORCE");
            }

            if (options.txMode == PacketSocketOptions.TxMode.RING)
            {
                // A frame the kernel finds malformed is skipped, not left to stall the ring. Must precede
                // the rings (EBUSY after).
                PacketSocketSetup.setInt(fd, scratch, interfaceName, SOL_PACKET, PACKET_LOSS, 1, "PACKET_LOSS");
            }
            final int maxFrame = mtu + MAX_HEADER_LENGTH;
            if (options.rxBlockSize < maxFrame + 256)
            {
                throw new PortException(interfaceName, "rx ring block size " + options.rxBlockSize +
                    " cannot hold a frame of MTU " + mtu + " plus headers; use a larger block", 0);
            }
            final int rxFrameSize = Math.min(options.rxFrameSize, options.rxBlockSize);
            final int rxLength = options.rxBlockSize * options.rxBlockCount;
            PacketSocketSetup.setRing(fd, scratch, interfaceName, PACKET_RX_RING, options.rxBlockSize,
                options.rxBlockCount, rxFrameSize, (options.rxBlockSize / rxFrameSize) * options.rxBlockCount,
                options.blockTimeoutMs);

            int txLength = 0;
            int txFrameSize = 0;
            int txFrames = 0;
            if (options.txMode == PacketSocketOptions.TxMode.RING)
            {
                txFrameSize = Math.max(2048, Integer.highestOneBit(TxRing.DATA_OFFSET + maxFrame - 1) << 1);
                final int txBlockSize = Math.max(PAGE_SIZE, txFrameSize);
                final int framesPerBlock = txBlockSize / txFrameSize;
                final int txBlocks = (options.txFrameCount + framesPerBlock - 1) / framesPerBlock;
                txFrames = txBlocks * framesPerBlock;
                txLength = txBlocks * txBlockSize;
                PacketSocketSetup.setRing(fd, scratch, interfaceName, PACKET_TX_RING, txBlockSize, txBlocks,
                    txFrameSize, txFrames, 0);
            }

            ringLength = (long)rxLength + txLength;
            ringAddress = LIBC.syscall(Native.SYS_MMAP, 0, ringLength, Native.PROT_READ | Native.PROT_WRITE,
                Native.MAP_SHARED, fd, 0);
            if (ringAddress == -1)
            {
                throw Native.failure(interfaceName, "mmap(" + ringLength + " bytes of packet ring)");
            }
            final UnsafeBuffer ring = new UnsafeBuffer(ringAddress, (int)ringLength);
            final PortStatistics statistics = new PortStatistics();
            final RxRing rx = new RxRing(ring, options.rxBlockSize, options.rxBlockCount, statistics);
            final TxRing tx = txLength > 0 ? new TxRing(ring, rxLength, txFrameSize, txFrames) : null;

            PacketSocketSetup.bind(fd, scratch, interfaceName, ifIndex);
            if (options.promiscuous)
            {
                PacketSocketSetup.promiscuous(fd, scratch, interfaceName, ifIndex);
            }
            if (options.fanoutGroup >= 0)
            {
                PacketSocketSetup.setInt(fd, scratch, interfaceName, SOL_PACKET, PACKET_FANOUT,
                    options.fanoutGroup | (PACKET_FANOUT_HASH << 16), "PACKET_FANOUT");
            }
            return new PacketSocket(interfaceName, fd, control, ifIndex, mtu, mac, ringAddress, ringLength, rx, tx,
                scratch, statistics);
        }
        catch (final RuntimeException ex)
        {
            if (ringAddress != -1)
            {
                LIBC.munmap(ringAddress, ringLength);
            }
            Native.closeQuietly(fd);
            throw ex;
        }
    }

    @Override
    public String name()
    {
        return name;
    }

    /** The interface index the socket is bound to. */
    public int ifIndex()
    {
        return ifIndex;
    }

    @Override
    public int receive(final FrameHandler handler, final int limit)
    {
        return closed ? 0 : rxRing.receive(handler, limit);
    }

    @Override
    public boolean send(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 14 || length > maxFrameLength || closed)
        {
            statistics.addTxDrops(1);
            return false;
        }
        if (txRing != null)
        {
            if (!txRing.hasRoom())
            {
                flush();
                if (!txRing.hasRoom())
                {
                    statistics.addTxDrops(1);
                    return false;
                }
            }
            txRing.put(buffer, offset, length);
            statistics.addTx(1, length);
            return true;
        }

        final long address;
        if (buffer.byteArray() == null)
        {
            address = buffer.addressOffset() + offset;
        }
        else
        {
            sendScratch.putBytes(0, buffer, offset, length);
            address = sendScratch.addressOffset();
        }
        if (LIBC.send(fd, address, length, Native.MSG_DONTWAIT) < 0)
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
        if (txRing == null || txRing.pending() == 0 || closed)
        {
            return 0;
        }
        // Frames the kernel could not take now (EAGAIN, ENOBUFS) stay marked and go with the next flush.
        LIBC.send(fd, 0, 0, Native.MSG_DONTWAIT);
        return txRing.sent();
    }

    /**
     * Waits up to {@code timeoutMs} for a receive block to be ready (poll(2) on the socket), for an idle
     * strategy that sleeps in the kernel instead of spinning. Receive thread only.
     *
     * @return true when {@link #receive} has frames to deliver (or may have: also on a signal).
     */
    public boolean await(final int timeoutMs)
    {
        // struct pollfd: int fd, short events (POLLIN), short revents.
        pollScratch.putInt(0, fd);
        pollScratch.putShort(4, (short)1);
        pollScratch.putShort(6, (short)0);
        return LIBC.poll(pollScratch.addressOffset(), 1, timeoutMs) != 0;
    }

    /**
     * Frames that arrived with a partial checksum (TP_STATUS_CSUMNOTREADY) and were completed in software
     * before delivery; read on the receive thread. Non-zero means a sender has checksum offload on.
     */
    public long checksumsCompleted()
    {
        return rxRing.checksumsCompleted();
    }

    /** Frame slots of the transmit ring still marked for sending; 0 in SEND mode. */
    public int txPending()
    {
        return txRing == null ? 0 : txRing.pending();
    }

    /**
     * The counts, after adding the drops the kernel has counted since the last call (PACKET_STATISTICS,
     * which the kernel resets on every read). One system call; not for the per-frame path.
     */
    @Override
    public synchronized PortStatistics statistics()
    {
        if (!closed)
        {
            controlScratch.putInt(16, 12);
            if (LIBC.getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, controlScratch.addressOffset(),
                controlScratch.addressOffset() + 16) == 0)
            {
                final int drops = controlScratch.getInt(4);
                if (drops != 0)
                {
                    statistics.addRxKernelDrops(drops & 0xFFFF_FFFFL);
                }
            }
        }
        return statistics;
    }

    @Override
    public synchronized LinkState linkState()
    {
        return closed ? LinkState.UNKNOWN : control.linkState();
    }

    @Override
    public int mtu()
    {
        return mtu;
    }

    @Override
    public long macAddress()
    {
        return mac;
    }

    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        LIBC.munmap(ringAddress, ringLength);
        LIBC.close(fd);
    }

    @Override
    public String toString()
    {
        return "PacketSocket[" + name + "]";
    }
}
