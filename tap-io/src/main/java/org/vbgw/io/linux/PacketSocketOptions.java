package org.vbgw.io.linux;

/**
 * How to open a {@link PacketSocket}: ring sizes, transmit mode, fanout and socket options. A mutable
 * builder used once at open time; the defaults suit a forwarding port on a 1500-byte MTU.
 */
public final class PacketSocketOptions
{
    /** How frames given to {@link PacketSocket#send} reach the kernel. */
    public enum TxMode
    {
        /**
         * Copied into a TPACKET_V3 transmit ring; {@link PacketSocket#flush()} sends all queued frames
         * with one system call.
         */
        RING,
        /**
         * One {@code send()} system call per frame, straight from the caller's (off-heap) buffer. On veth
         * this measured faster than the ring, as the kernel does the same per-frame work either way.
         */
        SEND
    }

    /*
     * Sized by block count, which is time: at low rates the kernel retires every block after the block timeout
     * whatever it holds, so N blocks buffer N timeouts of traffic, and a reader stalled longer (a GC pause, a
     * descheduled thread) loses frames. 256 blocks of 64 KiB (16 MiB) ride out 256 ms at low rates and hold
     * ~100,000 small frames at high ones; 16 blocks of 256 KiB lost frames after a 16 ms stall.
     */
    int rxBlockSize = 1 << 16;
    int rxBlockCount = 256;
    int rxFrameSize = 2048;
    int blockTimeoutMs = 1;
    TxMode txMode = TxMode.RING;
    int txFrameCount = 1024;
    boolean qdiscBypass;
    boolean promiscuous;
    int fanoutGroup = -1;
    boolean checkOffloads = true;
    int socketBufferBytes;

    /** Receive ring: bytes per block (a multiple of the page size) and number of blocks. */
    public PacketSocketOptions rxRing(final int blockSize, final int blockCount)
    {
        if (blockSize < 4096 || (blockSize & (blockSize - 1)) != 0 || blockCount < 1)
        {
            throw new IllegalArgumentException("rx ring: block size must be a power of two >= 4096 and " +
                "block count >= 1: " + blockSize + " x " + blockCount);
        }
        if ((long)blockSize * blockCount > 1L << 30)
        {
            throw new IllegalArgumentException("rx ring larger than 1 GiB: " + blockSize + " x " + blockCount);
        }
        this.rxBlockSize = blockSize;
        this.rxBlockCount = blockCount;
        return this;
    }

    /**
     * Milliseconds after which the kernel hands over a block that is not full (TPACKET_V3
     * {@code tp_retire_blk_tov}); bounds the latency added at low rates. At least 1.
     */
    public PacketSocketOptions blockTimeoutMs(final int timeoutMs)
    {
        if (timeoutMs < 1)
        {
            throw new IllegalArgumentException("block timeout must be >= 1 ms: " + timeoutMs);
        }
        this.blockTimeoutMs = timeoutMs;
        return this;
    }

    /** Transmit mode and, for {@link TxMode#RING}, the number of frame slots. */
    public PacketSocketOptions tx(final TxMode mode, final int frameCount)
    {
        if (frameCount < 1 || frameCount > 65536)
        {
            throw new IllegalArgumentException("tx frame count must be 1-65536: " + frameCount);
        }
        this.txMode = mode;
        this.txFrameCount = frameCount;
        return this;
    }

    /** PACKET_QDISC_BYPASS: transmit straight to the driver, skipping the qdisc (no shaping, no backlog). */
    public PacketSocketOptions qdiscBypass(final boolean bypass)
    {
        this.qdiscBypass = bypass;
        return this;
    }

    /** Puts the interface into promiscuous mode while the socket is open (a membership, undone on close). */
    public PacketSocketOptions promiscuous(final boolean promiscuous)
    {
        this.promiscuous = promiscuous;
        return this;
    }

    /**
     * Joins PACKET_FANOUT group {@code groupId} (0-65535) in hash mode: sockets on the same interface in
     * the same group share its frames by flow hash, so several workers can each own one socket.
     */
    public PacketSocketOptions fanoutHash(final int groupId)
    {
        if (groupId < 0 || groupId > 0xFFFF)
        {
            throw new IllegalArgumentException("fanout group must be 0-65535: " + groupId);
        }
        this.fanoutGroup = groupId;
        return this;
    }

    /**
     * Whether to refuse an interface whose offloads (tx checksum, TSO, GSO, GRO, LRO) are on; default true.
     * Turning the check off is safe for correctness (partial checksums are completed in software,
     * oversize frames are dropped and counted) but oversize frames are then lost.
     */
    public PacketSocketOptions checkOffloads(final boolean check)
    {
        this.checkOffloads = check;
        return this;
    }

    /**
     * SO_SNDBUFFORCE: kernel send buffer bytes (0 keeps the default, about 200 KiB); needs CAP_NET_ADMIN.
     * Frames in flight from the transmit ring count against it: with the default, only ~100 MTU-sized
     * frames leave per flush and the rest wait for the next one, so a busy port should raise it.
     */
    public PacketSocketOptions socketBufferBytes(final int bytes)
    {
        this.socketBufferBytes = bytes;
        return this;
    }
}
