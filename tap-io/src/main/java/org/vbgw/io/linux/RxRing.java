package org.vbgw.io.linux;

import static java.nio.ByteOrder.BIG_ENDIAN;

import org.agrona.concurrent.UnsafeBuffer;
import org.vbgw.io.FrameHandler;
import org.vbgw.io.PortStatistics;

/**
 * Walks a TPACKET_V3 receive ring: blocks the kernel has filled and retired (full, or its block timer
 * expired) are handed to user space whole; their frames are delivered in order and the block goes back
 * to the kernel when its last frame has been delivered. One acquire load per block, one release store
 * per block, no system call.
 * <p>
 * Block descriptor ({@code struct tpacket_block_desc}, offsets from the block start):
 * <pre>
 *   0 version  4 offset_to_priv  8 block_status  12 num_pkts  16 offset_to_first_pkt  20 blk_len ...
 * </pre>
 * Frame header ({@code struct tpacket3_hdr}, offsets from the frame header):
 * <pre>
 *   0 tp_next_offset  4 tp_sec  8 tp_nsec  12 tp_snaplen  16 tp_len  20 tp_status
 *  24 tp_mac (u16)  26 tp_net (u16)  28 tp_rxhash  32 tp_vlan_tci  36 tp_vlan_tpid (u16)
 * </pre>
 * The kernel takes the outer VLAN tag out of the frame into {@code tp_vlan_tci}/{@code tp_vlan_tpid}
 * (even in software, whatever ethtool says). The frame is rebuilt as it was on the wire by moving the
 * 12 MAC bytes 4 bytes back into the headroom and writing TPID and TCI after them: no payload copy.
 * The socket reserves ({@code PACKET_RESERVE}) 4 bytes so the headroom never reaches the
 * {@code sockaddr_ll} the kernel writes after the header. A QinQ frame keeps its inner tag in the frame;
 * the outer one is rebuilt with the TPID the kernel reports (0x88a8).
 * <p>
 * Single thread; not thread-safe.
 */
final class RxRing
{
    static final int TP_STATUS_KERNEL = 0;
    static final int TP_STATUS_USER = 1;
    static final int TP_STATUS_CSUMNOTREADY = 0x8;
    static final int TP_STATUS_VLAN_VALID = 0x10;
    static final int TP_STATUS_VLAN_TPID_VALID = 0x40;

    /** Bytes PACKET_RESERVE adds in front of every frame: room for one rebuilt VLAN tag. */
    static final int HEADROOM = 4;

    private static final int BLOCK_STATUS_OFFSET = 8;
    private static final int BLOCK_NUM_PKTS_OFFSET = 12;
    private static final int BLOCK_FIRST_PKT_OFFSET = 16;

    private static final int TP_NEXT_OFFSET = 0;
    private static final int TP_SNAPLEN_OFFSET = 12;
    private static final int TP_LEN_OFFSET = 16;
    private static final int TP_STATUS_OFFSET = 20;
    private static final int TP_MAC_OFFSET = 24;
    private static final int TP_VLAN_TCI_OFFSET = 32;
    private static final int TP_VLAN_TPID_OFFSET = 36;

    private static final int ETH_P_8021Q = 0x8100;

    private final UnsafeBuffer ring;
    private final int blockSize;
    private final int blockCount;
    private final PortStatistics statistics;

    private long checksumsCompleted;
    private int block;
    private int framesLeft;
    private int frameIndex;
    private boolean holdingBlock;

    RxRing(final UnsafeBuffer ring, final int blockSize, final int blockCount, final PortStatistics statistics)
    {
        this.ring = ring;
        this.blockSize = blockSize;
        this.blockCount = blockCount;
        this.statistics = statistics;
    }

    int receive(final FrameHandler handler, final int limit)
    {
        final UnsafeBuffer ring = this.ring;
        int delivered = 0;
        long bytes = 0;
        int dropped = 0;
        int inBatch = 0;
        while (delivered < limit)
        {
            if (framesLeft == 0)
            {
                if (holdingBlock)
                {
                    if (inBatch > 0)
                    {
                        inBatch = 0;
                        handler.onBatchEnd();
                    }
                    releaseBlock();
                }
                final int blockStart = block * blockSize;
                if ((ring.getIntAcquire(blockStart + BLOCK_STATUS_OFFSET) & TP_STATUS_USER) == 0)
                {
                    break;
                }
                holdingBlock = true;
                framesLeft = ring.getInt(blockStart + BLOCK_NUM_PKTS_OFFSET);
                frameIndex = blockStart + ring.getInt(blockStart + BLOCK_FIRST_PKT_OFFSET);
                continue;
            }

            final int header = frameIndex;
            frameIndex = header + ring.getInt(header + TP_NEXT_OFFSET);
            framesLeft--;

            final int status = ring.getInt(header + TP_STATUS_OFFSET);
            final int snapLength = ring.getInt(header + TP_SNAPLEN_OFFSET);
            int offset = header + (ring.getShort(header + TP_MAC_OFFSET) & 0xFFFF);
            int length = snapLength;
            if (snapLength != ring.getInt(header + TP_LEN_OFFSET))
            {
                // Truncated: larger than a ring frame, which only a GSO/GRO frame or an MTU
                // above the one the ring was sized for can be. Never deliver half a frame.
                dropped++;
                continue;
            }
            if ((status & TP_STATUS_VLAN_VALID) != 0)
            {
                final int tpid = (status & TP_STATUS_VLAN_TPID_VALID) != 0 ?
                    ring.getShort(header + TP_VLAN_TPID_OFFSET) & 0xFFFF : ETH_P_8021Q;
                final int tci = ring.getInt(header + TP_VLAN_TCI_OFFSET) & 0xFFFF;
                // Reads [offset, offset + 12) before the writes reach it: the two moves do not overlap.
                ring.putLong(offset - HEADROOM, ring.getLong(offset));
                ring.putInt(offset + 4, ring.getInt(offset + 8));
                ring.putShort(offset + 8, (short)tpid, BIG_ENDIAN);
                ring.putShort(offset + 10, (short)tci, BIG_ENDIAN);
                offset -= HEADROOM;
                length += HEADROOM;
            }
            if ((status & TP_STATUS_CSUMNOTREADY) != 0)
            {
                if (!ChecksumCompletion.complete(ring, offset, length))
                {
                    dropped++;
                    continue;
                }
                checksumsCompleted++;
            }
            delivered++;
            inBatch++;
            bytes += length;
            handler.onFrame(ring, offset, length);
        }
        if (inBatch > 0)
        {
            handler.onBatchEnd();
        }
        if (framesLeft == 0 && holdingBlock)
        {
            releaseBlock();
        }
        if (delivered > 0)
        {
            statistics.addRx(delivered, bytes);
        }
        if (dropped > 0)
        {
            statistics.addRxDrops(dropped);
        }
        return delivered;
    }

    /** Frames whose partial checksum was completed in software; receive thread. */
    long checksumsCompleted()
    {
        return checksumsCompleted;
    }

    private void releaseBlock()
    {
        // Release: every read of this block's frames happens before the kernel may refill it.
        ring.putIntRelease(block * blockSize + BLOCK_STATUS_OFFSET, TP_STATUS_KERNEL);
        holdingBlock = false;
        block = block + 1 == blockCount ? 0 : block + 1;
    }
}
