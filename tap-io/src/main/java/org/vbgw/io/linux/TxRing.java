package org.vbgw.io.linux;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A TPACKET_V3 transmit ring: fixed-size frame slots the caller fills and marks
 * {@code TP_STATUS_SEND_REQUEST}; one {@code send(fd, NULL, 0)} makes the kernel transmit all marked
 * slots, and it sets each back to {@code TP_STATUS_AVAILABLE} when the frame has left (its skb was freed).
 * <p>
 * Slot layout: {@code struct tpacket3_hdr} (48 bytes: {@code tp_snaplen} at 12, {@code tp_len} at 16,
 * {@code tp_status} at 20), then the frame at offset 48 ({@code TPACKET3_HDRLEN - sizeof(sockaddr_ll)}).
 * Single thread; not thread-safe.
 */
final class TxRing
{
    static final int TP_STATUS_AVAILABLE = 0;
    static final int TP_STATUS_SEND_REQUEST = 1;
    static final int TP_STATUS_WRONG_FORMAT = 4;
    /** Where the frame starts in a slot. */
    static final int DATA_OFFSET = 48;

    private static final int TP_SNAPLEN_OFFSET = 12;
    private static final int TP_LEN_OFFSET = 16;
    private static final int TP_STATUS_OFFSET = 20;

    private final UnsafeBuffer ring;
    private final int base;
    private final int frameSize;
    private final int frameCount;
    private int next;
    private int pending;

    TxRing(final UnsafeBuffer ring, final int base, final int frameSize, final int frameCount)
    {
        this.ring = ring;
        this.base = base;
        this.frameSize = frameSize;
        this.frameCount = frameCount;
    }

    /** Largest frame a slot holds. */
    int maxFrameLength()
    {
        return frameSize - DATA_OFFSET;
    }

    /** True when the next slot is free. */
    boolean hasRoom()
    {
        final int status = ring.getIntAcquire(base + next * frameSize + TP_STATUS_OFFSET);
        return status == TP_STATUS_AVAILABLE || status == TP_STATUS_WRONG_FORMAT;
    }

    /** Copies the frame into the next slot and marks it for sending; call {@link #hasRoom()} first. */
    void put(final DirectBuffer buffer, final int offset, final int length)
    {
        final int slot = base + next * frameSize;
        ring.putBytes(slot + DATA_OFFSET, buffer, offset, length);
        ring.putInt(slot + TP_LEN_OFFSET, length);
        ring.putInt(slot + TP_SNAPLEN_OFFSET, length);
        // Release: the frame bytes and length are visible before the kernel sees the request.
        ring.putIntRelease(slot + TP_STATUS_OFFSET, TP_STATUS_SEND_REQUEST);
        next = next + 1 == frameCount ? 0 : next + 1;
        pending++;
    }

    /** Slots marked since the last {@link #sent()}. */
    int pending()
    {
        return pending;
    }

    /** The kernel was asked to send the pending slots. */
    int sent()
    {
        final int n = pending;
        pending = 0;
        return n;
    }
}
