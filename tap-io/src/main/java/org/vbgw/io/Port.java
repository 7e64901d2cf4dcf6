package org.vbgw.io;

import org.agrona.DirectBuffer;

/**
 * A place Ethernet frames come in and go out: an AF_PACKET socket on an interface, a TAP device, a
 * pcap file, or an in-memory queue. The dataplane forwards between ports and knows nothing else about
 * them.
 * <p>
 * <b>Frames.</b> A frame starts with the destination MAC address and ends before the FCS. It is the
 * frame as it is on the wire: an 802.1Q tag or an 802.1ad + 802.1Q pair (QinQ) is in the frame, on
 * receive and on transmit, whatever the kernel did with it in between. Checksums in received frames
 * are complete.
 * <p>
 * <b>Batches, no allocation.</b> {@link #receive(FrameHandler, int)} hands over up to {@code limit}
 * frames that are ready and never blocks; frames are views into the port's memory and are writable
 * in place for the duration of the callback. {@link #send(DirectBuffer, int, int)} queues one frame
 * (one copy into the transmit slot, or one {@code send()} system call, depending on the port) and
 * {@link #flush()} makes queued frames go out; a batch is any number of {@code send}s followed by
 * one {@code flush}. Forwarding a received frame is therefore: in {@code onFrame}, rewrite the headers
 * in place, call {@code out.send(buffer, offset, length)}; after {@code receive} returns, call
 * {@code out.flush()}.
 * <p>
 * <b>Threads.</b> A port is used by one thread for receive and one for transmit (usually the same);
 * {@link #statistics()} counts may be read by any thread. {@link #close()} is called once the
 * port's threads have stopped using it, and is harmless when called again.
 */
public interface Port extends AutoCloseable
{
    /**
     * Bytes in front of every received frame that the receiver may overwrite: a forwarder that adds
     * VLAN tags on egress (untagged in, QinQ out) writes the longer L2 header there instead of moving
     * the payload.
     */
    int FRAME_HEADROOM = 8;

    /** The interface (or file, or queue) name, as used in error messages and counters. */
    String name();

    /**
     * Delivers up to {@code limit} frames that are ready, each to {@code handler}, without blocking,
     * in one or more batches, each closed by {@link FrameHandler#onBatchEnd()} while its frames are
     * still valid (see there).
     *
     * @param handler called once per frame, and once per batch, on this thread.
     * @param limit the most frames to deliver; &gt; 0.
     * @return the number of frames delivered, 0 when none was ready.
     */
    int receive(FrameHandler handler, int limit);

    /**
     * Queues one frame for transmit; it goes out at the latest on the next {@link #flush()}.
     * The frame is copied (or handed to the kernel, which copies it) before this returns, so the
     * source may be reused at once, including a frame still being delivered by {@link #receive}.
     *
     * @return true when queued; false when it was dropped (no room, too large, link down), which is
     *     counted in {@link PortStatistics#txDrops()}.
     */
    boolean send(DirectBuffer buffer, int offset, int length);

    /**
     * Makes all frames queued by {@link #send} go out (a transmit ring is kicked with one system
     * call); a no-op for ports that send immediately.
     *
     * @return the number of frames handed over by this call, as far as the port knows it.
     */
    int flush();

    /** Counts since the port was opened; for kernel ports this also fetches the kernel's drop count. */
    PortStatistics statistics();

    /** The link state now; for kernel ports an ioctl, so not per frame (a LinkMonitor reports changes). */
    LinkState linkState();

    /** The largest L3 payload a frame may carry (the interface MTU), in bytes. */
    int mtu();

    /** The port's MAC address, the 48 bits in the low bits of the long, first octet most significant. */
    long macAddress();

    /** Releases the port (file descriptors, mapped memory); harmless when called again. */
    @Override
    void close();
}
